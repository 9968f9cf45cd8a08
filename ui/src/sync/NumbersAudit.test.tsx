import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { NumbersAuditView } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { renderWithProviders } from '../test/render';
import { SyncScreen } from './SyncScreen';
import { enrolled } from './testData';

const audit = (over: Partial<NumbersAuditView> = {}): NumbersAuditView => ({
  series: [
    { series: '浙作登字-2026-F', issued: 40, used: 12, voided: 1, returned: 2, outstanding: 23, balanced: false, unknown: ['浙作登字-2026-F-00000007–00000008'] },
    { series: '浙作登字-2026-A', issued: 5, used: 5, voided: 0, returned: 0, outstanding: 0, balanced: true, unknown: [] },
  ],
  leases: [
    { station_name: '受理窗口2', this_station: true, series: '浙作登字-2026-F', unused: 20, numbers: ['浙作登字-2026-F-00000021–00000040'] },
    { station_name: '终审室', this_station: false, series: '浙作登字-2026-F', unused: 3, numbers: ['浙作登字-2026-F-00000018–00000020'] },
  ],
  balanced: false,
  ...over,
});

describe('管理 → 同步 → 登记号核对', () => {
  it('an admin asks the server and sees each series, what is unknown, and the leases per station', async () => {
    const core = fakeCore({ sync_status: () => enrolled(), sync_inbox: () => [], numbers_audit: () => audit() });
    const { user } = renderWithProviders(<SyncScreen mayEnrol />);
    const card = await screen.findByTestId('numbers-audit');
    expect(core.callsTo('numbers_audit')).toHaveLength(0);
    await user.click(within(card).getByTestId('numbers-audit-load'));
    expect(await within(card).findByTestId('numbers-audit-verdict')).toHaveTextContent('有去向不明的登记号');
    const series = within(card).getByTestId('numbers-series');
    const f = within(series).getByText('浙作登字-2026-F').closest('tr') as HTMLElement;
    for (const n of ['40', '12', '1', '2', '23']) expect(within(f).getByText(n)).toBeInTheDocument();
    expect(within(f).getByTestId('numbers-unknown')).toHaveTextContent('浙作登字-2026-F-00000007–00000008');
    const a = within(series).getByText('浙作登字-2026-A').closest('tr') as HTMLElement;
    expect(a).toHaveTextContent('平衡');
    const leases = within(card).getByTestId('numbers-leases');
    const mine = within(leases).getByText('受理窗口2').closest('tr') as HTMLElement;
    expect(mine).toHaveTextContent('本机');
    expect(mine).toHaveTextContent('浙作登字-2026-F-00000021–00000040');
    const other = within(leases).getByText('终审室').closest('tr') as HTMLElement;
    expect(other).not.toHaveTextContent('本机');
    expect(other).toHaveTextContent('3');
  });

  it('says why when the server cannot be asked; not offered outside 管理', async () => {
    fakeCore({
      sync_status: () => enrolled(),
      sync_inbox: () => [],
      numbers_audit: () => {
        throw apiError('refused', '无法向服务器取得登记号核对（无法连接服务器）：请检查网络后重试');
      },
    });
    const { user } = renderWithProviders(<SyncScreen mayEnrol />);
    await user.click(await screen.findByTestId('numbers-audit-load'));
    expect(await screen.findByTestId('numbers-audit-error')).toHaveTextContent('请检查网络后重试');
  });

  it('is not shown where the person may not enrol (the header drawer of a non-admin)', async () => {
    fakeCore({ sync_status: () => enrolled(), sync_inbox: () => [] });
    renderWithProviders(<SyncScreen mayEnrol={false} />);
    await screen.findByTestId('sync-details');
    expect(screen.queryByTestId('numbers-audit')).toBeNull();
  });
});
