import { afterEach, describe, expect, it } from 'vitest';
import { officeClockNow, officeToday, setOfficeUtcOffset } from './officeTime';

describe('the office clock', () => {
  afterEach(() => setOfficeUtcOffset(8));

  it('is Beijing time whatever the workstation says', () => {
    // 2026-11-25 17:30 UTC is already 26 November, 01:30 in Beijing.
    const t = new Date(Date.UTC(2026, 10, 25, 17, 30));
    setOfficeUtcOffset(8);
    expect(officeToday(t)).toBe('2026-11-26');
    expect(officeClockNow(t)).toBe('01:30');
  });

  it('follows the offset the core gives', () => {
    const t = new Date(Date.UTC(2026, 10, 25, 17, 30));
    setOfficeUtcOffset(0);
    expect(officeToday(t)).toBe('2026-11-25');
    expect(officeClockNow(t)).toBe('17:30');
  });
});
