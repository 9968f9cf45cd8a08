//! Documents the desk writes next to the data (prints, exports) and opens in
//! the system's program for them.

use std::path::{Path, PathBuf};

use regdesk_store::{ApiError, ErrorKind, Store, StoreError};

/// Where a document of `folder` (`prints`, `exports`) goes: beside the database.
pub fn document_path(store: &Store, folder: &str, name: &str) -> Result<PathBuf, StoreError> {
    let dir = store.path().parent().map(|p| p.join(folder)).unwrap_or_default();
    regdesk_store::private_dir(&dir)?;
    Ok(dir.join(name))
}

/// Writes `bytes` as `folder/name` and opens it; the path either way, or an
/// error that says where the file was saved when only the opening failed.
pub fn write_and_open(
    app: &tauri::AppHandle,
    store: &Store,
    folder: &str,
    name: &str,
    bytes: &[u8],
) -> Result<String, ApiError> {
    let path = document_path(store, folder, name)?;
    std::fs::write(&path, bytes).map_err(StoreError::from)?;
    open_in_system(app, &path)?;
    Ok(path.display().to_string())
}

pub fn open_in_system(app: &tauri::AppHandle, path: &Path) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| ApiError {
            kind: ErrorKind::Storage,
            message: format!("文件已保存到 {}，但无法用系统程序打开：{e}", path.display()),
            fields: Vec::new(),
        })
}
