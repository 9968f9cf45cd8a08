//! The wire protocol between a workstation and the central server, version 1.
//!
//! Every request is JSON over HTTPS (TLS 1.3) and carries the headers
//! [`HEADER_PROTOCOL`] and [`HEADER_APP`]; every call but [`PATH_HELLO`] and
//! [`PATH_ENROL`] also carries `Authorization: Bearer <credential>` (the
//! station's own credential, given once at enrolment). A refusal is an HTTP
//! error status with an [`ErrorReply`] body whose message is Chinese and says
//! what to do. `docs/SYNC.md` describes each endpoint and verdict.
//!
//! The unit of sync is a journal [`Entry`]: the command a staff member ran at
//! a station, its inputs (`payload`) and its effect on the office's rows
//! (`effects`: each touched row as the command left it). The server re-decides
//! each pushed entry against its own record and answers with one [`Verdict`];
//! accepted entries get the office's next cursor position and come down to
//! every station of the office through [`PATH_PULL`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;
/// The oldest protocol version this build still serves.
pub const MIN_PROTOCOL_VERSION: u32 = 1;

/// Request header: the sender's protocol version.
pub const HEADER_PROTOCOL: &str = "x-regdesk-protocol";
/// Request header: the sender's application version (`CARGO_PKG_VERSION`).
pub const HEADER_APP: &str = "x-regdesk-app";

/// `POST` [`Hello`] → [`HelloReply`]: versions and the office, no credential needed.
pub const PATH_HELLO: &str = "/v1/hello";
/// `POST` [`EnrolRequest`] → [`EnrolReply`]: a one-time code for a station credential.
pub const PATH_ENROL: &str = "/v1/enrol";
/// `POST` [`PushRequest`] → [`PushReply`]: one verdict per entry, in order.
pub const PATH_PUSH: &str = "/v1/push";
/// `POST` [`PullRequest`] → [`PullReply`]: accepted entries after a cursor (long-poll).
pub const PATH_PULL: &str = "/v1/pull";
/// `POST` [`SnapshotRequest`] → [`SnapshotChunk`]: the office's rows for a first sync.
pub const PATH_SNAPSHOT: &str = "/v1/snapshot";
/// `GET` → [`StateReply`]: the server's cursor and state hash for this station's office.
pub const PATH_STATE: &str = "/v1/state";
/// `POST` [`LeaseRequest`] → [`LeaseReply`]: registration numbers leased to
/// this station for final approvals made offline (protocol version 1 and later).
pub const PATH_LEASES: &str = "/v1/leases";
/// `GET` → [`ChainReply`]: the heads of this station's audit chain the server recorded as it pushed.
pub const PATH_CHAIN: &str = "/v1/chain";
/// `POST` [`NumbersAuditRequest`] → [`NumbersAuditReply`]: the numbers audit
/// of the office's record (`regdesk-server numbers audit`), for the app's
/// 管理 → 登记号核对 (the station shows it only to who may view the audit).
pub const PATH_NUMBERS: &str = "/v1/numbers";
/// `HEAD` / `PUT ?offset=N` / `GET` (with `Range`) `/v1/blobs/{sha256}`: attachments by content hash.
pub const PATH_BLOBS: &str = "/v1/blobs";

/// Most entries in one push.
pub const MAX_PUSH_ENTRIES: usize = 500;
/// Largest request body the server reads (blob chunks included).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Why the server refused a request as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// No credential, or one the server does not know.
    Unauthenticated,
    /// The station was revoked by an administrator.
    StationRevoked,
    /// The station's protocol or payload format is older than the server reads.
    StationTooOld,
    /// The station's protocol or payload format is newer than the server reads.
    StationTooNew,
    /// The enrolment code is wrong, used or expired.
    EnrolmentRefused,
    /// Too many failed attempts; try again later.
    RateLimited,
    /// The request could not be read.
    BadRequest,
    /// The request is larger than the server reads.
    TooLarge,
    /// The server cannot answer now (database down); try again.
    Unavailable,
    /// The server failed; nothing was applied.
    Internal,
    /// A blob chunk was sent at an offset other than the bytes the server holds
    /// (409; the current size is in the `x-regdesk-blob-offset` header).
    BlobOffset,
    /// A blob's bytes do not hash to its name; the partial upload was discarded.
    BlobMismatch,
    /// The server does not hold this blob whole.
    BlobMissing,
    /// The attachment is a file of cases outside the station's office scope (403).
    OutOfScope,
}

/// The body of every refused request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErrorReply {
    pub code: ErrorCode,
    /// What happened and what to do, in Chinese.
    pub message: String,
}

/// Which office a server keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfficeInfo {
    pub office_id: String,
    pub code: String,
    pub name: String,
}

/// A station's greeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub app_version: String,
    pub protocol_version: u32,
    /// The journal payload format the station writes (`regdesk_domain::stored::JOURNAL_FORMAT`).
    pub payload_format: i64,
}

