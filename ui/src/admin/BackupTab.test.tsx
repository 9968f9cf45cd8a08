import { screen, waitFor } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';
import type { BackupRecord, BackupSettingsInput, BackupStatus } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { BACKUP_PROGRESS, BackupTab } from './BackupTab';

const record = (over: Partial<BackupRecord> = {}): BackupRecord => ({
  id: 'b1',
  started_at: '2026-12-06T02:00:00Z',
  finished_at: '2026-12-06T02:00:05Z',
  folder: '/media/usb/备份',
  generation: 'regdesk-20261206-100000',
  trigger: 'scheduled',
  staff_name: null,
  ok: true,
  message: '备份校验通过：数据库完整性检查通过，审计链完整（至第 120 条），8 个附件校验和一致',
  journal_seq: 120,
  files: 8,
  bytes: 5_000_000,
  ...over,
});

const status = (over: Partial<BackupStatus> = {}): BackupStatus => ({
  settings: { version: 3, folder: '/media/usb/备份', keep: 7, every_hours: 24 },
  last: record(),
  last_ok: record(),
  next_due_at: '2026-12-07T02:00:00Z',
  generations: [
    {
      name: 'regdesk-20261206-100000',
      path: '/media/usb/备份/regdesk-20261206-100000',
      made_at: '2026-12-06T02:00:00Z',
      journal_seq: 120,
      files: 8,
      bytes: 5_000_000,
      verified: true,
      message: '备份校验通过',
      restore_command: 'regdesk --data-dir "/home/x/.local/share/regdesk" restore "/media/usb/备份/regdesk-20261206-100000"',
    },
  ],
  folder_problem: null,
  ...over,
});

describe('管理 → 备份', () => {
  it('shows the last backup, the generations with their verification and the restore command', async () => {
    fakeCore({ backup_status: () => status() });
    renderWithProviders(<BackupTab />);
    expect(await screen.findByTestId('backup-last')).toHaveTextContent('审计链完整（至第 120 条）');
    expect(screen.getByTestId('backup-verified-regdesk-20261206-100000')).toHaveTextContent('通过');
    expect(screen.getByText(/restore "\/media\/usb\/备份\/regdesk-20261206-100000"/)).toBeInTheDocument();
    expect(screen.getByText(/恢复前请先关闭本程序/)).toBeInTheDocument();
  });

  it('shows a failed backup and a folder that is not connected', async () => {
    fakeCore({
      backup_status: () =>
        status({
          last: record({ id: 'b2', ok: false, generation: '', message: '备份失败：备份目录“/media/usb/备份”不存在或未连接' }),
          folder_problem: '备份目录“/media/usb/备份”读不到：U 盘或网络共享是否已接上？',
          generations: [],
        }),
    });
    renderWithProviders(<BackupTab />);
    const last = await screen.findByTestId('backup-last');
    expect(last).toHaveTextContent('不存在或未连接');
    expect(last).toHaveTextContent('上一次校验通过的备份');
    expect(screen.getByTestId('backup-folder-problem')).toHaveTextContent('U 盘或网络共享是否已接上');
  });

  it('backs up now with progress, then lists the new generation', async () => {
    let release: (r: BackupRecord) => void = () => {};
    let made = false;
    const core = fakeCore({
      backup_status: () => (made ? status() : status({ last: null, last_ok: null, generations: [] })),
      run_backup: () =>
        new Promise<BackupRecord>((resolve) => {
          release = (r) => {
            made = true;
            resolve(r);
          };
        }),
    });
    const { user } = renderWithProviders(<BackupTab />);
    expect(await screen.findByTestId('backup-last')).toHaveTextContent('还没有做过备份');
    await user.click(screen.getByTestId('backup-now'));
    await waitFor(() => expect(core.callsTo('run_backup')).toHaveLength(1));
    await emit(BACKUP_PROGRESS, { stage: 'attachments', done: 3, total: 8 });
    expect(await screen.findByTestId('backup-progress')).toHaveTextContent('正在复制附件 3/8');
    release(record());
    expect(await screen.findByTestId('backup-verified-regdesk-20261206-100000')).toBeInTheDocument();
    expect(screen.queryByTestId('backup-progress')).toBeNull();
  });

  it('saves the settings against their version; a bad folder is named under its field', async () => {
    let refuse = true;
    const core = fakeCore({
      backup_status: () => status({ settings: { version: 3, folder: '', keep: 7, every_hours: 24 }, last: null, last_ok: null, generations: [] }),
      update_backup_settings: (args) => {
        const input = args?.input as BackupSettingsInput;
        if (refuse) throw apiError('validation', '请按提示修改', [{ field: 'folder', code: 'missing', message: '备份目录“/mnt/x”不存在或未连接' }]);
        return { ...input, version: 4 };
      },
    });
    const { user } = renderWithProviders(<BackupTab />);
    expect(await screen.findByText('尚未设置备份目录，不会自动备份。')).toBeInTheDocument();
    expect(screen.getByTestId('backup-now')).toBeDisabled();
    await fill(user, screen.getByTestId('backup-folder'), '/mnt/x');
    await user.click(screen.getByTestId('backup-save'));
    expect(await screen.findByText('备份目录“/mnt/x”不存在或未连接')).toBeInTheDocument();
    expect(screen.getByTestId('backup-folder')).toHaveValue('/mnt/x');
    refuse = false;
    await user.click(screen.getByTestId('backup-save'));
    await waitFor(() => expect(core.callsTo('update_backup_settings')).toHaveLength(2));
    expect(core.callsTo('update_backup_settings')[1].args?.input).toEqual({ version: 3, folder: '/mnt/x', keep: 7, every_hours: 24 });
  });
});
