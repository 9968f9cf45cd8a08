import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CalendarYearView, LoadCalendarInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { CalendarTab } from './CalendarTab';

const YEARS: CalendarYearView[] = [
  { year: 2025, source: '国务院办公厅关于2025年部分节假日安排的通知', holidays: 27, make_up_workdays: 5, builtin: true },
  { year: 2026, source: '国务院办公厅关于2026年部分节假日安排的通知', holidays: 33, make_up_workdays: 6, builtin: true },
];

describe('工作日历', () => {
  it('lists the years and loads a pasted one; a bad line is named by the core', async () => {
    let refuse = true;
    const core = fakeCore({
      calendar_years: () => YEARS,
      load_calendar: () => {
        if (refuse) throw apiError('validation', '请按提示修改', [{ field: 'calendar', code: 'syntax', message: '第 3 行：日期 2027-02-30 不存在' }]);
        return { year: 2027, holidays: 1, make_up_workdays: 0, replaced: false };
      },
    });
    const { user } = renderWithProviders(<CalendarTab />);
    expect(await screen.findByText('国务院办公厅关于2026年部分节假日安排的通知')).toBeInTheDocument();
    await fill(user, screen.getByTestId('calendar-text'), 'year 2027\noff 2027-01-01 元旦\noff 2027-02-30');
    await user.click(screen.getByTestId('calendar-load'));
    expect(await screen.findByTestId('calendar-error')).toHaveTextContent('第 3 行：日期 2027-02-30 不存在');
    expect(screen.getByTestId('calendar-text')).toHaveValue('year 2027\noff 2027-01-01 元旦\noff 2027-02-30');
    refuse = false;
    await user.click(screen.getByTestId('calendar-load'));
    await waitFor(() => expect(core.callsTo('load_calendar')).toHaveLength(2));
    expect(core.callsTo('load_calendar')[1].args?.input as LoadCalendarInput).toEqual({
      text: 'year 2027\noff 2027-01-01 元旦\noff 2027-02-30',
      path: null,
    });
    expect(await screen.findByText(/已载入 2027 年日历/)).toBeInTheDocument();
  });
});
