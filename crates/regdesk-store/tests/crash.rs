//! The crash test: a child process runs random desk commands in a loop and is
//! killed (SIGKILL on Unix) at random moments; after each kill the database
//! opens, `integrity_check` passes, the audit chain is whole, and every command
//! the child reported as done is there.
//!
//! The commands: counter work (profiles, files, drafts), settings, and a case's
//! way from payment to registration — recording a transfer (one finance
//! person), checking it (another), first review and final review — over the
//! sample office's filings waiting for payment.
//!
//! The child is this test binary run again (`--exact crash_child`), told its
//! data directory and seed by environment variables. The seed is printed;
//! `REGDESK_CRASH_SEED=<n>` repeats a run, `REGDESK_CRASH_KILLS=<n>` changes
//! how many kills (at least 50 by default).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use regdesk_domain::applicant::{ApplicantCategory, ApplicantInput};
use regdesk_domain::filing::{FilingDraft, WorkDraft};
use regdesk_domain::identity::{gb11643_check_char, DocumentType};
use regdesk_domain::lifecycle::{CaseState, PaymentMethod};
use regdesk_domain::payment::{TransferCommand, TransferInput, TransferState};
use regdesk_domain::queue::Queue;
use regdesk_store::demo::DEMO_PASSWORD;
use regdesk_store::{
    CheckTransferInput, FinalDecision, FinalDecisionInput, LoginInput, PaymentCasesInput, QueueInput,
    RecordTransferInput, ReviewDecision, ReviewDecisionInput, SaveDraftInput, Session, ShareInput, Store, SystemClock,
    TransfersInput, UpdateSettingsInput,
};

/// Filings in the sample office the test starts from (a third of them wait for payment).
const FILINGS: u32 = 45;

/// How far a case has come on its way from payment to registration.
fn progress(state: CaseState) -> u8 {
    match state {
        CaseState::AwaitingPayment => 0,
        CaseState::AwaitingPaymentCheck => 1,
        CaseState::AwaitingFirstReview => 2,
        CaseState::AwaitingFinalReview => 3,
        CaseState::Registered | CaseState::Mailed | CaseState::PickedUp => 4,
        _ => 0,
    }
}

/// One case of the first page of `queue`, chosen at random.
fn pick(store: &Store, who: &Session, queue: Queue, rng: &mut Rng) -> Option<String> {
    let rows = store.list_queue(who, &QueueInput::first(queue, 50)).ok()?.rows;
    (!rows.is_empty()).then(|| rows[rng.below(rows.len() as u64) as usize].id.clone())
}

