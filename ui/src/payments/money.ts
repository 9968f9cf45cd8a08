// Money and typed dates at the payments desk. Money is integer fen in the core;
// people type yuan ("150", "150.00", "1,350.50"), converted with string
// arithmetic only (no floating point), so "1,350.50" is exactly 135050 fen.
import { pt } from './texts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** At most 13 integer digits: far beyond any transfer, still exact as a JS number of fen. */
const MAX_INT_DIGITS = 13;

/** Full-width digits and punctuation (typed with a Chinese input method) as ASCII; spaces out. */
function normalise(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** Yuan as typed → integer fen, or the message that names the fix. */
export function parseYuan(text: string | null | undefined): Parsed<number> {
  let s = normalise(text ?? '');
  if (s.startsWith('¥')) s = s.slice(1);
  if (s.endsWith('元')) s = s.slice(0, -1);
  if (s === '') return fail(pt('money.required'));
  if (s.startsWith('-')) return fail(pt('money.negative'));
  if (!/^[\d,.]+$/.test(s)) return fail(pt('money.chars'));
  const parts = s.split('.');
  if (parts.length > 2) return fail(pt('money.points'));
  const [intPart, frac = ''] = parts;
  if (parts.length === 2 && frac === '') return fail(pt('money.trailingPoint'));
  if (frac.includes(',')) return fail(pt('money.commas'));
  if (frac.length > 2) return fail(pt('money.decimals'));
  if (intPart === '') return fail(pt('money.leadingPoint'));
  if (intPart.includes(',') && !/^\d{1,3}(,\d{3})+$/.test(intPart)) return fail(pt('money.commas'));
  const digits = intPart.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_INT_DIGITS) return fail(pt('money.tooLarge'));
  return ok(Number(digits + frac.padEnd(2, '0')));
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** ¥1,350.00 */
export function fmtYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${fen < 0 ? '-' : ''}¥${group(String(yuan))}.${cents}`;
}

/** Fen as the amount input shows it to start with: 1350.00 (no ¥, no commas). */
export function fenToInput(fen: number): string {
  const abs = Math.abs(Math.trunc(fen));
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function realDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** A day typed as 2026-11-25, 2026/11/25, 2026.11.25, 2026年11月25日 or 20261125 → 2026-11-25. */
export function parseDay(text: string | null | undefined): Parsed<string> {
  const s = normalise(text ?? '');
  if (s === '') return fail(pt('date.required'));
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return fail(pt('date.format'));
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!realDate(y, mo, d)) return fail(pt('date.invalid', { date: `${m[1]}-${pad(mo)}-${pad(d)}` }));
  return ok(`${m[1]}-${pad(mo)}-${pad(d)}`);
}

/** A time of day typed as 9:30, 09:30, 0930, 09:30:15 or 093015 → 09:30:15 (seconds 00 when left out). */
export function parseClock(text: string | null | undefined): Parsed<string> {
  const s = normalise(text ?? '');
  if (s === '') return fail(pt('time.required'));
  const m = /^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$/.exec(s) ?? /^(\d{2})(\d{2})(\d{2})?$/.exec(s);
  if (!m) return fail(pt('time.format'));
  const [h, mi, se] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  if (h > 23 || mi > 59 || se > 59) return fail(pt('time.invalid'));
  return ok(`${pad(h)}:${pad(mi)}:${pad(se)}`);
}

/** An antd rule that checks a typed value while typing (it never blocks typing). */
export function liveRule<T>(parse: (v: string) => Parsed<T>, optional = false) {
  return {
    validator: async (_: unknown, v: string | undefined) => {
      if (optional && (v ?? '').trim() === '') return;
      const r = parse(v ?? '');
      if (!r.ok) throw new Error(r.error);
    },
  };
}
