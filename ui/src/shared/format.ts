import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

dayjs.locale('zh-cn');

/** 2026-11-25 (tables). */
export function fmtDate(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD') : value;
}

/** 2026-11-25 09:30:12 */
export function fmtDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : value;
}

/** 09:30 */
export function fmtTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.format('HH:mm') : value;
}

export function isFuture(value: string | null | undefined, now: Date = new Date()): boolean {
  if (!value) return false;
  const d = dayjs(value);
  return d.isValid() && d.isAfter(dayjs(now));
}
