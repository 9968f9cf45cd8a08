import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { aloneSync } from '../test/backend';
import { renderWithProviders } from '../test/render';
import { SyncState } from './SyncState';
import { enrolled } from './testData';

describe('the header sync state', () => {
  it.each([
    [aloneSync, 'alone', '单机'],
    [enrolled(), 'synced', '已同步'],
    [enrolled({ pending: 2 }), 'syncing', '同步中 · 2 条'],
    [enrolled({ pending: 3, offline: true, last_error: '无法连接同步服务器' }), 'offline', '离线 · 3 条待同步'],
    [enrolled({ snapshot: { snapshot_id: 's', rows_done: 1, rows_total: 9, bytes_done: 1, bytes_total: 9, done: false } }), 'first-sync', '首次同步中'],
  ])('follows the core flags (%#)', (status, state, text) => {
    renderWithProviders(<SyncState status={status} onOpen={() => {}} />);
    const tag = screen.getByTestId('sync-state');
    expect(tag).toHaveAttribute('data-state', state);
    expect(tag).toHaveTextContent(text);
    expect(screen.queryByTestId('sync-inbox-badge')).toBeNull();
  });

  it('shows 需处理 N beside it and both open the sync page', async () => {
    const onOpen = vi.fn();
    const { user } = renderWithProviders(<SyncState status={enrolled({ inbox: 2 })} onOpen={onOpen} />);
    expect(screen.getByTestId('sync-inbox-badge')).toHaveTextContent('需处理 2');
    await user.click(screen.getByTestId('sync-inbox-badge'));
    await user.click(screen.getByTestId('sync-state'));
    expect(onOpen).toHaveBeenCalledTimes(2);
  });
});
