//! Documents the desk writes (prints, exports) and opens in the system's
//! program for them. The store chooses where: outside the data directory
//! (`Store::write_document`).

use std::path::Path;

use regdesk_store::{ApiError, DocumentFolder, ErrorKind, Store};

/// Writes `bytes` as `name` in `folder` and opens it; the path either way, or
/// an error that says where the file was saved when only the opening failed.
pub fn write_and_open(
    app: &tauri::AppHandle,
    store: &Store,
    folder: DocumentFolder,
    name: &str,
    bytes: &[u8],
) -> Result<String, ApiError> {
    let path = store.write_document(folder, name, bytes)?;
    open_in_system(app, &path)?;
    Ok(path.display().to_string())
}

pub fn open_in_system(app: &tauri::AppHandle, path: &Path) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| {
            // The launcher's own words help an administrator, not the clerk: they go to the log.
            eprintln!("无法用系统程序打开 {}：{e}", path.display());
            ApiError {
                kind: ErrorKind::Storage,
                message: format!(
                    "文件已保存到 {}，但本机没有能打开它的程序：请在文件夹中找到它再打开或打印",
                    path.display()
                ),
                fields: Vec::new(),
            }
        })
}
