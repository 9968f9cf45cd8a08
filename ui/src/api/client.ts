// Typed wrappers around the Rust commands. Every command with an input takes
// exactly one argument named `input`; failures reject with an ApiError.
import { invoke } from '@tauri-apps/api/core';
import { READ_COMMANDS, type Command } from './commands';
import type { BatchSigningSettingInput, NumberLeaseSettingsInput, CaseKey, AccessLogEntry, AccessLogInput, BackupRecord, BackupSettingsInput, BackupSettingsView, BackupStatus, DamagedDatabase, CaseSearchInput, CaseSearchResult, AddProofInput, IdentityProofView, ApplicantInput, ApplicantView, ChangeCategoryInput, FindApplicantsInput, IdCheckInput, IdCheckView, IdInput, UpdateApplicantInput, DeskInput, ApiError, AppStatus, AuditEntryView, AuditReport, CasePage, ChangePasswordInput, Desk, DeskOverview, ErrorKind, LoginInput, NewStaffInput, QueueInput, RecentAuditInput, ResetPasswordInput, SessionView, SetDisabledInput, SettingsView, SetupInput, StaffView, UnlockInput, UpdateSettingsInput, UpdateStaffInput } from './bindings';

const KINDS: ReadonlyArray<ErrorKind> = [
  'validation',
  'conflict',
  'permission',
  'auth',
  'not_signed_in',
  'session_locked',
  'not_found',
  'refused',
  'storage',
  'damaged',
];

export function isApiError(e: unknown): e is ApiError {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.kind === 'string' && (KINDS as ReadonlyArray<string>).includes(o.kind) && typeof o.message === 'string';
}

/** Turns whatever a rejected invoke gave into an ApiError (fields always an array). */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) {
    return { kind: e.kind, message: e.message, fields: Array.isArray(e.fields) ? e.fields : [] };
  }
  const message = typeof e === 'string' ? e : e instanceof Error ? e.message : String(e);
  return { kind: 'storage', message, fields: [] };
}

type SessionListener = (kind: 'not_signed_in' | 'session_locked') => void;
const listeners = new Set<SessionListener>();

/** The app shell listens here: a call that finds no session or a locked one switches the screen. */
export function onSessionError(l: SessionListener): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}

const damagedListeners = new Set<(err: ApiError) => void>();

/**
 * The app shell listens here: a large database is checked after the desk
 * opened, and once it is found damaged every command answers `damaged`; the
 * screen switches to the way back.
 */
export function onDamaged(l: (err: ApiError) => void): () => void {
  damagedListeners.add(l);
  return () => {
    damagedListeners.delete(l);
  };
}

/** Commands that only read (from the shell's one list); every other command may add journal entries. */
const READS: ReadonlySet<Command> = new Set<Command>(READ_COMMANDS);const changeListeners = new Set<() => void>();

/** Called after every successful command that may have changed data (the header's pending-sync count follows it). */
export function onChanged(l: () => void): () => void {
  changeListeners.add(l);
  return () => {
    changeListeners.delete(l);
  };
}

export async function call<T>(cmd: Command, args?: Record<string, unknown>): Promise<T> {
  try {
    const result = await invoke<T>(cmd, args);
    if (!READS.has(cmd)) changeListeners.forEach((l) => l());
    return result;
  } catch (raw) {
    const err = toApiError(raw);
    if (err.kind === 'not_signed_in' || err.kind === 'session_locked') {
      const kind = err.kind;
      listeners.forEach((l) => l(kind));
    }
    if (err.kind === 'damaged') {
      damagedListeners.forEach((l) => l(err));
    }
    throw err;
  }
}

