//! The attachment store: adding a file, its record, its verified path for previews.

use regdesk_store::*;
use regdesk_sync::client::{SyncClient, SyncError};
use regdesk_sync::run::fetch_blob;
use tauri::{AppHandle, Emitter, State};

use crate::state::{AppState, Res};
use crate::sync::{refusal, FILE_FETCH_PROGRESS};

#[tauri::command]
pub async fn add_file(state: State<'_, AppState>, input: AddFileInput) -> Res<FileView> {
    state.with(|st, s| st.add_file(s, std::path::Path::new(&input.path), input.purpose))
}

#[tauri::command]
pub async fn file(state: State<'_, AppState>, input: IdInput) -> Res<FileView> {
    state.with(|st, s| st.file(s, &input.id))
}

/// 下载附件: a file added at another desk, fetched from the office's server
/// when it is opened here (the same download as `regdesk sync fetch-files`),
/// its progress told to the screen (`file-fetch-progress`) and its content
/// checked by hash on arrival. A file already here comes back as it is.
#[tauri::command]
pub async fn fetch_file(app: AppHandle, state: State<'_, AppState>, input: IdInput) -> Res<FileView> {
    let f = state.with(|st, s| st.file(s, &input.id))?;
    if f.downloaded {
        return Ok(f);
    }
    let store = state.store()?;
    let enrolment = store
        .enrolment()?
        .ok_or_else(|| refusal(SyncError::NotEnrolled.to_string()))?;
    let client = SyncClient::new(&enrolment).map_err(|e| refusal(e.to_string()))?;
    fetch_blob(store, &client, &f.sha256, |done, total| {
        let _ = app.emit(
            FILE_FETCH_PROGRESS,
            FileFetchProgress {
                file_id: f.id.clone(),
                bytes_done: done,
                bytes_total: total,
            },
        );
    })
    .await
    .map_err(|why| {
        refusal(format!(
            "附件“{}”未能从服务器下载：{why}。请检查网络后重试",
            f.original_name
        ))
    })?;
    state.with(|st, s| st.file(s, &input.id))
}

#[tauri::command]
pub async fn verified_file_path(state: State<'_, AppState>, input: IdInput) -> Res<String> {
    state.with(|st, s| st.verified_file_path(s, &input.id).map(|p| p.display().to_string()))
}
