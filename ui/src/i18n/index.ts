// A tiny translation function: t('key', { param: value }) replaces {param}.
import zhCN from './zh-CN';
import { formatText } from '../shared/text';

export type MessageKey = keyof typeof zhCN;
export type Catalogue = Record<MessageKey, string>;
export type Locale = 'zh-CN' | 'en';

const loaders: Record<Locale, () => Promise<Catalogue>> = {
  'zh-CN': async () => zhCN,
  en: async () => (await import('./en')).default,
};

let current: Catalogue = zhCN;
let currentLocale: Locale = 'zh-CN';

export function getLocale(): Locale {
  return currentLocale;
}

/** Switches the catalogue (Chinese is the default and is always there). */
export async function setLocale(locale: Locale): Promise<void> {
  current = await loaders[locale]();
  currentLocale = locale;
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const template = current[key] ?? zhCN[key] ?? key;
  return formatText(template, params);
}

/** The {placeholders} a template uses, sorted (for the catalogue parity test). */
export function placeholders(template: string): string[] {
  const found = new Set<string>();
  for (const m of template.matchAll(/\{(\w+)\}/g)) found.add(m[1]);
  return [...found].sort();
}
