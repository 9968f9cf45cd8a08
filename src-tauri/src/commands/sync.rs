//! 同步: the station's sync status, 立即同步, the 需处理 inbox, enrolment
//! (加入已有机构 at first start, or an office of its own taken to the server
//! from 管理 → 同步) and the first sync of a joined station.

use regdesk_domain::FieldError;
use regdesk_store::*;
use regdesk_sync::client::{SyncClient, SyncError};
use regdesk_sync::protocol::{ErrorCode, SnapshotRequest};
use regdesk_sync::run::sync_once;
use regdesk_sync::station::SyncOutcome;
use tauri::{AppHandle, Emitter, State};

use crate::state::{AppState, Res};
use crate::sync::{emit_status, refusal, take_cancel, SNAPSHOT_PROGRESS, SYNC_PULLED};

/// Rows asked for in one page of a first sync.
const SNAPSHOT_PAGE: u32 = 5_000;

fn field(name: &str, code: &str, message: impl Into<String>) -> ApiError {
    let message = message.into();
    ApiError {
        kind: ErrorKind::Validation,
        message: message.clone(),
        fields: vec![FieldError::new(name, code, message)],
    }
}

/// The client's refusal, under the field it concerns where there is one.
fn enrol_error(e: SyncError) -> ApiError {
    let message = e.to_string();
    match e {
        SyncError::BadServerUrl { .. } => field("server_url", "bad_url", message),
        SyncError::BadFingerprint { .. } | SyncError::PinMismatch { .. } => {
            field("fingerprint", "fingerprint_mismatch", message)
        }
        SyncError::Refused {
            code: ErrorCode::EnrolmentRefused,
            ..
        } => field("code", "enrolment_refused", message),
        _ => refusal(message),
    }
}

/// The header's and the sync screen's status (no sign-in needed: it shows no office data).
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Res<SyncStatusView> {
    Ok(state.store()?.sync_status()?)
}

/// 需处理: the entries the server rejected, with all their data.
#[tauri::command]
pub async fn sync_inbox(state: State<'_, AppState>) -> Res<Vec<InboxItemView>> {
    state.with(|st, s| st.sync_inbox(s))
}

/// 放弃 a rejected entry (confirmed; audited).
#[tauri::command]
pub async fn discard_inbox_item(app: AppHandle, state: State<'_, AppState>, input: DiscardInboxInput) -> Res<()> {
    state.with(|st, s| st.discard_inbox_item(s, &input))?;
    emit_status(&app, state.store()?);
    Ok(())
}

/// 重做 saved: closes the inbox item of the redone entry.
#[tauri::command]
pub async fn close_redone_inbox_item(app: AppHandle, state: State<'_, AppState>, input: RedoneInboxInput) -> Res<()> {
    state.with(|st, s| st.close_redone_inbox_item(s, &input))?;
    emit_status(&app, state.store()?);
    Ok(())
}

/// 立即同步: one round (push, then pull) now, with its outcome. The
/// background loop pauses for it and starts again after.
#[tauri::command]
pub async fn sync_now(app: AppHandle, state: State<'_, AppState>) -> Res<SyncOutcome> {
    let store = state.store()?;
    state.current()?;
    let enrolment = store
        .enrolment()?
        .ok_or_else(|| refusal(SyncError::NotEnrolled.to_string()))?;
    let client = SyncClient::new(&enrolment).map_err(|e| refusal(e.to_string()))?;
    state.sync.stop();
    let outcome = sync_once(store, &client).await;
    state.sync.start(&app);
    if outcome.pulled > 0 {
        let _ = app.emit(SYNC_PULLED, outcome.pulled);
    }
    emit_status(&app, store);
    Ok(outcome)
}

/// 登记号核对 (管理, who may view the audit): the numbers audit of the
/// office's record, asked of the server, this station's leases marked.
#[tauri::command]
pub async fn numbers_audit(state: State<'_, AppState>) -> Res<NumbersAuditView> {
    let store = state.store()?;
    state.current()?;
    let enrolment = store
        .enrolment()?
        .ok_or_else(|| refusal("本工作站未加入中心服务器：登记号由本机发出，没有服务器的登记号台账可核对"))?;
    let client = SyncClient::new(&enrolment).map_err(|e| refusal(e.to_string()))?;
    let reply = client
        .numbers_audit(None)
        .await
        .map_err(|e| refusal(format!("无法向服务器取得登记号核对（{e}）：请检查网络后重试")))?;
    state.with(|st, s| st.numbers_audit(s, reply))
}

