//! The fault harness: three stations do random desk work (intake, payments,
//! both reviews, approvals online and offline, clashing decisions on one
//! case) through a seeded chaos proxy, while the server is killed with
//! `kill -9` and restarted, its PostgreSQL stopped like a power cut, and a
//! station's `regdesk sync` killed mid-round. Then everything heals and the
//! record must hold: every station's state hash equals the server's, every
//! entry made was accepted once or sits in its station's inbox, the office's
//! and each station's sequences have no gaps, registration numbers and
//! applicants' ID numbers are unique (walk-in applicants made at several
//! offline desks clash), and four-eyes held.
//!
//! `REGDESK_CHAOS_SEED` replays a run (the seed is printed at the start and
//! on failure); `REGDESK_CHAOS_OPS` sets its length (default 300: a debug
//! build does about one operation per second on a busy 2-core machine).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use regdesk_domain::lifecycle::{CaseState, RefusalGround};
use regdesk_store::{FinalDecision, FinalDecisionInput, ReviewDecision, ReviewDecisionInput};
use regdesk_sync::client::SyncClient;
use regdesk_sync::protocol::{Cell, SnapshotRow};
use regdesk_testkit::proxy::ChaosProxy;
use regdesk_testkit::station::Station;
use regdesk_testkit::{db, init_office, key_file, pg_start, pg_stop_immediate, regdesk_bin, ServerProcess};

