//! Attachments by content: `DATA_DIR/blobs/`, named by their SHA-256.
//!
//! A blob arrives in chunks (`PUT /v1/blobs/{sha256}?offset=N&total=T`), each
//! appended to `partial/{sha256}` at exactly the bytes held so far; once the
//! declared total is in, the whole is hashed: a match is renamed to
//! `{sha[0..2]}/{sha256}` (complete, never changed again), a mismatch is
//! deleted. The directory is the only state the server keeps outside
//! PostgreSQL; a complete blob's presence is its record.
//!
//! Several server instances may share one database and this directory: the
//! writes of one blob are serialized across them by a PostgreSQL advisory
//! lock on its hash ([`blob_lock_key`]), held in a transaction for the whole
//! check-append-verify-rename of a chunk, so two instances never append the
//! same bytes twice or rename over each other.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use regdesk_sync::client::{HEADER_BLOB_COMPLETE, HEADER_BLOB_OFFSET};
use regdesk_sync::protocol::ErrorCode;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use deadpool_postgres::Pool;

use crate::auth::StationAuth;
use crate::http::{ApiError, AppState};

/// The largest blob the server takes (a sample file of a work).
pub const MAX_BLOB_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Where a blob stands on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// Bytes held so far.
    pub size: u64,
    /// Whole and verified.
    pub complete: bool,
}

/// The blob directory. Chunks of one blob are appended one at a time: within
/// an instance by a mutex per blob, across the instances sharing the database
/// by an advisory lock on the blob's hash.
#[derive(Clone)]
pub struct BlobStore {
    root: PathBuf,
    writing: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    shared: Option<Pool>,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobStore")
            .field("root", &self.root)
            .field("shared", &self.shared.is_some())
            .finish()
    }
}

/// The first key of the advisory locks on blobs (`blob` in ASCII), kept apart
/// from the schema's single-key lock.
pub const BLOB_LOCK_SPACE: i32 = 0x626c_6f62;

/// The advisory lock `(BLOB_LOCK_SPACE, k)` that serializes the writes of one
/// blob across server instances: `k` is the first 32 bits of its SHA-256 (two
/// blobs sharing them only wait for each other).
pub fn blob_lock_key(sha256: &str) -> (i32, i32) {
    let k = sha256
        .get(0..8)
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .unwrap_or(0);
    (BLOB_LOCK_SPACE, i32::from_ne_bytes(k.to_ne_bytes()))
}

