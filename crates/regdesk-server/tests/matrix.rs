//! Every journal command of the store, pushed straight to the real server over
//! HTTPS as each role, as a disabled account and with no person, bypassing
//! the station's own checks: the server's answer is the backstop against a
//! modified workstation. Also a revoked station and a station this office
//! never enrolled. The expected answers are written out here, command by
//! command; a command the store gains without a line here fails the test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use regdesk_server::pg::Cluster;
use regdesk_sync::protocol::{
    Cell, Column, EnrolReply, Entry, ErrorCode, ErrorReply, PushReply, PushRequest, RejectCode, Row, RowEffect,
    Verdict, HEADER_APP, HEADER_PROTOCOL, PATH_CHAIN, PATH_ENROL, PATH_PUSH, PROTOCOL_VERSION,
};
use reqwest::StatusCode;
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_regdesk-server");

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(dir: &Path) -> Server {
        std::fs::create_dir_all(dir).unwrap();
        let log = std::fs::File::create(dir.join("server.log")).unwrap();
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(dir)
            .args(["--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(at) = line.find("listening on https://") {
                    let addr: SocketAddr = line[at + "listening on https://".len()..].trim().parse().unwrap();
                    let _ = tx.send(addr);
                }
            }
        });
        let Ok(addr) = rx.recv_timeout(Duration::from_secs(120)) else {
            let _ = child.kill();
            panic!(
                "the server did not start: {}",
                std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
            );
        };
        Server { child, addr }
    }

    fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.addr)
    }

    fn stop(mut self) {
        let ok = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(ok.success());
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the server ended with {status}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("REGDESK_ADMIN_PASSWORD", "Banquan2026")
        .output()
        .unwrap()
}

