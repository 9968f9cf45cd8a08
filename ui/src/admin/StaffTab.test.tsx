import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { NewStaffInput, StaffView } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { ROLE_OPTIONS, staff } from '../test/fixtures';
import { fill, renderWithProviders } from '../test/render';
import { StaffTab } from './StaffTab';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

const PEOPLE: StaffView[] = [
  staff({ id: 's1', username: 'admin', display_name: '王管理', roles: ['admin'] }),
  staff({ id: 's2', username: 'lisi', display_name: '李四', roles: ['first_reviewer', 'final_reviewer'], disabled: true }),
  staff({ id: 's3', username: 'zhao', display_name: '赵六', roles: ['counter_clerk'], locked_until: '2999-01-01T09:45:00' }),
];

describe('staff admin', () => {
  it('lists the staff from list_staff with role labels and status', async () => {
    fakeCore({ list_staff: () => PEOPLE });
    renderWithProviders(<StaffTab roleOptions={ROLE_OPTIONS} passwordMinChars={8} />);
    const row = (await screen.findByText('李四')).closest('tr') as HTMLElement;
    expect(within(row).getByText('lisi')).toBeInTheDocument();
    expect(within(row).getByText('初审')).toBeInTheDocument();
    expect(within(row).getByText('终审')).toBeInTheDocument();
    expect(within(row).getByText('停用')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: '启用' })).toBeInTheDocument();
    const admin = screen.getByText('王管理').closest('tr') as HTMLElement;
    expect(within(admin).getByText('启用')).toBeInTheDocument();
    expect(within(admin).getByText('管理员')).toBeInTheDocument();
    const locked = screen.getByText('赵六').closest('tr') as HTMLElement;
    expect(within(locked).getByText('锁定至 09:45')).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(1 + PEOPLE.length);
  });

  it('adds a person with the chosen roles through add_staff', async () => {
    const added = staff({ id: 's9', username: 'qian', display_name: '钱七', roles: ['first_reviewer', 'certificate_desk'], must_change_password: true });
    const core = fakeCore({ list_staff: () => PEOPLE, add_staff: () => added });
    const { user } = renderWithProviders(<StaffTab roleOptions={ROLE_OPTIONS} passwordMinChars={8} />);
    await screen.findByText('李四');

    await user.click(screen.getByTestId('staff-add'));
    await screen.findByRole('dialog');
    expect(document.getElementById('staff_roles')).not.toBeNull();
    await fill(user, field('staff_username'), 'qian');
    await fill(user, field('staff_display_name'), '钱七');
    await user.click(screen.getByTestId('role-first_reviewer'));
    await user.click(screen.getByTestId('role-certificate_desk'));
    await fill(user, field('staff_password'), 'Start-2026');
    await user.click(screen.getByTestId('staff-submit'));

    await waitFor(() => expect(core.callsTo('add_staff')).toHaveLength(1));
    const input = core.callsTo('add_staff')[0].args?.input as NewStaffInput;
    expect(input).toEqual({ username: 'qian', display_name: '钱七', roles: ['first_reviewer', 'certificate_desk'], password: 'Start-2026' });
    const row = (await screen.findByText('钱七')).closest('tr') as HTMLElement;
    expect(within(row).getByText('制证发证')).toBeInTheDocument();
    expect(within(row).getByText('待改密码')).toBeInTheDocument();
  });

  it('a rejected add keeps the dialog and what was typed, with the field message under the field', async () => {
    fakeCore({
      list_staff: () => PEOPLE,
      add_staff: () => {
        throw apiError('validation', '请按提示修改标出的项目', [{ field: 'username', code: 'taken', message: '登录名 lisi 已被使用' }]);
      },
    });
    const { user } = renderWithProviders(<StaffTab roleOptions={ROLE_OPTIONS} passwordMinChars={8} />);
    await screen.findByText('李四');
    await user.click(screen.getByTestId('staff-add'));
    await fill(user, field('staff_username'), 'lisi');
    await fill(user, field('staff_display_name'), '李四二');
    await user.click(screen.getByTestId('role-finance'));
    await fill(user, field('staff_password'), 'Start-2026');
    await user.click(screen.getByTestId('staff-submit'));

    const item = await waitFor(() => {
      const el = field('staff_username').closest('.ant-form-item') as HTMLElement;
      expect(el).toHaveTextContent('登录名 lisi 已被使用');
      return el;
    });
    expect(item).toBeInTheDocument();
    expect(field('staff_username').value).toBe('lisi');
    expect(field('staff_display_name').value).toBe('李四二');
    expect(field('staff_password').value).toBe('Start-2026');
    expect(screen.getByTestId('role-finance')).toBeChecked();
    expect(screen.getByRole('dialog')).toBeVisible();
  });

  it('edits against the record version and offers to reload after a conflict, keeping the typed name', async () => {
    let version = 1;
    const core = fakeCore({
      list_staff: () => [staff({ id: 's2', username: 'lisi', display_name: '李四', roles: ['first_reviewer'], version })],
      update_staff: (args) => {
        const input = args?.input as { version: number; display_name: string };
        if (input.version !== version) throw apiError('conflict', '该记录已被他人修改，请重新载入');
        return staff({ id: 's2', username: 'lisi', display_name: input.display_name, roles: ['first_reviewer'], version: version + 1 });
      },
    });
    const { user } = renderWithProviders(<StaffTab roleOptions={ROLE_OPTIONS} passwordMinChars={8} />);
    await screen.findByText('李四');
    await user.click(screen.getByTestId('staff-edit-lisi'));
    version = 2; // someone else saved meanwhile
    await user.clear(field('staff_display_name'));
    await fill(user, field('staff_display_name'), '李四（初审）');
    await user.click(screen.getByTestId('staff-submit'));

    expect(await screen.findByText('该记录已被他人修改，请重新载入')).toBeInTheDocument();
    expect(field('staff_display_name').value).toBe('李四（初审）');
    await user.click(screen.getByTestId('conflict-reload'));
    await waitFor(() => expect(core.callsTo('list_staff')).toHaveLength(2));
    expect(field('staff_display_name').value).toBe('李四（初审）');
    await user.click(screen.getByTestId('staff-submit'));
    await waitFor(() => expect(core.callsTo('update_staff')).toHaveLength(2));
    expect(core.callsTo('update_staff')[1].args?.input).toEqual({ id: 's2', version: 2, display_name: '李四（初审）', roles: ['first_reviewer'] });
    expect(await screen.findByText('李四（初审）', { selector: 'td' })).toBeInTheDocument();
  });
});