#[test]
fn stations_and_server_survive_faults_and_agree() {
    let seed = std::env::var("REGDESK_CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    let ops: u32 = std::env::var("REGDESK_CHAOS_OPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    println!("chaos run: REGDESK_CHAOS_SEED={seed} REGDESK_CHAOS_OPS={ops}");
    let result = std::panic::catch_unwind(|| run(seed, ops));
    if let Err(e) = result {
        eprintln!("chaos run failed; replay with REGDESK_CHAOS_SEED={seed} REGDESK_CHAOS_OPS={ops}");
        std::panic::resume_unwind(e);
    }
}

/// What happened in a run, printed at its end.
#[derive(Default, Debug)]
struct Tally {
    ops: BTreeMap<&'static str, u64>,
    refused_locally: BTreeMap<String, u64>,
    sync_errors: u64,
}

impl Tally {
    fn op(&mut self, name: &'static str) {
        *self.ops.entry(name).or_default() += 1;
    }
}

const FIRST: &[&str] = &["liwen", "qianfang"];
/// Walk-in applicants shared by the stations (few, so their ID numbers clash).
const WALK_INS: u32 = 4;
const FINAL: &[&str] = &["zhangwei", "qianfang"];
const FINANCE: &[&str] = &["chenxy", "hejun"];

fn run(seed: u64, ops: u32) {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let srv = root.join("server");
    init_office(&srv);
    let mut server = ServerProcess::start(&srv);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let proxy = rt.block_on(ChaosProxy::start(&srv, server.addr, seed));
    let mut rng = Pcg64::seed_from_u64(seed ^ 0x5eed);

    // The office's people come from the first desk; the others take them with the office.
    let mut stations = Vec::new();
    let first = rt.block_on(Station::join(
        root,
        "s0",
        "受理窗口1",
        &srv,
        &proxy.url(),
        &server.fingerprint,
    ));
    regdesk_store::demo::fill(&first.store, 0).unwrap();
    assert_eq!(rt.block_on(first.sync()).error, None);
    stations.push(first);
    for (dir, name) in [("s1", "核款窗口1"), ("s2", "审查室1")] {
        stations.push(rt.block_on(Station::join(root, dir, name, &srv, &proxy.url(), &server.fingerprint)));
    }
    let mut online = [true; 3];
    let mut cases: Vec<String> = Vec::new();
    let mut tally = Tally::default();
    let mut pg_down_until: Option<u32> = None;
    proxy.set_chaos(true);

    for i in 0..ops {
        if i % 100 == 0 {
            println!("chaos run: operation {i} at {:.0?}", started.elapsed());
        }
        if pg_down_until.is_some_and(|until| i >= until) {
            rt.block_on(pg_start(&srv));
            pg_down_until = None;
        }
        let k = rng.random_range(0..3usize);
        let roll = rng.random_range(0..1000u32);
        match roll {
            0..25 => {
                // A person files at two desks: offline, both make the
                // applicant; the server keeps the first and refuses the other.
                tally.op("walk-in applicant");
                if let Err(e) = stations[k].walk_in(rng.random_range(0..WALK_INS)) {
                    refused(&mut tally, &e);
                }
            }
            25..150 => {
                tally.op("intake");
                match stations[k].intake() {
                    Ok(id) => cases.push(id),
                    Err(e) => refused(&mut tally, &e),
                }
            }
            150..550 => {
                let Some(id) = pick(&mut rng, &cases) else { continue };
                desk_step(&mut stations[k], &id, &mut rng, &mut tally);
            }
            550..650 => {
                tally.op("network toggled");
                online[k] = !online[k];
            }
            650..930 => {
                if !online[k] {
                    continue;
                }
                tally.op("sync");
                let out = rt.block_on(stations[k].sync());
                if out.error.is_some() {
                    tally.sync_errors += 1;
                }
            }
            930..975 => {
                if !online[k] {
                    continue;
                }
                tally.op("station killed mid-sync");
                kill_mid_sync(&stations[k].dir, rng.random_range(0..600u64));
            }
            975..990 => {
                tally.op("server kill -9");
                server.kill9();
                if rng.random_bool(0.5) {
                    // Down for a while: stations keep working and fail to sync.
                    for _ in 0..rng.random_range(1..4u32) {
                        let _ = rt.block_on(stations[rng.random_range(0..3usize)].sync());
                    }
                }
                server.restart();
                proxy.set_upstream(server.addr);
            }
            _ => {
                if pg_down_until.is_some() || !server.is_running() {
                    continue;
                }
                tally.op("postgres stopped immediate");
                rt.block_on(pg_stop_immediate(&srv));
                pg_down_until = Some(i + rng.random_range(5..40u32));
            }
        }
    }

    // Heal: the network passes everything, the database runs, every desk is online.
    proxy.set_chaos(false);
    if pg_down_until.is_some() {
        rt.block_on(pg_start(&srv));
    }
    let mut last = Vec::new();
    for _ in 0..12 {
        let mut moved = 0;
        last.clear();
        for s in &stations {
            let out = rt.block_on(s.sync());
            moved += out.pushed + out.pulled;
            if out.error.is_some() || out.pushed + out.pulled > 0 {
                last.push(format!("{}: {out:?}", s.name));
            }
        }
        if moved == 0 && last.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    if !last.is_empty() {
        let kept = tmp.keep();
        panic!(
            "the stations did not settle after healing (data kept in {}):\n{}",
            kept.display(),
            last.join("\n")
        );
    }
    println!(
        "chaos run: {ops} operations in {:.0?}; {} known cases; faults {:?}; {tally:?}; server started {} times",
        started.elapsed(),
        cases.len(),
        proxy.counts(),
        server.starts()
    );

    rt.block_on(check(&srv, &mut stations));
    drop(proxy);
    server.stop();
}

fn pick(rng: &mut Pcg64, cases: &[String]) -> Option<String> {
    if cases.is_empty() {
        return None;
    }
    // Recent cases more often, so cases go the whole way.
    let n = cases.len();
    let i = if rng.random_bool(0.7) {
        n - 1 - rng.random_range(0..n.min(8))
    } else {
        rng.random_range(0..n)
    };
    Some(cases[i].clone())
}

fn refused(tally: &mut Tally, e: &regdesk_store::StoreError) {
    let kind = e.kind();
    assert!(
        !matches!(
            kind,
            regdesk_store::ErrorKind::Storage | regdesk_store::ErrorKind::Damaged
        ),
        "a desk command failed inside: {e}"
    );
    *tally.refused_locally.entry(format!("{kind:?}")).or_default() += 1;
}

/// The next step a person would take on `case_id` at this desk, as it sees the case.
fn desk_step(s: &mut Station, case_id: &str, rng: &mut Pcg64, tally: &mut Tally) {
    let Some(case) = s.case(case_id) else { return };
    let result = match case.state {
        CaseState::AwaitingPayment => {
            tally.op("payment");
            let (recorder, checker) = if rng.random_bool(0.5) {
                (FINANCE[0], FINANCE[1])
            } else {
                (FINANCE[1], FINANCE[0])
            };
            s.pay(&case, recorder, Some(checker))
        }
        CaseState::AwaitingFirstReview => {
            tally.op("first review");
            let who = s.session(FIRST[rng.random_range(0..FIRST.len())]);
            let decision = match rng.random_range(0..10u32) {
                0..8 => ReviewDecision::Pass,
                _ => ReviewDecision::ProposeRefusal {
                    ground: RefusalGround::NotAWork,
                    note: "提交的内容为通用图案，不具独创性".into(),
                },
            };
            s.store
                .first_review(
                    &who,
                    &ReviewDecisionInput {
                        case_id: case.id.clone(),
                        version: case.version,
                        decision,
                    },
                )
                .map(|_| ())
        }
        CaseState::AwaitingFinalReview | CaseState::RefusalProposed => {
            tally.op("final review");
            let who = s.session(FINAL[rng.random_range(0..FINAL.len())]);
            let decision = match (case.state, rng.random_range(0..10u32)) {
                (CaseState::RefusalProposed, 0..7) => FinalDecision::ConfirmRefusal,
                (_, 0..8) => FinalDecision::Approve,
                _ => FinalDecision::SendBack {
                    note: "请再核对作品样本".into(),
                },
            };
            s.store
                .final_review(
                    &who,
                    &FinalDecisionInput {
                        case_id: case.id.clone(),
                        version: case.version,
                        decision,
                    },
                )
                .map(|_| ())
        }
        _ => return,
    };
    if let Err(e) = result {
        refused(tally, &e);
    }
}

/// `regdesk sync` of the station's data directory, killed with SIGKILL after `after_ms`.
fn kill_mid_sync(dir: &Path, after_ms: u64) {
    let mut child = Command::new(regdesk_bin())
        .arg("--data-dir")
        .arg(dir)
        .args(["sync", "--json"])
        .env("REGDESK_KEY_FILE", key_file())
        .env_remove("REGDESK_RECOVERY_CODE")
        .env_remove("REGDESK_DATA_DIR")
        .env_remove("REGDESK_USER")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(after_ms));
    let _ = Command::new("kill").arg("-9").arg(child.id().to_string()).status();
    let _ = child.wait();
}

fn text(row: &SnapshotRow, column: &str) -> Option<String> {
    row.row.iter().find(|c| c.name == column).and_then(|c| match &c.value {
        Cell::Text(t) => Some(t.clone()),
        Cell::Int(i) => Some(i.to_string()),
        _ => None,
    })
}

async fn check(srv: &Path, stations: &mut [Station]) {
    let pg = db(srv).await;

    // 1. Every station holds the server's record.
    for s in stations.iter() {
        let enrolment = s.store.enrolment().unwrap().unwrap();
        let theirs = SyncClient::new(&enrolment).unwrap().state().await.unwrap();
        assert_eq!(s.store.pull_cursor().unwrap(), theirs.cursor, "{}: cursor", s.name);
        assert_eq!(
            s.store.state_hash().unwrap(),
            theirs.state_hash,
            "{}: state hash",
            s.name
        );
        assert_eq!(s.store.outbox_len().unwrap(), 0, "{}: outbox", s.name);
    }

    // 2. The office's order has no gaps.
    let seqs: Vec<i64> = pg
        .query("SELECT office_seq FROM record_entries ORDER BY office_seq", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let first = seqs.first().copied().unwrap_or(1);
    for (i, seq) in seqs.iter().enumerate() {
        assert_eq!(*seq, first + i as i64, "a gap in office_seq");
    }

    // 3. Every entry a station made: accepted once, or rejected and in its inbox.
    let accepted: BTreeSet<String> = pg
        .query("SELECT id::text FROM record_entries", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut verdicts: HashMap<String, (String, i64, bool)> = HashMap::new();
    for r in pg
        .query(
            "SELECT id::text, station_id, station_seq, verdict->>'verdict' = 'accepted' FROM record_verdicts",
            &[],
        )
        .await
        .unwrap()
    {
        verdicts.insert(r.get(0), (r.get(1), r.get(2), r.get(3)));
    }
    for s in stations.iter_mut() {
        let admin = s.session("admin");
        let inbox: BTreeSet<String> = s
            .store
            .sync_inbox(&admin)
            .unwrap()
            .into_iter()
            .map(|i| i.entry_id)
            .collect();
        let station_id = s.store.station_id().to_string();
        let mut seqs: Vec<i64> = verdicts
            .values()
            .filter(|(st, _, _)| *st == station_id)
            .map(|(_, seq, _)| *seq)
            .collect();
        seqs.sort_unstable();
        for (i, seq) in seqs.iter().enumerate() {
            assert_eq!(*seq, i as i64 + 1, "{}: a gap in the station's pushed sequence", s.name);
        }
        let progress: Option<i64> = pg
            .query_opt(
                "SELECT last_seq FROM record_station_progress WHERE station_id = $1",
                &[&station_id],
            )
            .await
            .unwrap()
            .map(|r| r.get(0));
        assert_eq!(progress, seqs.last().copied(), "{}: the station's progress", s.name);
        for e in s.store.journal_entries().unwrap() {
            let id = e.id.to_string();
            match verdicts.get(&id) {
                Some((st, _, true)) => {
                    assert_eq!(st, &station_id);
                    assert!(
                        accepted.contains(&id),
                        "{}: {} accepted but not in the record",
                        s.name,
                        e.command
                    );
                    assert!(
                        !inbox.contains(&id),
                        "{}: {} accepted and in the inbox",
                        s.name,
                        e.command
                    );
                }
                Some((_, _, false)) => {
                    assert!(
                        !accepted.contains(&id),
                        "{}: {} rejected but in the record",
                        s.name,
                        e.command
                    );
                    assert!(
                        inbox.contains(&id),
                        "{}: rejected {} is not in the inbox",
                        s.name,
                        e.command
                    );
                }
                // The station's own bookkeeping (enrolment, a rejection's
                // restored rows, a snapshot, leases) is never pushed.
                None => assert!(
                    e.effects.is_empty() || regdesk_domain::admission::admission(&e.command).is_none(),
                    "{}: {} (station seq {}) vanished: no verdict",
                    s.name,
                    e.command,
                    e.station_seq
                ),
            }
        }
    }

    // 4. Unique values held (registration numbers, ID numbers); four-eyes held.
    let rows = stations[0].store.shared_rows().unwrap();
    let of = |t: &'static str| rows.iter().filter(move |r| r.table == t);
    let mut people = BTreeSet::new();
    for a in of("applicants") {
        let id = (text(a, "id_type"), text(a, "id_number"));
        assert!(people.insert(id.clone()), "ID number {id:?} made an applicant twice");
    }
    let mut clashes = 0;
    for s in stations.iter_mut() {
        let admin = s.session("admin");
        clashes += s
            .store
            .sync_inbox(&admin)
            .unwrap()
            .iter()
            .filter(|i| i.command == "create_applicant" && i.reason.contains("证件号码"))
            .count();
    }
    let mut numbers = BTreeSet::new();
    for c in of("cases") {
        if let Some(n) = text(c, "registration_number") {
            assert!(numbers.insert(n.clone()), "registration number {n} given twice");
        }
    }
    let mut serials = BTreeSet::new();
    for n in of("registration_numbers") {
        let key = (text(n, "prefix"), text(n, "year"), text(n, "letter"), text(n, "serial"));
        assert!(serials.insert(key.clone()), "serial {key:?} issued twice");
    }
    let mut log: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for r in of("review_log") {
        log.entry(text(r, "case_id").unwrap_or_default()).or_default().push((
            text(r, "at").unwrap_or_default(),
            text(r, "command").unwrap_or_default(),
            text(r, "staff_id").unwrap_or_default(),
        ));
    }
    for (case, mut steps) in log {
        steps.sort();
        let mut first_by: Option<String> = None;
        for (_, command, staff) in steps {
            match command.as_str() {
                "pass_first_review" | "propose_refusal" => first_by = Some(staff),
                "approve" | "confirm_refusal" => {
                    assert_ne!(
                        first_by.as_deref(),
                        Some(staff.as_str()),
                        "case {case}: one person reviewed twice"
                    )
                }
                _ => {}
            }
        }
    }
    for t in of("transfers") {
        if let Some(checker) = text(t, "checked_by") {
            assert_ne!(
                text(t, "recorded_by"),
                Some(checker),
                "transfer {}: confirmed by its recorder",
                t.key
            );
        }
    }
    println!(
        "chaos run: {} entries in the record, {} verdicts, {} registration numbers, {clashes} ID numbers refused as clashes",
        accepted.len(),
        verdicts.len(),
        numbers.len()
    );
}