fn client(dir: &Path) -> reqwest::Client {
    let pem = std::fs::read(dir.join("tls/ca.pem")).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    use rustls::pki_types::pem::PemObject;
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(regdesk_server::tls::provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(config)
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

fn versioned(rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    rb.header(HEADER_PROTOCOL, PROTOCOL_VERSION.to_string())
        .header(HEADER_APP, "0.1.0")
}

async fn enrol(http: &reqwest::Client, server: &Server, dir: &Path, name: &str) -> EnrolReply {
    let out = cli(dir, &["station", "add", "--name", name, "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let code: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reply = versioned(http.post(server.url(PATH_ENROL)))
        .json(&json!({
            "code": code["code"], "station_id": uuid::Uuid::now_v7().to_string(), "app_version": "0.1.0"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    reply.json().await.unwrap()
}

async fn push_raw(http: &reqwest::Client, server: &Server, credential: &str, entries: Vec<Entry>) -> reqwest::Response {
    versioned(http.post(server.url(PATH_PUSH)))
        .bearer_auth(credential)
        .json(&PushRequest { entries, head: None })
        .send()
        .await
        .unwrap()
}

/// A station pushing entries numbered in order, as a workstation's outbox does.
struct Station {
    reply: EnrolReply,
    seq: i64,
}

impl Station {
    fn entry(&mut self, staff: Option<&str>, command: &str, effects: Vec<RowEffect>) -> Entry {
        self.seq += 1;
        Entry {
            id: uuid::Uuid::now_v7(),
            station_id: self.reply.station_id.clone(),
            station_seq: self.seq,
            staff_id: staff.map(str::to_string),
            at: chrono::Utc::now(),
            command: command.into(),
            entity: "matrix".into(),
            entity_id: format!("probe-{}", self.seq),
            entity_version: 1,
            payload: json!({}),
            payload_format: regdesk_domain::stored::JOURNAL_FORMAT,
            effects,
            blobs: Vec::new(),
        }
    }

    /// Pushes `entries` and returns each one's verdict, in order.
    async fn push(&self, http: &reqwest::Client, server: &Server, entries: Vec<Entry>) -> Vec<Verdict> {
        let mut out = Vec::new();
        for chunk in entries.chunks(regdesk_sync::protocol::MAX_PUSH_ENTRIES) {
            let reply = push_raw(http, server, &self.reply.credential, chunk.to_vec()).await;
            assert_eq!(reply.status(), StatusCode::OK);
            let reply: PushReply = reply.json().await.unwrap();
            assert_eq!(reply.verdicts.len(), chunk.len(), "every entry gets a verdict");
            for (e, v) in chunk.iter().zip(reply.verdicts) {
                assert_eq!(e.id, v.id);
                out.push(v.verdict);
            }
        }
        out
    }
}

fn t(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn set(row: &Row, name: &str, value: Cell) -> Row {
    let mut row = row.clone();
    let col = row
        .iter_mut()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    col.value = value;
    row
}

fn key(id: &str) -> String {
    serde_json::to_string(&[id]).unwrap()
}

fn digest(table: &str, key: &str, row: &Row) -> String {
    regdesk_sync::row_digest(table, key, row)
}

fn created(table: &str, id: &str, row: Row) -> RowEffect {
    RowEffect {
        table: table.into(),
        key: key(id),
        before: None,
        after: Some(row),
        changed: None,
    }
}

fn changed(table: &str, id: &str, before: &Row, after: Row) -> RowEffect {
    RowEffect {
        table: table.into(),
        key: key(id),
        before: Some(digest(table, &key(id), before)),
        after: Some(after),
        changed: None,
    }
}

/// A new applicant: a working row any admitted command may touch.
fn applicant() -> RowEffect {
    let id = uuid::Uuid::now_v7().to_string();
    created(
        "applicants",
        &id,
        vec![
            Column {
                name: "id".into(),
                value: t(&id),
            },
            Column {
                name: "name".into(),
                value: t("矩阵测试申请人"),
            },
            Column {
                name: "version".into(),
                value: Cell::Int(1),
            },
        ],
    )
}

/// Who gives the command in one probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Role(&'static str),
    Disabled,
    Nobody,
}

/// What the server must answer a command given by a person holding a role.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Held by these roles (role codes); everyone else is refused `not_permitted`.
    Roles(&'static [&'static str]),
    /// Any active person, about their own account only.
    OwnAccount,
    /// The office's rules: by nobody or by whoever was signed in.
    Office,
    /// A workstation's own bookkeeping: no shared rows.
    StationOnly,
    /// Never taken from a workstation.
    Never,
}

const C: &str = "counter_clerk";
const F: &str = "finance";
const R1: &str = "first_reviewer";
const R2: &str = "final_reviewer";
const D: &str = "certificate_desk";
const A: &str = "admin";
const S: &str = "supervisor";
const ROLES: [&str; 7] = [C, F, R1, R2, D, A, S];

/// The matrix, command by command (the store's names).
fn rule(command: &str) -> Option<Rule> {
    use Rule::*;
    Some(match command {
        "add_staff" | "update_staff" | "reset_password" | "disable_staff" | "enable_staff" => Roles(&[A]),
        "change_password" | "login" | "unlock" => OwnAccount,
        "update_settings"
        | "update_backup_settings"
        | "update_delivery_settings"
        | "update_verification_url"
        | "load_calendar_year"
        | "set_category_letters"
        | "set_registration_counter"
        | "add_subordinate_office"
        | "save_certificate_printer"
        | "set_batch_signing_form"
        | "set_number_leases"
        | "import_register"
        | "change_applicant_category"
        | "change_payment_method"
        | "revoke_registration"
        | "revoke_historic"
        | "transfer_case" => Roles(&[A]),
        "keep_category_letters" | "expire_correction" => Office,
        "print_certificates"
        | "void_certificate_sheet"
        | "prepare_shipments"
        | "ship_by_waybill"
        | "print_labels"
        | "export_sf_orders"
        | "hand_over"
        | "loss_statement"
        | "loss_statement_file" => Roles(&[D]),
        "create_applicant"
        | "update_applicant"
        | "add_identity_proof"
        | "remove_identity_proof"
        | "check_identity_proof"
        | "create_draft"
        | "import_filing"
        | "save_draft"
        | "submit_for_signing"
        | "record_signature"
        | "record_batch_signature"
        | "resubmit"
        | "withdraw" => Roles(&[C]),
        "add_file" => Roles(&[C, F, D]),
        "choose_payment_method" => Roles(&[C, F]),
        "record_transfer"
        | "check_transfer"
        | "import_statement"
        | "resolve_statement_line"
        | "dismiss_statement_line"
        | "record_refund"
        | "mark_invoices_issued" => Roles(&[F]),
        "first_review" => Roles(&[R1]),
        "final_review" => Roles(&[R2]),
        "audit"
        | "audit_baseline"
        | "backup"
        | "station"
        | "record_backup"
        | "restore_backup"
        | "export_recovery_code"
        | "view_personal_data"
        | "audit_anchor_reset"
        | "discard_inbox_item"
        | "redo_inbox_item" => StationOnly,
        "setup_office"
        | "demo_copy_cases"
        | "sync_enrol"
        | "sync_rejected"
        | "sync_held_columns"
        | "sync_snapshot"
        | "sync_leases"
        | "give_back_leased_numbers" => Never,
        _ => return None,
    })
}

/// The reference tables and the commands that alone may change them.
fn writers(table: &str) -> &'static [&'static str] {
    match table {
        "staff" => &[
            "add_staff",
            "update_staff",
            "reset_password",
            "disable_staff",
            "enable_staff",
        ],
        _ => &[],
    }
}

type Answer = Result<(), RejectCode>;

/// The expected answer to a probe: `work` = a new applicant row (the command's
/// working rows); `grant` = a new staff row holding every role.
fn expected(command: &str, who: Who, probe: Probe) -> Answer {
    use RejectCode as R;
    let rule = rule(command).unwrap();
    match rule {
        Rule::Never => return Err(R::UnknownCommand),
        Rule::StationOnly if probe != Probe::Nothing => return Err(R::Malformed),
        _ => {}
    }
    let person_needed = matches!(rule, Rule::Roles(_) | Rule::OwnAccount);
    match who {
        Who::Disabled => return Err(R::StaffInactive),
        Who::Nobody if person_needed => return Err(R::StaffInactive),
        Who::Role(role) => {
            if let Rule::Roles(roles) = rule {
                if !roles.contains(&role) {
                    return Err(R::NotPermitted);
                }
            }
        }
        Who::Nobody => {}
    }
    match probe {
        Probe::Nothing => Ok(()),
        Probe::Work => match (rule, command) {
            // Confined: a person's own account, the letter tables, a transfer the case alone.
            (Rule::OwnAccount, _) | (_, "keep_category_letters" | "transfer_case") => Err(R::NotPermitted),
            _ => Ok(()),
        },
        Probe::Grant => {
            if writers("staff").contains(&command) {
                Ok(())
            } else {
                Err(R::NotPermitted)
            }
        }
        Probe::OpenCase => {
            if matches!(command, "create_draft" | "import_filing") {
                Ok(())
            } else {
                Err(R::NotPermitted)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Probe {
    /// No rows at all.
    Nothing,
    /// A new applicant.
    Work,
    /// A new staff account holding every role.
    Grant,
    /// A new case, as a draft.
    OpenCase,
}

fn verdict_answer(v: &Verdict) -> Answer {
    match v {
        Verdict::Accepted { .. } => Ok(()),
        Verdict::Rejected { code, reason, .. } => {
            assert!(
                reason.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{reason}"
            );
            Err(*code)
        }
        Verdict::RetryLater { reason } => panic!("retry_later: {reason}"),
    }
}

async fn record_rows(dir: &Path, table: &str) -> Vec<(String, Row)> {
    let (pg, conn) = Cluster::new(dir.join("pg"))
        .unwrap()
        .config()
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    pg.query(
        "SELECT key, row FROM record_rows WHERE tbl = $1 ORDER BY key",
        &[&table],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get(0),
            serde_json::from_value(r.get::<_, serde_json::Value>(1)).unwrap(),
        )
    })
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_as_every_role_gets_the_servers_answer() {
    // Every command of the store has its line in the matrix.
    let missing: Vec<&str> = regdesk_store::COMMANDS
        .iter()
        .copied()
        .filter(|c| rule(c).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "commands of the store without a line in the server's matrix: {missing:?}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("srv");
    let server = Server::start(&dir);
    let made = cli(
        &dir,
        &[
            "init",
            "--office-name",
            "浙江省版权局",
            "--office-code",
            "ZJ",
            "--reg-prefix",
            "浙作登字",
            "--province",
            "33",
            "--admin-username",
            "admin",
            "--admin-name",
            "周建国",
        ],
    );
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let http = client(&dir);
    let mut station = Station {
        reply: enrol(&http, &server, &dir, "矩阵工作站").await,
        seq: 0,
    };
    let staff_rows = record_rows(&dir, "staff").await;
    assert_eq!(staff_rows.len(), 1, "the first admin");
    let (admin_key, admin_row) = staff_rows[0].clone();
    let admin_id: String = serde_json::from_str::<Vec<String>>(&admin_key).unwrap().remove(0);

    // One person per role, and a disabled one holding every role, added by the admin.
    let person = |id: &str, roles: &str, disabled: bool| {
        let row = set(&admin_row, "id", t(id));
        let row = set(&row, "username", t(&format!("u{}", &id[id.len() - 12..])));
        let row = set(&row, "display_name", t(&format!("测试{roles}")));
        let row = set(&row, "roles", t(roles));
        set(&row, "disabled", Cell::Int(i64::from(disabled)))
    };
    let mut people: BTreeMap<Who, String> = BTreeMap::new();
    let mut adds = Vec::new();
    let mut rows_of: BTreeMap<String, Row> = BTreeMap::new();
    for who in ROLES.map(Who::Role).into_iter().chain([Who::Disabled]) {
        let id = uuid::Uuid::now_v7().to_string();
        let (roles, disabled) = match who {
            Who::Role(r) => (r.to_string(), false),
            _ => (ROLES.join(","), true),
        };
        let row = person(&id, &roles, disabled);
        rows_of.insert(id.clone(), row.clone());
        adds.push(station.entry(Some(&admin_id), "add_staff", vec![created("staff", &id, row)]));
        people.insert(who, id);
    }
    for v in station.push(&http, &server, adds).await {
        assert_eq!(verdict_answer(&v), Ok(()), "{v:?}");
    }

    // The matrix: every command × every person × every probe.
    let mut probes = Vec::new();
    let mut entries = Vec::new();
    let whos: Vec<Who> = ROLES
        .map(Who::Role)
        .into_iter()
        .chain([Who::Disabled, Who::Nobody])
        .collect();
    for command in regdesk_store::COMMANDS {
        for who in &whos {
            let staff = people.get(who).map(String::as_str);
            for probe in [Probe::Nothing, Probe::Work, Probe::Grant, Probe::OpenCase] {
                let effects = match probe {
                    Probe::Nothing => Vec::new(),
                    Probe::Work => vec![applicant()],
                    Probe::Grant => {
                        let id = uuid::Uuid::now_v7().to_string();
                        vec![created("staff", &id, person(&id, &ROLES.join(","), false))]
                    }
                    Probe::OpenCase => {
                        let id = uuid::Uuid::now_v7().to_string();
                        vec![created("cases", &id, new_case(&id, "draft"))]
                    }
                };
                entries.push(station.entry(staff, command, effects));
                probes.push((*command, *who, probe));
            }
        }
    }
    let verdicts = station.push(&http, &server, entries).await;
    let mut wrong = Vec::new();
    for ((command, who, probe), v) in probes.iter().zip(&verdicts) {
        let want = expected(command, *who, *probe);
        let got = verdict_answer(v);
        if want != got {
            wrong.push(format!(
                "{command} as {who:?} ({probe:?}): want {want:?}, got {got:?} {v:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));

    // A person's own account: their password, not their roles, nor another's.
    let clerk = people[&Who::Role(C)].clone();
    let clerk_row = rows_of[&clerk].clone();
    let other = people[&Who::Role(F)].clone();
    let other_row = rows_of[&other].clone();
    let new_hash = t("$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA");
    let own_password = set(&clerk_row, "password_hash", new_hash.clone());
    let probes = vec![
        (
            station.entry(
                Some(&clerk),
                "change_password",
                vec![changed(
                    "staff",
                    &clerk,
                    &clerk_row,
                    set(&clerk_row, "roles", t("counter_clerk,admin")),
                )],
            ),
            Err(RejectCode::NotPermitted),
        ),
        (
            station.entry(
                Some(&clerk),
                "change_password",
                vec![changed(
                    "staff",
                    &other,
                    &other_row,
                    set(&other_row, "password_hash", new_hash.clone()),
                )],
            ),
            Err(RejectCode::NotPermitted),
        ),
        (
            station.entry(
                Some(&clerk),
                "login",
                vec![changed("staff", &clerk, &clerk_row, own_password.clone())],
            ),
            Err(RejectCode::NotPermitted),
        ),
        (
            station.entry(
                Some(&clerk),
                "change_password",
                vec![changed("staff", &clerk, &clerk_row, own_password.clone())],
            ),
            Ok(()),
        ),
        (
            station.entry(
                Some(&clerk),
                "login",
                vec![changed(
                    "staff",
                    &clerk,
                    &own_password,
                    set(&own_password, "failed_logins", Cell::Int(1)),
                )],
            ),
            Ok(()),
        ),
    ];
    let (entries, wants): (Vec<Entry>, Vec<Answer>) = probes.into_iter().unzip();
    let verdicts = station.push(&http, &server, entries).await;
    for (i, (v, want)) in verdicts.iter().zip(wants).enumerate() {
        assert_eq!(verdict_answer(v), want, "own-account probe {i}: {v:?}");
    }
    // A case opened in any state but a draft is refused, even by the counter.
    let id = uuid::Uuid::now_v7().to_string();
    let opened = station.entry(
        Some(&clerk),
        "create_draft",
        vec![created("cases", &id, new_case(&id, "registered"))],
    );
    let v = station.push(&http, &server, vec![opened]).await;
    assert_eq!(verdict_answer(&v[0]), Err(RejectCode::Transition), "{v:?}");

    // A station this office never enrolled (another office's), then a revoked one.
    let stranger = format!("{}.{}", uuid::Uuid::now_v7(), "c2VjcmV0LW9mLWFub3RoZXItb2ZmaWNl");
    let e = station.entry(Some(&admin_id), "create_applicant", vec![applicant()]);
    let r = push_raw(&http, &server, &stranger, vec![e]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.json::<ErrorReply>().await.unwrap().code, ErrorCode::Unauthenticated);
    let mut second = Station {
        reply: enrol(&http, &server, &dir, "矩阵工作站2").await,
        seq: 0,
    };
    let out = cli(&dir, &["station", "revoke", "矩阵工作站2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let e = second.entry(Some(&clerk), "create_applicant", vec![applicant()]);
    let r = push_raw(&http, &server, &second.reply.credential, vec![e]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.json::<ErrorReply>().await.unwrap().code, ErrorCode::StationRevoked);
    // The station's audit chain head is kept as pushes arrive, first hash per place.
    let head = |seq: i64, c: char| regdesk_sync::protocol::ChainHead {
        seq,
        entry_hash: c.to_string().repeat(64),
    };
    for (seq, c) in [(7, 'a'), (9, 'b'), (7, 'c')] {
        let e = station.entry(Some(&clerk), "create_applicant", vec![applicant()]);
        let r = versioned(http.post(server.url(PATH_PUSH)))
            .bearer_auth(&station.reply.credential)
            .json(&PushRequest {
                entries: vec![e],
                head: Some(head(seq, c)),
            })
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let bad = versioned(http.post(server.url(PATH_PUSH)))
        .bearer_auth(&station.reply.credential)
        .json(&PushRequest {
            entries: Vec::new(),
            head: Some(head(3, 'Z')),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let chain: regdesk_sync::protocol::ChainReply = versioned(http.get(server.url(PATH_CHAIN)))
        .bearer_auth(&station.reply.credential)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kept: Vec<(i64, String)> = chain.heads.into_iter().map(|h| (h.seq, h.entry_hash)).collect();
    assert_eq!(kept, vec![(7, "a".repeat(64)), (9, "b".repeat(64))]);

    // Nothing of the granting probes reached the record: only the people added above.
    let staff_now = record_rows(&dir, "staff").await;
    let admins: Vec<&(String, Row)> = staff_now
        .iter()
        .filter(|(_, r)| {
            r.iter()
                .any(|c| c.name == "roles" && matches!(&c.value, Cell::Text(t) if t.contains("admin")))
        })
        .collect();
    // The first admin, the admin of the matrix, the disabled one, and the
    // grants the staff commands were allowed to make by the admin.
    let granted_by_admin = writers("staff").len();
    assert_eq!(admins.len(), 3 + granted_by_admin, "{admins:?}");

    // A station of another office of the tree: 西湖区 under the province.
    // (A station of the top office pushes afresh: the probes above left gaps in the first one's order.)
    let mut top = Station {
        reply: enrol(&http, &server, &dir, "矩阵省站").await,
        seq: 0,
    };
    let admin_person = people[&Who::Role(A)].clone();
    let tree_row: Row = [
        ("code", t("ZJXH")),
        ("name", t("西湖区受理点")),
        ("parent_code", t("ZJ")),
        ("added_at", t("2026-12-07 01:00:00+00:00")),
        ("added_by", t(&admin_person)),
    ]
    .into_iter()
    .map(|(n, v)| Column {
        name: n.into(),
        value: v,
    })
    .collect();
    let e = top.entry(
        Some(&admin_person),
        "add_subordinate_office",
        vec![created("office_tree", "ZJXH", tree_row)],
    );
    assert_eq!(verdict_answer(&top.push(&http, &server, vec![e]).await[0]), Ok(()));
    let refused = cli(&dir, &["station", "add", "--name", "矩阵县站", "--office", "ZJXX"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("ZJXX"));
    let out = cli(
        &dir,
        &["station", "add", "--name", "矩阵县站", "--office", "ZJXH", "--json"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let code: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(code["office_code"], "ZJXH");
    let reply: EnrolReply = versioned(http.post(server.url(PATH_ENROL)))
        .json(&json!({
            "code": code["code"], "station_id": uuid::Uuid::now_v7().to_string(), "app_version": "0.1.0"
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        reply.office_code.as_deref(),
        Some("ZJXH"),
        "the enrolment tells the station its office"
    );
    let mut county = Station { reply, seq: 0 };
    let listed = cli(&dir, &["station", "list", "--json"]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "矩阵县站" && s["office_code"] == "ZJXH" && s["status"] == "enrolled"));
    // A case of the province's own and one of the county's.
    let own_case = uuid::Uuid::now_v7().to_string();
    let e = top.entry(
        Some(&clerk),
        "create_draft",
        vec![created("cases", &own_case, new_case(&own_case, "draft"))],
    );
    assert_eq!(verdict_answer(&top.push(&http, &server, vec![e]).await[0]), Ok(()));
    let theirs = uuid::Uuid::now_v7().to_string();
    let their_case = new_case_of(&theirs, "draft", Some("ZJXH"));
    let e = county.entry(
        Some(&clerk),
        "create_draft",
        vec![created("cases", &theirs, their_case.clone())],
    );
    assert_eq!(verdict_answer(&county.push(&http, &server, vec![e]).await[0]), Ok(()));
    // Every command the county's station pushes about the province's case, by every person, is refused.
    let province_case = new_case(&own_case, "draft");
    let mut entries = Vec::new();
    let mut want = Vec::new();
    for command in regdesk_store::COMMANDS {
        let Some(Rule::Roles(roles)) = rule(command) else {
            continue;
        };
        let staff = people[&Who::Role(roles[0])].clone();
        let edited = set(&province_case, "title", t("县站改动"));
        entries.push(county.entry(
            Some(&staff),
            command,
            vec![changed("cases", &own_case, &province_case, edited)],
        ));
        // Who may not give it, or what it may not change, is refused before the scope.
        want.push(
            if matches!(
                *command,
                "add_staff" | "update_staff" | "reset_password" | "disable_staff" | "enable_staff"
            ) || admission_confined(command)
            {
                None
            } else {
                Some(RejectCode::OutOfScope)
            },
        );
    }
    let verdicts = county.push(&http, &server, entries).await;
    for ((v, w), command) in verdicts.iter().zip(&want).zip(
        regdesk_store::COMMANDS
            .iter()
            .filter(|c| matches!(rule(c), Some(Rule::Roles(_)))),
    ) {
        let got = verdict_answer(v);
        match w {
            Some(code) => assert_eq!(got, Err(*code), "{command}: {v:?}"),
            None => assert!(got.is_err(), "{command}: {v:?}"),
        }
    }
    // A case opened under another office's code, a transfer of a case it does not see.
    let other = uuid::Uuid::now_v7().to_string();
    let e = county.entry(
        Some(&clerk),
        "create_draft",
        vec![created("cases", &other, new_case(&other, "draft"))],
    );
    assert_eq!(
        verdict_answer(&county.push(&http, &server, vec![e]).await[0]),
        Err(RejectCode::OutOfScope)
    );
    let moved = set(&set(&province_case, "office_code", t("ZJXH")), "version", Cell::Int(2));
    let e = county.entry(
        Some(&admin_person),
        "transfer_case",
        vec![changed("cases", &own_case, &province_case, moved.clone())],
    );
    assert_eq!(
        verdict_answer(&county.push(&http, &server, vec![e]).await[0]),
        Err(RejectCode::OutOfScope)
    );
    // The province's station may not change the county's case, but its admin may transfer it home.
    let edited = set(&their_case, "title", t("省站改动"));
    let e = top.entry(
        Some(&clerk),
        "save_draft",
        vec![changed("cases", &theirs, &their_case, edited)],
    );
    assert_eq!(
        verdict_answer(&top.push(&http, &server, vec![e]).await[0]),
        Err(RejectCode::OutOfScope)
    );
    let home = set(&set(&their_case, "office_code", Cell::Null), "version", Cell::Int(2));
    let e = top.entry(
        Some(&admin_person),
        "transfer_case",
        vec![changed("cases", &theirs, &their_case, home)],
    );
    assert_eq!(verdict_answer(&top.push(&http, &server, vec![e]).await[0]), Ok(()));
    server.stop();
}

/// Commands confined to some tables that are not the cases' (their probe is refused as not permitted).
fn admission_confined(command: &str) -> bool {
    regdesk_domain::admission::confined_to(command).is_some_and(|t| !t.contains(&"cases"))
        || !regdesk_domain::admission::may_change(command, "cases")
}

/// A case row as a workstation makes it, in `state`, of the top office.
fn new_case(id: &str, state: &str) -> Row {
    new_case_of(id, state, None)
}

/// A case row of `office` (`None`: the top office's own).
fn new_case_of(id: &str, state: &str, office: Option<&str>) -> Row {
    let cols: Vec<(&str, Cell)> = vec![
        ("id", t(id)),
        ("serial", t(&format!("ZJ-{}", &id[id.len() - 8..]))),
        ("title", t("矩阵测试作品")),
        ("state", t(state)),
        ("version", Cell::Int(1)),
        (
            "facts",
            t(&serde_json::to_string(&regdesk_domain::lifecycle::CaseFacts::default()).unwrap()),
        ),
        ("facts_format", Cell::Int(1)),
        ("office_code", office.map_or(Cell::Null, t)),
    ];
    cols.into_iter()
        .map(|(n, v)| Column {
            name: n.into(),
            value: v,
        })
        .collect()
}
