//! 受理台: applicant profiles, the ID check, identity proofs, filings, signatures, resubmission after correction, the application form.

use regdesk_store::*;
use tauri::State;

use crate::state::{AppState, Res};

use crate::documents::write_and_open;

#[tauri::command]
pub async fn check_id(state: State<'_, AppState>, input: IdCheckInput) -> Res<IdCheckView> {
    state.with(|st, s| st.check_id(s, &input))
}

#[tauri::command]
pub async fn find_applicants(state: State<'_, AppState>, input: FindApplicantsInput) -> Res<Vec<ApplicantView>> {
    state.with(|st, s| st.find_applicants(s, &input))
}

#[tauri::command]
pub async fn applicant(state: State<'_, AppState>, input: IdInput) -> Res<ApplicantView> {
    state.with(|st, s| st.applicant(s, &input.id))
}

/// 显示完整号码 of a profile (logged).
#[tauri::command]
pub async fn reveal_applicant(state: State<'_, AppState>, input: IdInput) -> Res<ApplicantView> {
    state.with(|st, s| st.reveal_applicant(s, &input.id))
}

#[tauri::command]
pub async fn create_applicant(
    state: State<'_, AppState>,
    input: regdesk_domain::applicant::ApplicantInput,
) -> Res<ApplicantView> {
    state.with(|st, s| st.create_applicant(s, &input))
}

#[tauri::command]
pub async fn update_applicant(state: State<'_, AppState>, input: UpdateApplicantInput) -> Res<ApplicantView> {
    state.with(|st, s| st.update_applicant(s, &input))
}

#[tauri::command]
pub async fn change_applicant_category(state: State<'_, AppState>, input: ChangeCategoryInput) -> Res<ApplicantView> {
    state.with(|st, s| st.change_applicant_category(s, &input))
}

/// The verified file's path, for previews through the asset protocol.
#[tauri::command]
pub async fn identity_proofs(state: State<'_, AppState>, input: IdInput) -> Res<Vec<IdentityProofView>> {
    state.with(|st, s| st.identity_proofs(s, &input.id))
}

#[tauri::command]
pub async fn add_identity_proof(state: State<'_, AppState>, input: AddProofInput) -> Res<IdentityProofView> {
    state.with(|st, s| st.add_identity_proof(s, &input))
}

#[tauri::command]
pub async fn check_identity_proof(state: State<'_, AppState>, input: IdInput) -> Res<IdentityProofView> {
    state.with(|st, s| st.check_identity_proof(s, &input.id))
}

#[tauri::command]
pub async fn remove_identity_proof(state: State<'_, AppState>, input: IdInput) -> Res<()> {
    state.with(|st, s| st.remove_identity_proof(s, &input.id))
}

#[tauri::command]
pub async fn save_draft(state: State<'_, AppState>, input: SaveDraftInput) -> Res<CaseDetail> {
    state.with(|st, s| st.save_draft(s, &input))
}

#[tauri::command]
pub async fn submit_for_signing(state: State<'_, AppState>, input: CaseRef) -> Res<CaseDetail> {
    state.with(|st, s| st.submit_for_signing(s, &input))
}

#[tauri::command]
pub async fn record_signature(state: State<'_, AppState>, input: RecordSignatureInput) -> Res<CaseDetail> {
    state.with(|st, s| st.record_signature(s, &input))
}

#[tauri::command]
pub async fn parties_not_fitting(
    state: State<'_, AppState>,
    input: AttributionCheckInput,
) -> Res<Vec<regdesk_domain::work::UnfitParty>> {
    state.with(|st, s| st.parties_not_fitting(s, &input))
}

#[tauri::command]
pub async fn resubmit(state: State<'_, AppState>, input: ResubmitInput) -> Res<CaseDetail> {
    state.with(|st, s| st.resubmit(s, &input))
}

/// 撤回：an open case withdrawn at the applicant's request, with the reason.
#[tauri::command]
pub async fn withdraw_case(state: State<'_, AppState>, input: WithdrawInput) -> Res<CaseDetail> {
    state.with(|st, s| st.withdraw(s, &input))
}

/// Writes the application form into the prints folder and opens it in the system viewer.
#[tauri::command]
pub async fn print_application_form(app: tauri::AppHandle, state: State<'_, AppState>, input: CaseKey) -> Res<String> {
    let (serial, pdf) = state.with(|st, s| st.application_form_pdf(s, &input.key))?;
    write_and_open(
        &app,
        state.store()?,
        regdesk_store::DocumentFolder::Prints,
        &format!("{serial}-申请表.pdf"),
        &pdf,
    )
}

#[tauri::command]
pub async fn expire_corrections(state: State<'_, AppState>) -> Res<Vec<String>> {
    state.with(|st, s| st.expire_corrections(s))
}
