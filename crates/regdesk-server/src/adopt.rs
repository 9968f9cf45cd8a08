//! `regdesk-server adopt`: takes a stand-alone workstation's office up whole.
//!
//! 1. [`read_station`] opens the workstation's data directory the way the
//!    workstation does (its keys, `REGDESK_KEY_FILE` included) and reads its
//!    office, every row of the shared tables and its journal. A workstation
//!    already enrolled with a server is refused.
//! 2. [`copy_blobs`] decrypts each attachment of the `files` table into the
//!    server's blob directory, `DIR/blobs/<sha256>`, checking the content
//!    against its hash (a blob already there is checked, not copied again).
//! 3. [`take_up`], in ONE PostgreSQL transaction: the `office` row; every
//!    shared row into the record as one accepted entry `adopt_office`
//!    (registration counters included, so the next number the server gives
//!    follows the workstation's last); the workstation's journal kept as the
//!    office's history (`adopted_history`); the workstation noted as adopted
//!    (`adoptions`: its pulls begin after that entry); and a one-time
//!    enrolment code under the workstation's name. The workstation then
//!    enrols with that code (`regdesk sync enrol`): its entries made before
//!    are already the server's and never pushed (`Store::save_enrolment`).

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regdesk_domain::office::Office;
use regdesk_store::keys::{station_keys, KeyUse};
use regdesk_store::{Store, StoreError, SystemClock, DB_FILE};
use regdesk_sync::protocol::{Cell, Entry, Row};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio_postgres::GenericClient;

use crate::office::{self, OfficeError, OfficeRecord};
use crate::record::{self, RecordError};
use crate::stations::{self, NewCode, StationError};

/// The folder under the server's data directory where attachments are kept by hash.
pub const BLOB_DIR: &str = "blobs";

