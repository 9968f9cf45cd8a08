//! RegDesk desktop shell. Tauri commands are adapters: decode the input, call
//! the store with the current session, map the error. No rule lives here.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use regdesk_store::{
    AddFileInput, ApiError, AppStatus, ApplicantView, AttributionCheckInput, AuditEntryView, AuditReport, CaseDetail,
    CaseKey, CasePage, CaseRef, ChangeCategoryInput, ChangePasswordInput, DeskInput, DeskOverview, ErrorKind, FileView,
    FindApplicantsInput, IdCheckInput, IdCheckView, IdInput, LoginInput, NewStaffInput, QueueInput, RecentAuditInput,
    RecordSignatureInput, ResetPasswordInput, SaveDraftInput, Session, SessionView, SetDisabledInput, SettingsView,
    SetupInput, StaffView, Store, StoreError, SystemClock, UnlockInput, UpdateApplicantInput, UpdateSettingsInput,
    UpdateStaffInput,
};
use tauri::{Emitter, State};

/// Start-up options, from the command line and the environment.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    /// Fill an empty data directory with the sample office first.
    pub demo: bool,
}

impl Options {
    /// `--data-dir DIR`, `--demo`; `REGDESK_DEMO=1` also asks for the sample office.
    pub fn parse(args: impl IntoIterator<Item = String>, demo_env: Option<String>) -> Options {
        let mut o = Options {
            demo: demo_env.is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes")),
            ..Options::default()
        };
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            if a == "--demo" {
                o.demo = true;
            } else if a == "--data-dir" {
                o.data_dir = it.next().map(PathBuf::from);
            } else if let Some(v) = a.strip_prefix("--data-dir=") {
                o.data_dir = Some(PathBuf::from(v));
            }
        }
        o
    }
}

/// The shell's state: the store (or why it could not open) and who is signed in.
pub struct AppState {
    store: Result<Store, ApiError>,
    session: Mutex<Option<Session>>,
    /// Set by 取消 while a bank statement is being matched (read without the store's lock).
    import_cancel: AtomicBool,
}

impl AppState {
    pub fn open(opts: &Options) -> AppState {
        let store = regdesk_store::data_dir(opts.data_dir.as_deref())
            .and_then(|dir| Store::open(&dir, Arc::new(SystemClock)))
            .and_then(|s| {
                if opts.demo && s.office()?.is_none() {
                    regdesk_store::demo::fill_office(&s, 24)?;
                }
                Ok(s)
            })
            .map_err(ApiError::from);
        AppState {
            store,
            session: Mutex::new(None),
            import_cancel: AtomicBool::new(false),
        }
    }

    fn store(&self) -> Result<&Store, ApiError> {
        self.store.as_ref().map_err(Clone::clone)
    }

