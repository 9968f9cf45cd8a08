//! What a workstation's record offers the sync loop, and what the loop
//! reports. `regdesk-store` implements [`StationRecord`]; the client drives
//! it: push the outbox, record the verdicts, then pull and apply.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::protocol::{ChainHead, Entry, EntryVerdict, OfficeInfo, PulledEntry, SnapshotChunk, SnapshotRequest};

/// What an enrolled station keeps about its server (station-local, never synced).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// `https://host:port`
    pub server_url: String,
    pub station_name: String,
    pub office: OfficeInfo,
    /// The office CA certificate (DER) the station trusts, and only it.
    pub ca_der: Vec<u8>,
    /// [`crate::fingerprint`] of `ca_der`.
    pub ca_fingerprint: String,
    /// The station's bearer credential.
    pub credential: String,
    pub enrolled_at: DateTime<Utc>,
    /// The office of the office tree the station belongs to (`None`: the top
    /// office): it changes only that office's cases and sees those of every
    /// office under it too (`crate::scope`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_office: Option<String>,
}

/// What one round of sync did, for the sync screen and `regdesk sync --json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SyncOutcome {
    pub pushed: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub pulled: u64,
    /// The office cursor after the round.
    pub cursor: i64,
    /// Why the round stopped early, in Chinese (`None`: it completed).
    pub error: Option<String>,
}

/// A workstation's record as the sync loop sees it.
pub trait StationRecord {
    type Error: std::error::Error + Send + Sync + 'static;

    /// The station's enrolment, `None` while it works alone.
    fn enrolment(&self) -> Result<Option<Enrolment>, Self::Error>;

    /// Entries that have no verdict yet, in station order, at most `limit`.
    fn outbox(&self, limit: usize) -> Result<Vec<Entry>, Self::Error>;

    /// Where the station's audit chain stands, sent with each push for the
    /// server to keep (`None`: a record without an audit chain).
    fn chain_head(&self) -> Result<Option<ChainHead>, Self::Error> {
        Ok(None)
    }

    /// Records the server's verdicts, in one transaction: accepted entries
    /// leave the outbox (with their office position), rejected ones leave it
    /// for the 需处理 inbox with all their data, the reason and the server's
    /// current values; `retry_later` ones stay.
    fn record_verdicts(&self, verdicts: &[EntryVerdict]) -> Result<(), Self::Error>;

    /// The office cursor the station has applied up to.
    fn pull_cursor(&self) -> Result<i64, Self::Error>;

    /// Applies pulled entries in office order, each in its own transaction
    /// that also moves the cursor to its `office_seq`; an entry already applied
    /// (the station's own, or a repeat) moves the cursor and changes nothing
    /// else it already holds. Refuses while the outbox is not empty.
    fn apply_pulled(&self, entries: &[PulledEntry]) -> Result<(), Self::Error>;

    /// Notes how a round ended (the sync screen's last success / last error).
    fn note_sync(&self, at: DateTime<Utc>, outcome: &SyncOutcome) -> Result<(), Self::Error>;

    /// The snapshot page to ask for next, `None` when the station needs no
    /// first sync. A station that joined an existing office asks from the
    /// start (`snapshot_id: None`); one that was interrupted resumes after the
    /// last row it applied. No pull is applied before the snapshot is complete.
    fn snapshot_request(&self, max_rows: u32) -> Result<Option<SnapshotRequest>, Self::Error>;

    /// Applies one page of the office's snapshot in one transaction; the last
    /// page (`next: None`) sets the pull cursor to the snapshot's. A page
    /// already applied changes nothing.
    fn apply_snapshot(&self, chunk: &SnapshotChunk) -> Result<(), Self::Error>;

    /// [`crate::state_hash`] over the station's shared rows: equal to the
    /// server's when both hold the same record.
    fn state_hash(&self) -> Result<String, Self::Error>;

    /// The plaintext of an attachment this station holds, checked against its
    /// SHA-256 (`None`: the station does not hold it).
    fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>, Self::Error>;

    /// An attachment this station holds as a stream of its plaintext, with
    /// its size (`None`: not held): uploads read it a chunk at a time, so a
    /// large sample is never whole in memory; the server checks the whole
    /// against its SHA-256. By default [`StationRecord::blob`], in memory.
    #[allow(clippy::type_complexity)]
    fn blob_reader(&self, sha256: &str) -> Result<Option<(u64, Box<dyn std::io::Read + Send>)>, Self::Error> {
        Ok(self.blob(sha256)?.map(|bytes| {
            let size = bytes.len() as u64;
            let reader: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(bytes));
            (size, reader)
        }))
    }

    /// Keeps an attachment fetched from the server: refused unless `bytes`
    /// hash to `sha256`; stored as the station stores its own attachments.
    fn save_blob(&self, sha256: &str, bytes: &[u8]) -> Result<(), Self::Error>;

    /// Attachments the station's file rows name that it does not hold yet
    /// (added at other stations; fetched on demand), in hash order.
    fn missing_blobs(&self) -> Result<Vec<String>, Self::Error>;

    /// What to ask of the server's registration-number leases (numbers to
    /// give back, series to top up); `None`: nothing to ask (a station that
    /// never approves offline).
    fn lease_request(&self) -> Result<Option<crate::protocol::LeaseRequest>, Self::Error> {
        Ok(None)
    }

    /// Takes the server's answer: the numbers it holds for this station.
    fn apply_lease(&self, _reply: &crate::protocol::LeaseReply) -> Result<(), Self::Error> {
        Ok(())
    }
}