/// A blob name must be 64 lowercase hex digits (a SHA-256).
pub fn valid_name(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn bad_name(sha256: &str) -> ApiError {
    ApiError::bad_request(format!("附件名“{sha256}”不是 SHA-256 摘要：应为 64 位小写十六进制数字"))
}

fn io_error(e: std::io::Error) -> ApiError {
    ApiError::internal(format!("blob directory: {e}"))
}

impl BlobStore {
    /// The blob store under `data_dir/blobs`, for one server instance alone.
    pub fn new(data_dir: &Path) -> BlobStore {
        BlobStore {
            root: data_dir.join("blobs"),
            writing: Arc::default(),
            shared: None,
        }
    }

    /// The blob store under `data_dir/blobs`, shared with every instance over
    /// the database of `pool`: each write holds the blob's advisory lock.
    pub fn shared(data_dir: &Path, pool: Pool) -> BlobStore {
        BlobStore {
            shared: Some(pool),
            ..BlobStore::new(data_dir)
        }
    }

    fn complete_path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[0..2]).join(sha256)
    }

    fn partial_path(&self, sha256: &str) -> PathBuf {
        self.root.join("partial").join(sha256)
    }

    /// Whether the blob is held whole (verified).
    pub fn is_complete(&self, sha256: &str) -> bool {
        valid_name(sha256) && self.complete_path(sha256).is_file()
    }

    /// How much of a blob is held.
    pub fn held(&self, sha256: &str) -> Result<Held, ApiError> {
        if !valid_name(sha256) {
            return Err(bad_name(sha256));
        }
        if let Ok(m) = std::fs::metadata(self.complete_path(sha256)) {
            return Ok(Held {
                size: m.len(),
                complete: true,
            });
        }
        match std::fs::metadata(self.partial_path(sha256)) {
            Ok(m) => Ok(Held {
                size: m.len(),
                complete: false,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Held {
                size: 0,
                complete: false,
            }),
            Err(e) => Err(io_error(e)),
        }
    }

    fn lock_for(&self, sha256: &str) -> Arc<tokio::sync::Mutex<()>> {
        match self.writing.lock() {
            Ok(mut map) => map.entry(sha256.to_string()).or_default().clone(),
            Err(poisoned) => poisoned.into_inner().entry(sha256.to_string()).or_default().clone(),
        }
    }

    /// Appends `chunk` at `offset` of a blob of `total` bytes; verifies and
    /// completes it when the total is reached. Refusals: 409 `blob_offset` when
    /// `offset` is not the size held, 422 `blob_mismatch` when the whole does
    /// not hash to its name (the partial is deleted).
    pub async fn append(&self, sha256: &str, offset: u64, total: u64, chunk: &[u8]) -> Result<Held, ApiError> {
        if !valid_name(sha256) {
            return Err(bad_name(sha256));
        }
        if total > MAX_BLOB_BYTES {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::TooLarge,
                format!(
                    "附件太大（{total} 字节，上限 {} GB）：请压缩或拆分后再添加",
                    MAX_BLOB_BYTES / (1024 * 1024 * 1024)
                ),
            ));
        }
        let end = offset.saturating_add(chunk.len() as u64);
        if end > total {
            return Err(ApiError::bad_request(format!(
                "附件分块越过了声明的总长（自第 {offset} 字节起 {} 字节，总长 {total}）：请按总长重新上传",
                chunk.len()
            )));
        }
        let lock = self.lock_for(sha256);
        let _guard = lock.lock().await;
        // Across instances: the blob's advisory lock, released when the
        // transaction ends (committed below, or rolled back when dropped).
        let mut client = match &self.shared {
            Some(pool) => Some(pool.get().await.map_err(ApiError::unavailable)?),
            None => None,
        };
        let tx = match client.as_mut() {
            Some(c) => {
                let tx = c.transaction().await.map_err(ApiError::internal)?;
                let (space, key) = blob_lock_key(sha256);
                tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&space, &key])
                    .await
                    .map_err(ApiError::internal)?;
                Some(tx)
            }
            None => None,
        };
        let held = self.held(sha256)?;
        if held.complete {
            return Ok(held);
        }
        if offset != held.size {
            return Err(conflict(held.size, offset));
        }
        let store = self.clone();
        let sha = sha256.to_string();
        let chunk = chunk.to_vec();
        let appended = tokio::task::spawn_blocking(move || store.append_blocking(&sha, end, total, &chunk))
            .await
            .map_err(ApiError::internal)?;
        if let Some(tx) = tx {
            tx.commit().await.map_err(ApiError::internal)?;
        }
        appended
    }

    fn append_blocking(&self, sha256: &str, end: u64, total: u64, chunk: &[u8]) -> Result<Held, ApiError> {
        let partial = self.partial_path(sha256);
        if let Some(dir) = partial.parent() {
            std::fs::create_dir_all(dir).map_err(io_error)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&partial)
            .map_err(io_error)?;
        file.write_all(chunk).map_err(io_error)?;
        file.sync_data().map_err(io_error)?;
        drop(file);
        if end < total {
            return Ok(Held {
                size: end,
                complete: false,
            });
        }
        let actual = hash_file(&partial).map_err(io_error)?;
        if actual != sha256 {
            std::fs::remove_file(&partial).map_err(io_error)?;
            tracing::warn!(blob = %sha256, %actual, "blob refused: its bytes do not match its hash");
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::BlobMismatch,
                format!("附件内容与其摘要不符（应为 {sha256}，收到的是 {actual}），已丢弃收到的部分：请从头重新上传"),
            ));
        }
        let dest = self.complete_path(sha256);
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(io_error)?;
        }
        std::fs::rename(&partial, &dest).map_err(io_error)?;
        if let Some(dir) = dest.parent() {
            std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io_error)?;
        }
        Ok(Held {
            size: total,
            complete: true,
        })
    }

    /// A complete blob's size and its bytes `from..=to` (`to`: `None` for the rest).
    pub async fn read_range(&self, sha256: &str, from: u64, to: Option<u64>) -> Result<(u64, Vec<u8>), ApiError> {
        if !self.is_complete(sha256) {
            return Err(missing(sha256));
        }
        let path = self.complete_path(sha256);
        tokio::task::spawn_blocking(move || -> Result<(u64, Vec<u8>), ApiError> {
            let file = std::fs::File::open(&path).map_err(io_error)?;
            let size = file.metadata().map_err(io_error)?.len();
            let end = to.map_or(size, |t| t.saturating_add(1).min(size));
            if from > size || (from == size && size > 0) || end < from {
                return Err(ApiError::new(
                    StatusCode::RANGE_NOT_SATISFIABLE,
                    ErrorCode::BadRequest,
                    format!("请求的附件范围（自第 {from} 字节起）超出了附件的 {size} 字节"),
                ));
            }
            let mut file = file;
            std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(from)).map_err(io_error)?;
            let mut bytes = Vec::with_capacity(usize::try_from(end - from).unwrap_or(0));
            file.take(end - from).read_to_end(&mut bytes).map_err(io_error)?;
            Ok((size, bytes))
        })
        .await
        .map_err(ApiError::internal)?
    }
}

fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn conflict(held: u64, offset: u64) -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        ErrorCode::BlobOffset,
        format!("附件分块的位置不对：服务器已有 {held} 字节，这一块自第 {offset} 字节起：请从第 {held} 字节续传"),
    )
}

fn missing(sha256: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::BlobMissing,
        format!("服务器上没有完整的附件 {sha256}：请等上传它的工作站同步后再下载"),
    )
}

fn with_state(mut response: Response, held: Held) -> Response {
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&held.size.to_string()) {
        headers.insert(HEADER_BLOB_OFFSET, v);
    }
    headers.insert(
        HEADER_BLOB_COMPLETE,
        HeaderValue::from_static(if held.complete { "1" } else { "0" }),
    );
    response
}

/// `HEAD /v1/blobs/{sha256}`: the size held and whether it is complete.
pub async fn head(
    State(state): State<AppState>,
    _who: StationAuth,
    UrlPath(sha256): UrlPath<String>,
) -> Result<Response, ApiError> {
    let held = state.blobs.held(&sha256)?;
    Ok(with_state(StatusCode::OK.into_response(), held))
}

/// The query of a chunk.
#[derive(Debug, Deserialize)]
pub struct PutQuery {
    pub offset: u64,
    pub total: u64,
}

/// `PUT /v1/blobs/{sha256}?offset=N&total=T`: appends a chunk (see [`BlobStore::append`]).
pub async fn put(
    State(state): State<AppState>,
    who: StationAuth,
    UrlPath(sha256): UrlPath<String>,
    query: Result<Query<PutQuery>, axum::extract::rejection::QueryRejection>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|_| {
        ApiError::bad_request("附件分块缺少 offset 和 total 参数（如 ?offset=0&total=1024）：请升级本工作站程序")
    })?;
    match state.blobs.append(&sha256, q.offset, q.total, &body).await {
        Ok(held) => {
            if held.complete {
                tracing::info!(station = %who.station_id, blob = %sha256, size = held.size, "blob complete");
            }
            Ok(with_state(StatusCode::OK.into_response(), held))
        }
        Err(e) if e.code == ErrorCode::BlobOffset => {
            let held = state.blobs.held(&sha256)?;
            Ok(with_state(e.into_response(), held))
        }
        Err(e) => Err(e),
    }
}

/// `GET /v1/blobs/{sha256}`; with `Range: bytes=N-` or `bytes=N-M` the part asked for (206).
pub async fn get(
    State(state): State<AppState>,
    who: StationAuth,
    UrlPath(sha256): UrlPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !valid_name(&sha256) {
        return Err(bad_name(&sha256));
    }
    // A station of an office of the tree reads only the files of cases it sees.
    if who.office_code.is_some() && !crate::record::blob_in_scope(&state.pool, &who, &sha256).await? {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::OutOfScope,
            "这个附件属于本工作站机构范围以外的案件，服务器不提供：请由该案件所属机构的工作站查看",
        ));
    }
    let range = match headers.get(header::RANGE) {
        None => None,
        Some(v) => Some(range_of(v)?),
    };
    let (from, to) = range.unwrap_or((0, None));
    let (size, bytes) = state.blobs.read_range(&sha256, from, to).await?;
    let mut response = match range {
        Some(_) => {
            let last = from + (bytes.len() as u64).saturating_sub(1);
            let mut r = (StatusCode::PARTIAL_CONTENT, bytes).into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {from}-{last}/{size}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            r
        }
        None => (StatusCode::OK, bytes).into_response(),
    };
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    Ok(response)
}