export const api = {
  appStatus: () => call<AppStatus>('app_status'),
  setupOffice: (input: SetupInput) => call<SessionView>('setup_office', { input }),
  login: (input: LoginInput) => call<SessionView>('login', { input }),
  logout: () => call<null>('logout'),
  lockSession: () => call<null>('lock_session'),
  unlockSession: (input: UnlockInput) => call<SessionView>('unlock_session', { input }),
  changePassword: (input: ChangePasswordInput) => call<null>('change_password', { input }),
  listStaff: () => call<StaffView[]>('list_staff'),
  addStaff: (input: NewStaffInput) => call<StaffView>('add_staff', { input }),
  updateStaff: (input: UpdateStaffInput) => call<StaffView>('update_staff', { input }),
  setStaffDisabled: (input: SetDisabledInput) => call<StaffView>('set_staff_disabled', { input }),
  resetPassword: (input: ResetPasswordInput) => call<StaffView>('reset_password', { input }),
  settings: () => call<SettingsView>('settings'),
  keyLocation: () => call<string>('key_location'),
  updateSettings: (input: UpdateSettingsInput) => call<SettingsView>('update_settings', { input }),
  /** 一人一表 on or off (admin); the settings' version moves on. */
  setBatchSigningForm: (input: BatchSigningSettingInput) => call<boolean>('set_batch_signing_form', { input }),
  setNumberLeases: (input: NumberLeaseSettingsInput) => call<SettingsView>('set_number_leases', { input }),
  deskOverview: (desk: Desk) => call<DeskOverview>('desk_overview', { input: { desk } satisfies DeskInput }),
  listQueue: (input: QueueInput) => call<CasePage>('list_queue', { input }),
  /** 顶栏查找（Ctrl+K）: every queue, the desks that work each case. */
  searchCases: (input: CaseSearchInput) => call<CaseSearchResult>('search_cases', { input }),
  /** 受理通知书 of an accepted case (PDF written, opened); the path. */
  printAcceptanceNotice: (serial: string) => call<string>('print_acceptance_notice', { input: { key: serial } satisfies CaseKey }),
  verifyAudit: () => call<AuditReport>('verify_audit'),
  /** 管理 → 备份. */
  backupStatus: () => call<BackupStatus>('backup_status'),
  updateBackupSettings: (input: BackupSettingsInput) => call<BackupSettingsView>('update_backup_settings', { input }),
  /** 立即备份: progress arrives as `backup-progress` events. */
  runBackup: () => call<BackupRecord>('run_backup'),
  /** When the database is damaged: what happened and the way back. */
  damagedDatabase: () => call<DamagedDatabase | null>('damaged_database'),
  /** 查阅记录: the logged reads of full personal data. */
  accessLog: (input: AccessLogInput) => call<AccessLogEntry[]>('access_log', { input }),
  recentAudit: (limit: number) => call<AuditEntryView[]>('recent_audit', { input: { limit } satisfies RecentAuditInput }),
  /** 证件核验: never rejects for a bad number (valid=false with the error). */
  checkId: (input: IdCheckInput) => call<IdCheckView>('check_id', { input }),
  findApplicants: (input: FindApplicantsInput) => call<ApplicantView[]>('find_applicants', { input }),
  applicant: (id: string) => call<ApplicantView>('applicant', { input: { id } satisfies IdInput }),
  /** A profile with its full ID number and address (the counter's edit form); the core logs the read. */
  revealApplicant: (id: string) => call<ApplicantView>('reveal_applicant', { input: { id } satisfies IdInput }),
  createApplicant: (input: ApplicantInput) => call<ApplicantView>('create_applicant', { input }),
  updateApplicant: (input: UpdateApplicantInput) => call<ApplicantView>('update_applicant', { input }),
  changeApplicantCategory: (input: ChangeCategoryInput) => call<ApplicantView>('change_applicant_category', { input }),
  identityProofs: (applicantId: string) => call<IdentityProofView[]>('identity_proofs', { input: { id: applicantId } satisfies IdInput }),
  addIdentityProof: (input: AddProofInput) => call<IdentityProofView>('add_identity_proof', { input }),
  checkIdentityProof: (id: string) => call<IdentityProofView>('check_identity_proof', { input: { id } satisfies IdInput }),
  removeIdentityProof: (id: string) => call<null>('remove_identity_proof', { input: { id } satisfies IdInput }),
};
