//! The sync loop: push the outbox, record the verdicts, then pull and apply.
//!
//! A round ([`sync_once`]) pushes the station's outbox in batches of at
//! most [`MAX_PUSH_ENTRIES`] until it is empty, recording the server's
//! verdicts after each batch; a `retry_later` or a transport error ends the
//! round there, with the rest still pending. Only with the outbox empty does
//! it pull, page by page, applying each page (the store refuses to apply over
//! entries still waiting for a verdict, and the loop checks before it asks).
//! Every round ends with [`StationRecord::note_sync`]: the sync screen's last
//! success or last error, in Chinese.
//!
//! [`watch`] repeats rounds for as long as the app runs: the pull waits on the
//! server (long-poll) for a new entry, a local command pokes it to push at
//! once, and errors back off from one second to thirty. Nothing is lost on
//! the way: an entry leaves the outbox only when the store records its
//! verdict, and a repeated push gets the same verdict from the server.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::{watch as signal, Notify};
use uuid::Uuid;

use crate::client::{SyncClient, SyncError};
use crate::protocol::{ErrorCode, SnapshotChunk, Verdict, MAX_PUSH_ENTRIES};
use crate::station::{StationRecord, SyncOutcome};

/// Entries asked for in one pull.
pub const PULL_PAGE: u32 = 500;
/// Rows asked for in one snapshot page.
pub const SNAPSHOT_PAGE: u32 = 5_000;

/// How a watching station waits and backs off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchConfig {
    /// How long the server may hold a pull open waiting for a new entry.
    pub wait_ms: u32,
    /// The first pause after a failed round.
    pub backoff_min: Duration,
    /// The longest pause between failed rounds.
    pub backoff_max: Duration,
}

impl Default for WatchConfig {
    fn default() -> Self {
        Self {
            wait_ms: 25_000,
            backoff_min: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
        }
    }
}

/// How a round's pull ended.
enum Pulled {
    /// Up to date with the server.
    Done,
    /// A local command came in: push it before pulling more.
    LocalWork,
}

fn local(e: impl std::fmt::Display) -> String {
    format!("本机记录读写失败（{e}）：待同步的记录保留在本机，请稍后重试；仍不成功请联系技术支持")
}

/// A station that joined an office takes the office's rows first, page by
/// page, resuming after the last page applied; `on_page` sees each page (a
/// progress bar). Does nothing when the station needs no first sync.
///
/// While the station writes one page, the next is already on its way: it is
/// asked for as soon as a page arrives (the snapshot's id and the page's last
/// row say what comes next) and used only when the station, after writing,
/// asks for exactly that page; otherwise it is dropped and the station's own
/// request goes out. The pages applied are the same either way.
pub async fn first_sync<R: StationRecord>(
    record: &R,
    client: &SyncClient,
    mut on_page: impl FnMut(&SnapshotChunk),
) -> Result<(), String> {
    type Ahead = (
        crate::protocol::SnapshotRequest,
        tokio::task::JoinHandle<Result<SnapshotChunk, SyncError>>,
    );
    let mut ahead: Option<Ahead> = None;
    let outcome = async {
        while let Some(request) = record.snapshot_request(SNAPSHOT_PAGE).map_err(local)? {
            let chunk = match ahead.take() {
                Some((asked, page)) if asked == request => match page.await {
                    Ok(reply) => reply,
                    // The task was cancelled or failed: ask again.
                    Err(_) => client.snapshot(&request).await,
                },
                Some((_, page)) => {
                    page.abort();
                    client.snapshot(&request).await
                }
                None => client.snapshot(&request).await,
            }
            .map_err(|e| e.to_string())?;
            if let Some(after) = &chunk.next {
                let next = crate::protocol::SnapshotRequest {
                    snapshot_id: Some(chunk.snapshot_id.clone()),
                    after: Some(after.clone()),
                    max_rows: request.max_rows,
                };
                let (c, asked) = (client.clone(), next.clone());
                ahead = Some((next, tokio::spawn(async move { c.snapshot(&asked).await })));
            }
            record.apply_snapshot(&chunk).map_err(local)?;
            on_page(&chunk);
            if chunk.next.is_none() {
                break;
            }
        }
        Ok(())
    }
    .await;
    if let Some((_, page)) = ahead {
        page.abort();
    }
    outcome
}

/// One round: the first sync's snapshot if one is due, then push everything,
/// then pull everything. Never fails: an error ends the round early and is
/// named in the outcome, with the pending work kept.
pub async fn sync_once<R: StationRecord>(record: &R, client: &SyncClient) -> SyncOutcome {
    let mut out = SyncOutcome::default();
    if let Err(e) = first_sync(record, client, |_| {}).await {
        return finish(record, out, Err(e));
    }
    let result = match push_all(record, client, &mut out).await {
        Ok(()) => {
            refresh_leases(record, client, &mut out).await;
            pull_all(record, client, &mut out, 0, None).await.map(|p| match p {
                Pulled::Done => None,
                Pulled::LocalWork => Some(LOCAL_WORK.to_string()),
            })
        }
        Err(e) => Err(e),
    };
    finish(record, out, result)
}

const LOCAL_WORK: &str = "本机有尚未上传的新办理记录：服务器的新记录待它们上传后再下载";

/// Fills in the cursor and the error, and notes the round in the record.
fn finish<R: StationRecord>(record: &R, mut out: SyncOutcome, result: Result<Option<String>, String>) -> SyncOutcome {
    out.error = match result {
        Ok(note) => note.or(out.error.take()),
        Err(e) => Some(e),
    };
    match record.pull_cursor() {
        Ok(c) => out.cursor = c,
        Err(e) => {
            out.error.get_or_insert_with(|| local(e));
        }
    }
    if let Err(e) = record.note_sync(Utc::now(), &out) {
        out.error.get_or_insert_with(|| local(e));
    }
    out
}

