//! The data directory's private folders, and the folders outside it for
//! what the desk writes in plain form: decrypted attachment views and the
//! documents it prints and exports (`prints/`, `exports/`).
//!
//! Prints and exports hold personal data in plain form (an application form
//! shows every owner's ID number), so they are never written inside the data
//! directory: a copied data directory must show no ID number. They go to a
//! private folder per data directory beside the decrypted views (the
//! session's runtime folder, memory-backed on Linux desktops, else the
//! system's temporary folder), and go after 30 days. Documents an older
//! version left inside the data directory are moved there on open.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::error::Result;
use crate::Store;

/// The folders of documents the desk writes: copies of what the store can
/// always render again, so old ones may go.
pub const DOCUMENT_FOLDERS: [&str; 2] = ["prints", "exports"];

/// A folder of documents the desk writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFolder {
    /// 打印件：application forms, notices.
    Prints,
    /// 导出件：the e-invoice list, the day report.
    Exports,
}

impl DocumentFolder {
    /// The folder's name (one of [`DOCUMENT_FOLDERS`]).
    pub fn name(self) -> &'static str {
        match self {
            DocumentFolder::Prints => DOCUMENT_FOLDERS[0],
            DocumentFolder::Exports => DOCUMENT_FOLDERS[1],
        }
    }
}

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

/// Moves the files of `from` into `to` (renaming, else copying), then
/// removes `from` when it is left empty. A name taken in `to` gets a suffix.
fn move_files(from: &Path, to: &Path) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(from) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    private_dir(to)?;
    let mut moved = 0;
    for entry in entries {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let name = entry.file_name();
        let mut target = to.join(&name);
        let mut n = 1;
        while target.exists() {
            n += 1;
            target = to.join(format!("{n}-{}", name.to_string_lossy()));
        }
        if std::fs::rename(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)?;
            std::fs::remove_file(entry.path())?;
        }
        private_file(&target)?;
        moved += 1;
    }
    // Only an empty folder goes (anything else in it is not ours).
    let _ = std::fs::remove_dir(from);
    Ok(moved)
}

impl Store {
    /// A private folder for data in plain form, outside the data directory:
    /// `<base>/regdesk-<what>-<hash of the data directory>`, in the session's
    /// runtime folder where there is one (memory-backed on Linux desktops),
    /// else the system's temporary folder; owner-only.
    fn outside_dir(&self, what: &str) -> Result<std::path::PathBuf> {
        let dir = self.outside_path(what);
        private_dir(&dir)?;
        Ok(dir)
    }

    /// Where [`Store::outside_dir`] is, without making it.
    fn outside_path(&self, what: &str) -> std::path::PathBuf {
        use sha2::{Digest, Sha256};
        let data = self.path.parent().unwrap_or(Path::new("."));
        let canon = std::fs::canonicalize(data).unwrap_or_else(|_| data.to_path_buf());
        let name = hex::encode(&Sha256::digest(canon.to_string_lossy().as_bytes())[..8]);
        let base = directories::BaseDirs::new()
            .and_then(|b| b.runtime_dir().map(Path::to_path_buf))
            .unwrap_or_else(std::env::temp_dir);
        base.join(format!("regdesk-{what}-{name}"))
    }

    /// The private folder of decrypted attachment views: outside the data
    /// directory (so a copied data directory holds none); see [`Store::documents_dir`].
    pub fn views_dir(&self) -> Result<std::path::PathBuf> {
        self.outside_dir("views")
    }

    /// The private folder of prints or exports: outside the data directory
    /// (they hold personal data in plain form), beside the decrypted views,
    /// one per data directory, owner-only.
    pub fn documents_dir(&self, folder: DocumentFolder) -> Result<std::path::PathBuf> {
        let dir = self.outside_dir("documents")?.join(folder.name());
        private_dir(&dir)?;
        Ok(dir)
    }

    /// Writes a print or export as `name` in its folder ([`Store::documents_dir`]),
    /// owner-only, and returns its path. The name is a file name, never a path.
    pub fn write_document(&self, folder: DocumentFolder, name: &str, bytes: &[u8]) -> Result<std::path::PathBuf> {
        let plain = Path::new(name)
            .file_name()
            .filter(|n| n.to_string_lossy() == name && !name.is_empty());
        let Some(file_name) = plain else {
            return Err(crate::StoreError::Corrupt(format!("文件名“{name}”不是单纯的文件名")));
        };
        let path = self.documents_dir(folder)?.join(file_name);
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&path)?;
        std::io::Write::write_all(&mut f, bytes)?;
        f.sync_all()?;
        private_file(&path)?;
        Ok(path)
    }

    /// Moves prints and exports an older version wrote inside the data
    /// directory to their folders outside it; how many moved.
    pub fn move_documents_out(&self) -> Result<usize> {
        let Some(data) = self.path.parent() else {
            return Ok(0);
        };
        let mut moved = 0;
        for folder in [DocumentFolder::Prints, DocumentFolder::Exports] {
            let old = data.join(folder.name());
            if old.is_dir() {
                moved += move_files(&old, &self.documents_dir(folder)?)?;
            }
        }
        Ok(moved)
    }

    /// Removes decrypted views older than `max_age` (all of them for zero); how many went.
    pub fn sweep_views(&self, max_age: Duration) -> Result<usize> {
        let now = SystemTime::now();
        let mut removed = 0;
        let entries = match std::fs::read_dir(self.outside_path("views")) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
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
        let max_age = Duration::from_secs(u64::from(max_age_days) * 24 * 3600);
        let now = SystemTime::now();
        let mut removed = 0;
        for folder in [DocumentFolder::Prints, DocumentFolder::Exports] {
            let entries = match std::fs::read_dir(self.outside_path("documents").join(folder.name())) {
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
