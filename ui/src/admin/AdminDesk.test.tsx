import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BatchSigningSettingInput, NumberLeaseSettingsInput, SettingsView, UpdateSettingsInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { session, status } from '../test/fixtures';
import { fill, renderDesk } from '../test/render';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;

describe('admin desk', () => {
  it('saves the settings against their version, with the fee in fen', async () => {
    const current: SettingsView = {
      version: 4,
      idle_lock_minutes: 10,
      review_working_days: 30,
      correction_notice_days: 7,
      correction_period_days: 30,
      fee_per_work_fen: 15000,
      batch_signing_form: false,
      number_lease_size: 20,
      number_refill_at: 5,
    };
    const core = fakeCore({
      app_status: () => status({ session: session() }),
      list_staff: () => [],
      settings: () => current,
      key_location: () => '操作系统的密钥库（Linux 为 Secret Service，Windows 为凭据管理器）',
      update_settings: (args) => {
        const input = args?.input as UpdateSettingsInput;
        if (input.idle_lock_minutes > 120 || input.fee_per_work_fen < 0) {
          throw apiError('validation', '请按提示修改标出的项目', [
            ...(input.idle_lock_minutes > 120
              ? [{ field: 'idle_lock_minutes', code: 'range', message: '空闲锁屏应在 1 到 120 分钟之间' }]
              : []),
          ]);
        }
        return { ...input, version: 5, idle_lock_minutes: Number(input.idle_lock_minutes) };
      },
    });
    const { user } = renderDesk();
    await user.click(await screen.findByTestId('admin-tab-settings'));
    await waitFor(() => expect(field('settings_idle_lock_minutes').value).toBe('10'));
    // Where the encryption key is kept, and how to export it.
    const note = await screen.findByTestId('settings-key-note');
    expect(note.textContent).toContain('密钥保存在：操作系统的密钥库');
    expect(note.textContent).toContain('regdesk key export');

    await user.clear(field('settings_idle_lock_minutes'));
    await fill(user, field('settings_idle_lock_minutes'), '500');
    await user.click(screen.getByTestId('settings-save'));
    const item = () => field('settings_idle_lock_minutes').closest('.ant-form-item') as HTMLElement;
    await waitFor(() => expect(item()).toHaveTextContent('空闲锁屏应在 1 到 120 分钟之间'));
    expect(field('settings_idle_lock_minutes').value).toBe('500');

    await user.clear(field('settings_idle_lock_minutes'));
    await fill(user, field('settings_idle_lock_minutes'), '15');
    await user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(core.callsTo('update_settings')).toHaveLength(2));
    expect(core.callsTo('update_settings')[1].args).toEqual({
      input: {
        version: 4,
        idle_lock_minutes: 15,
        review_working_days: 30,
        correction_notice_days: 7,
        correction_period_days: 30,
        fee_per_work_fen: 15000,
      },
    });

    // The fee is typed in yuan and crosses as integer fen.
    await user.clear(field('settings_fee_yuan'));
    await fill(user, field('settings_fee_yuan'), '120.5');
    await user.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(core.callsTo('update_settings')).toHaveLength(3));
    expect((core.callsTo('update_settings')[2].args?.input as UpdateSettingsInput).fee_per_work_fen).toBe(12050);
  });

  it('turns 一人一表 on by its own command, against the settings’ version, and shows what the core says', async () => {
    let current: SettingsView = {
      version: 4,
      idle_lock_minutes: 10,
      review_working_days: 30,
      correction_notice_days: 7,
      correction_period_days: 30,
      fee_per_work_fen: 15000,
      batch_signing_form: false,
      number_lease_size: 20,
      number_refill_at: 5,
    };
    const core = fakeCore({
      app_status: () => status({ session: session() }),
      list_staff: () => [],
      settings: () => current,
      key_location: () => '密钥库',
      set_batch_signing_form: (args) => {
        const input = args?.input as BatchSigningSettingInput;
        current = { ...current, version: current.version + 1, batch_signing_form: input.allowed };
        return input.allowed;
      },
    });
    const { user } = renderDesk();
    await user.click(await screen.findByTestId('admin-tab-settings'));
    const sw = await screen.findByTestId('settings-batch-signing');
    expect(sw).not.toBeChecked();
    await user.click(sw);
    await waitFor(() => expect(core.callsTo('set_batch_signing_form')).toHaveLength(1));
    expect(core.callsTo('set_batch_signing_form')[0].args).toEqual({ input: { version: 4, allowed: true } });
    await waitFor(() => expect(screen.getByTestId('settings-batch-signing')).toBeChecked());
  });

  it('sets the number lease size and refill threshold by their own command and shows the core’s refusal', async () => {
    let current: SettingsView = {
      version: 4,
      idle_lock_minutes: 10,
      review_working_days: 30,
      correction_notice_days: 7,
      correction_period_days: 30,
      fee_per_work_fen: 15000,
      batch_signing_form: false,
      number_lease_size: 20,
      number_refill_at: 5,
    };
    const core = fakeCore({
      app_status: () => status({ session: session() }),
      list_staff: () => [],
      settings: () => current,
      key_location: () => '密钥库',
      set_number_leases: (args) => {
        const input = args?.input as NumberLeaseSettingsInput;
        if (input.refill_at >= input.lease_size) {
          throw apiError('validation', '请按提示修改标出的项目', [
            { field: 'refill_at', code: 'too_large', message: `续租线（剩余 ${input.refill_at} 个时续租）应小于每次租用的号码数 ${input.lease_size}，请改小` },
          ]);
        }
        current = { ...current, version: current.version + 1, number_lease_size: input.lease_size, number_refill_at: input.refill_at };
        return current;
      },
    });
    const { user } = renderDesk();
    await user.click(await screen.findByTestId('admin-tab-settings'));
    const size = (await screen.findByTestId('settings-lease-size')) as HTMLInputElement;
    const refill = screen.getByTestId('settings-refill-at') as HTMLInputElement;
    await waitFor(() => expect(size.value).toBe('20'));
    expect(refill.value).toBe('5');
    await user.clear(size);
    await user.type(size, '4');
    await user.clear(refill);
    await user.type(refill, '4');
    await user.click(screen.getByTestId('settings-leases-save'));
    expect(await screen.findByTestId('settings-leases-error')).toHaveTextContent('续租线（剩余 4 个时续租）应小于每次租用的号码数 4');
    await user.clear(refill);
    await user.type(refill, '1');
    await user.click(screen.getByTestId('settings-leases-save'));
    await waitFor(() => expect(core.callsTo('set_number_leases')).toHaveLength(2));
    expect(core.callsTo('set_number_leases')[1].args).toEqual({ input: { version: 4, lease_size: 4, refill_at: 1 } });
    await waitFor(() => expect(screen.queryByTestId('settings-leases-error')).toBeNull());
    expect(size.value).toBe('4');
  });

  it('lists recent audit entries and shows the chain check as an Alert', async () => {
    const core = fakeCore({
      app_status: () => status({ session: session() }),
      list_staff: () => [],
      recent_audit: () => [
        { seq: 2, at: '2026-11-25T09:30:12+08:00', staff_name: '王管理', command: 'add_staff', entity: 'staff', entity_id: 's9' },
        { seq: 1, at: '2026-11-25T09:00:00+08:00', staff_name: null, command: 'setup_office', entity: 'office', entity_id: '330000' },
      ],
      verify_audit: () => ({
        entries: 2,
        ok: false,
        first_broken: null,
        message: '案件 ZJ-7K2M-20261125-0001 的 state 与审计记录不符（在本程序之外被改动）（共 2 处问题）',
        rows_checked: 40,
        problems: [
          {
            kind: 'row_changed',
            table: 'cases',
            record: 'ZJ-7K2M-20261125-0001',
            columns: ['state'],
            seq: null,
            message: '案件 ZJ-7K2M-20261125-0001 的 state 与审计记录不符（在本程序之外被改动）',
          },
        ],
        problems_total: 2,
        anchored_seq: 2,
      }),
    });
    const { user } = renderDesk();
    await user.click(await screen.findByTestId('admin-tab-audit'));
    expect(await screen.findByText('add_staff')).toBeInTheDocument();
    expect(screen.getByText('系统')).toBeInTheDocument();
    expect(core.callsTo('recent_audit')[0].args).toEqual({ input: { limit: 200 } });
    await user.click(screen.getByTestId('audit-verify'));
    const result = await screen.findByTestId('audit-result');
    expect(result).toHaveTextContent('共 2 处问题');
    expect(result.className).toContain('ant-alert-error');
    // Each problem on its own line, naming the case and the field.
    const problems = within(screen.getByTestId('audit-problems')).getAllByRole('listitem');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toHaveTextContent('案件 ZJ-7K2M-20261125-0001 的 state 与审计记录不符');
    expect(result).toHaveTextContent('另有 1 处问题未列出');
    expect(result).toHaveTextContent('签名锚点记到第 2 条');
  });
});

describe('large-text mode', () => {
  it('is a workstation preference kept in localStorage', async () => {
    fakeCore({ app_status: () => status({ session: session() }), list_staff: () => [] });
    const { user, unmount } = renderDesk();
    const sw = await screen.findByTestId('large-text');
    expect(sw).not.toBeChecked();
    await user.click(sw);
    expect(window.localStorage.getItem('regdesk.largeText')).toBe('1');
    expect(document.querySelector('.app.large-text')).not.toBeNull();
    unmount();
    renderDesk();
    expect(await screen.findByTestId('large-text')).toBeChecked();
  });
});
