//! The frame every desk shares: first start, signing in and out, the lock, the desks' queues, the top bar's search and a case's detail.

use regdesk_store::*;
use tauri::State;

use crate::state::{AppState, Res};

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Res<AppStatus> {
    let s = state.session().clone();
    Ok(state.store()?.app_status(s.as_ref())?)
}

#[tauri::command]
pub async fn setup_office(state: State<'_, AppState>, input: SetupInput) -> Res<SessionView> {
    let store = state.store()?;
    let s = store.setup_office(&input)?;
    let view = store.session_view(&s)?;
    *state.session() = Some(s);
    Ok(view)
}

#[tauri::command]
pub async fn login(state: State<'_, AppState>, input: LoginInput) -> Res<SessionView> {
    let store = state.store()?;
    let s = store.login(&input)?;
    let view = store.session_view(&s)?;
    *state.session() = Some(s);
    Ok(view)
}

#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> Res<()> {
    *state.session() = None;
    Ok(())
}

#[tauri::command]
pub async fn lock_session(state: State<'_, AppState>) -> Res<()> {
    if let Some(s) = state.session().as_ref() {
        s.lock();
    }
    Ok(())
}

#[tauri::command]
pub async fn unlock_session(state: State<'_, AppState>, input: UnlockInput) -> Res<SessionView> {
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
pub async fn change_password(state: State<'_, AppState>, input: ChangePasswordInput) -> Res<()> {
    state.with(|st, s| st.change_password(s, &input))
}

#[tauri::command]
pub async fn desk_overview(state: State<'_, AppState>, input: DeskInput) -> Res<DeskOverview> {
    state.with(|st, s| st.desk_overview(s, input.desk))
}

#[tauri::command]
pub async fn list_queue(state: State<'_, AppState>, input: QueueInput) -> Res<CasePage> {
    state.with(|st, s| st.list_queue(s, &input))
}

#[tauri::command]
pub async fn search_cases(state: State<'_, AppState>, input: CaseSearchInput) -> Res<CaseSearchResult> {
    state.with(|st, s| st.search_cases(s, &input))
}

#[tauri::command]
pub async fn case_detail(state: State<'_, AppState>, input: CaseKey) -> Res<CaseDetail> {
    state.with(|st, s| st.case_detail(s, &input.key))
}

/// When the database is damaged: what happened and the way back (none when it opened).
#[tauri::command]
pub async fn damaged_database(state: State<'_, AppState>) -> Res<Option<regdesk_store::backup::DamagedDatabase>> {
    Ok(state.damaged_database())
}

/// 显示完整号码 (logged).
#[tauri::command]
pub async fn reveal_case(state: State<'_, AppState>, input: CaseKey) -> Res<CaseDetail> {
    state.with(|st, s| st.reveal_case(s, &input.key))
}
