//! The command transaction: tables + one journal entry + one audit entry, atomically.

use chrono::{DateTime, Utc};
use regdesk_domain::stored::JOURNAL_FORMAT;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;

use crate::anchor::{Head, HeadState, StagedHead};
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

/// How an entry stands to sync (`sync.rs`). The default: a command of this
/// station, shipped to the server once the station is enrolled.
#[derive(Clone, Default)]
pub(crate) struct SyncMeta {
    /// How the entry records rows for the anchor (a command's touched rows by default).
    pub recording: Recording,
    /// The entry applies a pulled one: its id, place and original shape.
    pub pulled: Option<Pulled>,
    /// The entry mirrors the server (a rejected entry's rows put back): it
    /// never goes into the outbox.
    pub local_only: bool,
    /// Record no effects (a baseline, a snapshot's rows): the rows are
    /// recorded for the audit chain only.
    pub no_effects: bool,
}

/// The pulled entry a journal entry applies.
#[derive(Clone)]
pub(crate) struct Pulled {
    pub origin_id: String,
    pub origin_station: String,
    pub office_seq: i64,
    pub entity: String,
    pub payload_format: i64,
}

/// How a command's entry stands to the anchor.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Recording {
    /// A command: the rows it touched (every row for the first entry of a new database).
    #[default]
    Touched,
    /// Every audited row (the baseline of a database from before row digests).
    All,
    /// A deliberate anchor reset: the new head starts clean.
    ResetAnchor,
}

/// Every command this store writes to its journal as its own entry (pulled
/// entries keep the command they were made with). A command not listed here
/// is refused before it runs, so the list cannot fall behind the code: the
/// central record's test of every command against every role walks it.
pub const COMMANDS: &[&str] = &[
    "add_file",
    "add_identity_proof",
    "add_staff",
    "add_subordinate_office",
    "audit",
    "audit_anchor_reset",
    "audit_baseline",
    "backup",
    "change_applicant_category",
    "change_password",
    "change_payment_method",
    "check_identity_proof",
    "check_transfer",
    "choose_payment_method",
    "create_applicant",
    "create_draft",
    "demo_copy_cases",
    "disable_staff",
    "discard_inbox_item",
    "dismiss_statement_line",
    "enable_staff",
    "expire_correction",
    "export_recovery_code",
    "export_sf_orders",
    "final_review",
    "give_back_leased_numbers",
    "first_review",
    "hand_over",
    "import_filing",
    "import_register",
    "import_statement",
    "keep_category_letters",
    "load_calendar_year",
    "login",
    "loss_statement",
    "loss_statement_file",
    "mark_invoices_issued",
    "prepare_shipments",
    "print_certificates",
    "print_labels",
    "record_backup",
    "record_batch_signature",
    "record_refund",
    "record_signature",
    "record_transfer",
    "redo_inbox_item",
    "remove_identity_proof",
    "reset_password",
    "resolve_statement_line",
    "restore_backup",
    "resubmit",
    "revoke_historic",
    "revoke_registration",
    "save_certificate_printer",
    "save_draft",
    "set_batch_signing_form",
    "set_category_letters",
    "set_number_leases",
    "set_registration_counter",
    "setup_office",
    "ship_by_waybill",
    "station",
    "submit_for_signing",
    "sync_enrol",
    "sync_held_columns",
    "sync_leases",
    "sync_rejected",
    "sync_snapshot",
    "transfer_case",
    "unlock",
    "update_applicant",
    "update_backup_settings",
    "update_delivery_settings",
    "update_settings",
    "update_staff",
    "update_verification_url",
    "view_personal_data",
    "void_certificate_sheet",
    "withdraw",
];

impl Store {
    /// Runs one command: `f` updates the tables inside an IMMEDIATE transaction
    /// and says what changed; the journal and audit entries — with the digest
    /// of every row the command left — are appended in the same transaction,
    /// which then commits, and the signed head outside the database moves to
    /// the new entry (written off the command's path: the commit is the
    /// command's one fsync, `anchor.rs`). Any error rolls everything back.
    pub(crate) fn run<T>(
        &self,
        staff_id: Option<&str>,
        command: &str,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<(Change, T)>,
    ) -> Result<T> {
        self.run_recording(staff_id, command, Recording::Touched, f)
    }

    pub(crate) fn run_recording<T>(
        &self,
        staff_id: Option<&str>,
        command: &str,
        recording: Recording,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<(Change, T)>,
    ) -> Result<T> {
        let meta = SyncMeta {
            recording,
            no_effects: recording == Recording::All,
            ..SyncMeta::default()
        };
        self.run_sync(staff_id, command, &meta, f)
    }