/// The server's answer to [`Hello`] when it can serve the station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelloReply {
    pub server_version: String,
    pub protocol_version: u32,
    pub min_protocol_version: u32,
    /// The journal payload formats the server reads, oldest and newest.
    pub payload_formats: (i64, i64),
    /// The office, once the server has one (`regdesk-server init` or `adopt`).
    pub office: Option<OfficeInfo>,
}

/// A station asks for its credential with the one-time code an admin made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub code: String,
    /// The station's own id (its database's `station.id`).
    pub station_id: String,
    pub app_version: String,
}

/// What an enrolled station keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolReply {
    pub station_id: String,
    /// The name the admin gave the station (`受理窗口2`).
    pub station_name: String,
    /// The station's credential: sent as a bearer token, never shown again by the server.
    pub credential: String,
    pub office: OfficeInfo,
    /// SHA-256 of the office CA certificate (DER), as [`crate::fingerprint`] writes it.
    pub ca_fingerprint: String,
    /// The office of the office tree the station belongs to (`None`: the top
    /// office). The station sees its cases and those of every office under
    /// it, and changes only its own office's cases (docs/SYNC.md, "Scope").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_code: Option<String>,
}

/// One column's value, typed as SQLite stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    #[serde(rename = "N")]
    Null,
    #[serde(rename = "I")]
    Int(i64),
    #[serde(rename = "R")]
    Real(f64),
    #[serde(rename = "T")]
    Text(String),
    #[serde(rename = "B", with = "crate::b64")]
    Blob(Vec<u8>),
}

/// One column of a row: its name and value, in the table's column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub value: Cell,
}

/// A row as a command left it: every stored column, in table order.
pub type Row = Vec<Column>;

/// A command's effect on one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowEffect {
    /// The table's SQL name.
    pub table: String,
    /// The row's key: JSON array of its primary key's values, as the store writes it.
    pub key: String,
    /// The row's digest before the command ([`crate::row_digest`]), `None` if it did not exist:
    /// the version the command was decided against.
    pub before: Option<String>,
    /// The row after the command, `None` when the command deleted it.
    pub after: Option<Row>,
    /// The fields the command changed in an existing row, each with its value
    /// before the command (payload format 2 and later; `None` in entries of
    /// format 1, and for a row the command made or deleted). When the row
    /// changed on the server since, the server checks only these fields: see
    /// [`crate::fields`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<Vec<FieldChange>>,
}

/// One field a command changed: a column, or one value inside a column that
/// holds a JSON object (a case's filing `draft`, its `facts`), named by the
/// keys down to it. Values inside a JSON object are compared one by one, so
/// two people who changed different parts of a filing both keep theirs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub column: String,
    /// The keys down to the value inside the column's JSON object; empty for the whole column.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<String>,
    /// The value before the command: the column's cell when `path` is empty;
    /// else the JSON text of the value at `path` ([`Cell::Null`]: there was none).
    pub before: Cell,
}

/// One journal entry, as the station recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The journal id (UUID v7): the entry's identity everywhere, and its idempotency key.
    pub id: Uuid,
    pub station_id: String,
    /// The entry's place in its station's journal (gapless per station).
    pub station_seq: i64,
    pub staff_id: Option<String>,
    /// The station's clock when the command ran: information only, never used to order.
    pub at: DateTime<Utc>,
    pub command: String,
    pub entity: String,
    pub entity_id: String,
    pub entity_version: i64,
    /// The command's inputs, in `payload_format`.
    pub payload: serde_json::Value,
    pub payload_format: i64,
    /// The rows the command touched.
    pub effects: Vec<RowEffect>,
    /// SHA-256 (hex) of every attachment the entry refers to: on the server before the entry.
    #[serde(default)]
    pub blobs: Vec<String>,
}

/// Entries in station order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub entries: Vec<Entry>,
    /// Where the station's audit chain stood when it pushed: the server keeps
    /// it, so a journal cut short or rewritten on the station is found later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<ChainHead>,
}

/// The last entry of a station's audit chain: its place in the station's
/// journal (`audit.seq`) and its entry hash (SHA-256, hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub seq: i64,
    pub entry_hash: String,
}

/// A chain head as the server recorded it, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedHead {
    pub seq: i64,
    pub entry_hash: String,
    pub recorded_at: DateTime<Utc>,
}

/// The heads the server recorded for the asking station, by place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReply {
    pub heads: Vec<RecordedHead>,
}

/// The numbers audit asked for: every year, or one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NumbersAuditRequest {
    pub year: Option<i32>,
}

/// The numbers audit of the office's record: per prefix/year/letter, issued =
/// used + voided + returned + outstanding (with any number of unknown fate),
/// and the numbers each station holds unused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NumbersAuditReply {
    pub series: Vec<regdesk_domain::regno::NumberAuditLine>,
    pub leases: Vec<LeaseHolding>,
    /// Every series balances.
    pub balanced: bool,
}