    fn session(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The current session, or the error the screen expects when there is none.
    fn current(&self) -> Result<Session, ApiError> {
        self.session().clone().ok_or_else(|| StoreError::NotSignedIn.to_api())
    }

    /// Runs `f` with the store and the current session; a session the store no
    /// longer accepts (account disabled meanwhile) is dropped.
    fn with<T>(&self, f: impl FnOnce(&Store, &Session) -> Result<T, StoreError>) -> Result<T, ApiError> {
        let store = self.store()?;
        let s = self.current()?;
        f(store, &s).map_err(|e| {
            if e.ends_session() {
                *self.session() = None;
            }
            e.to_api()
        })
    }
}

type Res<T> = Result<T, ApiError>;

#[tauri::command]
async fn app_status(state: State<'_, AppState>) -> Res<AppStatus> {
    let s = state.session().clone();
    Ok(state.store()?.app_status(s.as_ref())?)
}

#[tauri::command]
async fn setup_office(state: State<'_, AppState>, input: SetupInput) -> Res<SessionView> {
    let store = state.store()?;
    let s = store.setup_office(&input)?;
    let view = store.session_view(&s)?;
    *state.session() = Some(s);
    Ok(view)
}

#[tauri::command]
async fn login(state: State<'_, AppState>, input: LoginInput) -> Res<SessionView> {
    let store = state.store()?;
    let s = store.login(&input)?;
    let view = store.session_view(&s)?;
    *state.session() = Some(s);
    Ok(view)
}

#[tauri::command]
async fn logout(state: State<'_, AppState>) -> Res<()> {
    *state.session() = None;
    Ok(())
}

#[tauri::command]
async fn lock_session(state: State<'_, AppState>) -> Res<()> {
    if let Some(s) = state.session().as_mut() {
        s.locked = true;
    }
    Ok(())
}

#[tauri::command]
async fn unlock_session(state: State<'_, AppState>, input: UnlockInput) -> Res<SessionView> {
    let store = state.store()?;
    let s = state.current()?;
    match store.unlock(&s, &input) {
        Ok(s) => {
            let view = store.session_view(&s)?;
            *state.session() = Some(s);
            Ok(view)
        }
        Err(e) => {
            // Locked out while trying to unlock: sign out entirely.
            if e.ends_session() {
                *state.session() = None;
            }
            Err(e.into())
        }
    }
}

#[tauri::command]
async fn change_password(state: State<'_, AppState>, input: ChangePasswordInput) -> Res<()> {
    state.with(|st, s| st.change_password(s, &input))
}

#[tauri::command]
async fn list_staff(state: State<'_, AppState>) -> Res<Vec<StaffView>> {
    state.with(|st, s| st.list_staff(s))
}

#[tauri::command]
async fn add_staff(state: State<'_, AppState>, input: NewStaffInput) -> Res<StaffView> {
    state.with(|st, s| st.add_staff(s, &input))
}

#[tauri::command]
async fn update_staff(state: State<'_, AppState>, input: UpdateStaffInput) -> Res<StaffView> {
    state.with(|st, s| st.update_staff(s, &input))
}

#[tauri::command]
async fn set_staff_disabled(state: State<'_, AppState>, input: SetDisabledInput) -> Res<StaffView> {
    state.with(|st, s| st.set_staff_disabled(s, &input))
}

#[tauri::command]
async fn reset_password(state: State<'_, AppState>, input: ResetPasswordInput) -> Res<StaffView> {
    state.with(|st, s| st.reset_password(s, &input))
}

#[tauri::command]
async fn get_settings(state: State<'_, AppState>) -> Res<SettingsView> {
    state.with(|st, s| st.settings(s))
}

#[tauri::command]
async fn update_settings(state: State<'_, AppState>, input: UpdateSettingsInput) -> Res<SettingsView> {
    state.with(|st, s| st.update_settings(s, &input))
}

#[tauri::command]
async fn verify_audit(state: State<'_, AppState>) -> Res<AuditReport> {
    state.with(|st, s| st.verify_audit_as(s))
}

#[tauri::command]
async fn recent_audit(state: State<'_, AppState>, input: RecentAuditInput) -> Res<Vec<AuditEntryView>> {
    state.with(|st, s| st.recent_audit(s, input.limit))
}

#[tauri::command]
async fn desk_overview(state: State<'_, AppState>, input: DeskInput) -> Res<DeskOverview> {
    state.with(|st, s| st.desk_overview(s, input.desk))
}

#[tauri::command]
async fn search_cases(
    state: State<'_, AppState>,
    input: regdesk_store::CaseSearchInput,
) -> Res<regdesk_store::CaseSearchResult> {
    state.with(|st, s| st.search_cases(s, &input))
}

#[tauri::command]
async fn list_queue(state: State<'_, AppState>, input: QueueInput) -> Res<CasePage> {
    state.with(|st, s| st.list_queue(s, &input))
}

#[tauri::command]
async fn check_id(state: State<'_, AppState>, input: IdCheckInput) -> Res<IdCheckView> {
    state.with(|st, s| st.check_id(s, &input))
}

#[tauri::command]
async fn find_applicants(state: State<'_, AppState>, input: FindApplicantsInput) -> Res<Vec<ApplicantView>> {
    state.with(|st, s| st.find_applicants(s, &input))
}

#[tauri::command]
async fn get_applicant(state: State<'_, AppState>, input: IdInput) -> Res<ApplicantView> {
    state.with(|st, s| st.applicant(s, &input.id))
}

#[tauri::command]
async fn create_applicant(
    state: State<'_, AppState>,
    input: regdesk_domain::applicant::ApplicantInput,
) -> Res<ApplicantView> {
    state.with(|st, s| st.create_applicant(s, &input))
}

#[tauri::command]
async fn update_applicant(state: State<'_, AppState>, input: UpdateApplicantInput) -> Res<ApplicantView> {
    state.with(|st, s| st.update_applicant(s, &input))
}

#[tauri::command]
async fn change_applicant_category(state: State<'_, AppState>, input: ChangeCategoryInput) -> Res<ApplicantView> {
    state.with(|st, s| st.change_applicant_category(s, &input))
}

#[tauri::command]
async fn save_draft(state: State<'_, AppState>, input: SaveDraftInput) -> Res<CaseDetail> {
    state.with(|st, s| st.save_draft(s, &input))
}

#[tauri::command]
async fn submit_for_signing(state: State<'_, AppState>, input: CaseRef) -> Res<CaseDetail> {
    state.with(|st, s| st.submit_for_signing(s, &input))
}

#[tauri::command]
async fn record_signature(state: State<'_, AppState>, input: RecordSignatureInput) -> Res<CaseDetail> {
    state.with(|st, s| st.record_signature(s, &input))
}

#[tauri::command]
async fn get_case(state: State<'_, AppState>, input: CaseKey) -> Res<CaseDetail> {
    state.with(|st, s| st.case_detail(s, &input.key))
}

#[tauri::command]
async fn add_file(state: State<'_, AppState>, input: AddFileInput) -> Res<FileView> {
    state.with(|st, s| st.add_file(s, std::path::Path::new(&input.path)))
}

#[tauri::command]
async fn get_file(state: State<'_, AppState>, input: IdInput) -> Res<FileView> {
    state.with(|st, s| st.file(s, &input.id))
}

/// The verified file's path, for previews through the asset protocol.
#[tauri::command]
async fn identity_proofs(state: State<'_, AppState>, input: IdInput) -> Res<Vec<regdesk_store::IdentityProofView>> {
    state.with(|st, s| st.identity_proofs(s, &input.id))
}

#[tauri::command]
async fn add_identity_proof(
    state: State<'_, AppState>,
    input: regdesk_store::AddProofInput,
) -> Res<regdesk_store::IdentityProofView> {
    state.with(|st, s| st.add_identity_proof(s, &input))
}

#[tauri::command]
async fn check_identity_proof(state: State<'_, AppState>, input: IdInput) -> Res<regdesk_store::IdentityProofView> {
    state.with(|st, s| st.check_identity_proof(s, &input.id))
}

#[tauri::command]
async fn remove_identity_proof(state: State<'_, AppState>, input: IdInput) -> Res<()> {
    state.with(|st, s| st.remove_identity_proof(s, &input.id))
}

#[tauri::command]
async fn file_path(state: State<'_, AppState>, input: IdInput) -> Res<String> {
    state.with(|st, s| st.verified_file_path(s, &input.id).map(|p| p.display().to_string()))
}

#[tauri::command]
async fn parties_not_fitting(
    state: State<'_, AppState>,
    input: AttributionCheckInput,
) -> Res<Vec<regdesk_domain::work::UnfitParty>> {
    state.with(|st, s| st.parties_not_fitting(s, &input))
}

// ---------------------------------------------------------------- payments desk

#[tauri::command]
async fn payment_cases(
    state: State<'_, AppState>,
    input: regdesk_store::PaymentCasesInput,
) -> Res<Vec<regdesk_store::PaymentCaseRow>> {
    state.with(|st, s| st.payment_cases(s, &input))
}

#[tauri::command]
async fn record_transfer(
    state: State<'_, AppState>,
    input: regdesk_store::RecordTransferInput,
) -> Res<regdesk_store::TransferView> {
    state.with(|st, s| st.record_transfer(s, &input))
}

#[tauri::command]
async fn list_transfers(
    state: State<'_, AppState>,
    input: regdesk_store::TransfersInput,
) -> Res<Vec<regdesk_store::TransferView>> {
    state.with(|st, s| st.transfers(s, &input))
}

#[tauri::command]
async fn check_transfer(
    state: State<'_, AppState>,
    input: regdesk_store::CheckTransferInput,
) -> Res<regdesk_store::TransferView> {
    state.with(|st, s| st.check_transfer(s, &input))
}

#[tauri::command]
async fn choose_payment_method(state: State<'_, AppState>, input: regdesk_store::ChooseMethodInput) -> Res<CaseDetail> {
    state.with(|st, s| st.choose_payment_method(s, &input))
}

#[tauri::command]
async fn change_payment_method(state: State<'_, AppState>, input: regdesk_store::ChangeMethodInput) -> Res<CaseDetail> {
    state.with(|st, s| st.change_payment_method(s, &input))
}

#[tauri::command]
async fn confirm_online_payment(
    state: State<'_, AppState>,
    input: regdesk_store::OnlinePaymentInput,
) -> Res<CaseDetail> {
    state.with(|st, s| st.confirm_online_payment(s, &input))
}

/// The event that carries a statement import's progress to the screen.
const STATEMENT_PROGRESS: &str = "statement-progress";

#[tauri::command]
async fn import_statement(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    input: regdesk_store::ImportStatementInput,
) -> Res<regdesk_store::StatementImportView> {
    state.import_cancel.store(false, Ordering::SeqCst);
    let cancel = &state.import_cancel;
    state.with(|st, s| {
        st.import_statement_watched(s, &input, &|p| {
            // About fifty updates for a long statement, each line for a short one.
            if p.done == p.total || p.done % (p.total / 50).max(1) == 0 {
                let _ = app.emit(STATEMENT_PROGRESS, p);
            }
            !cancel.load(Ordering::SeqCst)
        })
    })
}

/// 取消: the statement being matched stops at its next line; nothing is recorded.
#[tauri::command]
async fn cancel_statement_import(state: State<'_, AppState>) -> Res<()> {
    state.import_cancel.store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command]
async fn open_statement_lines(state: State<'_, AppState>) -> Res<Vec<regdesk_store::StatementLineView>> {
    state.with(|st, s| st.open_statement_lines(s))
}

#[tauri::command]
async fn resolve_statement_line(
    state: State<'_, AppState>,
    input: regdesk_store::ResolveLineInput,
) -> Res<regdesk_store::TransferView> {
    state.with(|st, s| st.resolve_statement_line(s, &input))
}

#[tauri::command]
async fn dismiss_statement_line(state: State<'_, AppState>, input: regdesk_store::DismissLineInput) -> Res<()> {
    state.with(|st, s| st.dismiss_statement_line(s, &input))
}

#[tauri::command]
async fn refunds_due(state: State<'_, AppState>) -> Res<Vec<regdesk_store::RefundDueRow>> {
    state.with(|st, s| st.refunds_due(s))
}

#[tauri::command]
async fn record_refund(state: State<'_, AppState>, input: regdesk_store::RecordRefundInput) -> Res<()> {
    state.with(|st, s| st.record_refund(s, &input))
}

#[tauri::command]
async fn invoices_due(state: State<'_, AppState>) -> Res<Vec<regdesk_store::InvoiceDueRow>> {
    state.with(|st, s| st.invoices_due(s))
}

#[tauri::command]
async fn mark_invoices_issued(state: State<'_, AppState>, input: regdesk_store::MarkInvoicesInput) -> Res<u32> {
    state.with(|st, s| st.mark_invoices_issued(s, &input))
}

#[tauri::command]
async fn day_report(
    state: State<'_, AppState>,
    input: regdesk_store::DayReportInput,
) -> Res<regdesk_store::DayReportView> {
    state.with(|st, s| st.day_report(s, &input))
}

// ---------------------------------------------------------------- review desks

#[tauri::command]
async fn first_review(state: State<'_, AppState>, input: regdesk_store::ReviewDecisionInput) -> Res<CaseDetail> {
    state.with(|st, s| st.first_review(s, &input))
}

#[tauri::command]
async fn final_review(state: State<'_, AppState>, input: regdesk_store::FinalDecisionInput) -> Res<CaseDetail> {
    state.with(|st, s| st.final_review(s, &input))
}

#[tauri::command]
async fn resubmit(state: State<'_, AppState>, input: regdesk_store::ResubmitInput) -> Res<CaseDetail> {
    state.with(|st, s| st.resubmit(s, &input))
}

#[tauri::command]
async fn expire_corrections(state: State<'_, AppState>) -> Res<Vec<String>> {
    state.with(|st, s| st.expire_corrections(s))
}

#[tauri::command]
async fn revoke_registration(state: State<'_, AppState>, input: regdesk_store::RevokeInput) -> Res<CaseDetail> {
    state.with(|st, s| st.revoke_registration(s, &input))
}

#[tauri::command]
async fn possible_duplicates(state: State<'_, AppState>, input: IdInput) -> Res<Vec<regdesk_store::DuplicateView>> {
    state.with(|st, s| st.possible_duplicates(s, &input.id))
}

#[tauri::command]
async fn review_history(state: State<'_, AppState>, input: IdInput) -> Res<Vec<regdesk_store::ReviewRecordView>> {
    state.with(|st, s| st.review_history(s, &input.id))
}

/// Writes the case's notice (补正通知书 or 不予登记通知书) and opens it in the system viewer.
#[tauri::command]
async fn print_notice(app: tauri::AppHandle, state: State<'_, AppState>, input: CaseKey) -> Res<String> {
    let path = state.with(|st, s| {
        let (name, pdf) = st.notice_pdf(s, &input.key)?;
        let dir = st.path().parent().map(|p| p.join("prints")).unwrap_or_default();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(name);
        std::fs::write(&path, pdf)?;
        Ok(path)
    })?;
    open_in_system(&app, &path)?;
    Ok(path.display().to_string())
}

#[tauri::command]
async fn office_tree(state: State<'_, AppState>) -> Res<Vec<regdesk_store::OfficeNode>> {
    state.with(|st, s| st.office_tree(s))
}

#[tauri::command]
async fn add_subordinate_office(
    state: State<'_, AppState>,
    input: regdesk_domain::office::SubordinateOfficeInput,
) -> Res<Vec<regdesk_store::OfficeNode>> {
    state.with(|st, s| st.add_subordinate_office(s, &input))
}

#[tauri::command]
async fn calendar_years(state: State<'_, AppState>) -> Res<Vec<regdesk_store::CalendarYearView>> {
    state.with(|st, s| st.calendar_years(s))
}

#[tauri::command]
async fn load_calendar(
    state: State<'_, AppState>,
    input: regdesk_store::LoadCalendarInput,
) -> Res<regdesk_store::LoadedYear> {
    state.with(|st, s| st.load_calendar(s, &input))
}

/// Writes an exported document under the data directory's `exports/` and opens it
/// in the system's program for it; returns the path.
#[tauri::command]
async fn export_document(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    input: regdesk_store::ExportInput,
) -> Res<String> {
    let path = state.with(|st, s| {
        let today = st.office_today();
        let period = |r: &Option<regdesk_store::DayReportInput>| {
            r.clone()
                .unwrap_or(regdesk_store::DayReportInput { from: today, to: today })
        };
        let (name, bytes) = match input.kind {
            regdesk_store::ExportKind::InvoiceListXlsx => (format!("开票清单-{today}.xlsx"), st.invoice_list_xlsx(s)?),
            regdesk_store::ExportKind::DayReportPdf => {
                let p = period(&input.report);
                (format!("收费日报-{}-{}.pdf", p.from, p.to), st.day_report_pdf(s, &p)?)
            }
            regdesk_store::ExportKind::DayReportXlsx => {
                let p = period(&input.report);
                (format!("收费日报-{}-{}.xlsx", p.from, p.to), st.day_report_xlsx(s, &p)?)
            }
        };
        let dir = st.path().parent().map(|p| p.join("exports")).unwrap_or_default();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(name);
        std::fs::write(&path, bytes)?;
        Ok(path)
    })?;
    open_in_system(&app, &path)?;
    Ok(path.display().to_string())
}

fn open_in_system(app: &tauri::AppHandle, path: &std::path::Path) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| ApiError {
            kind: ErrorKind::Storage,
            message: format!("文件已保存到 {}，但无法用系统程序打开：{e}", path.display()),
            fields: Vec::new(),
        })
}

