//! The attachment store: files kept byte-exact and content-addressed
//! (SHA-256 of the content) under the data directory, deduplicated, streamed
//! in and out, encrypted at rest and verified when read.
//!
//! Each stored file `files/<2 hex>/<sha256>.enc` is a header — `RDKF`, a
//! format version byte (1), a random 19-byte nonce — then the content in
//! 1 MiB chunks sealed with XChaCha20-Poly1305 in the STREAM construction
//! (each chunk authenticated, the last one marked, the header as associated
//! data) under the station's files key ([`crate::keys::Purpose::Files`]).
//! Reading decrypts into the private views folder ([`Store::views_dir`]),
//! outside the data directory, removed when the store opens and an hour after use.
//!
//! Each file is added for one purpose (`FilePurpose`), and the domain's rule
//! says who may add it.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use chrono::{DateTime, Utc};
use rand_core::{OsRng, RngCore};
use regdesk_domain::staff::{FilePurpose, Permission};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::keys::Key32;
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
    /// 用途（早于用途记录加入的文件为空）
    pub purpose: Option<FilePurpose>,
    /// 本机是否已有文件内容：在其他工作站加入、尚未下载的为 false（显示“未下载”）
    pub downloaded: bool,
}

/// How far an attachment coming down from the office's server has come
/// (opened here but added at another desk): bytes of the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FileFetchProgress {
    pub file_id: String,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// 加入附件：本机文件路径（由文件选择对话框给出）与文件用途。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AddFileInput {
    pub path: String,
    pub purpose: FilePurpose,
}

const CHUNK: usize = 1 << 20;
const MAGIC: &[u8; 4] = b"RDKF";
const FORMAT: u8 = 1;
const NONCE: usize = 19;
const HEADER: usize = MAGIC.len() + 1 + NONCE;
const TAG: usize = 16;
/// How long a decrypted view stays before the next view sweeps it.
const VIEW_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Reads until `buf` is full or the input ends; how many bytes came.
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match reader.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

fn remove_view(view: &Path) -> Result<()> {
    match std::fs::remove_file(view) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

/// A stored file that does not decrypt (altered, truncated, or another key).
#[derive(Debug)]
pub(crate) struct Unreadable;

fn cipher(key: &Key32) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.as_bytes().into())
}