/// The numbers one station holds unused in one series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LeaseHolding {
    pub station_id: String,
    pub station_name: String,
    pub prefix: String,
    pub year: i32,
    pub letter: char,
    #[ts(type = "number")]
    pub unused: u64,
    /// The unused numbers, runs as `FIRST–LAST`.
    pub numbers: Vec<String>,
}

/// Why the server refused an entry for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RejectCode {
    /// The staff member did not hold the permission the command needs.
    NotPermitted,
    /// The staff account was disabled (or unknown) when the command ran.
    StaffInactive,
    /// A row changed on the server since the station read it.
    Conflict,
    /// The record's state does not allow the command.
    Transition,
    /// Four-eyes: the same person on both sides (first and final review, recorder and confirmer).
    FourEyes,
    /// The case belongs to an office this station may not change.
    OutOfScope,
    /// The entry could not be read or its effects do not fit the record.
    Malformed,
    /// The server does not know the command.
    UnknownCommand,
}

/// The server's answer for one entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Admitted into the office's record at `office_seq`.
    Accepted { office_seq: i64 },
    /// Refused for good; the entry goes to the station's 需处理 inbox.
    Rejected {
        code: RejectCode,
        /// Why, in Chinese, naming the field and what to do.
        reason: String,
        /// The server's current rows for the keys the entry touched (`after: None`: no such row).
        current: Vec<RowEffect>,
    },
    /// Not decided now (server busy, an attachment not yet uploaded): send again later.
    /// Stops the rest of the batch, which waits behind it.
    RetryLater { reason: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryVerdict {
    pub id: Uuid,
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// One verdict per pushed entry, in order; it stops after the first `retry_later`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushReply {
    pub verdicts: Vec<EntryVerdict>,
}

/// Accepted entries after `cursor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    pub cursor: i64,
    pub limit: u32,
    /// Wait up to this long for a new entry when there is none (long-poll); 0 answers at once.
    pub wait_ms: u32,
}

/// An accepted entry with its place in the office's order and everything the
/// server added (a registration number) among its effects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledEntry {
    pub office_seq: i64,
    pub entry: Entry,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullReply {
    pub entries: Vec<PulledEntry>,
    /// The cursor to ask from next.
    pub cursor: i64,
    /// More entries wait after this page.
    pub more: bool,
}

/// A page of the office's rows for a first sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotRequest {
    /// `None` starts a snapshot; later pages (and a resumed one) name it.
    pub snapshot_id: Option<String>,
    /// Resume after this row (`[table, key]`), `None` from the start.
    pub after: Option<(String, String)>,
    pub max_rows: u32,
}

/// One row of a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotRow {
    pub table: String,
    pub key: String,
    pub row: Row,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotChunk {
    pub snapshot_id: String,
    /// The office cursor the snapshot is consistent with: pull from here afterwards.
    pub cursor: i64,
    pub total_rows: u64,
    pub total_bytes: u64,
    pub rows: Vec<SnapshotRow>,
    /// The last row of this page, to resume after; `None` when the snapshot is complete.
    pub next: Option<(String, String)>,
}

/// The server's record of an office at a cursor, to compare with a station's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateReply {
    pub cursor: i64,
    pub rows: u64,
    /// [`crate::state_hash`] over the office's rows.
    pub state_hash: String,
}

/// One prefix/year/letter of registration numbers (`浙作登字`, 2026, `F`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SeriesKey {
    pub prefix: String,
    pub year: i32,
    pub letter: char,
}

/// A station's lease request: numbers it gives back unused, and the series it
/// wants topped up (the server refills a series whose unused numbers are at or
/// below the office's refill threshold, up to the lease size).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LeaseRequest {
    /// Numbers (`浙作登字-2026-F-00000012`) held by this station and not used.
    #[serde(default)]
    pub give_back: Vec<String>,
    /// Series to top up; the server refuses a prefix other than the office's
    /// or a year other than the office's current one.
    #[serde(default)]
    pub top_up: Vec<SeriesKey>,
}

/// The serials a station holds in one series, as runs `[first, last]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldSerials {
    pub series: SeriesKey,
    pub runs: Vec<(u64, u64)>,
}

/// A number the server did not take back, and why (used, voided, not this station's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotTakenBack {
    pub number: String,
    pub reason: String,
}

/// Every number leased to this station and still unused as the server sees
/// it, after the request (the station's whole lease, not just what is new:
/// a repeated request answers the same).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseReply {
    pub held: Vec<HeldSerials>,
    pub not_taken_back: Vec<NotTakenBack>,
    /// The office's settings: numbers per lease, and the unused count at which a station asks for more.
    pub lease_size: u32,
    pub refill_at: u32,
}
