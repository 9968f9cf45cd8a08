import type { AppStatus, DeskOption, RoleOption, SessionView, StaffView } from '../api/bindings';

export const ROLE_OPTIONS: RoleOption[] = [
  { role: 'counter_clerk', label: '窗口受理' },
  { role: 'finance', label: '缴费核对' },
  { role: 'first_reviewer', label: '初审' },
  { role: 'final_reviewer', label: '终审' },
  { role: 'certificate_desk', label: '制证发证' },
  { role: 'admin', label: '管理员' },
  { role: 'supervisor', label: '主管' },
];

export const ALL_DESKS: DeskOption[] = [
  { desk: 'counter', label: '受理' },
  { desk: 'payments', label: '核款' },
  { desk: 'first_review', label: '初审' },
  { desk: 'final_review', label: '终审' },
  { desk: 'certificates', label: '制证发证' },
  { desk: 'reports', label: '统计' },
  { desk: 'admin', label: '管理' },
];

export function session(over: Partial<SessionView> = {}): SessionView {
  return {
    staff_id: 'st-admin',
    username: 'admin',
    display_name: '王管理',
    roles: ['admin'],
    desks: [{ desk: 'admin', label: '管理' }],
    locked: false,
    must_change_password: false,
    ...over,
  };
}

export function firstReviewer(over: Partial<SessionView> = {}): SessionView {
  return session({
    staff_id: 'st-li',
    username: 'lisi',
    display_name: '李四',
    roles: ['first_reviewer'],
    desks: [{ desk: 'first_review', label: '初审' }],
    ...over,
  });
}

export function status(over: Partial<AppStatus> = {}): AppStatus {
  return {
    setup_done: true,
    office: { name: '浙江省版权局', office_code: '330000', reg_prefix: '浙作登字', province_code: '33', province_name: '浙江省' },
    station_id: 'station-1',
    station_name: '受理窗口1',
    session: null,
    idle_lock_minutes: 10,
    pending_sync: 3,
    provinces: [
      { code: '11', name: '北京市' },
      { code: '32', name: '江苏省' },
      { code: '33', name: '浙江省' },
      { code: '34', name: '安徽省' },
    ],
    role_options: ROLE_OPTIONS,
    password_min_chars: 8,
    ...over,
  };
}

export function staff(over: Partial<StaffView> = {}): StaffView {
  return {
    id: 'st-x',
    username: 'x',
    display_name: 'X',
    roles: [],
    disabled: false,
    locked_until: null,
    must_change_password: false,
    version: 1,
    created_at: '2026-11-25T08:30:00+08:00',
    updated_at: '2026-11-25T08:30:00+08:00',
    ...over,
  };
}