/// A case's way from payment to registration, one step: the transfer recorded
/// (陈晓燕), checked (何军), first review (李雯), final review (张伟).
fn advance_a_case(store: &Store, staff: &[Session; 4], step: u64, rng: &mut Rng, tag: &str) -> Option<String> {
    let [chen, he, liwen, zhangwei] = staff;
    match step {
        0 => {
            let waiting: Vec<_> = store
                .payment_cases(chen, &PaymentCasesInput { search: None })
                .ok()?
                .into_iter()
                .filter(|r| r.state == CaseState::AwaitingPayment && r.owed_fen > 0)
                .collect();
            if waiting.is_empty() {
                return None;
            }
            let row = &waiting[rng.below(waiting.len() as u64) as usize];
            let received_at = (store.now() + chrono::Duration::hours(8)).naive_utc() - chrono::Duration::minutes(5);
            let t = store
                .record_transfer(
                    chen,
                    &RecordTransferInput {
                        transfer: TransferInput {
                            method: PaymentMethod::BankTransfer,
                            payer: row.applicant_name.clone(),
                            payer_account: "6222 0202 0000 1234 567".into(),
                            payer_bank: "中国工商银行杭州分行".into(),
                            amount_fen: row.owed_fen,
                            received_at,
                            reference: format!("CRASH-{tag}"),
                            purpose: format!("{} 作品登记费", row.serial),
                        },
                        receipt_file_id: None,
                        shares: vec![ShareInput {
                            case_id: row.case_id.clone(),
                            amount_fen: row.owed_fen,
                        }],
                    },
                )
                .ok()?;
            Some(format!("transfer {} {}", t.id, row.case_id))
        }
        1 => {
            let recorded = store
                .transfers(
                    he,
                    &TransfersInput {
                        state: Some(TransferState::Recorded),
                    },
                )
                .ok()?;
            if recorded.is_empty() {
                return None;
            }
            let t = &recorded[rng.below(recorded.len() as u64) as usize];
            let done = store
                .check_transfer(
                    he,
                    &CheckTransferInput {
                        id: t.id.clone(),
                        version: t.version,
                        command: TransferCommand::Confirm,
                    },
                )
                .ok()?;
            Some(format!("confirmed {}", done.id))
        }
        2 => {
            let id = pick(store, liwen, Queue::FirstReview, rng)?;
            let c = store.case_detail(liwen, &id).ok()?;
            let c = store
                .first_review(
                    liwen,
                    &ReviewDecisionInput {
                        case_id: c.id,
                        version: c.version,
                        decision: ReviewDecision::Pass,
                    },
                )
                .ok()?;
            Some(format!(
                "reviewed {} {}",
                c.id,
                progress(CaseState::AwaitingFinalReview)
            ))
        }
        _ => {
            let id = pick(store, zhangwei, Queue::FinalReview, rng)?;
            let c = store.case_detail(zhangwei, &id).ok()?;
            if c.state != CaseState::AwaitingFinalReview {
                return None;
            }
            let c = store
                .final_review(
                    zhangwei,
                    &FinalDecisionInput {
                        case_id: c.id,
                        version: c.version,
                        decision: FinalDecision::Approve,
                    },
                )
                .ok()?;
            Some(format!("reviewed {} {}", c.id, progress(CaseState::Registered)))
        }
    }
}

/// The test's station keys (fixed: parent and child open the same encrypted database).
fn keys() -> regdesk_store::keys::StationKeys {
    regdesk_store::keys::StationKeys::from_secret(
        [0x3c; 32],
        regdesk_store::keys::KeyHome::EnvFile("crash-test.key".into()),
    )
}

const DIR_VAR: &str = "REGDESK_CRASH_DIR";
const SEED_VAR: &str = "REGDESK_CRASH_SEED";
const KILLS_VAR: &str = "REGDESK_CRASH_KILLS";

/// xorshift64*: enough randomness for choosing commands and moments, and repeatable from its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn sign_in(store: &Store, username: &str) -> Session {
    store
        .login(&LoginInput {
            username: username.into(),
            password: DEMO_PASSWORD.into(),
        })
        .unwrap()
}

