import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DamagedDatabase } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { status } from '../test/fixtures';
import { fill, renderDesk } from '../test/render';

const DAMAGED = '数据库文件已损坏，不能继续使用（完整性检查发现 2 处问题：…）。请关闭本程序，用最近一次校验通过的备份恢复：regdesk restore 备份目录';

describe('a damaged database', () => {
  it('gets its own screen with the last verified backup and the exact restore command, not the sign-in', async () => {
    const info: DamagedDatabase = {
      message: '本工作站的数据库文件已损坏，程序已停止使用它。',
      detail: '完整性检查发现 2 处问题：Tree 7 page 7 cell 0: invalid page number',
      data_dir: '/home/x/.local/share/regdesk',
      last_backup: { path: '/media/usb/备份/regdesk-20261206-100000', made_at: '2026-12-06T02:00:00Z', journal_seq: 120 },
      restore_command: 'regdesk --data-dir "/home/x/.local/share/regdesk" restore "/media/usb/备份/regdesk-20261206-100000"',
    };
    fakeCore({
      app_status: () => {
        throw apiError('damaged', DAMAGED);
      },
      damaged_database: () => info,
    });
    renderDesk();
    expect(await screen.findByTestId('damaged-title')).toHaveTextContent('数据库已损坏');
    expect(await screen.findByTestId('damaged-command')).toHaveTextContent(info.restore_command!);
    expect(screen.getByTestId('damaged-last-backup')).toHaveTextContent('/media/usb/备份/regdesk-20261206-100000');
    expect(screen.getByTestId('damaged-detail')).toHaveTextContent('invalid page number');
    expect(screen.queryByRole('button', { name: /登\s*录/ })).toBeNull();
    expect(screen.queryByText('重试')).toBeNull();
  });

  it('without a recorded backup says how to find one, with the data directory', async () => {
    fakeCore({
      app_status: () => {
        throw apiError('damaged', DAMAGED);
      },
      damaged_database: () => ({
        message: '本工作站的数据库文件已损坏。',
        detail: 'file is not a database',
        data_dir: '/data/regdesk',
        last_backup: null,
        restore_command: null,
      }),
    });
    renderDesk();
    expect(await screen.findByText(/没有校验通过的备份记录/)).toBeInTheDocument();
    expect(screen.getByTestId('damaged-command')).toHaveTextContent('regdesk --data-dir "/data/regdesk" restore');
  });

  it('found after the desk opened (a large database is checked in the background): the next command switches to it', async () => {
    let found = false;
    fakeCore({
      app_status: () => {
        if (found) throw apiError('damaged', DAMAGED);
        return status();
      },
      login: () => {
        found = true;
        throw apiError('damaged', DAMAGED);
      },
      damaged_database: () =>
        found
          ? {
              message: '本工作站的数据库文件已损坏，程序已停止使用它。',
              detail: '完整性检查发现 1 处问题：Tree 9 page 12 cell 3: invalid page number',
              data_dir: '/data/regdesk',
              last_backup: null,
              restore_command: null,
            }
          : null,
    });
    const { user } = renderDesk();
    await screen.findByRole('heading', { name: '浙江省版权局' });
    await fill(user, document.getElementById('login_username') as HTMLInputElement, 'lisi');
    await fill(user, document.getElementById('login_password') as HTMLInputElement, 'Secret-2026');
    await user.click(screen.getByTestId('login-submit'));
    expect(await screen.findByTestId('damaged-title')).toHaveTextContent('数据库已损坏');
    expect(screen.getByTestId('damaged-detail')).toHaveTextContent('Tree 9 page 12');
    expect(screen.queryByTestId('login-submit')).toBeNull();
  });
});
