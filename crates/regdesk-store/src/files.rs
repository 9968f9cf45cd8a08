//! The attachment store: files kept byte-exact and content-addressed
//! (SHA-256) under the data directory, deduplicated, streamed in and out,
//! and verified when read.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use regdesk_domain::staff::{Desk, Permission};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::Store;

/// 附件库中的一个文件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FileView {
    pub id: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub size: i64,
    pub original_name: String,
    pub mime: String,
    pub added_at: DateTime<Utc>,
}

/// 加入附件：本机文件路径（由文件选择对话框给出）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AddFileInput {
    pub path: String,
}

const CHUNK: usize = 1 << 20;

/// The type by the file's extension (what previews need); unknown → octet-stream.
pub fn mime_of(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        "txt" => "text/plain",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

impl Store {
    fn files_dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
            .join("files")
    }

    fn blob_path(&self, sha: &str) -> PathBuf {
        self.files_dir().join(sha.get(0..2).unwrap_or("00")).join(sha)
    }

    /// 加入附件：streams the file in (never whole in memory), hashing as it goes;
    /// identical content is stored once.
    pub fn add_file(&self, session: &Session, source: &Path) -> Result<FileView> {
        let clerk = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Counter)),
        )?;
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                StoreError::Invalid(vec![regdesk_domain::FieldError::new(
                    "path",
                    "required",
                    "请选择要上传的文件",
                )])
            })?;
        let input = File::open(source).map_err(|e| {
            StoreError::Invalid(vec![regdesk_domain::FieldError::new(
                "path",
                "unreadable",
                format!("无法读取文件“{name}”：{e}"),
            )])
        })?;
        let tmp_dir = self.files_dir().join("tmp");
        crate::documents::private_dir(&self.files_dir())?;
        crate::documents::private_dir(&tmp_dir)?;
        let tmp = tmp_dir.join(uuid_v7(self.now()).to_string());
        let (sha, size) = {
            let mut reader = BufReader::with_capacity(CHUNK, input);
            let file = File::create(&tmp)?;
            crate::documents::private_file(&tmp)?;
            let mut writer = BufWriter::with_capacity(CHUNK, file);
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; CHUNK];
            let mut size: u64 = 0;
            loop {
                let n = reader.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                writer.write_all(&buf[..n])?;
                size += n as u64;
            }
            writer.flush()?;
            writer.get_ref().sync_all()?;
            (hex::encode(hasher.finalize()), size)
        };
        let dest = self.blob_path(&sha);
        if dest.exists() {
            std::fs::remove_file(&tmp)?;
        } else {
            if let Some(dir) = dest.parent() {
                crate::documents::private_dir(dir)?;
            }
            std::fs::rename(&tmp, &dest)?;
        }
        let size = i64::try_from(size).map_err(|_| StoreError::Corrupt("文件过大".into()))?;
        self.run(Some(clerk.id()), "add_file", |tx, now| {
            let id = uuid_v7(now).to_string();
            let mime = mime_of(&name);
            tx.execute(
                "INSERT INTO files (id, sha256, size, original_name, mime, added_at, added_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, sha, size, name, mime, now, clerk.id()],
            )?;
            let v = FileView {
                id: id.clone(),
                sha256: sha.clone(),
                size,
                original_name: name.clone(),
                mime: mime.into(),
                added_at: now,
            };
            let change = Change {
                entity: "file",
                entity_id: id,
                version: 1,
                payload: json!(v),
            };
            Ok((change, v))
        })
    }

    /// Is a file id in the store?
    pub(crate) fn file_known(conn: &rusqlite::Connection, id: &str) -> bool {
        conn.query_row("SELECT 1 FROM files WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .ok()
            .flatten()
            .is_some()
    }

    /// A file's record.
    pub fn file(&self, session: &Session, id: &str) -> Result<FileView> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        conn.query_row(
            "SELECT id, sha256, size, original_name, mime, added_at FROM files WHERE id = ?1",
            [id],
            |r| {
                Ok(FileView {
                    id: r.get(0)?,
                    sha256: r.get(1)?,
                    size: r.get(2)?,
                    original_name: r.get(3)?,
                    mime: r.get(4)?,
                    added_at: r.get(5)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "附件",
            id: id.to_string(),
        })
    }

    /// The file's bytes on disk, after checking (streamed) that they still hash to their address.
    /// An identity scan opens only for the desks that may see full personal
    /// data, and each opening is logged (`log_scan_opened`).
    pub fn verified_file_path(&self, session: &Session, id: &str) -> Result<PathBuf> {
        let f = self.file(session, id)?;
        self.log_scan_opened(session, &f.id, &f.original_name)?;
        let path = self.blob_path(&f.sha256);
        let mut reader = BufReader::with_capacity(CHUNK, File::open(&path)?);
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        if hex::encode(hasher.finalize()) != f.sha256 {
            return Err(StoreError::Corrupt(format!(
                "附件“{}”的内容与登记时不一致（文件已损坏或被改动），请重新上传",
                f.original_name
            )));
        }
        Ok(path)
    }
}
