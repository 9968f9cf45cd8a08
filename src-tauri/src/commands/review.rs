//! 初审台 and 终审台: decisions, possible duplicates, the review history, notices.

use regdesk_store::*;
use tauri::State;

use crate::state::{AppState, Res};

use crate::documents::write_and_open;

#[tauri::command]
pub async fn first_review(state: State<'_, AppState>, input: ReviewDecisionInput) -> Res<CaseDetail> {
    state.with(|st, s| st.first_review(s, &input))
}

#[tauri::command]
pub async fn final_review(state: State<'_, AppState>, input: FinalDecisionInput) -> Res<CaseDetail> {
    state.with(|st, s| st.final_review(s, &input))
}

#[tauri::command]
pub async fn possible_duplicates(state: State<'_, AppState>, input: IdInput) -> Res<Vec<DuplicateView>> {
    state.with(|st, s| st.possible_duplicates(s, &input.id))
}

#[tauri::command]
pub async fn review_history(state: State<'_, AppState>, input: IdInput) -> Res<Vec<ReviewRecordView>> {
    state.with(|st, s| st.review_history(s, &input.id))
}

/// Writes the case's notice (补正通知书 or 不予登记通知书) and opens it in the system viewer.
#[tauri::command]
pub async fn print_notice(app: tauri::AppHandle, state: State<'_, AppState>, input: CaseKey) -> Res<String> {
    let (name, pdf) = state.with(|st, s| st.notice_pdf(s, &input.key))?;
    write_and_open(&app, state.store()?, regdesk_store::DocumentFolder::Prints, &name, &pdf)
}