/// Gives back and tops up the station's leased registration numbers, after
/// the push (so the server has seen every number used). A failure here does
/// not end the round: the station keeps what it holds, approvals without a
/// leased number wait for the server's number, and the next round asks again.
async fn refresh_leases<R: StationRecord>(record: &R, client: &SyncClient, out: &mut SyncOutcome) {
    let result = async {
        let Some(request) = record.lease_request().map_err(local)? else {
            return Ok(());
        };
        let reply = client.leases(&request).await.map_err(|e| e.to_string())?;
        record.apply_lease(&reply).map_err(local)
    }
    .await;
    if let Err(e) = result {
        out.error.get_or_insert(format!("登记号号段未能更新：{e}"));
    }
}

/// Pushes the outbox batch by batch until it is empty. Stops at the first
/// `retry_later` or error, with that entry and everything behind it pending.
async fn push_all<R: StationRecord>(record: &R, client: &SyncClient, out: &mut SyncOutcome) -> Result<(), String> {
    let mut decided: HashSet<Uuid> = HashSet::new();
    loop {
        let batch = record.outbox(MAX_PUSH_ENTRIES).map_err(local)?;
        if batch.is_empty() {
            return Ok(());
        }
        if batch.iter().any(|e| decided.contains(&e.id)) {
            return Err(local("服务器已答复的记录仍在待上传之列"));
        }
        // Attachments go up before the entries that name them.
        let mut sent: HashSet<&str> = HashSet::new();
        for sha in batch.iter().flat_map(|e| e.blobs.iter()) {
            if sent.insert(sha.as_str()) {
                upload_blob(record, client, sha).await?;
            }
        }
        out.pushed += batch.len() as u64;
        let head = record.chain_head().map_err(local)?;
        let reply = client.push_at(&batch, head.as_ref()).await.map_err(|e| e.to_string())?;
        record.record_verdicts(&reply.verdicts).map_err(local)?;
        for (v, entry) in reply.verdicts.iter().zip(&batch) {
            match &v.verdict {
                Verdict::Accepted { .. } => out.accepted += 1,
                Verdict::Rejected { .. } => out.rejected += 1,
                Verdict::RetryLater { reason } => {
                    return Err(format!(
                        "服务器暂缓接收本机的第 {} 条办理记录（{reason}）：它和其后的记录保留待同步，稍后自动重发",
                        entry.station_seq
                    ));
                }
            }
            decided.insert(v.id);
        }
        if reply.verdicts.len() < batch.len() {
            return Err(format!(
                "服务器只答复了上传的 {} 条记录中的 {} 条：其余保留待同步，稍后自动重发",
                batch.len(),
                reply.verdicts.len()
            ));
        }
    }
}

/// Bytes of an attachment sent or fetched in one request.
pub const BLOB_CHUNK: usize = 1024 * 1024;

