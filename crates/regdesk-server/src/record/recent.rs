//! The office's latest accepted entries, read once for every pull of this
//! server instance.
//!
//! Each accepted chunk wakes every station's long-poll pull at once, and each
//! of them would read the same new entries from PostgreSQL and decode them:
//! with eight stations, eight reads of every entry, as much work as deciding
//! it. The instance keeps, per office, a window of the entries after some
//! place, **every** entry of the office in order with no gap (entries commit
//! in the order of their places under the cursor row's lock, and are never
//! changed once committed). A pull whose cursor is in the window takes its
//! page from it, filtered by the station's scope as the database query
//! filters it; the window is read further from the database under the
//! window's lock, so pulls woken together wait for one read instead of making
//! one each.
//!
//! A pull never gets less than a read of the database would give at its
//! start, or, woken by a notification, once that notification came: the
//! window is read again unless a read of it began after that (which every
//! pull woken by the same notification then shares), and whenever the
//! window stops short of the record. A cursor before the window (a station
//! catching up) reads the database as before, without touching the window;
//! a cursor after it moves the window there.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use deadpool_postgres::Pool;
use regdesk_sync::protocol::{Entry, PulledEntry, RowEffect};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use tokio::time::Instant;
use tokio_postgres::types::Json;

use super::{corrupt, scope, RecordError};

/// Most entries a window keeps (the oldest go first).
const KEPT: usize = 2048;

/// An accepted entry as pulls give it. Cheap to clone: every pull given the
/// same entry shares it, and its JSON, made by the first answer that carries
/// it, is copied into the others' answers instead of being made again (each
/// accepted chunk wakes every station's pull, and each would otherwise clone
/// and encode every entry of it).
#[derive(Debug, Clone)]
pub struct Pulled(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    entry: PulledEntry,
    json: OnceLock<Box<RawValue>>,
}

impl Pulled {
    fn new(entry: PulledEntry) -> Pulled {
        Pulled(Arc::new(Shared {
            entry,
            json: OnceLock::new(),
        }))
    }
}

impl std::ops::Deref for Pulled {
    type Target = PulledEntry;

    fn deref(&self) -> &PulledEntry {
        &self.0.entry
    }
}

impl Serialize for Pulled {
    /// The same JSON as the [`PulledEntry`] it holds (answers are written as JSON only).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(json) = self.0.json.get() {
            return json.serialize(s);
        }
        match serde_json::value::to_raw_value(&self.0.entry) {
            Ok(json) => self.0.json.get_or_init(|| json).serialize(s),
            Err(_) => self.0.entry.serialize(s),
        }
    }
}

/// An accepted entry as the record holds it: all its effects, and the offices
/// each belongs to.
#[derive(Debug)]
pub(crate) struct Kept {
    /// The entry with every effect, as a station that sees all of them receives it.
    whole: Pulled,
    /// Whether every station sees the entry (`record_entries.everyone`).
    everyone: bool,
    /// The offices of its effects (`record_entries.offices`).
    offices: Vec<String>,
    /// Per effect, its offices (`record_entries.effect_offices`; `None` on
    /// entries accepted before office scopes).
    per_effect: Option<Vec<Vec<String>>>,
}

impl Kept {
    /// The entry as a station seeing `seen` (`None`: every office) receives
    /// it, or `None` when it sees none of it.
    pub(crate) fn for_scope(&self, seen: Option<&[String]>) -> Option<Pulled> {
        let Some(seen) = seen else {
            return Some(self.whole.clone());
        };
        if !self.everyone && !self.offices.iter().any(|o| seen.contains(o)) {
            return None;
        }
        let Some(per) = &self.per_effect else {
            return Some(self.whole.clone());
        };
        if per.iter().all(|offices| scope::visible(offices, seen)) {
            return Some(self.whole.clone());
        }
        let whole = &self.whole.entry;
        let effects = whole
            .effects
            .iter()
            .zip(per)
            .filter(|(_, offices)| scope::visible(offices, seen))
            .map(|(e, _)| e.clone())
            .collect();
        Some(Pulled::new(PulledEntry {
            office_seq: self.whole.office_seq,
            entry: Entry {
                id: whole.id,
                station_id: whole.station_id.clone(),
                station_seq: whole.station_seq,
                staff_id: whole.staff_id.clone(),
                at: whole.at,
                command: whole.command.clone(),
                entity: whole.entity.clone(),
                entity_id: whole.entity_id.clone(),
                entity_version: whole.entity_version,
                payload: whole.payload.clone(),
                payload_format: whole.payload_format,
                effects,
                blobs: whole.blobs.clone(),
            },
        }))
    }
}

