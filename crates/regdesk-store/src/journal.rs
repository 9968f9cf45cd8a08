//! The command transaction: tables + one journal entry + one audit entry, atomically.

use chrono::{DateTime, Utc};
use regdesk_domain::stored::JOURNAL_FORMAT;
use rusqlite::{params, Transaction, TransactionBehavior};
use uuid::Uuid;

use crate::error::Result;
use crate::Store;

/// What a command changed, for the journal.
pub(crate) struct Change {
    /// Table-level entity name (`staff`, `office`, `settings`, ...).
    pub entity: &'static str,
    pub entity_id: String,
    /// The entity's version after the change.
    pub version: i64,
    /// What sync ships: the command's effect, never a password or hash.
    /// Written in [`JOURNAL_FORMAT`] (`journal.payload_format`); a reader takes
    /// it through `regdesk_domain::stored::upgrade_journal`.
    pub payload: serde_json::Value,
}

/// A UUID v7 stamped with the store's clock rather than the system's.
pub(crate) fn uuid_v7(now: DateTime<Utc>) -> Uuid {
    let secs = u64::try_from(now.timestamp()).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, now.timestamp_subsec_nanos());
    Uuid::new_v7(ts)
}

impl Store {
    /// Runs one command: `f` updates the tables inside an IMMEDIATE transaction
    /// and says what changed; the journal and audit entries are appended in the
    /// same transaction, which then commits. Any error rolls everything back.
    pub(crate) fn run<T>(
        &self,
        staff_id: Option<&str>,
        command: &str,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<(Change, T)>,
    ) -> Result<T> {
        let mut conn = self.conn();
        let now = self.clock.now();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (change, out) = f(&tx, now)?;
        append(&tx, &self.station_id, staff_id, now, command, &change)?;
        tx.commit()?;
        Ok(out)
    }
}

fn append(
    tx: &Transaction<'_>,
    station_id: &str,
    staff_id: Option<&str>,
    now: DateTime<Utc>,
    command: &str,
    change: &Change,
) -> Result<()> {
    let id = uuid_v7(now).to_string();
    let payload = serde_json::to_string(&change.payload).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO journal (id, station_id, staff_id, at, command, entity, entity_id, entity_version, payload,
                              payload_format)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id,
            station_id,
            staff_id,
            now,
            command,
            change.entity,
            change.entity_id,
            change.version,
            payload,
            JOURNAL_FORMAT
        ],
    )?;
    let seq = tx.last_insert_rowid();
    crate::audit::append(tx, seq, &id)
}
