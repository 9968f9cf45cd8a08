// The one text helper of the desks: `formatText` fills {placeholders}, and
// `makeTexts` turns a desk's catalogue (Chinese, with an English one of the
// same keys) into its `t` function, which follows the language the frame chose
// (i18n's setLocale). i18n/index.ts uses `formatText` for the frame's own `t`.
// (Function declarations: i18n/index.ts imports this file and this file reads
// getLocale from it.)
import { getLocale } from '../i18n';

export type TextParams = Record<string, string | number>;

/** Replaces each {name} by params[name]; a {name} without a value stays as it is. */
export function formatText(template: string, params?: TextParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/**
 * A desk's texts in the current language: English when English was chosen,
 * otherwise Chinese; a text missing from the chosen catalogue falls back to
 * the Chinese one, then to the key itself.
 */
export function makeTexts<K extends string>(zhCN: Record<K, string>, en: Record<K, string>) {
  return function translate(key: K, params?: TextParams): string {
    const catalogue: Record<K, string> = getLocale() === 'en' ? en : zhCN;
    return formatText(catalogue[key] ?? zhCN[key] ?? key, params);
  };
}
