import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { UpdateSettingsInput } from './bindings';
import { api, onChanged, onSessionError, toApiError } from './client';

const settings = (version: number, idle: number): UpdateSettingsInput => ({
  version,
  idle_lock_minutes: idle,
  review_working_days: 30,
  correction_notice_days: 7,
  correction_period_days: 30,
  fee_per_work_fen: 15000,
});

afterEach(() => clearMocks());

describe('the command client', () => {
  it('announces changes after state-changing commands only', async () => {
    mockIPC((cmd) => (cmd === 'list_staff' ? [] : { version: 2, idle_lock_minutes: 3 }));
    const changed = vi.fn();
    const off = onChanged(changed);
    await api.listStaff();
    expect(changed).not.toHaveBeenCalled();
    await api.updateSettings(settings(1, 3));
    expect(changed).toHaveBeenCalledTimes(1);
    off();
    await api.updateSettings(settings(2, 4));
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('treats the applicant look-ups and the ID check as reads', async () => {
    mockIPC((cmd) => (cmd === 'find_applicants' ? [] : {}));
    const changed = vi.fn();
    const off = onChanged(changed);
    await api.checkId({ doc_type: null, number: '330106199001011234' });
    await api.findApplicants({ query: '张', limit: 20 });
    await api.applicant('ap-1');
    expect(changed).not.toHaveBeenCalled();
    await api.createApplicant({
      category: 'individual',
      name: '张三',
      id_type: 'resident_id',
      id_number: '330106199001011234',
      pen_name: '',
      handler_name: '张三',
      handler_mobile: '13800138000',
      region: '',
      invoice_email: 'a@example.com',
      recipient_name: '张三',
      recipient_phone: '13800138000',
      postal_address: '杭州',
    });
    expect(changed).toHaveBeenCalledTimes(1);
    off();
  });

  it('rejects with the core ApiError and tells the shell about a lost session', async () => {
    mockIPC(() => {
      throw { kind: 'not_signed_in', message: '请先登录', fields: [] };
    });
    const lost = vi.fn();
    const changed = vi.fn();
    const off = onSessionError(lost);
    const offChanged = onChanged(changed);
    await expect(api.addStaff({ username: 'a', display_name: 'b', roles: [], password: 'c' })).rejects.toEqual({
      kind: 'not_signed_in',
      message: '请先登录',
      fields: [],
    });
    expect(lost).toHaveBeenCalledWith('not_signed_in');
    expect(changed).not.toHaveBeenCalled();
    off();
    offChanged();
  });

  it('turns anything else into a storage error with its text', () => {
    expect(toApiError('磁盘已满')).toEqual({ kind: 'storage', message: '磁盘已满', fields: [] });
    expect(toApiError(new Error('boom')).kind).toBe('storage');
  });
});