/// `Range: bytes=N-` or `bytes=N-M` (the forms a station sends).
fn range_of(v: &HeaderValue) -> Result<(u64, Option<u64>), ApiError> {
    let refused = || {
        ApiError::new(
            StatusCode::RANGE_NOT_SATISFIABLE,
            ErrorCode::BadRequest,
            "附件下载的范围只接受“bytes=起点-”或“bytes=起点-终点”的形式",
        )
    };
    let spec = v
        .to_str()
        .ok()
        .and_then(|s| s.strip_prefix("bytes="))
        .ok_or_else(refused)?;
    let (a, b) = spec.split_once('-').ok_or_else(refused)?;
    let from = a.parse::<u64>().map_err(|_| refused())?;
    let to = if b.is_empty() {
        None
    } else {
        Some(b.parse::<u64>().map_err(|_| refused())?)
    };
    Ok((from, to))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn sha(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    #[tokio::test]
    async fn a_cut_upload_resumes_at_the_held_offset_and_a_wrong_offset_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let store = BlobStore::new(tmp.path());
        let data: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        let name = sha(&data);
        assert_eq!(
            store.held(&name).unwrap(),
            Held {
                size: 0,
                complete: false
            }
        );
        let held = store.append(&name, 0, 3000, &data[..1000]).await.unwrap();
        assert_eq!(
            held,
            Held {
                size: 1000,
                complete: false
            }
        );
        // The station lost the answer and sends the wrong chunk: refused with the size held.
        let e = store.append(&name, 2000, 3000, &data[2000..]).await.unwrap_err();
        assert_eq!((e.status, e.code), (StatusCode::CONFLICT, ErrorCode::BlobOffset));
        assert!(e.message.contains("1000"), "{}", e.message);
        assert!(!store.is_complete(&name));
        store.append(&name, 1000, 3000, &data[1000..2000]).await.unwrap();
        let held = store.append(&name, 2000, 3000, &data[2000..]).await.unwrap();
        assert_eq!(
            held,
            Held {
                size: 3000,
                complete: true
            }
        );
        assert!(store.is_complete(&name));
        assert!(!tmp.path().join("blobs/partial").join(&name).exists());
        assert_eq!(store.read_range(&name, 0, None).await.unwrap(), (3000, data.clone()));
        assert_eq!(
            store.read_range(&name, 2500, None).await.unwrap().1,
            data[2500..].to_vec()
        );
        assert_eq!(
            store.read_range(&name, 10, Some(19)).await.unwrap().1,
            data[10..20].to_vec()
        );
        // A repeated chunk after completion changes nothing.
        assert!(store.append(&name, 0, 3000, &data[..10]).await.unwrap().complete);
    }

    #[tokio::test]
    async fn bytes_that_do_not_match_the_name_are_refused_and_discarded() {
        let tmp = tempfile::tempdir().unwrap();
        let store = BlobStore::new(tmp.path());
        let name = sha(b"the real sample");
        store.append(&name, 0, 15, b"the fake").await.unwrap();
        let e = store.append(&name, 8, 15, b" sample").await.unwrap_err();
        assert_eq!(
            (e.status, e.code),
            (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::BlobMismatch)
        );
        assert_eq!(
            store.held(&name).unwrap(),
            Held {
                size: 0,
                complete: false
            }
        );
        assert!(!store.is_complete(&name));
        let e = store.read_range(&name, 0, None).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::BlobMissing);
    }

    #[tokio::test]
    async fn a_bad_name_or_a_chunk_past_the_total_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let store = BlobStore::new(tmp.path());
        let e = store.append("../../etc/passwd", 0, 1, b"x").await.unwrap_err();
        assert_eq!(e.code, ErrorCode::BadRequest);
        let name = sha(b"ab");
        let e = store.append(&name, 0, 1, b"ab").await.unwrap_err();
        assert_eq!(e.code, ErrorCode::BadRequest);
        assert_eq!(store.held(&name).unwrap().size, 0);
    }
}
