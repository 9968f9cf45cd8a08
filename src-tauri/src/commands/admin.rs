//! 管理台: staff, settings, backups, the audit chain, the office tree, the calendar, payment-method changes, revocation.

use regdesk_store::backup::{BackupProgress, BackupRecord, BackupSettingsInput, BackupSettingsView, BackupStatus};
use regdesk_store::*;
use tauri::{Emitter, State};

use crate::state::{AppState, Res};

#[tauri::command]
pub async fn list_staff(state: State<'_, AppState>) -> Res<Vec<StaffView>> {
    state.with(|st, s| st.list_staff(s))
}

#[tauri::command]
pub async fn add_staff(state: State<'_, AppState>, input: NewStaffInput) -> Res<StaffView> {
    state.with(|st, s| st.add_staff(s, &input))
}

#[tauri::command]
pub async fn update_staff(state: State<'_, AppState>, input: UpdateStaffInput) -> Res<StaffView> {
    state.with(|st, s| st.update_staff(s, &input))
}

#[tauri::command]
pub async fn set_staff_disabled(state: State<'_, AppState>, input: SetDisabledInput) -> Res<StaffView> {
    state.with(|st, s| st.set_staff_disabled(s, &input))
}

#[tauri::command]
pub async fn reset_password(state: State<'_, AppState>, input: ResetPasswordInput) -> Res<StaffView> {
    state.with(|st, s| st.reset_password(s, &input))
}

#[tauri::command]
pub async fn settings(state: State<'_, AppState>) -> Res<SettingsView> {
    state.with(|st, s| st.settings(s))
}

/// Where the station's encryption key is kept (the note in 管理 · 设置).
#[tauri::command]
pub async fn key_location(state: State<'_, AppState>) -> Res<String> {
    state.with(|st, s| st.key_location(s))
}

#[tauri::command]
pub async fn update_settings(state: State<'_, AppState>, input: UpdateSettingsInput) -> Res<SettingsView> {
    state.with(|st, s| st.update_settings(s, &input))
}

/// 校验审计链; on an enrolled station also against the heads the office's
/// server recorded (or saying why the server could not be asked).
#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> Res<AuditReport> {
    let store = state.store()?;
    state.current()?;
    let server = crate::sync::server_chain(store).await;
    state.with(|st, s| st.verify_audit_against(s, server))
}

#[tauri::command]
pub async fn recent_audit(state: State<'_, AppState>, input: RecentAuditInput) -> Res<Vec<AuditEntryView>> {
    state.with(|st, s| st.recent_audit(s, input.limit))
}

/// 查阅记录.
#[tauri::command]
pub async fn access_log(state: State<'_, AppState>, input: AccessLogInput) -> Res<Vec<AccessLogEntry>> {
    state.with(|st, s| st.access_log(s, &input))
}

#[tauri::command]
pub async fn office_tree(state: State<'_, AppState>) -> Res<Vec<OfficeNode>> {
    state.with(|st, s| st.office_tree(s))
}

#[tauri::command]
pub async fn add_subordinate_office(
    state: State<'_, AppState>,
    input: regdesk_domain::office::SubordinateOfficeInput,
) -> Res<Vec<OfficeNode>> {
    state.with(|st, s| st.add_subordinate_office(s, &input))
}

#[tauri::command]
pub async fn calendar_years(state: State<'_, AppState>) -> Res<Vec<CalendarYearView>> {
    state.with(|st, s| st.calendar_years(s))
}

#[tauri::command]
pub async fn load_calendar(state: State<'_, AppState>, input: LoadCalendarInput) -> Res<LoadedYear> {
    state.with(|st, s| st.load_calendar(s, &input))
}

#[tauri::command]
pub async fn revoke_registration(state: State<'_, AppState>, input: RevokeInput) -> Res<CaseDetail> {
    state.with(|st, s| st.revoke_registration(s, &input))
}

#[tauri::command]
pub async fn transfer_case(
    state: State<'_, AppState>,
    input: regdesk_domain::office::TransferCaseInput,
) -> Res<CaseDetail> {
    state.with(|st, s| st.transfer_case(s, &input))
}

#[tauri::command]
pub async fn change_payment_method(state: State<'_, AppState>, input: ChangeMethodInput) -> Res<CaseDetail> {
    state.with(|st, s| st.change_payment_method(s, &input))
}

#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Res<BackupStatus> {
    state.with(|st, s| st.backup_status(s))
}

#[tauri::command]
pub async fn update_backup_settings(state: State<'_, AppState>, input: BackupSettingsInput) -> Res<BackupSettingsView> {
    state.with(|st, s| st.update_backup_settings(s, &input))
}

/// 立即备份: the progress goes to the screen as `backup-progress` events.
#[tauri::command]
pub async fn run_backup(app: tauri::AppHandle, state: State<'_, AppState>) -> Res<BackupRecord> {
    state.with(|st, s| {
        st.backup_now(s, None, &mut |p: BackupProgress| {
            let _ = app.emit(crate::BACKUP_PROGRESS, p);
        })
    })
}

/// 登记号租用设置：numbers per lease and the refill threshold (shared with the server).
#[tauri::command]
pub async fn set_number_leases(state: State<'_, AppState>, input: NumberLeaseSettingsInput) -> Res<SettingsView> {
    state.with(|st, s| st.set_number_leases(s, &input))
}

/// 一人一表开关：whether a batch may be signed with one form per signer.
#[tauri::command]
pub async fn set_batch_signing_form(state: State<'_, AppState>, input: BatchSigningSettingInput) -> Res<bool> {
    state.with(|st, s| st.set_batch_signing_form(s, &input))
}