/// Uploads one attachment the server lacks, in [`BLOB_CHUNK`]s read from the
/// station's stream of it (never the whole file in memory), resuming from the
/// bytes the server already holds (an earlier upload cut short). A chunk
/// refused at a stale offset continues from the server's size.
pub async fn upload_blob<R: StationRecord>(record: &R, client: &SyncClient, sha256: &str) -> Result<(), String> {
    use std::io::Read as _;
    let held = client.blob_head(sha256).await.map_err(|e| e.to_string())?;
    if held.complete {
        return Ok(());
    }
    let not_held =
        || format!("本机没有附件 {sha256} 的内容，引用它的办理记录暂不能上传：请在添加它的工作站同步，或联系技术支持");
    let Some((total, mut reader)) = record.blob_reader(sha256).map_err(local)? else {
        return Err(not_held());
    };
    let mut offset = held.offset;
    // Bytes of the stream read so far.
    let mut at = 0u64;
    let mut realigned = false;
    let mut buf = vec![0u8; BLOB_CHUNK];
    loop {
        if offset > total {
            return Err(format!(
                "服务器上的附件 {sha256} 比本机的还长（{offset} / {total} 字节）：请联系系统管理员"
            ));
        }
        if offset < at {
            // The server holds less than was sent (a partial discarded): read again from the start.
            let Some((_, again)) = record.blob_reader(sha256).map_err(local)? else {
                return Err(not_held());
            };
            reader = again;
            at = 0;
        }
        let skipped = std::io::copy(&mut (&mut reader).take(offset - at), &mut std::io::sink())
            .map_err(|e| local(format!("读取本机附件 {sha256}：{e}")))?;
        at += skipped;
        let want = usize::try_from((total - offset).min(BLOB_CHUNK as u64)).map_err(|_| local("附件分块超出范围"))?;
        let n = read_full(&mut reader, &mut buf[..want]).map_err(|e| local(format!("读取本机附件 {sha256}：{e}")))?;
        at += n as u64;
        if at != offset + want as u64 {
            return Err(format!(
                "本机附件 {sha256} 比记录的 {total} 字节短：文件已损坏，未上传，请联系技术支持"
            ));
        }
        match client.blob_put(sha256, offset, total, buf[..n].to_vec()).await {
            Ok(state) if state.complete => return Ok(()),
            Ok(state) if state.offset > offset => {
                offset = state.offset;
                realigned = false;
            }
            Ok(state) => {
                return Err(format!(
                    "服务器没有接收附件 {sha256} 的分块（停在 {} / {total} 字节）：稍后自动重试",
                    state.offset
                ));
            }
            Err(SyncError::Refused {
                code: ErrorCode::BlobOffset,
                ..
            }) if !realigned => {
                // Another upload moved on (or a reply was lost): go on from the server's size.
                offset = client.blob_head(sha256).await.map_err(|e| e.to_string())?.offset;
                realigned = true;
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Reads until `buf` is full or the stream ends; the bytes read.
fn read_full(reader: &mut impl std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
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

/// Downloads one attachment from the server in [`BLOB_CHUNK`]s, calling
/// `progress(done, total)` after each, and keeps it in the record (which
/// checks its hash before storing it).
pub async fn fetch_blob<R: StationRecord>(
    record: &R,
    client: &SyncClient,
    sha256: &str,
    mut progress: impl FnMut(u64, u64),
) -> Result<(), String> {
    let held = client.blob_head(sha256).await.map_err(|e| e.to_string())?;
    if !held.complete {
        return Err(format!(
            "服务器上还没有完整的附件 {sha256}：请等添加它的工作站同步后再下载"
        ));
    }
    let total = held.offset;
    let mut bytes = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    progress(0, total);
    while (bytes.len() as u64) < total {
        let from = bytes.len() as u64;
        let to = (from + BLOB_CHUNK as u64).min(total) - 1;
        let chunk = client.blob_range(sha256, from, to).await.map_err(|e| e.to_string())?;
        if chunk.is_empty() {
            return Err(format!("服务器提前结束了附件 {sha256} 的下载：请稍后重试"));
        }
        bytes.extend_from_slice(&chunk);
        progress(bytes.len() as u64, total);
    }
    record.save_blob(sha256, &bytes).map_err(|e| e.to_string())
}

/// Downloads every attachment the station's file rows name but it lacks;
/// `progress(index, count, done, total)` reports the file and its bytes.
/// Returns how many were fetched.
pub async fn fetch_missing_blobs<R: StationRecord>(
    record: &R,
    client: &SyncClient,
    mut progress: impl FnMut(usize, usize, u64, u64),
) -> Result<usize, String> {
    let missing = record.missing_blobs().map_err(local)?;
    let count = missing.len();
    for (i, sha) in missing.iter().enumerate() {
        fetch_blob(record, client, sha, |done, total| progress(i + 1, count, done, total)).await?;
    }
    Ok(count)
}

/// Pulls and applies page after page until the station is up to date. The
/// first request may wait `wait_ms` for a new entry; a `poke` ends that wait
/// so the loop can push a local command first.
async fn pull_all<R: StationRecord>(
    record: &R,
    client: &SyncClient,
    out: &mut SyncOutcome,
    wait_ms: u32,
    poke: Option<&Notify>,
) -> Result<Pulled, String> {
    let mut cursor = record.pull_cursor().map_err(local)?;
    let mut wait = wait_ms;
    loop {
        if !record.outbox(1).map_err(local)?.is_empty() {
            return Ok(Pulled::LocalWork);
        }
        let reply = match poke {
            Some(poke) if wait > 0 => {
                tokio::select! {
                    r = client.pull(cursor, PULL_PAGE, wait) => r,
                    () = poke.notified() => return Ok(Pulled::LocalWork),
                }
            }
            _ => client.pull(cursor, PULL_PAGE, wait).await,
        }
        .map_err(|e| e.to_string())?;
        if !reply.entries.is_empty() {
            // A local command may have come in while the pull waited: never
            // apply server state over it.
            if !record.outbox(1).map_err(local)?.is_empty() {
                return Ok(Pulled::LocalWork);
            }
            record.apply_pulled(&reply.entries).map_err(local)?;
            out.pulled += reply.entries.len() as u64;
        }
        cursor = reply.cursor;
        if !reply.more {
            return Ok(Pulled::Done);
        }
        wait = 0;
    }
}

/// Waits until `stop` says so (or its sender is gone).
async fn stopped(stop: &mut signal::Receiver<bool>) {
    while !*stop.borrow_and_update() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}

/// Keeps the station in sync until `stop` turns true: rounds of push then
/// long-poll pull; `poke` (notified by the app after each local command)
/// cuts the wait short so new work goes up at once; failed rounds back off
/// from `backoff_min` to `backoff_max`. Each round's outcome is noted in the
/// record and passed to `on_round` (the header's 在线 / 离线 · N 条待同步).
pub async fn watch<R: StationRecord>(
    record: &R,
    client: &SyncClient,
    poke: &Notify,
    mut stop: signal::Receiver<bool>,
    config: WatchConfig,
    mut on_round: impl FnMut(&SyncOutcome),
) {
    let mut backoff = config.backoff_min;
    loop {
        if *stop.borrow() {
            return;
        }
        let started = Instant::now();
        let mut out = SyncOutcome::default();
        let round = async {
            first_sync(record, client, |_| {}).await?;
            push_all(record, client, &mut out).await?;
            refresh_leases(record, client, &mut out).await;
            pull_all(record, client, &mut out, config.wait_ms, Some(poke)).await
        };
        let result = tokio::select! {
            r = round => r,
            () = stopped(&mut stop) => return,
        };
        let idle = matches!(result, Ok(Pulled::Done)) && out.pushed == 0 && out.pulled == 0;
        let failed = result.is_err();
        let out = finish(record, out, result.map(|_| None));
        on_round(&out);
        if failed {
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                () = stopped(&mut stop) => return,
            }
            backoff = (backoff * 2).min(config.backoff_max);
            continue;
        }
        backoff = config.backoff_min;
        // A server that answers an idle pull at once must not make the loop spin.
        if idle && started.elapsed() < config.backoff_min {
            tokio::select! {
                () = tokio::time::sleep(config.backoff_min) => {}
                () = poke.notified() => {}
                () = stopped(&mut stop) => return,
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use std::collections::{HashMap, VecDeque};
    use std::sync::{Arc, Mutex};

    use axum::body::{Body, Bytes};
    use axum::extract::State;
    use axum::response::{IntoResponse, Response};
    use axum::routing::post;
    use axum::{Json, Router};

    use super::*;
    use crate::protocol::{
        Entry, EntryVerdict, PullReply, PullRequest, PulledEntry, PushReply, PushRequest, RejectCode, PATH_PULL,
        PATH_PUSH,
    };
    use crate::station::Enrolment;
    use crate::testkit::{self, Pki};

    // ---- an in-memory station record -------------------------------------------------------

    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    struct FakeError(String);

    #[derive(Default)]
    struct FakeState {
        outbox: Vec<Entry>,
        accepted: Vec<(Uuid, i64)>,
        inbox: Vec<(Entry, EntryVerdict)>,
        applied: Vec<PulledEntry>,
        cursor: i64,
        notes: Vec<SyncOutcome>,
        next_seq: i64,
        /// Attachments held, by SHA-256.
        blobs: HashMap<String, Vec<u8>>,
        /// Attachments the file rows name.
        named: Vec<String>,
        /// Times an attachment was read whole into memory.
        whole_reads: usize,
    }

    #[derive(Default, Clone)]
    struct FakeRecord(Arc<Mutex<FakeState>>);

    impl FakeRecord {
        fn with_entries(n: i64) -> Self {
            let r = Self::default();
            for _ in 0..n {
                r.add();
            }
            r
        }

        /// A local command: one more entry in the outbox.
        fn add(&self) -> Entry {
            let mut s = self.0.lock().unwrap();
            s.next_seq += 1;
            let e = testkit::entry(s.next_seq);
            s.outbox.push(e.clone());
            e
        }

        fn outbox_seqs(&self) -> Vec<i64> {
            self.0.lock().unwrap().outbox.iter().map(|e| e.station_seq).collect()
        }

        fn applied_seqs(&self) -> Vec<i64> {
            self.0.lock().unwrap().applied.iter().map(|p| p.office_seq).collect()
        }
    }

    impl StationRecord for FakeRecord {
        type Error = FakeError;

        fn enrolment(&self) -> Result<Option<Enrolment>, FakeError> {
            Ok(None)
        }

        fn outbox(&self, limit: usize) -> Result<Vec<Entry>, FakeError> {
            Ok(self.0.lock().unwrap().outbox.iter().take(limit).cloned().collect())
        }

        fn record_verdicts(&self, verdicts: &[EntryVerdict]) -> Result<(), FakeError> {
            let mut s = self.0.lock().unwrap();
            for v in verdicts {
                let Some(at) = s.outbox.iter().position(|e| e.id == v.id) else {
                    return Err(FakeError(format!("no entry {}", v.id)));
                };
                match &v.verdict {
                    Verdict::Accepted { office_seq } => {
                        s.outbox.remove(at);
                        s.accepted.push((v.id, *office_seq));
                    }
                    Verdict::Rejected { .. } => {
                        let e = s.outbox.remove(at);
                        s.inbox.push((e, v.clone()));
                    }
                    Verdict::RetryLater { .. } => {}
                }
            }
            Ok(())
        }

        fn pull_cursor(&self) -> Result<i64, FakeError> {
            Ok(self.0.lock().unwrap().cursor)
        }

        fn apply_pulled(&self, entries: &[PulledEntry]) -> Result<(), FakeError> {
            let mut s = self.0.lock().unwrap();
            if !s.outbox.is_empty() {
                return Err(FakeError("outbox not empty".into()));
            }
            for p in entries {
                if p.office_seq <= s.cursor {
                    continue;
                }
                s.cursor = p.office_seq;
                s.applied.push(p.clone());
            }
            Ok(())
        }

        fn note_sync(&self, _at: chrono::DateTime<Utc>, outcome: &SyncOutcome) -> Result<(), FakeError> {
            self.0.lock().unwrap().notes.push(outcome.clone());
            Ok(())
        }

        // A station that works from the start with the office: no first sync.
        fn snapshot_request(&self, _max_rows: u32) -> Result<Option<crate::protocol::SnapshotRequest>, FakeError> {
            Ok(None)
        }

        fn apply_snapshot(&self, _chunk: &SnapshotChunk) -> Result<(), FakeError> {
            Err(FakeError("no first sync is due".into()))
        }

        fn state_hash(&self) -> Result<String, FakeError> {
            let s = self.0.lock().unwrap();
            let keys: Vec<String> = s.applied.iter().map(|p| p.entry.id.to_string()).collect();
            Ok(crate::state_hash(
                keys.iter().map(|k| ("entries", k.as_str(), k.as_str())),
            ))
        }

        fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>, FakeError> {
            let mut s = self.0.lock().unwrap();
            s.whole_reads += 1;
            Ok(s.blobs.get(sha256).cloned())
        }

        fn blob_reader(&self, sha256: &str) -> Result<Option<(u64, Box<dyn std::io::Read + Send>)>, FakeError> {
            Ok(self.0.lock().unwrap().blobs.get(sha256).cloned().map(|b| {
                let size = b.len() as u64;
                let reader: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(b));
                (size, reader)
            }))
        }

        fn save_blob(&self, sha256: &str, bytes: &[u8]) -> Result<(), FakeError> {
            use sha2::Digest;
            if hex::encode(sha2::Sha256::digest(bytes)) != sha256 {
                return Err(FakeError(format!("bytes do not hash to {sha256}")));
            }
            self.0.lock().unwrap().blobs.insert(sha256.into(), bytes.to_vec());
            Ok(())
        }

        fn missing_blobs(&self) -> Result<Vec<String>, FakeError> {
            let s = self.0.lock().unwrap();
            Ok(s.named.iter().filter(|n| !s.blobs.contains_key(*n)).cloned().collect())
        }
    }

    // ---- an in-process server -------------------------------------------------------------

    #[derive(Default)]
    struct ServerState {
        /// Final verdicts by entry id (idempotency).
        decided: HashMap<Uuid, Verdict>,
        /// Scripted answers by station_seq, used once each.
        script: HashMap<i64, VecDeque<Verdict>>,
        /// The office's accepted entries, in order.
        log: Vec<PulledEntry>,
        /// Each push: the station_seqs it carried.
        pushes: Vec<Vec<i64>>,
        /// Cut the reply of the next push after deciding it.
        cut_next_reply: bool,
        /// Run on each pull (a local command while the station waits).
        on_pull: Option<Arc<dyn Fn() + Send + Sync>>,
    }

    #[derive(Clone, Default)]
    struct Fake {
        state: Arc<Mutex<ServerState>>,
        news: Arc<Notify>,
    }

    impl Fake {
        fn script(&self, station_seq: i64, v: Verdict) {
            self.state
                .lock()
                .unwrap()
                .script
                .entry(station_seq)
                .or_default()
                .push_back(v);
        }

        /// An entry another station had accepted.
        fn accept_from_elsewhere(&self) {
            let mut s = self.state.lock().unwrap();
            let office_seq = s.log.len() as i64 + 1;
            let mut entry = testkit::entry(100 + office_seq);
            entry.station_id = "s2".into();
            s.log.push(PulledEntry { office_seq, entry });
            drop(s);
            self.news.notify_waiters();
        }

        fn pushes(&self) -> Vec<Vec<i64>> {
            self.state.lock().unwrap().pushes.clone()
        }

        fn log_ids(&self) -> Vec<Uuid> {
            self.state.lock().unwrap().log.iter().map(|p| p.entry.id).collect()
        }
    }

    async fn push(State(fake): State<Fake>, Json(req): Json<PushRequest>) -> Response {
        let mut s = fake.state.lock().unwrap();
        s.pushes.push(req.entries.iter().map(|e| e.station_seq).collect());
        let mut verdicts = Vec::new();
        for e in req.entries {
            let verdict = if let Some(v) = s.decided.get(&e.id) {
                v.clone()
            } else {
                let scripted = s.script.get_mut(&e.station_seq).and_then(VecDeque::pop_front);
                let v = match scripted {
                    Some(v) => v,
                    None => {
                        let office_seq = s.log.len() as i64 + 1;
                        s.log.push(PulledEntry {
                            office_seq,
                            entry: e.clone(),
                        });
                        Verdict::Accepted { office_seq }
                    }
                };
                if !matches!(v, Verdict::RetryLater { .. }) {
                    s.decided.insert(e.id, v.clone());
                }
                v
            };
            let stop = matches!(verdict, Verdict::RetryLater { .. });
            verdicts.push(EntryVerdict { id: e.id, verdict });
            if stop {
                break;
            }
        }
        let cut = std::mem::take(&mut s.cut_next_reply);
        drop(s);
        fake.news.notify_waiters();
        if cut {
            // The server committed; the answer is lost halfway down the wire.
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(Bytes::from_static(b"{\"verdicts\":[")),
                Err(std::io::Error::other("connection cut")),
            ];
            return Body::from_stream(futures_util::stream::iter(chunks)).into_response();
        }
        Json(PushReply { verdicts }).into_response()
    }

    async fn pull(State(fake): State<Fake>, Json(req): Json<PullRequest>) -> Json<PullReply> {
        let hook = fake.state.lock().unwrap().on_pull.clone();
        if let Some(hook) = hook {
            hook();
        }
        let deadline = Instant::now() + Duration::from_millis(u64::from(req.wait_ms));
        loop {
            let news = fake.news.notified();
            {
                let s = fake.state.lock().unwrap();
                let after: Vec<PulledEntry> = s.log.iter().filter(|p| p.office_seq > req.cursor).cloned().collect();
                if !after.is_empty() || Instant::now() >= deadline {
                    let page: Vec<PulledEntry> = after.iter().take(req.limit as usize).cloned().collect();
                    let cursor = page.last().map_or(req.cursor, |p| p.office_seq);
                    return Json(PullReply {
                        more: after.len() > page.len(),
                        entries: page,
                        cursor,
                    });
                }
            }
            let _ = tokio::time::timeout_at(deadline.into(), news).await;
        }
    }

    async fn fake_server(pki: &Pki) -> (Fake, testkit::TestServer, SyncClient) {
        let fake = Fake::default();
        let router = Router::new()
            .route(PATH_PUSH, post(push))
            .route(PATH_PULL, post(pull))
            .with_state(fake.clone());
        let server = testkit::serve(pki, router).await;
        let client = SyncClient::new(&pki.enrolment(&server.url)).unwrap();
        (fake, server, client)
    }

    // ---- a first sync: a station record that takes snapshot pages ------------------------

    /// Rows of a snapshot a station took, and where it would resume.
    #[derive(Default)]
    struct Joining {
        rows: Vec<String>,
        snapshot: Option<String>,
        after: Option<(String, String)>,
        done: bool,
        /// After this many pages the station forgets its last row (as if the
        /// page's last write had not been kept), so it asks again from the one before.
        forget_after_page: Option<usize>,
        pages: usize,
    }

    struct JoiningRecord(Mutex<Joining>);

    impl StationRecord for JoiningRecord {
        type Error = FakeError;
        fn enrolment(&self) -> Result<Option<Enrolment>, FakeError> {
            Ok(None)
        }
        fn outbox(&self, _limit: usize) -> Result<Vec<Entry>, FakeError> {
            Ok(Vec::new())
        }
        fn record_verdicts(&self, _verdicts: &[EntryVerdict]) -> Result<(), FakeError> {
            Ok(())
        }
        fn pull_cursor(&self) -> Result<i64, FakeError> {
            Ok(0)
        }
        fn apply_pulled(&self, _entries: &[PulledEntry]) -> Result<(), FakeError> {
            Ok(())
        }
        fn note_sync(&self, _at: chrono::DateTime<Utc>, _outcome: &SyncOutcome) -> Result<(), FakeError> {
            Ok(())
        }
        fn snapshot_request(&self, max_rows: u32) -> Result<Option<crate::protocol::SnapshotRequest>, FakeError> {
            let s = self.0.lock().unwrap();
            Ok((!s.done).then(|| crate::protocol::SnapshotRequest {
                snapshot_id: s.snapshot.clone(),
                after: s.after.clone(),
                max_rows,
            }))
        }
        fn apply_snapshot(&self, chunk: &SnapshotChunk) -> Result<(), FakeError> {
            let mut s = self.0.lock().unwrap();
            // A page at or before the last row applied is already here.
            if let (Some(after), Some(first)) = (&s.after, chunk.rows.first()) {
                if (first.table.clone(), first.key.clone()) <= *after {
                    return Ok(());
                }
            }
            s.pages += 1;
            let mut rows: Vec<String> = chunk.rows.iter().map(|r| r.key.clone()).collect();
            if s.forget_after_page == Some(s.pages) {
                rows.pop();
            }
            s.after = rows.last().map(|k| ("cases".to_string(), k.clone())).or(s.after.take());
            s.rows.extend(rows);
            s.snapshot = Some(chunk.snapshot_id.clone());
            s.done = chunk.next.is_none() && s.forget_after_page != Some(s.pages);
            Ok(())
        }
        fn state_hash(&self) -> Result<String, FakeError> {
            Ok(String::new())
        }
        fn blob(&self, _sha256: &str) -> Result<Option<Vec<u8>>, FakeError> {
            Ok(None)
        }
        fn save_blob(&self, _sha256: &str, _bytes: &[u8]) -> Result<(), FakeError> {
            Ok(())
        }
        fn missing_blobs(&self) -> Result<Vec<String>, FakeError> {
            Ok(Vec::new())
        }
    }

    /// A server of one snapshot of `n` rows (keys `k000000`…), pages of `max_rows`;
    /// every request it answered.
    async fn snapshot_server(
        pki: &Pki,
        n: usize,
    ) -> (
        Arc<Mutex<Vec<crate::protocol::SnapshotRequest>>>,
        testkit::TestServer,
        SyncClient,
    ) {
        use crate::protocol::{Column, SnapshotRequest, SnapshotRow, PATH_SNAPSHOT};
        let asked: Arc<Mutex<Vec<SnapshotRequest>>> = Arc::default();
        let seen = asked.clone();
        let router = Router::new().route(
            PATH_SNAPSHOT,
            post(move |Json(req): Json<SnapshotRequest>| {
                let seen = seen.clone();
                async move {
                    seen.lock().unwrap().push(req.clone());
                    let keys: Vec<String> = (0..n).map(|i| format!("k{i:06}")).collect();
                    let after = req.after.as_ref().map(|a| a.1.clone());
                    let rest: Vec<&String> = keys.iter().filter(|k| after.as_ref().is_none_or(|a| *k > a)).collect();
                    let page: Vec<SnapshotRow> = rest
                        .iter()
                        .take(req.max_rows as usize)
                        .map(|k| SnapshotRow {
                            table: "cases".into(),
                            key: (*k).clone(),
                            row: vec![Column {
                                name: "id".into(),
                                value: crate::protocol::Cell::Text((*k).clone()),
                            }],
                        })
                        .collect();
                    let next =
                        (rest.len() > page.len()).then(|| ("cases".to_string(), page[page.len() - 1].key.clone()));
                    Json(SnapshotChunk {
                        snapshot_id: "snap".into(),
                        cursor: 7,
                        total_rows: n as u64,
                        total_bytes: 0,
                        rows: page,
                        next,
                    })
                }
            }),
        );
        let server = testkit::serve(pki, router).await;
        let client = SyncClient::new(&pki.enrolment(&server.url)).unwrap();
        (asked, server, client)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_first_sync_asks_for_the_next_page_while_writing_one_and_takes_every_row_once() {
        let pki = Pki::new();
        let n = 3 * SNAPSHOT_PAGE as usize + 17;
        let (asked, _server, client) = snapshot_server(&pki, n).await;
        let record = JoiningRecord(Mutex::new(Joining::default()));
        let mut pages = 0;
        first_sync(&record, &client, |_| pages += 1).await.unwrap();
        let s = record.0.lock().unwrap();
        let want: Vec<String> = (0..n).map(|i| format!("k{i:06}")).collect();
        assert!(s.rows == want, "every row once, in order: {} rows of {n}", s.rows.len());
        assert!(s.done);
        assert_eq!(pages, 4);
        // Each page asked for once: the pages asked ahead were the ones used.
        let asked = asked.lock().unwrap();
        assert_eq!(asked.len(), 4, "{asked:?}");
        assert_eq!(asked[0].snapshot_id, None);
        for (a, b) in asked.iter().zip(asked.iter().skip(1)) {
            assert!(a.after < b.after, "pages in order: {a:?} then {b:?}");
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_page_asked_ahead_is_dropped_when_the_station_asks_for_another() {
        let pki = Pki::new();
        let n = 2 * SNAPSHOT_PAGE as usize + 5;
        let (asked, _server, client) = snapshot_server(&pki, n).await;
        // The first page's last row is not kept: the station asks again from the row before it.
        let record = JoiningRecord(Mutex::new(Joining {
            forget_after_page: Some(1),
            ..Joining::default()
        }));
        first_sync(&record, &client, |_| {}).await.unwrap();
        let s = record.0.lock().unwrap();
        let want: Vec<String> = (0..n).map(|i| format!("k{i:06}")).collect();
        assert!(
            s.rows == want,
            "the forgotten row comes again, nothing twice: {} rows of {n}",
            s.rows.len()
        );
        let asked = asked.lock().unwrap();
        let second = ("cases".to_string(), format!("k{:06}", SNAPSHOT_PAGE - 2));
        assert!(
            asked.iter().any(|r| r.after.as_ref() == Some(&second)),
            "the station's own request went out: {asked:?}"
        );
    }

    // ---- the tests ---------------------------------------------------------------------------

    #[tokio::test]
    async fn an_upload_streams_in_chunks_from_the_servers_offset() {
        use axum::extract::{Path, Query};
        use axum::http::StatusCode as S;
        use axum::routing::any;
        use sha2::Digest;
        let data: Vec<u8> = (0..2 * BLOB_CHUNK + 100).map(|i| (i % 251) as u8).collect();
        let sha = hex::encode(sha2::Sha256::digest(&data));
        // The server holds the first chunk and a bit: an upload cut short.
        type Held = Arc<Mutex<(Vec<u8>, Vec<usize>)>>;
        let held: Held = Arc::new(Mutex::new((data[..BLOB_CHUNK + 7].to_vec(), Vec::new())));
        let at_server = held.clone();
        let router = Router::new().route(
            "/v1/blobs/{sha}",
            any(
                move |method: axum::http::Method,
                      Path(name): Path<String>,
                      Query(q): Query<HashMap<String, u64>>,
                      body: axum::body::Bytes| {
                    let held = at_server.clone();
                    async move {
                        let mut h = held.lock().unwrap();
                        if method.as_str() == "PUT" {
                            assert_eq!(q["offset"], h.0.len() as u64, "a chunk at the wrong offset");
                            h.0.extend_from_slice(&body);
                            h.1.push(body.len());
                        }
                        let complete = hex::encode(sha2::Sha256::digest(&h.0)) == name;
                        (
                            S::OK,
                            [
                                (crate::client::HEADER_BLOB_OFFSET, h.0.len().to_string()),
                                (
                                    crate::client::HEADER_BLOB_COMPLETE,
                                    if complete { "1" } else { "0" }.to_string(),
                                ),
                            ],
                        )
                            .into_response()
                    }
                },
            ),
        );
        let pki = Pki::new();
        let server = testkit::serve(&pki, router).await;
        let client = SyncClient::new(&pki.enrolment(&server.url)).unwrap();
        let record = FakeRecord::default();
        record.0.lock().unwrap().blobs.insert(sha.clone(), data.clone());
        upload_blob(&record, &client, &sha).await.unwrap();
        let (got, chunks) = held.lock().unwrap().clone();
        assert_eq!(got, data);
        assert_eq!(chunks, vec![BLOB_CHUNK, 100 - 7]);
        assert_eq!(record.0.lock().unwrap().whole_reads, 0, "read whole into memory");
        server.stop();
    }

    #[tokio::test]
    async fn a_round_pushes_then_pulls_every_entry_once() {
        let pki = Pki::new();
        let (fake, server, client) = fake_server(&pki).await;
        fake.accept_from_elsewhere();
        let record = FakeRecord::with_entries(2);
        let out = sync_once(&record, &client).await;
        assert_eq!(out.error, None);
        assert_eq!((out.pushed, out.accepted, out.rejected, out.pulled), (2, 2, 0, 3));
        assert_eq!(out.cursor, 3);
        assert!(record.outbox_seqs().is_empty());
        assert_eq!(record.applied_seqs(), vec![1, 2, 3]);
        assert_eq!(record.0.lock().unwrap().notes, vec![out.clone()]);
        // Nothing new: nothing moves.
        let again = sync_once(&record, &client).await;
        assert_eq!((again.pushed, again.pulled, again.cursor), (0, 0, 3));
        assert_eq!(fake.pushes().len(), 1);
        server.stop();
    }

    #[tokio::test]
    async fn the_outbox_goes_up_in_batches() {
        let pki = Pki::new();
        let (fake, server, client) = fake_server(&pki).await;
        let record = FakeRecord::with_entries(MAX_PUSH_ENTRIES as i64 + 3);
        let out = sync_once(&record, &client).await;
        assert_eq!(out.error, None);
        let sizes: Vec<usize> = fake.pushes().iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![MAX_PUSH_ENTRIES, 3]);
        assert_eq!(out.accepted, MAX_PUSH_ENTRIES as u64 + 3);
        assert_eq!(out.pulled, MAX_PUSH_ENTRIES as u64 + 3);
        server.stop();
    }

    #[tokio::test]
    async fn retry_later_stops_the_batch_and_the_next_round_resends() {
        let pki = Pki::new();
        let (fake, server, client) = fake_server(&pki).await;
        fake.script(
            2,
            Verdict::RetryLater {
                reason: "附件尚未上传".into(),
            },
        );
        let record = FakeRecord::with_entries(3);
        let out = sync_once(&record, &client).await;
        assert_eq!((out.pushed, out.accepted, out.pulled), (3, 1, 0));
        let error = out.error.clone().unwrap();
        assert!(
            error.contains("暂缓接收本机的第 2 条") && error.contains("附件尚未上传"),
            "{error}"
        );
        assert_eq!(record.outbox_seqs(), vec![2, 3]);
        // Not pulled while 2 and 3 wait: entry 1 is not applied yet either.
        assert!(record.applied_seqs().is_empty());
        let out = sync_once(&record, &client).await;
        assert_eq!(out.error, None);
        assert_eq!((out.pushed, out.accepted, out.pulled), (2, 2, 3));
        assert_eq!(fake.pushes(), vec![vec![1, 2, 3], vec![2, 3]]);
        assert!(record.outbox_seqs().is_empty());
        assert_eq!(record.applied_seqs(), vec![1, 2, 3]);
        server.stop();
    }

    #[tokio::test]
    async fn a_rejected_entry_goes_to_the_inbox_and_does_not_block_the_next() {
        let pki = Pki::new();
        let (fake, server, client) = fake_server(&pki).await;
        fake.script(
            1,
            Verdict::Rejected {
                code: RejectCode::FourEyes,
                reason: "初审人不能终审同一案件".into(),
                current: Vec::new(),
            },
        );
        let record = FakeRecord::with_entries(3);
        let first = record.outbox(1).unwrap().remove(0);
        let out = sync_once(&record, &client).await;
        assert_eq!(out.error, None);
        assert_eq!((out.pushed, out.accepted, out.rejected, out.pulled), (3, 2, 1, 2));
        let inbox = record.0.lock().unwrap().inbox.clone();
        assert_eq!(inbox.len(), 1);
        assert_eq!(inbox[0].0, first, "the rejected entry keeps all its data");
        assert!(matches!(&inbox[0].1.verdict, Verdict::Rejected { reason, .. } if reason.contains("初审人")));
        assert_eq!(record.applied_seqs(), vec![1, 2]);
        // A repeated push of the rejected entry would get the same verdict; it is not resent.
        let again = sync_once(&record, &client).await;
        assert_eq!(again.pushed, 0);
        server.stop();
    }

    #[tokio::test]
    async fn pulled_entries_are_not_applied_while_the_outbox_is_not_empty() {
        let pki = Pki::new();
        let (fake, server, client) = fake_server(&pki).await;
        fake.accept_from_elsewhere();
        fake.accept_from_elsewhere();
        // A local command lands while the pull is on its way.
        let record = FakeRecord::default();
        let during = record.clone();
        fake.state.lock().unwrap().on_pull = Some(Arc::new(move || {
            during.add();
        }));
        let out = sync_once(&record, &client).await;
        assert_eq!(out.pulled, 0);
        assert_eq!(out.error.as_deref(), Some(LOCAL_WORK));
        assert!(record.applied_seqs().is_empty());
        assert_eq!(record.pull_cursor().unwrap(), 0);
        assert_eq!(record.outbox_seqs(), vec![1]);
        // The next round pushes it, then pulls all three.
        fake.state.lock().unwrap().on_pull = None;
        let out = sync_once(&record, &client).await;
        assert_eq!(out.error, None);
        assert_eq!((out.pushed, out.accepted, out.pulled), (1, 1, 3));
        assert_eq!(record.applied_seqs(), vec![1, 2, 3]);
        server.stop();
    }

    #[tokio::test]
    async fn a_dropped_connection_keeps_everything_pending_and_the_retry_changes_nothing() {
        let pki = Pki::new();
        let (fake, server, client) = fake_server(&pki).await;
        fake.state.lock().unwrap().cut_next_reply = true;
        let record = FakeRecord::with_entries(2);
        let out = sync_once(&record, &client).await;
        let error = out.error.clone().unwrap();
        assert!(error.contains("连接中断"), "{error}");
        assert_eq!((out.pushed, out.accepted, out.pulled), (2, 0, 0));
        assert_eq!(record.outbox_seqs(), vec![1, 2], "nothing left the outbox");
        assert_eq!(record.0.lock().unwrap().notes.last().unwrap().error, Some(error));
        // The server had committed both; the resend gets the same verdicts and nothing twice.
        let ids = fake.log_ids();
        assert_eq!(ids.len(), 2);
        let out = sync_once(&record, &client).await;
        assert_eq!(out.error, None);
        assert_eq!((out.pushed, out.accepted, out.pulled), (2, 2, 2));
        assert_eq!(fake.log_ids(), ids);
        assert_eq!(record.applied_seqs(), vec![1, 2]);
        let accepted = record.0.lock().unwrap().accepted.clone();
        assert_eq!(accepted.iter().map(|a| a.1).collect::<Vec<_>>(), vec![1, 2]);
        server.stop();
    }

    #[tokio::test]
    async fn an_unreachable_server_keeps_the_outbox_and_says_so() {
        let pki = Pki::new();
        let (_fake, server, _client) = fake_server(&pki).await;
        let url = server.url.clone();
        server.stop_and_wait().await;
        let client = SyncClient::new(&pki.enrolment(&url)).unwrap();
        let record = FakeRecord::with_entries(2);
        let out = sync_once(&record, &client).await;
        let error = out.error.unwrap();
        assert!(error.contains("无法连接同步服务器"), "{error}");
        assert_eq!(record.outbox_seqs(), vec![1, 2]);
    }

    #[tokio::test]
    async fn watching_pushes_when_poked_and_shows_other_stations_work_at_once() {
        let pki = Pki::new();
        let (fake, server, client) = fake_server(&pki).await;
        let record = FakeRecord::default();
        let poke = Arc::new(Notify::new());
        let (stop_tx, stop_rx) = signal::channel(false);
        let rounds = Arc::new(Mutex::new(Vec::<SyncOutcome>::new()));
        let config = WatchConfig {
            wait_ms: 20_000,
            backoff_min: Duration::from_millis(50),
            backoff_max: Duration::from_millis(200),
        };
        let task = {
            let (record, client, poke, rounds) = (record.clone(), client.clone(), poke.clone(), rounds.clone());
            tokio::spawn(async move {
                watch(&record, &client, &poke, stop_rx, config, |o| {
                    rounds.lock().unwrap().push(o.clone())
                })
                .await;
            })
        };
        let until = |what: &'static str, cond: Box<dyn Fn() -> bool>| async move {
            let deadline = Instant::now() + Duration::from_secs(5);
            while !cond() {
                assert!(Instant::now() < deadline, "timed out waiting for {what}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        // The loop now waits in a long-poll; a local command pokes it.
        tokio::time::sleep(Duration::from_millis(100)).await;
        record.add();
        poke.notify_one();
        let r = record.clone();
        until(
            "the own entry to come back",
            Box::new(move || r.applied_seqs() == vec![1]),
        )
        .await;
        assert!(record.outbox_seqs().is_empty());
        // Another station's entry reaches this one during the long-poll, well within a second.
        let started = Instant::now();
        fake.accept_from_elsewhere();
        let r = record.clone();
        until(
            "the other station's entry",
            Box::new(move || r.applied_seqs() == vec![1, 2]),
        )
        .await;
        assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
        // The server goes away: rounds fail and back off, the new entry waits.
        let url = server.url.clone();
        server.stop_and_wait().await;
        record.add();
        poke.notify_one();
        let seen = rounds.clone();
        until(
            "failed rounds",
            Box::new(move || seen.lock().unwrap().iter().filter(|o| o.error.is_some()).count() >= 2),
        )
        .await;
        assert_eq!(record.outbox_seqs(), vec![2]);
        stop_tx.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .unwrap()
            .unwrap();
        let _ = url;
    }
}