/// Reads the accepted entries of `office_id` after `after`, in order, at
/// most `limit`; with `seen`, only those a station seeing those offices
/// receives (as [`Kept::for_scope`] decides), without, every one.
pub(crate) async fn read(
    client: &impl tokio_postgres::GenericClient,
    office_id: &str,
    after: i64,
    limit: i64,
    seen: Option<&[String]>,
) -> Result<Vec<Kept>, RecordError> {
    let rows = client
        .query(
            "SELECT office_seq, id, station_id, station_seq, staff_id, at, command, entity, entity_id,
                    entity_version, payload, payload_format, effects, blobs, effect_offices, everyone, offices
             FROM record_entries WHERE office_id = $1 AND office_seq > $2
                  AND ($4::text[] IS NULL OR everyone OR offices && $4::text[])
             ORDER BY office_seq LIMIT $3",
            &[&office_id, &after, &limit, &seen],
        )
        .await?;
    let mut kept = Vec::with_capacity(rows.len());
    for r in rows {
        // Decoded straight from the JSON (no `Value` built first).
        let effects: Vec<RowEffect> = r
            .try_get::<_, Json<Vec<RowEffect>>>(12)
            .map_err(|e| corrupt(format!("记录的行变化无法读取：{e}")))?
            .0;
        let per_effect: Option<Vec<Vec<String>>> = r
            .try_get::<_, Option<Json<Vec<Vec<String>>>>>(14)
            .map_err(|e| corrupt(format!("记录的所属机构无法读取：{e}")))?
            .map(|j| j.0);
        if per_effect.as_ref().is_some_and(|p| p.len() != effects.len()) {
            return Err(corrupt("记录的所属机构与行变化的条数不一致"));
        }
        let blobs: Vec<String> = r
            .try_get::<_, Json<Vec<String>>>(13)
            .map_err(|e| corrupt(format!("记录的附件清单无法读取：{e}")))?
            .0;
        kept.push(Kept {
            whole: Pulled::new(PulledEntry {
                office_seq: r.get(0),
                entry: Entry {
                    id: r.get(1),
                    station_id: r.get(2),
                    station_seq: r.get(3),
                    staff_id: r.get(4),
                    at: r.get(5),
                    command: r.get(6),
                    entity: r.get(7),
                    entity_id: r.get(8),
                    entity_version: r.get(9),
                    payload: r.get(10),
                    payload_format: r.get(11),
                    effects,
                    blobs,
                },
            }),
            everyone: r.get(15),
            offices: r.get(16),
            per_effect,
        });
    }
    Ok(kept)
}

/// How recent the record a pull is given must be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Since {
    /// As the database stood at this moment (a request's start, or a
    /// periodic look in case a notification was missed).
    Moment(Instant),
    /// With every entry this many notifications (`Waker`'s count) announced.
    Notified(u64),
}

/// One office's window: every entry after `base`, in order, no gap.
#[derive(Debug, Default)]
struct Window {
    base: i64,
    entries: VecDeque<Arc<Kept>>,
    /// When the last read of the database for it began, and the
    /// notifications counted by then.
    read_at: Option<(Instant, u64)>,
    /// Whether that read reached the record's end (else more wait after the window).
    to_end: bool,
}

impl Window {
    fn top(&self) -> i64 {
        self.base + self.entries.len() as i64
    }

    /// Empties the window, to hold the entries after `base` from its next read.
    fn restart(&mut self, base: i64) {
        self.entries.clear();
        self.base = base;
        self.read_at = None;
        self.to_end = false;
    }

    /// Appends what a read after [`Window::top`] gave; `false` when it does
    /// not follow on (never expected: places have no gaps), and the window
    /// is then emptied rather than trusted.
    fn extend(&mut self, read: Vec<Kept>) -> bool {
        for k in read {
            if k.whole.office_seq != self.top() + 1 {
                self.restart(self.base);
                return false;
            }
            self.entries.push_back(Arc::new(k));
        }
        while self.entries.len() > KEPT {
            self.entries.pop_front();
            self.base += 1;
        }
        true
    }
}

/// Every office's window in this instance; cheap to share.
#[derive(Debug, Default)]
pub(crate) struct Recent {
    offices: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Window>>>>,
    /// Reads of the database for the windows (the tests count them).
    #[cfg(test)]
    reads: std::sync::atomic::AtomicU64,
}