    /// [`Store::run`] for sync's own entries: `meta` says how the entry
    /// stands to the outbox.
    pub(crate) fn run_sync<T>(
        &self,
        staff_id: Option<&str>,
        command: &str,
        meta: &SyncMeta,
        f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<(Change, T)>,
    ) -> Result<T> {
        if meta.pulled.is_none() && !COMMANDS.contains(&command) {
            return Err(crate::StoreError::Corrupt(format!(
                "操作“{command}”不在本程序的操作清单中，没有执行：请联系信息科"
            )));
        }
        let mut conn = self.conn();
        let now = self.clock.now();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (change, out) = f(&tx, now)?;
        let staged = self.append(&tx, staff_id, now, command, &change, meta)?;
        tx.commit()?;
        self.anchor.publish(staged);
        self.checkpoint.committed();
        Ok(out)
    }

    /// The next sequence number: past the last entry, the highest ever given
    /// and the signed head, so a number is never given twice.
    pub(crate) fn next_seq(&self, conn: &rusqlite::Connection, head: Option<&HeadState>) -> Result<i64> {
        let last: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM journal", [], |r| r.get(0))?;
        let anchored = match head {
            Some(HeadState::Valid(h)) => h.seq,
            _ => 0,
        };
        Ok(last.max(crate::audit::high_seq(conn)?).max(anchored) + 1)
    }

    fn append(
        &self,
        tx: &Transaction<'_>,
        staff_id: Option<&str>,
        now: DateTime<Utc>,
        command: &str,
        change: &Change,
        meta: &SyncMeta,
    ) -> Result<StagedHead> {
        let recording = meta.recording;
        let head = self.anchor.read(&self.station_id);
        let seq = self.next_seq(tx, Some(&head))?;
        // The first entry of a new database records every row (the station row made on open).
        let all = recording == Recording::All || seq == 1;
        let recorded = crate::rows::record(tx, &self.audited, seq, all, !meta.no_effects)?;
        // An enrolled station changes only its own office's cases (a pulled entry is the record's word).
        if meta.pulled.is_none() && !meta.local_only {
            if let Some(effects) = recorded.effects.as_deref().filter(|e| *e != "[]") {
                crate::scope::check_local(tx, command, effects)?;
            }
        }
        let id = uuid_v7(now).to_string();
        let payload = serde_json::to_string(&change.payload).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        let (entity, format, origin, origin_station, office_seq) = match &meta.pulled {
            Some(p) => (
                p.entity.as_str(),
                p.payload_format,
                Some(&p.origin_id),
                Some(&p.origin_station),
                Some(p.office_seq),
            ),
            None => (change.entity, JOURNAL_FORMAT, None, None, None),
        };
        // An entry that mirrors the server is never pushed: it is "synced" when made.
        let synced_at = (meta.pulled.is_some() || meta.local_only).then_some(now);
        // Numbered for the server: this station's own entry with shared effects, made while enrolled.
        let pushed = synced_at.is_none() && recorded.effects.as_deref().is_some_and(|e| e != "[]");
        let push_seq: Option<i64> = if pushed {
            tx.prepare_cached(
                "SELECT COALESCE((SELECT MAX(push_seq) FROM journal), 0) + 1
                 FROM sync_enrolment WHERE id = 1",
            )?
            .query_row([], |r| r.get(0))
            .optional()?
        } else {
            None
        };
        tx.prepare_cached(
            "INSERT INTO journal (seq, id, station_id, staff_id, at, command, entity, entity_id, entity_version,
                                  payload, payload_format, row_digests, effects, origin_id, origin_station, office_seq, synced_at,
                                  push_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        )?
        .execute(params![
            seq,
            id,
            self.station_id,
            staff_id,
            now,
            command,
            entity,
            change.entity_id,
            change.version,
            payload,
            format,
            recorded.digests,
            recorded.effects,
            origin,
            origin_station,
            office_seq,
            synced_at,
            push_seq
        ])?;
        let entry_hash = crate::audit::append(tx, seq, &id)?;
        crate::audit::set_high_seq(tx, seq)?;
        let unanchored_since = match (recording, head) {
            (Recording::ResetAnchor, _) => None,
            (_, HeadState::Valid(h)) => h.unanchored_since,
            (_, HeadState::Invalid(_)) => Some(seq),
            (_, HeadState::Missing) => crate::audit::digests_before(tx, seq)?.then_some(seq),
        };
        self.anchor.stage(Head {
            station_id: self.station_id.clone(),
            seq,
            entry_hash,
            at: now,
            unanchored_since,
        })
    }
}
