import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AccessLogEntry, AccessLogInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { ACCESS_LOG_LIMIT, AccessLogTab } from './AccessLogTab';

const inputOf = (c: { args: Record<string, unknown> | undefined }) => c.args?.input as AccessLogInput;

const ENTRY: AccessLogEntry = {
  seq: 42,
  at: '2026-11-25T01:35:00Z',
  staff_username: 'liwen',
  staff_name: '李雯',
  what: 'identity_scan',
  what_label: '身份证明文件',
  case_id: 'case-1',
  serial: 'ZJ-K7QX-20261125-0001',
  applicant_id: null,
  applicant_name: null,
  file_name: '身份证.jpg',
};

describe('查阅记录', () => {
  it('lists who viewed what, and filters by person, case and typed dates', async () => {
    const fc = fakeCore({ access_log: () => [ENTRY] });
    const { user } = renderWithProviders(<AccessLogTab />);
    const table = await screen.findByTestId('access-log');
    await waitFor(() => expect(table).toHaveTextContent('李雯（liwen）'));
    expect(table).toHaveTextContent('身份证明文件');
    expect(table).toHaveTextContent('ZJ-K7QX-20261125-0001');
    expect(table).toHaveTextContent('身份证.jpg');
    expect(inputOf(fc.callsTo('access_log')[0])).toEqual({ staff: null, case: null, from: null, to: null, limit: ACCESS_LOG_LIMIT });

    await fill(user, screen.getByTestId('access-staff'), 'liwen');
    await fill(user, screen.getByTestId('access-case'), 'ZJ-K7QX-20261125-0001');
    await fill(user, screen.getByTestId('access-from'), '20261120');
    await fill(user, screen.getByTestId('access-to'), '2026/11/25');
    await user.click(screen.getByTestId('access-query'));
    await waitFor(() => expect(fc.callsTo('access_log')).toHaveLength(2));
    expect(inputOf(fc.callsTo('access_log')[1])).toEqual({
      staff: 'liwen',
      case: 'ZJ-K7QX-20261125-0001',
      from: '2026-11-20',
      to: '2026-11-25',
      limit: ACCESS_LOG_LIMIT,
    });
  });

  it('a mistyped date stays on screen with its message and asks nothing; the core’s refusal is shown', async () => {
    const fc = fakeCore({
      access_log: (args) => {
        if ((args?.input as AccessLogInput).from) throw apiError('validation', '起始日期不能晚于截止日期', [{ field: 'from', code: 'order', message: '起始日期不能晚于截止日期，请调换两个日期' }]);
        return [];
      },
    });
    const { user } = renderWithProviders(<AccessLogTab />);
    await waitFor(() => expect(fc.callsTo('access_log')).toHaveLength(1));
    await fill(user, screen.getByTestId('access-from'), '2026-13-01');
    await user.click(screen.getByTestId('access-query'));
    expect(await screen.findByText('2026-13-01 不是有效日期')).toBeInTheDocument();
    expect(fc.callsTo('access_log')).toHaveLength(1);
    await user.clear(screen.getByTestId('access-from'));
    await fill(user, screen.getByTestId('access-from'), '2026-11-26');
    await fill(user, screen.getByTestId('access-to'), '2026-11-25');
    await user.click(screen.getByTestId('access-query'));
    expect(await screen.findByTestId('access-error')).toHaveTextContent('起始日期不能晚于截止日期');
    expect(screen.getByTestId('access-from')).toHaveValue('2026-11-26');
  });
});