/// Writes the application form next to the data and opens it in the system viewer.
#[tauri::command]
async fn print_application_form(app: tauri::AppHandle, state: State<'_, AppState>, input: CaseKey) -> Res<String> {
    use tauri_plugin_opener::OpenerExt;
    let path = state.with(|st, s| {
        let (serial, pdf) = st.application_form_pdf(s, &input.key)?;
        let dir = st.path().parent().map(|p| p.join("prints")).unwrap_or_default();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{serial}-申请表.pdf"));
        std::fs::write(&path, pdf)?;
        Ok(path)
    })?;
    if let Err(e) = app.opener().open_path(path.display().to_string(), None::<&str>) {
        return Err(ApiError {
            kind: ErrorKind::Storage,
            message: format!("申请表已保存到 {}，但无法用系统阅读器打开：{e}", path.display()),
            fields: Vec::new(),
        });
    }
    Ok(path.display().to_string())
}

/// Starts the desktop app.
pub fn run(opts: Options) -> Result<(), tauri::Error> {
    let state = AppState::open(&opts);
    let files_dir = state
        .store
        .as_ref()
        .ok()
        .and_then(|s| s.path().parent().map(|p| p.join("files")));
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            // Previews may read the attachment store, and nothing else on disk.
            if let Some(dir) = &files_dir {
                use tauri::Manager;
                app.asset_protocol_scope().allow_directory(dir, true)?;
            }
            Ok(())
        })
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            app_status,
            setup_office,
            login,
            logout,
            lock_session,
            unlock_session,
            change_password,
            list_staff,
            add_staff,
            update_staff,
            set_staff_disabled,
            reset_password,
            get_settings,
            update_settings,
            verify_audit,
            recent_audit,
            desk_overview,
            list_queue,
            search_cases,
            check_id,
            find_applicants,
            get_applicant,
            create_applicant,
            update_applicant,
            change_applicant_category,
            save_draft,
            submit_for_signing,
            record_signature,
            get_case,
            add_file,
            get_file,
            file_path,
            print_application_form,
            parties_not_fitting,
            identity_proofs,
            add_identity_proof,
            check_identity_proof,
            remove_identity_proof,
            payment_cases,
            record_transfer,
            list_transfers,
            check_transfer,
            choose_payment_method,
            change_payment_method,
            confirm_online_payment,
            import_statement,
            cancel_statement_import,
            open_statement_lines,
            resolve_statement_line,
            dismiss_statement_line,
            refunds_due,
            record_refund,
            invoices_due,
            mark_invoices_issued,
            day_report,
            export_document,
            first_review,
            final_review,
            resubmit,
            expire_corrections,
            revoke_registration,
            possible_duplicates,
            review_history,
            print_notice,
            office_tree,
            add_subordinate_office,
            calendar_years,
            load_calendar,
        ])
        .run(tauri::generate_context!())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options() {
        assert_eq!(
            Options::parse(args(&["--data-dir", "/d", "--demo"]), None),
            Options {
                data_dir: Some("/d".into()),
                demo: true
            }
        );
        assert!(Options::parse(args(&["--data-dir=/e"]), Some("1".into())).demo);
        assert_eq!(Options::parse(args(&[]), Some("0".into())), Options::default());
    }
}
