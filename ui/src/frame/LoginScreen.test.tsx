import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LoginInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { ALL_DESKS, firstReviewer, session, status } from '../test/fixtures';
import { fill, renderDesk } from '../test/render';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

describe('sign-in', () => {
  it('shows the office and station, and a wrong password shows the core message and keeps the login name', async () => {
    const core = fakeCore({
      app_status: () => status(),
      login: () => {
        throw apiError('auth', '登录名或密码不正确');
      },
    });
    const { user } = renderDesk();
    expect(await screen.findByRole('heading', { name: '浙江省版权局' })).toBeInTheDocument();
    expect(screen.getByText('工作站：受理窗口1')).toBeInTheDocument();
    expect(field('login_username')).toHaveFocus();

    await fill(user, field('login_username'), 'lisi');
    await fill(user, field('login_password'), 'wrong-password');
    await user.click(screen.getByTestId('login-submit'));

    const alert = await screen.findByTestId('login-error');
    expect(alert).toHaveTextContent('登录名或密码不正确');
    expect(field('login_username').value).toBe('lisi');
    expect(field('login_password').value).toBe('wrong-password');
    expect(core.callsTo('login')[0].args).toEqual({ input: { username: 'lisi', password: 'wrong-password' } });
    expect(screen.queryByTestId('current-user')).toBeNull();
  });

  it('Enter in the login name moves on, Enter in the password signs in; a first reviewer sees only 初审', async () => {
    const core = fakeCore({
      app_status: () => status(),
      login: () => firstReviewer(),
    });
    const { user } = renderDesk();
    await screen.findByRole('heading', { name: '浙江省版权局' });
    await user.type(field('login_username'), 'lisi{Enter}');
    expect(field('login_password')).toHaveFocus();
    await user.type(field('login_password'), 'Secret-2026{Enter}');

    await waitFor(() => expect(core.callsTo('login')).toHaveLength(1));
    expect((core.callsTo('login')[0].args?.input as LoginInput).username).toBe('lisi');

    const me = await screen.findByTestId('current-user');
    expect(me).toHaveTextContent('李四');
    expect(me).toHaveTextContent('初审');
    const menu = screen.getByRole('menu');
    const items = within(menu).getAllByRole('menuitem');
    expect(items).toHaveLength(1);
    expect(screen.getByTestId('menu-first_review')).toHaveTextContent('初审');
    for (const d of ALL_DESKS.filter((x) => x.desk !== 'first_review')) {
      expect(screen.queryByTestId(`menu-${d.desk}`)).toBeNull();
    }
    expect(screen.getByTestId('desk-title')).toHaveTextContent('初审');
    expect(await screen.findByTestId('sync-state')).toHaveTextContent('单机');
    // the queue is real and empty for now
    expect(await screen.findByText('暂无待初审作品')).toBeInTheDocument();
    expect(core.callsTo('list_queue')[0].args).toEqual({ input: { queue: 'first_review', page: 1, page_size: 20 } });
  });

  it('shows the desks in the order the core gives and switches between them', async () => {
    const desks = [ALL_DESKS[2], ALL_DESKS[0], ALL_DESKS[6]];
    fakeCore({
      app_status: () => status({ session: session({ roles: ['first_reviewer', 'counter_clerk', 'admin'], desks }) }),
      list_staff: () => [],
    });
    const { user } = renderDesk();
    await screen.findByTestId('current-user');
    const items = within(screen.getByRole('menu')).getAllByRole('menuitem');
    expect(items.map((i) => i.getAttribute('data-testid'))).toEqual(['menu-first_review', 'menu-counter', 'menu-admin']);
    await user.click(screen.getByTestId('menu-counter'));
    expect(screen.getByTestId('desk-title')).toHaveTextContent('受理');
    expect(await screen.findByText('暂无暂存作品')).toBeInTheDocument();
  });

  it('a session that must change its password gets a dialog that cannot be dismissed', async () => {
    const core = fakeCore({
      app_status: () => status(),
      login: () => firstReviewer({ must_change_password: true }),
      change_password: () => null,
    });
    const { user } = renderDesk();
    await screen.findByRole('heading', { name: '浙江省版权局' });
    await fill(user, field('login_username'), 'lisi');
    await fill(user, field('login_password'), 'Reset-2026');
    await user.click(screen.getByTestId('login-submit'));

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('修改密码', { selector: '.ant-modal-title' })).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: /close|关闭/i })).toBeNull();
    await user.keyboard('{Escape}');
    expect(screen.getByRole('dialog')).toBeVisible();

    await fill(user, field('password_old_password'), 'Reset-2026');
    await fill(user, field('password_new_password'), 'Mine-2026-x');
    await fill(user, field('password_new_password_confirm'), 'Mine-2026-x');
    await user.click(screen.getByTestId('password-submit'));
    await waitFor(() => expect(core.callsTo('change_password')).toHaveLength(1));
    expect(core.callsTo('change_password')[0].args).toEqual({
      input: { old_password: 'Reset-2026', new_password: 'Mine-2026-x' },
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