/// Encrypts `reader` into `writer`; the SHA-256 (hex) and size of the plaintext.
pub(crate) fn encrypt_stream(key: &Key32, reader: &mut impl Read, writer: &mut impl Write) -> Result<(String, u64)> {
    let mut header = [0u8; HEADER];
    header[..4].copy_from_slice(MAGIC);
    header[4] = FORMAT;
    OsRng.fill_bytes(&mut header[5..]);
    writer.write_all(&header)?;
    let mut enc = EncryptorBE32::from_aead(cipher(key), header[5..].into());
    let sealed = |_| StoreError::Corrupt("附件加密失败".into());
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut cur = vec![0u8; CHUNK];
    let mut next = vec![0u8; CHUNK];
    let mut n = fill(reader, &mut cur)?;
    loop {
        let m = if n == CHUNK { fill(reader, &mut next)? } else { 0 };
        hasher.update(&cur[..n]);
        size += n as u64;
        let payload = Payload {
            msg: &cur[..n],
            aad: &header,
        };
        if m == 0 {
            writer.write_all(&enc.encrypt_last(payload).map_err(sealed)?)?;
            break;
        }
        writer.write_all(&enc.encrypt_next(payload).map_err(sealed)?)?;
        std::mem::swap(&mut cur, &mut next);
        n = m;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Decrypts `reader` (written by [`encrypt_stream`]) into `writer`; the
/// SHA-256 (hex) of the plaintext. Any change to the stored bytes fails.
pub(crate) fn decrypt_stream(
    key: &Key32,
    reader: &mut impl Read,
    writer: &mut impl Write,
) -> Result<std::result::Result<String, Unreadable>> {
    let mut header = [0u8; HEADER];
    if fill(reader, &mut header)? != HEADER || &header[..4] != MAGIC || header[4] != FORMAT {
        return Ok(Err(Unreadable));
    }
    let mut dec = DecryptorBE32::from_aead(cipher(key), header[5..].into());
    let mut hasher = Sha256::new();
    let mut cur = vec![0u8; CHUNK + TAG];
    let mut next = vec![0u8; CHUNK + TAG];
    let mut n = fill(reader, &mut cur)?;
    loop {
        let m = if n == CHUNK + TAG { fill(reader, &mut next)? } else { 0 };
        if m == 0 {
            break;
        }
        let Ok(plain) = dec.decrypt_next(Payload {
            msg: &cur[..n],
            aad: &header,
        }) else {
            return Ok(Err(Unreadable));
        };
        hasher.update(&plain);
        writer.write_all(&plain)?;
        std::mem::swap(&mut cur, &mut next);
        n = m;
    }
    let Ok(plain) = dec.decrypt_last(Payload {
        msg: &cur[..n],
        aad: &header,
    }) else {
        return Ok(Err(Unreadable));
    };
    hasher.update(&plain);
    writer.write_all(&plain)?;
    Ok(Ok(hex::encode(hasher.finalize())))
}

/// An attachment's plaintext as a stream: decrypted one sealed chunk at a
/// time as it is read (the format of [`encrypt_stream`]), so a large file is
/// never whole in memory. A chunk that does not open is a read error.
pub struct BlobReader {
    source: BufReader<File>,
    header: [u8; HEADER],
    dec: Option<DecryptorBE32<XChaCha20Poly1305>>,
    cur: Vec<u8>,
    next: Vec<u8>,
    n: usize,
    plain: Vec<u8>,
    pos: usize,
}

impl BlobReader {
    /// Opens the next sealed chunk; `false` after the last.
    fn refill(&mut self) -> std::io::Result<bool> {
        let Some(mut dec) = self.dec.take() else {
            return Ok(false);
        };
        let broken = || std::io::Error::new(std::io::ErrorKind::InvalidData, "附件无法解密：文件已损坏或被改动");
        let m = if self.n == CHUNK + TAG {
            fill(&mut self.source, &mut self.next)?
        } else {
            0
        };
        let payload = Payload {
            msg: &self.cur[..self.n],
            aad: &self.header,
        };
        if m == 0 {
            self.plain = dec.decrypt_last(payload).map_err(|_| broken())?;
        } else {
            self.plain = dec.decrypt_next(payload).map_err(|_| broken())?;
            std::mem::swap(&mut self.cur, &mut self.next);
            self.n = m;
            self.dec = Some(dec);
        }
        self.pos = 0;
        Ok(true)
    }
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.plain.len() {
            if out.is_empty() || !self.refill()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.plain.len() - self.pos);
        out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The type by the file's extension (what previews need); unknown → octet-stream.
/// A file's content in the attachment store, not yet recorded in `files`.
#[derive(Debug, Clone)]
pub(crate) struct StoredBlob {
    pub sha: String,
    pub size: i64,
    pub name: String,
}

/// Records a stored blob as a file of `purpose`, added by `staff_id` (inside the command's transaction).
pub(crate) fn insert_file_row(
    tx: &rusqlite::Transaction<'_>,
    staff_id: &str,
    blob: &StoredBlob,
    purpose: FilePurpose,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<FileView> {
    let id = uuid_v7(now).to_string();
    let mime = mime_of(&blob.name);
    tx.execute(
        "INSERT INTO files (id, sha256, size, original_name, mime, added_at, added_by, purpose)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            blob.sha,
            blob.size,
            blob.name,
            mime,
            now,
            staff_id,
            crate::codes::code(purpose)
        ],
    )?;
    Ok(FileView {
        id,
        sha256: blob.sha.clone(),
        size: blob.size,
        original_name: blob.name.clone(),
        mime: mime.into(),
        added_at: now,
        purpose: Some(purpose),
        downloaded: true,
    })
}

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

/// A SHA-256 in lowercase hex, as attachments are addressed.
fn valid_sha(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
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
        self.files_dir()
            .join(sha.get(0..2).unwrap_or("00"))
            .join(format!("{sha}.enc"))
    }

    /// Encrypts attachments stored before encryption (`files/<2 hex>/<sha256>`
    /// without `.enc`): each is encrypted beside itself, decrypted again and
    /// checked against its address, and only then is the plain file removed.
    pub(crate) fn encrypt_plain_files(&self) -> Result<usize> {
        let files = self.files_dir();
        let shards = match std::fs::read_dir(&files) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e.into()),
        };
        let key = self.keys.files();
        let mut done = 0;
        for shard in shards {
            let shard = shard?;
            let name = shard.file_name().to_string_lossy().into_owned();
            if !shard.file_type()?.is_dir() || name.len() != 2 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            for entry in std::fs::read_dir(shard.path())? {
                let entry = entry?;
                let sha = entry.file_name().to_string_lossy().into_owned();
                if !entry.file_type()?.is_file() || sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                    continue;
                }
                let plain = entry.path();
                let dest = self.blob_path(&sha);
                let tmp = dest.with_extension("encrypting");
                {
                    let mut reader = BufReader::with_capacity(CHUNK, File::open(&plain)?);
                    let file = File::create(&tmp)?;
                    crate::documents::private_file(&tmp)?;
                    let mut writer = BufWriter::with_capacity(CHUNK, file);
                    let (got, _) = encrypt_stream(&key, &mut reader, &mut writer)?;
                    writer.flush()?;
                    writer.get_ref().sync_all()?;
                    if got != sha {
                        // A plain file that no longer matches its address is left as it is
                        // (reading it reports the damage).
                        std::fs::remove_file(&tmp)?;
                        continue;
                    }
                }
                let back = decrypt_stream(&key, &mut BufReader::new(File::open(&tmp)?), &mut std::io::sink())?;
                if back.ok().as_deref() != Some(sha.as_str()) {
                    std::fs::remove_file(&tmp)?;
                    return Err(StoreError::Corrupt(format!(
                        "附件 {sha} 加密后校验未通过，原文件保持不变"
                    )));
                }
                std::fs::rename(&tmp, &dest)?;
                std::fs::remove_file(&plain)?;
                done += 1;
            }
        }
        Ok(done)
    }

    /// 加入附件：streams the file in (never whole in memory), hashing as it goes;
    /// identical content is stored once. Who may add it follows its purpose
    /// (`Permission::AttachFile`: a receipt by finance, a sample or identity material
    /// by the counter, a loss statement by the certificate desk).
    pub fn add_file(&self, session: &Session, source: &Path, purpose: FilePurpose) -> Result<FileView> {
        let clerk = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::AttachFile(purpose)),
        )?;
        let blob = self.store_blob(source)?;
        self.run(Some(clerk.id()), "add_file", |tx, now| {
            let v = insert_file_row(tx, clerk.id(), &blob, purpose, now)?;
            let change = Change {
                entity: "file",
                entity_id: v.id.clone(),
                version: 1,
                payload: json!(v),
            };
            Ok((change, v))
        })
    }

    /// Streams `source` into the attachment store (encrypted, content-addressed, stored once);
    /// the caller records it with [`insert_file_row`] inside its command.
    pub(crate) fn store_blob(&self, source: &Path) -> Result<StoredBlob> {
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
            let done = encrypt_stream(&self.keys.files(), &mut reader, &mut writer)?;
            writer.flush()?;
            writer.get_ref().sync_all()?;
            done
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
        Ok(StoredBlob { sha, size, name })
    }

    /// Whether the station holds the attachment `sha256` (a file pulled from
    /// another station is not held until it is fetched).
    pub fn has_blob(&self, sha256: &str) -> bool {
        valid_sha(sha256) && self.blob_path(sha256).is_file()
    }

    /// The plaintext of an attachment this station holds, for upload to the
    /// server: decrypted with the station's key and checked against its
    /// address. `None` when the station does not hold it.
    pub fn blob_plaintext(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        if !valid_sha(sha256) {
            return Ok(None);
        }
        let source = match File::open(self.blob_path(sha256)) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let mut plain = Vec::new();
        let got = decrypt_stream(
            &self.keys.files(),
            &mut BufReader::with_capacity(CHUNK + TAG, source),
            &mut plain,
        )?;
        if got.ok().as_deref() != Some(sha256) {
            return Err(StoreError::Corrupt(format!(
                "本机附件 {sha256} 的内容与其摘要不一致（文件已损坏或被改动），未上传"
            )));
        }
        Ok(Some(plain))
    }

    /// An attachment this station holds as a stream of its plaintext with its
    /// size, for upload in chunks (`None` when the station does not hold it).
    /// The size comes from the stored file's length; the server checks the
    /// whole against the SHA-256 it is named by.
    pub fn blob_stream(&self, sha256: &str) -> Result<Option<(u64, BlobReader)>> {
        if !valid_sha(sha256) {
            return Ok(None);
        }
        let file = match File::open(self.blob_path(sha256)) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let unreadable = || StoreError::Corrupt(format!("本机附件 {sha256} 无法解密（文件已损坏或被改动），未上传"));
        let len = file.metadata()?.len();
        let mut source = BufReader::with_capacity(CHUNK + TAG, file);
        let mut header = [0u8; HEADER];
        if fill(&mut source, &mut header)? != HEADER || &header[..4] != MAGIC || header[4] != FORMAT {
            return Err(unreadable());
        }
        // Every chunk but the last holds CHUNK bytes; each carries a tag.
        let body = len - HEADER as u64;
        let chunks = body.div_ceil((CHUNK + TAG) as u64).max(1);
        let size = body.checked_sub(chunks * TAG as u64).ok_or_else(unreadable)?;
        let dec = DecryptorBE32::from_aead(cipher(&self.keys.files()), header[5..].into());
        let mut cur = vec![0u8; CHUNK + TAG];
        let n = fill(&mut source, &mut cur)?;
        Ok(Some((
            size,
            BlobReader {
                source,
                header,
                dec: Some(dec),
                cur,
                next: vec![0u8; CHUNK + TAG],
                n,
                plain: Vec::new(),
                pos: 0,
            },
        )))
    }

    /// Keeps an attachment downloaded from the server: checked against its
    /// SHA-256, then encrypted with this station's key into the attachment
    /// store (written beside, renamed into place). Bytes that do not match are refused.
    pub fn save_fetched_blob(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        let got = hex::encode(Sha256::digest(bytes));
        if !valid_sha(sha256) || got != sha256 {
            return Err(StoreError::Corrupt(format!(
                "从服务器下载的附件与其摘要不符（应为 {sha256}，收到的是 {got}），未保存：请重新下载"
            )));
        }
        let dest = self.blob_path(sha256);
        if dest.is_file() {
            return Ok(());
        }
        let tmp_dir = self.files_dir().join("tmp");
        crate::documents::private_dir(&self.files_dir())?;
        crate::documents::private_dir(&tmp_dir)?;
        let tmp = tmp_dir.join(uuid_v7(self.now()).to_string());
        {
            let file = File::create(&tmp)?;
            crate::documents::private_file(&tmp)?;
            let mut writer = BufWriter::with_capacity(CHUNK, file);
            encrypt_stream(&self.keys.files(), &mut &bytes[..], &mut writer)?;
            writer.flush()?;
            writer.get_ref().sync_all()?;
        }
        if let Some(dir) = dest.parent() {
            crate::documents::private_dir(dir)?;
        }
        std::fs::rename(&tmp, &dest)?;
        Ok(())
    }

    /// Attachments the file rows name that this station does not hold yet, in hash order.
    pub fn missing_blobs(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT DISTINCT sha256 FROM files ORDER BY sha256")?;
        let all = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(all.into_iter().filter(|sha| !self.has_blob(sha)).collect())
    }

    /// The attachments of one case (by serial, id or registration number) this
    /// station does not hold yet, in hash order: its samples and other files
    /// and the parties' files (any file id in its filing), its identity
    /// documents, the receipts of the transfers paid to it, and the papers of
    /// its certificates' handovers.
    pub fn missing_blobs_of_case(&self, case: &str) -> Result<Vec<String>> {
        let conn = self.conn();
        let id: Option<String> = conn
            .query_row(
                "SELECT id FROM cases WHERE id = ?1 OR serial = ?1 OR registration_number = ?1",
                [case],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else {
            return Err(StoreError::NotFound {
                what: "案件",
                id: case.to_string(),
            });
        };
        let mut stmt = conn.prepare(
            "SELECT DISTINCT f.sha256 FROM files f WHERE f.id IN (
                 SELECT t.value FROM cases c, json_tree(c.draft) t WHERE c.id = ?1 AND t.type = 'text'
                 UNION SELECT file_id FROM case_identity_files WHERE case_id = ?1
                 UNION SELECT tr.receipt_file_id FROM transfers tr
                       JOIN allocations a ON a.transfer_id = tr.id WHERE a.case_id = ?1
                 UNION SELECT h.loss_statement_file FROM handovers h
                       JOIN handover_cases hc ON hc.handover_id = h.id WHERE hc.case_id = ?1
                 UNION SELECT h.power_of_attorney_file FROM handovers h
                       JOIN handover_cases hc ON hc.handover_id = h.id WHERE hc.case_id = ?1
             ) ORDER BY f.sha256",
        )?;
        let all = stmt
            .query_map([&id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(all.into_iter().filter(|sha| !self.has_blob(sha)).collect())
    }

    /// Is a file id in the store?
    pub(crate) fn file_known(conn: &rusqlite::Connection, id: &str) -> bool {
        conn.query_row("SELECT 1 FROM files WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .ok()
            .flatten()
            .is_some()
    }

    /// The purpose a stored file was added for: `None` for an unknown id, `Some(None)` for a
    /// file added before purposes were recorded.
    pub(crate) fn file_purpose(conn: &rusqlite::Connection, id: &str) -> Result<Option<Option<FilePurpose>>> {
        let raw: Option<Option<String>> = conn
            .query_row("SELECT purpose FROM files WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        raw.map(|p| p.map(|c| crate::codes::from_code("文件用途", &c)).transpose())
            .transpose()
    }

    /// A file's record.
    pub fn file(&self, session: &Session, id: &str) -> Result<FileView> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        conn.query_row(
            "SELECT id, sha256, size, original_name, mime, added_at, purpose FROM files WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    FileView {
                        id: r.get(0)?,
                        sha256: r.get(1)?,
                        size: r.get(2)?,
                        original_name: r.get(3)?,
                        mime: r.get(4)?,
                        added_at: r.get(5)?,
                        purpose: None,
                        downloaded: false,
                    },
                    r.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "附件",
            id: id.to_string(),
        })
        .and_then(|(mut f, purpose)| {
            f.purpose = purpose.map(|c| crate::codes::from_code("文件用途", &c)).transpose()?;
            f.downloaded = self.has_blob(&f.sha256);
            Ok(f)
        })
    }

    /// A readable copy of the file for previews: decrypted (streamed) into the
    /// private views folder, outside the data directory, after checking that
    /// the content still hashes to its address. Views older than an hour go.
    /// An identity scan opens only for the desks that may see full personal
    /// data, and each opening is logged (`log_scan_opened`).
    pub fn verified_file_path(&self, session: &Session, id: &str) -> Result<PathBuf> {
        let f = self.file(session, id)?;
        self.log_scan_opened(session, &f.id, &f.original_name)?;
        let altered = || {
            StoreError::Corrupt(format!(
                "附件“{}”的内容与登记时不一致（文件已损坏或被改动），请重新上传",
                f.original_name
            ))
        };
        let source = match File::open(self.blob_path(&f.sha256)) {
            Ok(s) => s,
            // On a station that syncs, a file added at another desk comes
            // down on demand: it is not downloaded yet, not damaged.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.enrolment()?.is_some() => {
                return Err(StoreError::Refused {
                    code: "file_not_downloaded".into(),
                    message: format!(
                        "附件“{}”在其他工作站加入，本机尚未下载：请连上同步服务器后下载附件（regdesk sync fetch-files）再打开",
                        f.original_name
                    ),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(altered()),
            Err(e) => return Err(e.into()),
        };
        let views = self.views_dir()?;
        let _ = self.sweep_views(VIEW_MAX_AGE);
        let ext = Path::new(&f.original_name)
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let view = views.join(format!("{}{ext}", f.id));
        let tmp = views.join(format!("{}.part", uuid_v7(self.now())));
        let got = {
            let file = File::create(&tmp)?;
            crate::documents::private_file(&tmp)?;
            let mut writer = BufWriter::with_capacity(CHUNK, file);
            let got = decrypt_stream(
                &self.keys.files(),
                &mut BufReader::with_capacity(CHUNK + TAG, source),
                &mut writer,
            );
            writer.flush()?;
            got
        };
        match got {
            Ok(Ok(sha)) if sha == f.sha256 => {
                std::fs::rename(&tmp, &view)?;
                Ok(view)
            }
            other => {
                // Neither this attempt nor an earlier view of the file stays readable.
                std::fs::remove_file(&tmp)?;
                remove_view(&view)?;
                other?.map_err(|_| altered())?;
                Err(altered())
            }
        }
    }
    /// Decrypts the attachment stored under `sha256` into `out` and checks
    /// that its content hashes to that address: how `regdesk-server adopt`
    /// takes an office's attachments to the server. A missing or altered
    /// file is refused, naming it; `out` may then hold part of it.
    pub fn export_blob(&self, sha256: &str, out: &mut impl Write) -> Result<u64> {
        let name: Option<String> = self
            .conn()
            .query_row(
                "SELECT original_name FROM files WHERE sha256 = ?1 LIMIT 1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?;
        let name = name.unwrap_or_else(|| sha256.to_string());
        let altered = || {
            StoreError::Corrupt(format!(
                "附件“{name}”（{sha256}）的内容与登记时不一致或已缺失，不能导出"
            ))
        };
        let source = match File::open(self.blob_path(sha256)) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(altered()),
            Err(e) => return Err(e.into()),
        };
        let mut counted = Counted { inner: out, bytes: 0 };
        match decrypt_stream(
            &self.keys.files(),
            &mut BufReader::with_capacity(CHUNK + TAG, source),
            &mut counted,
        )? {
            Ok(sha) if sha == sha256 => Ok(counted.bytes),
            _ => Err(altered()),
        }
    }
}

/// A writer that counts what passes through it.
struct Counted<'a, W: Write> {
    inner: &'a mut W,
    bytes: u64,
}

impl<W: Write> Write for Counted<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
