//! The data directory's private folders and the documents the desk writes
//! beside the database (`prints/`, `exports/`).

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::error::Result;
use crate::Store;

/// The folders of documents the desk writes beside the database: copies of
/// what the store can always render again, so old ones may go.
pub const DOCUMENT_FOLDERS: [&str; 2] = ["prints", "exports"];

/// How long a print or export stays before [`Store::sweep_documents`] removes it.
pub const DEFAULT_DOCUMENT_MAX_AGE_DAYS: u32 = 30;

/// Creates `dir` (and its parents) and makes it owner-only (0700 on Unix).
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Makes an existing file owner-only (0600 on Unix); a missing one is left alone.
pub(crate) fn private_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            other => other?,
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl Store {
    /// The private folder of decrypted attachment views: outside the data
    /// directory (so a copied data directory holds none), in the session's
    /// runtime folder where there is one (memory-backed on Linux desktops),
    /// else the system's temporary folder; owner-only, one per data directory.
    pub fn views_dir(&self) -> Result<std::path::PathBuf> {
        use sha2::{Digest, Sha256};
        let data = self.path.parent().unwrap_or(Path::new("."));
        let canon = std::fs::canonicalize(data).unwrap_or_else(|_| data.to_path_buf());
        let name = hex::encode(&Sha256::digest(canon.to_string_lossy().as_bytes())[..8]);
        let base = directories::BaseDirs::new()
            .and_then(|b| b.runtime_dir().map(Path::to_path_buf))
            .unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!("regdesk-views-{name}"));
        private_dir(&dir)?;
        Ok(dir)
    }

    /// Removes decrypted views older than `max_age` (all of them for zero); how many went.
    pub fn sweep_views(&self, max_age: Duration) -> Result<usize> {
        let dir = self.views_dir()?;
        let now = SystemTime::now();
        let mut removed = 0;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let meta = entry.metadata()?;
            if !meta.is_file() {
                continue;
            }
            let old = meta
                .modified()
                .ok()
                .and_then(|m| now.duration_since(m).ok())
                .is_none_or(|age| age >= max_age);
            if old {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Removes prints and exports older than `max_age_days` (by the files'
    /// modification time, the filesystem's clock) and returns how many went.
    /// Only plain files directly in those folders; anything else is left.
    pub fn sweep_documents(&self, max_age_days: u32) -> Result<usize> {
        let Some(data) = self.path.parent() else {
            return Ok(0);
        };
        let max_age = Duration::from_secs(u64::from(max_age_days) * 24 * 3600);
        let now = SystemTime::now();
        let mut removed = 0;
        for folder in DOCUMENT_FOLDERS {
            let entries = match std::fs::read_dir(data.join(folder)) {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            };
            for entry in entries {
                let entry = entry?;
                let meta = entry.metadata()?;
                if !meta.is_file() {
                    continue;
                }
                let old = meta
                    .modified()
                    .ok()
                    .and_then(|m| now.duration_since(m).ok())
                    .is_some_and(|age| age > max_age);
                if old {
                    std::fs::remove_file(entry.path())?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}
