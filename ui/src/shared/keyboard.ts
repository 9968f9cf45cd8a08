// Keyboard-first forms: Enter moves to the next field (Enter in the last field
// submits), Ctrl+S / Ctrl+Enter submit from anywhere in the form.
import type { KeyboardEvent } from 'react';

const FIELD_SELECTOR = 'input, select, textarea';

function isField(el: Element): el is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;
}

/** The fields of a form that a person can type into, in document order. */
export function focusableFields(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll(FIELD_SELECTOR)).filter((el): el is HTMLElement => {
    if (!isField(el)) return false;
    if (el.disabled) return false;
    if (el instanceof HTMLInputElement && (el.type === 'hidden' || el.readOnly)) return false;
    if (el.tabIndex < 0) return false;
    if (el.closest('[aria-hidden="true"]')) return false;
    // A field with its own Enter (a path with 添加) is reached with Tab, not Enter.
    if (el.closest('[data-own-enter]')) return false;
    return true;
  });
}

/**
 * Returns an onKeyDownCapture handler for a form container.
 * `submit` is what Enter in the last field, Ctrl+S and Ctrl+Enter do.
 */
export function formKeys(submit: () => void, opts: { ctrlS?: boolean } = {}) {
  const ctrlS = opts.ctrlS ?? true;
  return (e: KeyboardEvent<HTMLElement>) => {
    // Never interfere with an input method composing Chinese text.
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    const ctrl = e.ctrlKey || e.metaKey;
    if (ctrl && (e.key === 'Enter' || (ctrlS && (e.key === 's' || e.key === 'S')))) {
      e.preventDefault();
      e.stopPropagation();
      submit();
      return;
    }
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || ctrl) return;
    const target = e.target as Element;
    if (!isField(target) || target instanceof HTMLTextAreaElement) return;
    if (target.closest('[data-own-enter]')) return;
    // An open dropdown (antd Select) uses Enter to pick the option.
    if (target.getAttribute('role') === 'combobox' && target.getAttribute('aria-expanded') === 'true') return;
    const fields = focusableFields(e.currentTarget);
    const i = fields.indexOf(target as HTMLElement);
    if (i < 0) return;
    e.preventDefault();
    e.stopPropagation();
    if (i === fields.length - 1) {
      submit();
    } else {
      fields[i + 1].focus();
    }
  };
}

/**
 * Focuses `el` once a dialog has opened, unless the person has already moved
 * into a field meanwhile (fast typists start before the animation ends).
 */
export function focusIfIdle(el: { focus: () => void } | null | undefined): void {
  const active = document.activeElement;
  if (active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA' || active.tagName === 'SELECT')) return;
  el?.focus();
}
