import type { ApplicantView, AppStatus, DeskOption, FilePurpose, IdCheckView, Role, RoleOption, SessionView, StaffView } from '../api/bindings';

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

/** The purposes each role may attach files for, as the core says it (staff::FilePurpose::roles). */
const ATTACHES: Partial<Record<Role, FilePurpose[]>> = {
  counter_clerk: ['sample', 'identity_proof', 'signed_form'],
  finance: ['receipt'],
  certificate_desk: ['loss_statement', 'power_of_attorney'],
};

export function session(over: Partial<SessionView> = {}): SessionView {
  const roles = over.roles ?? ['admin'];
  return {
    staff_id: 'st-admin',
    username: 'admin',
    display_name: '王管理',
    roles,
    desks: [{ desk: 'admin', label: '管理' }],
    locked: false,
    must_change_password: false,
    // as the core says it: only an admin may change an applicant's category
    may_change_applicant_category: roles.includes('admin'),
    attachable: roles.flatMap((r) => ATTACHES[r] ?? []),
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
    office_utc_offset_hours: 8,
    station_office_name: null,
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

/** A profile as lists and `applicant` return it: number and address masked. */
export function maskedApplicant(over: Partial<ApplicantView> = {}): ApplicantView {
  return applicant({ id_number: '330106********1234', postal_address: '浙江省杭州市******', revealed: false, ...over });
}

export function applicant(over: Partial<ApplicantView> = {}): ApplicantView {
  return {
    id: 'ap-1',
    category: 'individual',
    category_label: '个人',
    name: '张三',
    id_type: 'resident_id',
    id_type_label: '居民身份证',
    id_number: '330106199001011234',
    id_number_masked: '330106********1234',
    pen_name: null,
    handler_name: '张三',
    handler_mobile: '13800138000',
    region: '浙江省杭州市',
    invoice_email: 'zhangsan@example.com',
    recipient_name: '张三',
    recipient_phone: '13800138000',
    postal_address: '浙江省杭州市西湖区文三路 1 号',
    // as `reveal_applicant` and the counter's own save return it; lists mask (see `maskedApplicant`)
    revealed: true,
    version: 1,
    created_at: '2026-11-25T08:30:00+08:00',
    updated_at: '2026-11-25T08:30:00+08:00',
    ...over,
  };
}

/** A check_id answer for an invalid number. */
export function idInvalid(message: string, over: Partial<IdCheckView> = {}): IdCheckView {
  return {
    doc_type: 'resident_id',
    doc_type_label: '居民身份证',
    valid: false,
    error: { field: 'id_number', code: 'checksum', message },
    document: null,
    age: null,
    sex_label: null,
    region_text: null,
    warnings: [],
    consequences: [],
    known_applicant: null,
    ...over,
  };
}

/** A check_id answer for a valid resident ID of a minor from outside Zhejiang. */
export function idValid(number: string, over: Partial<IdCheckView> = {}): IdCheckView {
  return {
    doc_type: 'resident_id',
    doc_type_label: '居民身份证',
    valid: true,
    error: null,
    document: {
      doc_type: 'resident_id',
      number,
      person: {
        birth_date: '2010-03-07',
        sex: 'female',
        region: { code: '320102', province: '江苏省', city: '南京市', county: '玄武区', known: true, historic: false },
      },
      organisation: null,
      warnings: [],
    },
    age: 16,
    sex_label: '女',
    region_text: '江苏省 南京市 玄武区',
    warnings: [],
    consequences: [
      { code: 'id_scan_required', message: '需上传身份证件正反面扫描件' },
      { code: 'guardian_required', message: '未满 18 周岁：需填写监护人并上传监护人身份证及户口簿页' },
      { code: 'residence_proof_required', message: '证件地区不在浙江省：需上传近期在浙江省工作、学习或居住的证明' },
    ],
    known_applicant: null,
    ...over,
  };
}