#[derive(Debug, thiserror::Error)]
pub enum AdoptError {
    #[error("工作站数据目录 {0} 中没有 RegDesk 的数据库：请用 --station-data-dir 指定单机工作站的数据目录（即 regdesk --data-dir 所用的目录）")]
    NoStation(String),
    #[error("工作站数据目录 {path} 打不开：{source}")]
    Store {
        path: String,
        #[source]
        source: StoreError,
    },
    #[error("工作站数据目录 {0} 还没有建立登记机构，没有可接收的记录：请先在该工作站上建立机构，或用 regdesk-server init 新建机构")]
    NoOffice(String),
    #[error("这个工作站已加入服务器 {server}（登记机构 {office}，工作站名称 {station}），其记录已在那台服务器上，不能再被接收")]
    Enrolled {
        server: String,
        office: String,
        station: String,
    },
    #[error("附件“{name}”（{sha256}）不能复制到服务器：{detail}")]
    Blob {
        name: String,
        sha256: String,
        detail: String,
    },
    #[error(transparent)]
    Office(#[from] OfficeError),
    #[error(transparent)]
    Record(#[from] RecordError),
    #[error(transparent)]
    Station(#[from] StationError),
    #[error("数据库出错：{}（没有写入任何内容）", crate::pg_detail(.0))]
    Db(#[from] tokio_postgres::Error),
}

/// A stand-alone workstation's office as [`read_station`] found it.
pub struct StationOffice {
    pub dir: PathBuf,
    pub station_id: String,
    pub office: Office,
    /// `(table, key, row)` of every row of the shared tables.
    pub rows: Vec<(String, String, Row)>,
    /// The workstation's own journal, in order.
    pub entries: Vec<Entry>,
    /// The attachments: `(sha256, original name)`, each once.
    pub blobs: Vec<(String, String)>,
    /// The state hash of its shared rows (what the record must equal after).
    pub state_hash: String,
}

impl StationOffice {
    /// How many rows of `table` it holds.
    pub fn count(&self, table: &str) -> u64 {
        self.rows.iter().filter(|(t, _, _)| t == table).count() as u64
    }

    /// The workstation's last journal entry (0: none).
    pub fn last_seq(&self) -> i64 {
        self.entries.last().map_or(0, |e| e.station_seq)
    }
}

/// What `adopt` took, as it prints it.
#[derive(Debug, Clone, Serialize)]
pub struct AdoptSummary {
    pub office_id: String,
    pub office_name: String,
    pub office_code: String,
    pub station_id: String,
    pub station_name: String,
    pub staff: u64,
    pub applicants: u64,
    pub cases: u64,
    pub numbers: u64,
    pub files: u64,
    pub rows: u64,
    pub entries: u64,
    /// The record's position after the adoption: the workstation pulls from here.
    pub office_seq: i64,
    pub state_hash: String,
    pub code: NewCode,
}

fn store_error(dir: &Path) -> impl Fn(StoreError) -> AdoptError + '_ {
    move |source| AdoptError::Store {
        path: dir.display().to_string(),
        source,
    }
}

fn text<'a>(row: &'a Row, name: &str) -> Option<&'a str> {
    row.iter().find(|c| c.name == name).and_then(|c| match &c.value {
        Cell::Text(t) => Some(t.as_str()),
        _ => None,
    })
}

/// Opens the workstation's data directory `dir` (never making one) and reads
/// its office; the store stays open for [`copy_blobs`].
pub fn read_station(dir: &Path) -> Result<(Store, StationOffice), AdoptError> {
    if !dir.join(DB_FILE).is_file() {
        return Err(AdoptError::NoStation(dir.display().to_string()));
    }
    let keys = station_keys(dir, KeyUse::Existing).map_err(store_error(dir))?;
    let store = Store::open_with_keys(dir, Arc::new(SystemClock), keys).map_err(store_error(dir))?;
    if let Some(e) = store.enrolment().map_err(store_error(dir))? {
        return Err(AdoptError::Enrolled {
            server: e.server_url,
            office: e.office.name,
            station: e.station_name,
        });
    }
    let office = store
        .office()
        .map_err(store_error(dir))?
        .ok_or_else(|| AdoptError::NoOffice(dir.display().to_string()))?;
    let rows: Vec<(String, String, Row)> = store
        .shared_rows()
        .map_err(store_error(dir))?
        .into_iter()
        .map(|r| (r.table, r.key, r.row))
        .collect();
    let mut seen = BTreeSet::new();
    let blobs = rows
        .iter()
        .filter(|(t, _, _)| t == "files")
        .filter_map(|(_, _, row)| {
            let sha = text(row, "sha256")?;
            seen.insert(sha.to_string())
                .then(|| (sha.to_string(), text(row, "original_name").unwrap_or(sha).to_string()))
        })
        .collect();
    let entries = store.journal_entries().map_err(store_error(dir))?;
    let state_hash = store.state_hash().map_err(store_error(dir))?;
    let station = StationOffice {
        dir: dir.to_path_buf(),
        station_id: store.station_id().to_string(),
        office,
        rows,
        entries,
        blobs,
        state_hash,
    };
    Ok((store, station))
}

/// A writer that hashes what it writes.
struct Hashing<W: Write> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The SHA-256 (hex) of the file at `path`.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Copies every attachment of `station` into `blobs_dir/<sha256>`, each
/// checked against its hash as written; returns how many are there now. A
/// copy is written beside its place and renamed into it, so a blob under its
/// name is always whole; blobs are addressed by content, so one copied by an
/// adoption that then fails is simply there for the next.
pub fn copy_blobs(store: &Store, station: &StationOffice, blobs_dir: &Path) -> Result<u64, AdoptError> {
    let fail = |sha: &str, name: &str, detail: String| AdoptError::Blob {
        name: name.to_string(),
        sha256: sha.to_string(),
        detail,
    };
    std::fs::create_dir_all(blobs_dir)
        .map_err(|e| fail("-", "-", format!("不能建立附件目录 {}：{e}", blobs_dir.display())))?;
    let mut copied = 0;
    for (sha, name) in &station.blobs {
        let target = blobs_dir.join(sha);
        if target.is_file() && file_sha256(&target).is_ok_and(|h| &h == sha) {
            copied += 1;
            continue;
        }
        let part = blobs_dir.join(format!("{sha}.part"));
        let written = (|| -> Result<String, AdoptError> {
            let file = File::create(&part).map_err(|e| fail(sha, name, e.to_string()))?;
            let mut out = Hashing {
                inner: BufWriter::new(file),
                hasher: Sha256::new(),
            };
            store
                .export_blob(sha, &mut out)
                .map_err(|e| fail(sha, name, format!("{e}；请在工作站上用“附件检查”核对后再接收")))?;
            out.flush().map_err(|e| fail(sha, name, e.to_string()))?;
            out.inner
                .into_inner()
                .map_err(|e| fail(sha, name, e.to_string()))?
                .sync_all()
                .map_err(|e| fail(sha, name, e.to_string()))?;
            Ok(hex::encode(out.hasher.finalize()))
        })();
        match written {
            Ok(got) if &got == sha => {
                std::fs::rename(&part, &target).map_err(|e| fail(sha, name, e.to_string()))?;
                copied += 1;
            }
            Ok(got) => {
                let _ = std::fs::remove_file(&part);
                return Err(fail(
                    sha,
                    name,
                    format!("写入服务器后的内容哈希为 {got}，与登记的不一致"),
                ));
            }
            Err(e) => {
                let _ = std::fs::remove_file(&part);
                return Err(e);
            }
        }
    }
    Ok(copied)
}

/// Refuses early when the server keeps an office already.
pub async fn check_no_office(client: &impl GenericClient) -> Result<(), AdoptError> {
    match office::get(client).await? {
        Some(existing) => Err(AdoptError::Office(OfficeError::Exists {
            name: existing.name,
            code: existing.code,
        })),
        None => Ok(()),
    }
}

/// Takes `station`'s office up in one transaction (see the module's notes)
/// and makes the enrolment code `station_name` re-attaches it with.
pub async fn take_up(
    client: &mut tokio_postgres::Client,
    station: &StationOffice,
    station_name: &str,
    files: u64,
    by: &str,
    code_ttl_secs: i64,
    ca_fingerprint: &str,
) -> Result<AdoptSummary, AdoptError> {
    let tx = client.transaction().await?;
    let office_id = uuid::Uuid::now_v7().to_string();
    let OfficeRecord { name, code, .. } = office::create(&tx, &station.office, &office_id).await?;
    let payload = serde_json::json!({
        "station_id": station.station_id,
        "rows": station.rows.len(),
        "entries": station.entries.len(),
        "last_station_seq": station.last_seq(),
    });
    let office_seq = record::adopt_rows(&tx, &office_id, &station.rows, payload).await?;
    tx.execute(
        "INSERT INTO adoptions (station_id, office_id, station_name, office_seq, station_seq, adopted_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            &station.station_id,
            &office_id,
            &station_name.trim(),
            &office_seq,
            &station.last_seq(),
            &by,
        ],
    )
    .await?;
    let insert = tx
        .prepare(
            "INSERT INTO adopted_history (id, station_id, station_seq, staff_id, at, command, entity, entity_id,
                 entity_version, payload, payload_format, effects)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .await?;
    for e in &station.entries {
        let effects = serde_json::to_value(&e.effects).map_err(|e| RecordError::Corrupt(e.to_string()))?;
        tx.execute(
            &insert,
            &[
                &e.id,
                &station.station_id,
                &e.station_seq,
                &e.staff_id,
                &e.at,
                &e.command,
                &e.entity,
                &e.entity_id,
                &e.entity_version,
                &e.payload,
                &e.payload_format,
                &effects,
            ],
        )
        .await?;
    }
    let new_code = stations::add_code_in(&tx, station_name, by, code_ttl_secs, ca_fingerprint).await?;
    tx.commit().await?;
    Ok(AdoptSummary {
        office_id,
        office_name: name,
        office_code: code,
        station_id: station.station_id.clone(),
        station_name: new_code.station_name.clone(),
        staff: station.count("staff"),
        applicants: station.count("applicants"),
        cases: station.count("cases"),
        numbers: station.count("registration_numbers"),
        files,
        rows: station.rows.len() as u64,
        entries: station.entries.len() as u64,
        office_seq,
        state_hash: station.state_hash.clone(),
        code: new_code,
    })
}
