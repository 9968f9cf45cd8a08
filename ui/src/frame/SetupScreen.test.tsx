import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SetupInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { session, status } from '../test/fixtures';
import { fill, renderDesk } from '../test/render';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

async function fillSetup(user: ReturnType<typeof renderDesk>['user']) {
  await fill(user, field('setup_office_name'), '浙江省版权局');
  await fill(user, field('setup_office_office_code'), '330000');
  await fill(user, field('setup_station_name'), '受理窗口1');
  await fill(user, field('setup_admin_username'), 'admin');
  await fill(user, field('setup_admin_display_name'), '王管理');
  await fill(user, field('setup_admin_password'), 'Secret-2026');
  await fill(user, field('setup_admin_password_confirm'), 'Secret-2026');
}

describe('first start', () => {
  it('shows the setup form with the defaults when no office exists', async () => {
    fakeCore({ app_status: () => status({ setup_done: false, office: null }) });
    renderDesk();
    expect(await screen.findByText('首次启动：建立登记机构')).toBeInTheDocument();
    for (const id of [
      'setup_office_name',
      'setup_office_office_code',
      'setup_office_reg_prefix',
      'setup_office_province_code',
      'setup_station_name',
      'setup_admin_username',
      'setup_admin_display_name',
      'setup_admin_password',
      'setup_admin_password_confirm',
    ]) {
      expect(document.getElementById(id), id).not.toBeNull();
    }
    expect(field('setup_office_reg_prefix').value).toBe('浙作登字');
    // the province select shows 33 浙江省 without being opened
    expect(screen.getByTitle('33 浙江省')).toBeInTheDocument();
    expect(field('setup_office_name')).toHaveFocus();
  });

  it('sends the typed values as one nested input and opens the frame', async () => {
    let office = false;
    const core = fakeCore({
      app_status: () =>
        office ? status({ session: session() }) : status({ setup_done: false, office: null }),
      setup_office: () => {
        office = true;
        return session();
      },
    });
    const { user } = renderDesk();
    await screen.findByText('首次启动：建立登记机构');
    await fillSetup(user);
    await user.click(screen.getByTestId('setup-submit'));

    await waitFor(() => expect(core.callsTo('setup_office')).toHaveLength(1));
    const input = core.callsTo('setup_office')[0].args?.input as SetupInput;
    expect(input).toEqual({
      office: { name: '浙江省版权局', office_code: '330000', reg_prefix: '浙作登字', province_code: '33' },
      station_name: '受理窗口1',
      admin: { username: 'admin', display_name: '王管理', roles: ['admin'], password: 'Secret-2026' },
    });
    expect(await screen.findByTestId('current-user')).toHaveTextContent('王管理');
    expect(screen.getByTestId('desk-title')).toHaveTextContent('管理');
  });

  it('does not call the core when the two passwords differ', async () => {
    const core = fakeCore({ app_status: () => status({ setup_done: false, office: null }) });
    const { user } = renderDesk();
    await screen.findByText('首次启动：建立登记机构');
    await fillSetup(user);
    await fill(user, field('setup_admin_password_confirm'), 'x');
    await user.click(screen.getByTestId('setup-submit'));
    expect(await screen.findByText('两次输入的密码不一致')).toBeInTheDocument();
    expect(core.callsTo('setup_office')).toHaveLength(0);
  });

  it('shows each field error of the core under its field and keeps every typed value', async () => {
    fakeCore({
      app_status: () => status({ setup_done: false, office: null }),
      setup_office: () => {
        throw apiError('validation', '请按提示修改标出的项目', [
          { field: 'office.office_code', code: 'format', message: '机构代码应为 6 位数字' },
          { field: 'admin.password', code: 'too_short', message: '密码至少 8 个字符' },
        ]);
      },
    });
    const { user } = renderDesk();
    await screen.findByText('首次启动：建立登记机构');
    await fillSetup(user);
    await user.click(screen.getByTestId('setup-submit'));

    expect(await screen.findByText('机构代码应为 6 位数字')).toBeInTheDocument();
    expect(screen.getByText('密码至少 8 个字符')).toBeInTheDocument();
    expect(screen.getByTestId('setup-error')).toHaveTextContent('请按提示修改标出的项目');
    // each message sits in its own field's Form.Item
    const codeItem = field('setup_office_office_code').closest('.ant-form-item') as HTMLElement;
    expect(codeItem).toHaveTextContent('机构代码应为 6 位数字');
    const pwItem = field('setup_admin_password').closest('.ant-form-item') as HTMLElement;
    expect(pwItem).toHaveTextContent('密码至少 8 个字符');

    expect(field('setup_office_name').value).toBe('浙江省版权局');
    expect(field('setup_office_office_code').value).toBe('330000');
    expect(field('setup_office_reg_prefix').value).toBe('浙作登字');
    expect(field('setup_station_name').value).toBe('受理窗口1');
    expect(field('setup_admin_username').value).toBe('admin');
    expect(field('setup_admin_display_name').value).toBe('王管理');
    expect(field('setup_admin_password').value).toBe('Secret-2026');
    expect(field('setup_admin_password_confirm').value).toBe('Secret-2026');
    expect(screen.getByTitle('33 浙江省')).toBeInTheDocument();
  });
});
