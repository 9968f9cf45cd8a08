//! The attachment store: adding a file, its record, its verified path for previews.

use regdesk_store::*;
use tauri::State;

use crate::state::{AppState, Res};

#[tauri::command]
pub async fn add_file(state: State<'_, AppState>, input: AddFileInput) -> Res<FileView> {
    state.with(|st, s| st.add_file(s, std::path::Path::new(&input.path), input.purpose))
}

#[tauri::command]
pub async fn file(state: State<'_, AppState>, input: IdInput) -> Res<FileView> {
    state.with(|st, s| st.file(s, &input.id))
}

#[tauri::command]
pub async fn verified_file_path(state: State<'_, AppState>, input: IdInput) -> Res<String> {
    state.with(|st, s| st.verified_file_path(s, &input.id).map(|p| p.display().to_string()))
}
