// The office's clock: dates a person types or sees as "today" are the office's
// (Beijing time), not the workstation's. The offset comes from the core
// (AppStatus.office_utc_offset_hours) as soon as the app status arrives.
let offsetHours = 8;

/** Called with the core's app status. */
export function setOfficeUtcOffset(hours: number): void {
  offsetHours = hours;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `now` as the office's wall clock (read with the getUTC… methods). */
function officeWallClock(now: Date): Date {
  return new Date(now.getTime() + offsetHours * 3_600_000);
}

/** Today at the office as 2026-11-25. */
export function officeToday(now: Date = new Date()): string {
  const d = officeWallClock(now);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The office's time now as 09:30. */
export function officeClockNow(now: Date = new Date()): string {
  const d = officeWallClock(now);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
