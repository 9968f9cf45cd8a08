// Enter moves to the next field of the wizard step; a radio or checkbox group
// counts as one field (arrow keys choose inside it), so Enter leaves the group.
import type { KeyboardEvent } from 'react';
import { focusableFields } from '../shared/keyboard';

function groupOf(el: Element): Element | null {
  return el.closest('.ant-radio-group, .ant-checkbox-group');
}

/** The fields Enter steps through, in order: one stop per radio/checkbox group. */
export function enterStops(root: HTMLElement): HTMLElement[] {
  const all = focusableFields(root);
  const out: HTMLElement[] = [];
  const seen = new Set<Element>();
  for (const el of all) {
    const g = groupOf(el);
    if (!g) {
      out.push(el);
      continue;
    }
    if (seen.has(g)) continue;
    seen.add(g);
    const members = all.filter((x) => groupOf(x) === g);
    out.push(members.find((x) => x instanceof HTMLInputElement && x.checked) ?? members[0]);
  }
  return out;
}

/** onKeyDownCapture for the wizard body: Enter → next field; from the last field `onLast`. */
export function enterKeys(onLast: () => void) {
  return (e: KeyboardEvent<HTMLElement>) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    if (target.closest('[data-own-enter]')) return;
    if (target.getAttribute('role') === 'combobox' && target.getAttribute('aria-expanded') === 'true') return;
    const stops = enterStops(e.currentTarget);
    const g = groupOf(target);
    const i = stops.findIndex((s) => s === target || (g !== null && groupOf(s) === g));
    if (i < 0) return;
    e.preventDefault();
    e.stopPropagation();
    if (i === stops.length - 1) onLast();
    else stops[i + 1].focus();
  };
}