fn applicant(rng: &mut Rng) -> ApplicantInput {
    let birth = format!(
        "{}{:02}{:02}",
        1950 + rng.below(50),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let body = format!("330106{birth}{:03}", rng.below(1000));
    let id = format!("{body}{}", gb11643_check_char(&body).unwrap());
    ApplicantInput {
        category: ApplicantCategory::Individual,
        name: "林晓雨".into(),
        id_type: DocumentType::ResidentId,
        id_number: id,
        pen_name: String::new(),
        handler_name: "林晓雨".into(),
        handler_mobile: "13805710001".into(),
        region: "浙江省杭州市".into(),
        invoice_email: "invoice@example.cn".into(),
        recipient_name: "林晓雨".into(),
        recipient_phone: "13805710001".into(),
        postal_address: "浙江省杭州市西湖区文三路 100 号".into(),
    }
}

fn draft(title: String) -> FilingDraft {
    FilingDraft {
        work: WorkDraft {
            title,
            ..WorkDraft::default()
        },
        description: "作品以杭州风物为题材。".into(),
        ..FilingDraft::default()
    }
}

/// The child's loop: random commands, one line per committed command, until killed.
#[test]
#[ignore = "the crash test's child process; crash_test runs it"]
fn crash_child() {
    let (Some(dir), Some(seed)) = (std::env::var_os(DIR_VAR), std::env::var(SEED_VAR).ok()) else {
        return;
    };
    let mut rng = Rng::new(seed.parse().unwrap());
    let store = Store::open_with_keys(Path::new(&dir), Arc::new(SystemClock), keys()).unwrap();
    let clerk = sign_in(&store, "wangli");
    let admin = sign_in(&store, "admin");
    let staff = ["chenxy", "hejun", "liwen", "zhangwei"].map(|u| sign_in(&store, u));
    let sample = Path::new(&dir).join(format!("sample-{seed}.bin"));
    let out = std::io::stdout();
    let mut out = out.lock();
    // On a line of its own: the test harness may have begun one.
    writeln!(out, "\nready").unwrap();
    out.flush().unwrap();
    let mut cases: Vec<(String, i64)> = Vec::new();
    for i in 0u64.. {
        let done = match rng.below(9) {
            5..=8 => {
                let step = rng.below(4);
                advance_a_case(&store, &staff, step, &mut rng, &format!("{seed}-{i}"))
            }
            0 => store
                .create_applicant(&clerk, &applicant(&mut rng))
                .ok()
                .map(|a| format!("applicant {}", a.id)),
            1 => {
                std::fs::write(&sample, format!("{seed}-{i}-{}", rng.next())).unwrap();
                store
                    .add_file(&clerk, &sample, regdesk_domain::staff::FilePurpose::Sample)
                    .ok()
                    .map(|f| format!("file {}", f.id))
            }
            2 | 3 if !cases.is_empty() && rng.below(2) == 0 => {
                let k = rng.below(cases.len() as u64) as usize;
                let (id, version) = cases[k].clone();
                store
                    .save_draft(
                        &clerk,
                        &SaveDraftInput {
                            case_id: Some(id),
                            version: Some(version),
                            applicant_id: None,
                            draft: draft(format!("运河人家（第 {i} 稿）")),
                        },
                    )
                    .ok()
                    .map(|c| {
                        cases[k].1 = c.version;
                        format!("case {} {}", c.id, c.version)
                    })
            }
            2 | 3 => store
                .save_draft(
                    &clerk,
                    &SaveDraftInput {
                        case_id: None,
                        version: None,
                        applicant_id: None,
                        draft: draft(format!("西湖十景之断桥残雪（{i}）")),
                    },
                )
                .ok()
                .map(|c| {
                    cases.push((c.id.clone(), c.version));
                    format!("case {} {}", c.id, c.version)
                }),
            _ => {
                let s = store.settings(&admin).unwrap();
                store
                    .update_settings(
                        &admin,
                        &UpdateSettingsInput {
                            version: s.version,
                            idle_lock_minutes: 5 + rng.below(100) as i64,
                            review_working_days: s.review_working_days,
                            correction_notice_days: s.correction_notice_days,
                            correction_period_days: s.correction_period_days,
                            fee_per_work_fen: s.fee_per_work_fen,
                        },
                    )
                    .ok()
                    .map(|v| format!("settings office {}", v.version))
            }
        };
        if let Some(line) = done {
            writeln!(out, "done {line}").unwrap();
            out.flush().unwrap();
        }
    }
}

/// Checks the database after a kill: it opens, is sound, its chain whole, and holds every reported command.
fn check_after_kill(dir: &Path, reported: &[String], round: usize, seed: u64) {
    let store = Store::open_with_keys(dir, Arc::new(SystemClock), keys())
        .unwrap_or_else(|e| panic!("round {round} (seed {seed}): the database does not open: {e}"));
    store
        .check_integrity()
        .unwrap_or_else(|e| panic!("round {round} (seed {seed}): {e}"));
    let audit = store.verify_audit().unwrap();
    assert!(audit.ok, "round {round} (seed {seed}): {}", audit.message);
    let clerk = sign_in(&store, "wangli");
    let admin = sign_in(&store, "admin");
    let finance = sign_in(&store, "hejun");
    let reviewer = sign_in(&store, "zhangwei");
    for line in reported {
        let parts: Vec<&str> = line.split(' ').collect();
        let missing = |what: &str| panic!("round {round} (seed {seed}): {what} reported done is missing: {line}");
        match parts.as_slice() {
            ["applicant", id] => {
                if store.applicant(&clerk, id).is_err() {
                    missing("an applicant")
                }
            }
            ["file", id] => {
                if store.file(&clerk, id).is_err() {
                    missing("a file")
                }
            }
            ["case", id, version] => match store.case_detail(&clerk, id) {
                Ok(c) if c.version >= version.parse::<i64>().unwrap() => {}
                _ => missing("a case (at that version)"),
            },
            ["transfer", id, case] => {
                if store.transfer(&finance, id).is_err() {
                    missing("a recorded transfer")
                }
                match store.case_detail(&reviewer, case) {
                    Ok(c) if progress(c.state) >= 1 => {}
                    _ => missing("a paid case (past 待缴费)"),
                }
            }
            ["confirmed", id] => match store.transfer(&finance, id) {
                Ok(t) if t.state == TransferState::Confirmed => {}
                _ => missing("a confirmed transfer"),
            },
            ["reviewed", id, reached] => match store.case_detail(&reviewer, id) {
                Ok(c) if progress(c.state) >= reached.parse::<u8>().unwrap() => {}
                _ => missing("a review decision"),
            },
            ["settings", _, version] => {
                if store.settings(&admin).unwrap().version < version.parse::<i64>().unwrap() {
                    missing("a settings change")
                }
            }
            _ => panic!("round {round}: the child reported something unknown: {line}"),
        }
    }
}

#[test]
fn crash_test() {
    let seed: u64 = std::env::var(SEED_VAR)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        });
    let kills: usize = std::env::var(KILLS_VAR).ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    println!("crash test: seed {seed} ({SEED_VAR}={seed} repeats this run), {kills} kills");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open_with_keys(dir.path(), Arc::new(SystemClock), keys()).unwrap();
        regdesk_store::demo::fill(&store, FILINGS).unwrap();
    }
    let exe = std::env::current_exe().unwrap();
    let mut reported: Vec<String> = Vec::new();
    let started = Instant::now();
    for round in 0..kills {
        let child_seed = rng.next();
        let mut child = Command::new(&exe)
            .args(["--ignored", "--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env(DIR_VAR, dir.path())
            .env(SEED_VAR, child_seed.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait until the child works, then let it run a random while.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(l) if l == "ready" => break,
                Ok(_) => {}
                Err(_) => {
                    let _ = child.kill();
                    panic!("round {round} (seed {seed}): the child never became ready")
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20 + rng.below(281)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        reader.join().unwrap();
        let before = reported.len();
        reported.extend(
            rx.try_iter()
                .filter_map(|l| l.strip_prefix("done ").map(str::to_string)),
        );
        println!("round {round}: {} commands reported done", reported.len() - before);
        check_after_kill(dir.path(), &reported, round, seed);
    }
    // The way from payment to registration was walked, every step of it.
    for step in ["transfer ", "confirmed ", "reviewed "] {
        assert!(
            reported.iter().any(|l| l.starts_with(step)),
            "no `{step}` command was reported done in {kills} runs"
        );
    }
    assert!(
        reported.len() > kills,
        "the children did too little to test anything ({} commands in {kills} runs)",
        reported.len()
    );
    println!(
        "crash test: {kills} kills, {} commands checked, {:.1} s",
        reported.len(),
        started.elapsed().as_secs_f64()
    );
}
