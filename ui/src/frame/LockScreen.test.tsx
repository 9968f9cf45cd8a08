import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, fakeCore } from '../test/backend';
import { session, status, staff } from '../test/fixtures';
import { fill, renderDesk, renderWithProviders } from '../test/render';
import { LockScreen } from './LockScreen';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

describe('lock screen', () => {
  it('shows the person and keeps a wrong password message visible', async () => {
    fakeCore({
      unlock_session: () => {
        throw apiError('auth', '密码不正确');
      },
    });
    let unlocked = false;
    const { user } = renderWithProviders(
      <LockScreen session={session({ locked: true })} onUnlocked={() => (unlocked = true)} onLogout={() => undefined} />,
    );
    expect(screen.getByTestId('lock-screen')).toHaveTextContent('已锁屏');
    expect(screen.getByTestId('lock-screen')).toHaveTextContent('王管理');
    await fill(user, field('unlock_password'), 'nope');
    await user.click(screen.getByTestId('unlock-submit'));
    expect(await screen.findByTestId('unlock-error')).toHaveTextContent('密码不正确');
    expect(field('unlock_password').value).toBe('nope');
    expect(unlocked).toBe(false);
  });

  it('locks with the button, over content that stays mounted, and unlocks with the password', async () => {
    const core = fakeCore({
      app_status: () => status({ session: session() }),
      list_staff: () => [staff({ id: 's1', username: 'admin', display_name: '王管理', roles: ['admin'] })],
      unlock_session: (args) => {
        const { password } = args?.input as { password: string };
        if (password !== 'Secret-2026') throw apiError('auth', '密码不正确');
        return session();
      },
    });
    const { user } = renderDesk();
    await screen.findByText('admin', { selector: 'td' });
    // half-typed work in the add-staff dialog
    await user.click(screen.getByTestId('staff-add'));
    await fill(user, field('staff_username'), 'qian');
    await fill(user, field('staff_display_name'), '钱七');

    await user.click(screen.getByTestId('lock-button'));
    expect(await screen.findByTestId('lock-screen')).toBeInTheDocument();
    expect(core.callsTo('lock_session')).toHaveLength(1);
    expect(screen.getByTestId('lock-screen')).toHaveTextContent('王管理');

    await fill(user, field('unlock_password'), 'wrong');
    await user.click(screen.getByTestId('unlock-submit'));
    expect(await screen.findByTestId('unlock-error')).toHaveTextContent('密码不正确');
    expect(screen.getByTestId('lock-screen')).toBeInTheDocument();

    await user.clear(field('unlock_password'));
    await fill(user, field('unlock_password'), 'Secret-2026');
    await user.click(screen.getByTestId('unlock-submit'));
    await waitFor(() => expect(screen.queryByTestId('lock-screen')).toBeNull());
    expect(core.callsTo('unlock_session').slice(-1)[0]?.args).toEqual({ input: { password: 'Secret-2026' } });

    // nothing typed underneath was lost
    expect(field('staff_username').value).toBe('qian');
    expect(field('staff_display_name').value).toBe('钱七');
    expect(screen.getByTestId('current-user')).toHaveTextContent('王管理');
  });

  it('appears when the core answers a call with session_locked, and 退出登录 returns to sign-in', async () => {
    const core = fakeCore({
      app_status: () => status({ session: session() }),
      list_staff: () => {
        throw apiError('session_locked', '工作站已锁定');
      },
    });
    const { user } = renderDesk();
    expect(await screen.findByTestId('lock-screen')).toBeInTheDocument();
    await user.click(screen.getByTestId('lock-logout'));
    expect(await screen.findByTestId('login-submit')).toBeInTheDocument();
    expect(core.callsTo('logout')).toHaveLength(1);
  });

  it('a not_signed_in answer goes back to the sign-in screen', async () => {
    fakeCore({
      app_status: () => status({ session: session() }),
      list_staff: () => {
        throw apiError('not_signed_in', '请先登录');
      },
    });
    renderDesk();
    expect(await screen.findByTestId('login-submit')).toBeInTheDocument();
    expect(screen.queryByTestId('current-user')).toBeNull();
  });
});