/// 加入服务器. A new data directory joins the server's office (加入已有机构:
/// its rows then come with [`first_sync`]); a station with an office of its
/// own is taken to the server by an admin (管理 → 同步). Nothing is kept when
/// the server refuses.
#[tauri::command]
pub async fn enrol_station(app: AppHandle, state: State<'_, AppState>, input: EnrolInput) -> Res<SyncStatusView> {
    let store = state.store()?;
    let mut missing = Vec::new();
    if input.server_url.trim().is_empty() {
        missing.push(FieldError::new(
            "server_url",
            "required",
            "请填写服务器地址，如 https://192.168.1.10:8443",
        ));
    }
    if input.code.trim().is_empty() {
        missing.push(FieldError::new("code", "required", "请填写管理员给出的一次性加入码"));
    }
    if input.fingerprint.trim().is_empty() {
        missing.push(FieldError::new("fingerprint", "required", "请填写管理员给出的 CA 指纹"));
    }
    if !missing.is_empty() {
        return Err(StoreError::Invalid(missing).into());
    }
    let own_office = store.office()?.is_some();
    // Signed in (and an admin, which the store checks) before the one-time
    // code is used up.
    let session = if own_office { Some(state.current()?) } else { None };
    let enrolment = SyncClient::enrol(&input.server_url, &input.code, &input.fingerprint, store.station_id())
        .await
        .map_err(enrol_error)?;
    match &session {
        Some(_) => state.with(|st, s| st.save_enrolment(s, &enrolment))?,
        None => store.join_office(&enrolment)?,
    }
    state.sync.start(&app);
    emit_status(&app, store);
    Ok(store.sync_status()?)
}

/// 首次同步 of a station that joined an office: the office's rows page by
/// page (each page applied in one transaction), progress told to the screen
/// after each; resumes where an interrupted one stopped. 取消 stops between
/// pages and leaves the station as it is, to go on later. When the last page
/// is in, the background sync starts.
#[tauri::command]
pub async fn first_sync(app: AppHandle, state: State<'_, AppState>) -> Res<SnapshotProgress> {
    let store = state.store()?;
    let enrolment = store
        .enrolment()?
        .ok_or_else(|| refusal(SyncError::NotEnrolled.to_string()))?;
    let client = SyncClient::new(&enrolment).map_err(|e| refusal(e.to_string()))?;
    take_cancel(&state.sync.snapshot_cancel);
    loop {
        if take_cancel(&state.sync.snapshot_cancel) {
            let progress = store.snapshot_progress()?.unwrap_or(SnapshotProgress {
                snapshot_id: String::new(),
                rows_done: 0,
                rows_total: 0,
                bytes_done: 0,
                bytes_total: 0,
                done: false,
            });
            emit_status(&app, store);
            return Ok(progress);
        }
        let request = store.snapshot_request(SNAPSHOT_PAGE)?.unwrap_or(SnapshotRequest {
            snapshot_id: None,
            after: None,
            max_rows: SNAPSHOT_PAGE,
        });
        let chunk = client
            .snapshot(&request)
            .await
            .map_err(|e| refusal(format!("机构数据未接收完（下次从中断处继续）：{e}")))?;
        let complete = chunk.next.is_none();
        let progress = store.apply_snapshot(&chunk)?;
        let _ = app.emit(SNAPSHOT_PROGRESS, &progress);
        if complete || progress.done {
            state.sync.start(&app);
            let _ = app.emit(SYNC_PULLED, progress.rows_done);
            emit_status(&app, store);
            return Ok(progress);
        }
    }
}

/// 取消 a first sync: it stops after the page being applied.
#[tauri::command]
pub async fn cancel_first_sync(state: State<'_, AppState>) -> Res<()> {
    state
        .sync
        .snapshot_cancel
        .store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}
