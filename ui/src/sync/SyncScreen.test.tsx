import { screen, waitFor, within } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';
import type { InboxItemView } from '../api/bindings';
import { aloneSync, apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { SYNC_STATUS } from './api';
import { SyncScreen } from './SyncScreen';
import { enrolled, rejectedFiling } from './testData';

describe('管理 → 同步', () => {
  it('shows the server, station, fingerprint, last sync and error, pending and position; the status event updates it', async () => {
    fakeCore({
      sync_status: () => enrolled({ pending: 3, offline: true, last_error: '无法连接同步服务器 https://192.168.1.10:8443（连接被拒绝）' }),
      sync_inbox: () => [],
    });
    renderWithProviders(<SyncScreen mayEnrol />);
    expect(await screen.findByTestId('sync-server')).toHaveTextContent('https://192.168.1.10:8443');
    expect(screen.getByTestId('sync-station')).toHaveTextContent('受理窗口2');
    expect(screen.getByTestId('sync-fingerprint')).toHaveTextContent('AB:CD:EF:01');
    expect(screen.getByTestId('sync-last-error')).toHaveTextContent('无法连接同步服务器');
    expect(screen.getByTestId('sync-pending')).toHaveTextContent('3 条');
    expect(screen.getByTestId('sync-cursor')).toHaveTextContent('42');
    expect(await screen.findByText('没有被服务器拒绝的记录')).toBeInTheDocument();
    await emit(SYNC_STATUS, enrolled({ pending: 0, cursor: 50 }));
    await waitFor(() => expect(screen.getByTestId('sync-cursor')).toHaveTextContent('50'));
    expect(screen.queryByTestId('sync-last-error')).toBeNull();
  });

  it('立即同步 shows the round outcome, and why it stopped', async () => {
    const core = fakeCore({
      sync_status: () => enrolled(),
      sync_inbox: () => [],
      sync_now: () => ({ pushed: 3, accepted: 2, rejected: 1, pulled: 5, cursor: 47, error: null }),
    });
    const { user } = renderWithProviders(<SyncScreen mayEnrol={false} />);
    await user.click(await screen.findByTestId('sync-now'));
    expect(await screen.findByTestId('sync-outcome')).toHaveTextContent('上传 3 条：接受 2 条，拒绝 1 条；下载 5 条；同步位置 47');
    expect(screen.getByText('被拒绝的记录已放入下方“需处理”。')).toBeInTheDocument();
    expect(core.callsTo('sync_now')).toHaveLength(1);
    // The inbox is read again after the round.
    await waitFor(() => expect(core.callsTo('sync_inbox').length).toBeGreaterThanOrEqual(2));
  });

  it('the inbox shows who, when, what, the reason and the server values; 放弃 asks first', async () => {
    let inbox: InboxItemView[] = [rejectedFiling({ command: 'first_review', command_words: '初审', case_id: 'c1', payload: { decision: 'pass', opinion: '材料齐全' }, entered: [{ label: '审查意见', value: '材料齐全' }] })];
    const core = fakeCore({
      sync_status: () => enrolled({ inbox: inbox.length }),
      sync_inbox: () => inbox,
      discard_inbox_item: () => {
        inbox = [];
        return null;
      },
    });
    const { user } = renderWithProviders(<SyncScreen mayEnrol />);
    const item = await screen.findByTestId('inbox-item');
    expect(within(item).getByTestId('inbox-command')).toHaveTextContent('初审');
    expect(item).toHaveTextContent('张受理');
    expect(within(item).getByTestId('inbox-reason')).toHaveTextContent('案件已被其他工作站修改');
    const row = within(item).getByTestId('inbox-row');
    expect(row).toHaveTextContent('西湖春晓');
    expect(row).toHaveTextContent('西湖春色');
    expect(within(item).getByTestId('inbox-entered')).toHaveTextContent('材料齐全');
    // 重做 of a command without a form: the data to re-enter.
    await user.click(within(item).getByTestId('inbox-redo'));
    expect(await screen.findByText(/此事项没有可自动填好的表单/)).toBeInTheDocument();
    await user.click(screen.getByTestId('inbox-redo-close'));
    // 放弃: asked, and only then done.
    await user.click(within(item).getByTestId('inbox-discard'));
    expect(await screen.findByTestId('inbox-discard-body')).toHaveTextContent('“初审”（张受理');
    expect(core.callsTo('discard_inbox_item')).toHaveLength(0);
    await user.click(screen.getByTestId('inbox-discard-ok'));
    await waitFor(() => expect(core.callsTo('discard_inbox_item')).toHaveLength(1));
    expect(core.callsTo('discard_inbox_item')[0].args).toEqual({ input: { entry_id: 'e1', confirm: true } });
    expect(await screen.findByText('没有被服务器拒绝的记录')).toBeInTheDocument();
  });

  it('a refused discard keeps the dialog open with the reason', async () => {
    fakeCore({
      sync_status: () => enrolled({ inbox: 1 }),
      sync_inbox: () => [rejectedFiling()],
      discard_inbox_item: () => {
        throw apiError('permission', '只有办理人或管理员可以放弃这条记录');
      },
    });
    const { user } = renderWithProviders(<SyncScreen mayEnrol={false} />);
    await user.click(await screen.findByTestId('inbox-discard'));
    await user.click(await screen.findByTestId('inbox-discard-ok'));
    expect(await screen.findByTestId('inbox-discard-error')).toHaveTextContent('只有办理人或管理员');
    expect(screen.getByTestId('inbox-item')).toBeInTheDocument();
  });

  it('an admin enrols a station that works alone; the core names the wrong field', async () => {
    let status = aloneSync;
    let tries = 0;
    const core = fakeCore({
      sync_status: () => status,
      sync_inbox: () => [],
      enrol_station: () => {
        tries += 1;
        if (tries === 1) {
          throw apiError('validation', '服务器出示的证书与输入的 CA 指纹不符', [
            { field: 'fingerprint', code: 'fingerprint_mismatch', message: '服务器出示的证书与输入的 CA 指纹不符' },
          ]);
        }
        status = enrolled();
        return status;
      },
    });
    const { user } = renderWithProviders(<SyncScreen mayEnrol />);
    expect(await screen.findByTestId('sync-not-enrolled')).toBeInTheDocument();
    await fill(user, screen.getByTestId('enrol-server'), 'https://192.168.1.10:8443');
    await fill(user, screen.getByTestId('enrol-code'), 'K7Q2-9XTM');
    await fill(user, screen.getByTestId('enrol-fingerprint'), 'AB:CD:EF:02');
    await user.click(screen.getByTestId('enrol-submit'));
    expect(await screen.findByText('服务器出示的证书与输入的 CA 指纹不符')).toBeInTheDocument();
    await user.click(screen.getByTestId('enrol-submit'));
    expect(await screen.findByTestId('sync-server')).toHaveTextContent('https://192.168.1.10:8443');
    expect(core.callsTo('enrol_station')[1].args).toEqual({
      input: { server_url: 'https://192.168.1.10:8443', code: 'K7Q2-9XTM', fingerprint: 'AB:CD:EF:02' },
    });
  });

  it('someone else is told an administrator enrols the station', async () => {
    fakeCore({ sync_status: () => aloneSync });
    renderWithProviders(<SyncScreen mayEnrol={false} />);
    expect(await screen.findByTestId('sync-not-enrolled')).toHaveTextContent('管理员可在“管理 → 同步”');
    expect(screen.queryByTestId('enrol-form')).toBeNull();
  });
});
