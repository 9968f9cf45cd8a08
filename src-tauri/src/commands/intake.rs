//! 批量受理 (the counter) and 历史登记 / 登记号计数器 (the admin): the template,
//! the batch import with its progress and 取消, the old register, the counters.

use std::sync::atomic::Ordering;

use regdesk_store::*;
use tauri::{Emitter, State};

use crate::documents::write_and_open;
use crate::state::{AppState, Res};

/// The event that carries a batch import's progress to the screen.
const INTAKE_PROGRESS: &str = "intake-progress";

/// 下载模板: the template written to the exports folder and opened; its path.
#[tauri::command]
pub async fn save_intake_template(app: tauri::AppHandle, state: State<'_, AppState>) -> Res<String> {
    let bytes = state.with(|st, s| st.intake_template(s))?;
    write_and_open(
        &app,
        state.store()?,
        DocumentFolder::Exports,
        "批量受理模板.xlsx",
        &bytes,
    )
}

#[tauri::command]
pub async fn import_filings(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    input: ImportFilingsInput,
) -> Res<FilingImportView> {
    state.intake_cancel.store(false, Ordering::SeqCst);
    let cancel = &state.intake_cancel;
    state.with(|st, s| {
        st.import_filings(s, &input, &|p| {
            let _ = app.emit(INTAKE_PROGRESS, p);
            !cancel.load(Ordering::SeqCst)
        })
    })
}

/// 取消: the batch import stops before its next row; the drafts made stay, each whole.
#[tauri::command]
pub async fn cancel_filing_import(state: State<'_, AppState>) -> Res<()> {
    state.intake_cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// 批量提交签章 of the drafts a batch made.
#[tauri::command]
pub async fn submit_many_for_signing(state: State<'_, AppState>, input: SubmitManyInput) -> Res<Vec<BatchSubmitView>> {
    state.with(|st, s| st.submit_many_for_signing(s, &input))
}

#[tauri::command]
pub async fn import_register(state: State<'_, AppState>, input: RegisterImportInput) -> Res<RegisterImportView> {
    state.with(|st, s| st.import_register(s, &input))
}

#[tauri::command]
pub async fn registration_counters(state: State<'_, AppState>) -> Res<Vec<CounterView>> {
    state.with(|st, s| st.registration_counters(s))
}

#[tauri::command]
pub async fn set_registration_counter(state: State<'_, AppState>, input: SetCounterInput) -> Res<CounterView> {
    state.with(|st, s| st.set_registration_counter(s, &input))
}

#[tauri::command]
pub async fn find_historic(state: State<'_, AppState>, input: CaseKey) -> Res<Vec<HistoricView>> {
    state.with(|st, s| st.find_historic(s, &input.key))
}

#[tauri::command]
pub async fn revoke_historic(state: State<'_, AppState>, input: RevokeHistoricInput) -> Res<HistoricView> {
    state.with(|st, s| st.revoke_historic(s, &input))
}

/// 一人一表：the batch's signers and where each stands.
#[tauri::command]
pub async fn batch_signing(state: State<'_, AppState>, input: BatchCasesInput) -> Res<BatchSigningView> {
    state.with(|st, s| st.batch_signing(s, &input))
}

/// 一人一表：one signer's form for every case of the batch they sign, written and opened.
#[tauri::command]
pub async fn print_batch_signing_form(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    input: BatchSignatureInput,
) -> Res<String> {
    let (name, pdf) = state.with(|st, s| st.batch_signing_form_pdf(s, &input))?;
    write_and_open(&app, state.store()?, DocumentFolder::Prints, &name, &pdf)
}

/// 一人一表：the signed form's scan recorded against each case the signer signs.
#[tauri::command]
pub async fn record_batch_signature(state: State<'_, AppState>, input: BatchSignatureInput) -> Res<Vec<CaseDetail>> {
    state.with(|st, s| st.record_batch_signature(s, &input))
}
