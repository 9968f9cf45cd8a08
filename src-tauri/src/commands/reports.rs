//! 统计台: the national monthly form, the announcement list, the period summary,
//! the supervisor's figures, and their exports (xlsx, PDF).

use regdesk_store::*;
use tauri::State;

use crate::documents::write_and_open;
use crate::state::{AppState, Res};

#[tauri::command]
pub async fn monthly_form(state: State<'_, AppState>, input: StatsInput) -> Res<MonthlyFormView> {
    state.with(|st, s| st.monthly_form(s, &input))
}

#[tauri::command]
pub async fn announcement(state: State<'_, AppState>, input: StatsInput) -> Res<AnnouncementView> {
    state.with(|st, s| st.announcement(s, &input))
}

#[tauri::command]
pub async fn stats_summary(state: State<'_, AppState>, input: StatsInput) -> Res<SummaryView> {
    state.with(|st, s| st.stats_summary(s, &input))
}

#[tauri::command]
pub async fn supervisor_stats(state: State<'_, AppState>, input: StatsInput) -> Res<SupervisorView> {
    state.with(|st, s| st.supervisor_stats(s, &input))
}

/// Writes a report (xlsx or PDF) into the exports folder and opens it; returns the path.
#[tauri::command]
pub async fn export_report(app: tauri::AppHandle, state: State<'_, AppState>, input: ReportExportInput) -> Res<String> {
    let (name, bytes) = state.with(|st, s| st.report_document(s, &input))?;
    write_and_open(
        &app,
        state.store()?,
        regdesk_store::DocumentFolder::Exports,
        &name,
        &bytes,
    )
}