/// What a page from the window holds: up to `limit` entries, and whether
/// more wait after them.
pub(crate) struct Page {
    pub entries: Vec<Pulled>,
    pub more: bool,
}

impl Recent {
    /// How many times the windows were read from the database.
    #[cfg(test)]
    pub fn reads(&self) -> u64 {
        self.reads.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn window(&self, office_id: &str) -> Arc<tokio::sync::Mutex<Window>> {
        let mut offices = self.offices.lock().unwrap_or_else(|p| p.into_inner());
        offices.entry(office_id.to_string()).or_default().clone()
    }

    /// The page after `cursor` a station seeing `seen` receives, with the
    /// record at least as recent as `since`: from the window when the cursor
    /// is in it (reading the database further when needed), else `None` (the
    /// caller reads the database itself). `notified` is the count of
    /// notifications so far.
    #[allow(clippy::too_many_arguments)]
    pub async fn page(
        &self,
        pool: &Pool,
        office_id: &str,
        cursor: i64,
        limit: usize,
        seen: Option<&[String]>,
        since: Since,
        notified: impl Fn() -> u64,
    ) -> Result<Option<Page>, RecordError> {
        let window = self.window(office_id);
        let mut w = window.lock().await;
        if w.entries.is_empty() || cursor > w.top() {
            // Nothing kept, or the station is past it: the window starts at this cursor.
            w.restart(cursor);
        } else if cursor < w.base {
            return Ok(None);
        }
        let mut entries = Vec::new();
        let mut at = cursor;
        loop {
            // The page's entries the window holds after `at`.
            let skip = usize::try_from(at - w.base).unwrap_or(0);
            for k in w.entries.iter().skip(skip) {
                at = k.whole.office_seq;
                if let Some(p) = k.for_scope(seen) {
                    if entries.len() == limit {
                        return Ok(Some(Page { entries, more: true }));
                    }
                    entries.push(p);
                }
            }
            // At the window's top: the record may hold more.
            let fresh = w.to_end
                && w.read_at.is_some_and(|(at, count)| match since {
                    Since::Moment(m) => at >= m,
                    Since::Notified(n) => count >= n,
                });
            if fresh {
                return Ok(Some(Page { entries, more: false }));
            }
            let read_at = (Instant::now(), notified());
            let top = w.top();
            #[cfg(test)]
            self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let client = pool.get().await?;
            let read = read(&**client, office_id, top, i64::from(super::MAX_PULL) + 1, None).await?;
            drop(client);
            let to_end = read.len() <= super::MAX_PULL as usize;
            let got = read.len();
            if !w.extend(read) {
                return Ok(None);
            }
            w.read_at = Some(read_at);
            w.to_end = to_end;
            if got == 0 {
                return Ok(Some(Page { entries, more: false }));
            }
            if at < w.base {
                // The read pushed this page's place out of the window (a page
                // longer than the window): what it has is given, the rest next time.
                return Ok(Some(Page { entries, more: true }));
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use regdesk_sync::protocol::{Cell, Column};

    use super::*;

    #[test]
    fn an_entry_given_to_many_pulls_is_written_once_and_as_the_protocol_writes_it() {
        let entry = PulledEntry {
            office_seq: 7,
            entry: Entry {
                id: uuid::Uuid::now_v7(),
                station_id: "S1".into(),
                station_seq: 3,
                staff_id: Some("wangfang".into()),
                at: chrono::Utc::now(),
                command: "intake".into(),
                entity: "cases".into(),
                entity_id: "c1".into(),
                entity_version: 1,
                payload: serde_json::json!({ "title": "《西湖\"春晓\"》" }),
                payload_format: 1,
                effects: vec![RowEffect {
                    table: "cases".into(),
                    key: "[\"c1\"]".into(),
                    before: None,
                    after: Some(vec![Column {
                        name: "title".into(),
                        value: Cell::Text("西湖春晓".into()),
                    }]),
                    changed: None,
                }],
                blobs: vec!["ab".repeat(32)],
            },
        };
        let pulled = Pulled::new(entry.clone());
        let other = pulled.clone();
        assert!(pulled.0.json.get().is_none());
        let first = serde_json::to_string(&[pulled]).unwrap();
        assert!(other.0.json.get().is_some(), "the first answer keeps the entry's JSON");
        let again = serde_json::to_string(&[other]).unwrap();
        assert_eq!(first, serde_json::to_string(&[entry]).unwrap());
        assert_eq!(again, first);
    }
}
