//! Three workstations (counter, finance, review) and the real central server
//! carry a case from intake to its registration number through `regdesk`
//! commands and `regdesk sync`: every station ends with the server's state
//! hash, a repeated round changes nothing, a clash made offline lands in the
//! 需处理 inbox with its data, and the registration number is the server's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use regdesk_store::{Store, SystemClock};
use regdesk_sync::client::SyncClient;
use serde_json::{json, Value};

const PASSWORD: &str = "Banquan2026";

/// The tests' key file: a fixed key, outside the data directories, written
/// once per run, whole.
fn key_file() -> PathBuf {
    use regdesk_store::keys::{KeyHome, StationKeys};
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join("regdesk-sync-tests.key");
        let code = StationKeys::from_secret([0x42; 32], KeyHome::KeyStore).recovery_code();
        let tmp = dir.join(format!("regdesk-sync-tests.key.{}", std::process::id()));
        std::fs::write(&tmp, code.as_bytes()).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        path
    })
    .clone()
}

/// The `regdesk-server` binary, built beside this package's `regdesk`.
fn server_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let regdesk = Path::new(env!("CARGO_BIN_EXE_regdesk"));
        let profile_dir = regdesk.parent().unwrap();
        let target = profile_dir.parent().unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
            .args([
                "build",
                "-p",
                "regdesk-server",
                "--bin",
                "regdesk-server",
                "--target-dir",
            ])
            .arg(target)
            .status()
            .unwrap();
        assert!(status.success(), "building regdesk-server failed");
        profile_dir.join("regdesk-server")
    })
    .clone()
}

fn regdesk(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regdesk"));
    c.arg("--data-dir")
        .arg(dir)
        .env("REGDESK_KEY_FILE", key_file())
        .env_remove("REGDESK_RECOVERY_CODE")
        .env_remove("REGDESK_DATA_DIR")
        .env_remove("REGDESK_USER");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn as_user(dir: &Path, user: &str, args: &[&str]) -> (i32, String, String) {
    let mut c = regdesk(dir);
    c.args(["--user", user]).args(args).env("REGDESK_PASSWORD", PASSWORD);
    run(&mut c)
}

fn ok_json(dir: &Path, user: &str, args: &[&str]) -> Value {
    let (code, o, e) = as_user(dir, user, args);
    assert_eq!(code, 0, "{args:?}: {o}{e}");
    serde_json::from_str(o.trim()).unwrap_or_else(|err| panic!("{args:?}: {err}: {o}"))
}

fn shown(dir: &Path, user: &str, args: &[&str]) -> String {
    let (code, o, e) = as_user(dir, user, args);
    assert_eq!(code, 0, "{args:?}: {o}{e}");
    println!("[{}] $ regdesk --user {user} {}\n{o}", name(dir), args.join(" "));
    o
}

fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// `regdesk sync --json`: one round; its outcome.
fn sync(dir: &Path) -> Value {
    let (code, o, e) = run(regdesk(dir).args(["sync", "--json"]));
    println!("[{}] $ regdesk sync --json\n{o}{e}", name(dir));
    assert_eq!(code, 0, "{o}{e}");
    serde_json::from_str(o.lines().last().unwrap()).unwrap()
}

fn icon(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/icons")
        .join(name)
}

fn write_json(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p.display().to_string()
}

const OWNER_ID: &str = "330106198810100123";

fn applicant_json() -> Value {
    json!({
        "category": "individual",
        "name": "林晓雨",
        "id_type": "resident_id",
        "id_number": OWNER_ID,
        "pen_name": "",
        "handler_name": "林晓雨",
        "handler_mobile": "13805710001",
        "region": "浙江省杭州市",
        "invoice_email": "lin@example.cn",
        "recipient_name": "林晓雨",
        "recipient_phone": "13805710001",
        "postal_address": "浙江省杭州市西湖区文三路 100 号"
    })
}

fn filing_json(applicant_id: &str, proof_id: &str, title: &str) -> Value {
    json!({
        "applicant_id": applicant_id,
        "draft": {
            "work": {
                "title": title,
                "category": "photography",
                "nature": "original",
                "completed_on": "2026-3",
                "completed_place": "浙江省杭州市",
                "publication": "unpublished",
                "attribution": "individual",
                "acquisition": "original",
                "ownership": "full"
            },
            "owners": [{
                "kind": "natural_person",
                "name": "林晓雨",
                "id_type": "resident_id",
                "id_number": OWNER_ID,
                "region": "浙江省杭州市",
                "files": [{ "file_id": proof_id, "kind": "identity_proof" }]
            }],
            "authors": [{ "kind": "natural_person", "name": "林晓雨", "signed_as": "real_name" }],
            "description": "作品以西湖为题材，构图简洁。",
            "creation_story": "作者实地采风后独立完成。",
            "delivery": "mail",
            "recipient_name": "林晓雨",
            "recipient_phone": "13805710001",
            "postal_address": "浙江省杭州市西湖区文三路 100 号",
            "invoice_email": "lin@example.cn"
        }
    })
}

/// A submitted, signed filing awaiting payment, made at `dir` by the counter clerk; its serial.
fn signed_case(dir: &Path, applicant_id: &str, title: &str) -> String {
    let proof = ok_json(
        dir,
        "wangli",
        &[
            "file",
            "add",
            icon("32x32.png").to_str().unwrap(),
            "--purpose",
            "identity_proof",
            "--json",
        ],
    );
    let f = write_json(
        dir,
        "filing.json",
        &filing_json(applicant_id, proof["id"].as_str().unwrap(), title),
    );
    let serial = ok_json(dir, "wangli", &["filing", "new", "--json", &f])["serial"]
        .as_str()
        .unwrap()
        .to_string();
    let sample = icon("128x128.png").display().to_string();
    ok_json(
        dir,
        "wangli",
        &["filing", "attach", &serial, &sample, "--kind", "sample", "--json"],
    );
    ok_json(dir, "wangli", &["filing", "submit", &serial, "--json"]);
    let scan = icon("32x32.png").display().to_string();
    let signed = ok_json(
        dir,
        "wangli",
        &[
            "filing", "sign", &serial, "--signer", "1", "--method", "paper", "--scan", &scan, "--json",
        ],
    );
    assert_eq!(signed["state"], "awaiting_payment", "{signed}");
    shown(
        dir,
        "wangli",
        &["payment", "choose-method", &serial, "--method", "bank_transfer"],
    );
    serial
}

/// Records a transfer for `serial` (chenxy) and confirms it (hejun), at `dir`.
fn paid(dir: &Path, serial: &str) {
    let (code, o, e) = as_user(dir, "chenxy", &["payment", "cases", "--search", serial, "--json"]);
    assert_eq!(code, 0, "{e}");
    let fee = serde_json::from_str::<Value>(o.lines().next().unwrap()).unwrap()["owed_fen"]
        .as_i64()
        .unwrap();
    let received = (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::minutes(5))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let t = ok_json(
        dir,
        "chenxy",
        &[
            "payment",
            "record-transfer",
            "--payer",
            "林晓雨",
            "--amount-fen",
            &fee.to_string(),
            "--received-at",
            &received,
            "--reference",
            &format!("ICBC{serial}"),
            "--case",
            serial,
            "--json",
        ],
    );
    let id = t["id"].as_str().unwrap().to_string();
    shown(dir, "hejun", &["payment", "check", &id, "--confirm"]);
}

struct Server {
    child: Child,
    addr: SocketAddr,
    fingerprint: String,
    dir: PathBuf,
}

impl Server {
    fn cli(dir: &Path, args: &[&str]) -> (i32, String, String) {
        run(Command::new(server_bin())
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .env("REGDESK_ADMIN_PASSWORD", PASSWORD))
    }

    fn start(dir: &Path) -> Server {
        let log = std::fs::File::create(dir.join("server.log")).unwrap();
        let mut child = Command::new(server_bin())
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
            let mut fingerprint = None;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.contains("CA fingerprint") {
                    fingerprint = line.split_whitespace().last().map(str::to_string);
                }
                if let Some(at) = line.find("listening on https://") {
                    let addr: SocketAddr = line[at + "listening on https://".len()..].trim().parse().unwrap();
                    let _ = tx.send((addr, fingerprint.clone()));
                }
            }
        });
        let Ok((addr, fingerprint)) = rx.recv_timeout(Duration::from_secs(120)) else {
            let _ = child.kill();
            panic!(
                "the server did not start: {}",
                std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
            );
        };
        Server {
            child,
            addr,
            fingerprint: fingerprint.expect("the fingerprint is printed before the address"),
            dir: dir.to_path_buf(),
        }
    }

    fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// A station enrolled under `name` in a new data directory, with the office's data.
    fn station(&self, root: &Path, dir_name: &str, name: &str) -> PathBuf {
        let (code, o, e) = Self::cli(&self.dir, &["station", "add", "--name", name, "--json"]);
        assert_eq!(code, 0, "{o}{e}");
        let code_json: Value = serde_json::from_str(o.trim()).unwrap();
        let dir = root.join(dir_name);
        std::fs::create_dir_all(&dir).unwrap();
        let (code, o, e) = run(regdesk(&dir).args([
            "sync",
            "enrol",
            "--server",
            &self.url(),
            "--code",
            code_json["code"].as_str().unwrap(),
            "--fingerprint",
            &self.fingerprint,
        ]));
        println!("[{dir_name}] $ regdesk sync enrol …\n{o}{e}");
        assert_eq!(code, 0, "{o}{e}");
        assert!(o.contains(name), "{o}");
        sync(&dir);
        dir
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

/// The station's state hash and the server's (`/v1/state`) as that station
/// sees it, and its cursor. When they differ, the rows that differ are named
/// (the station's shared rows against a snapshot from the server).
fn hashes(dir: &Path) -> (String, String, i64) {
    std::env::set_var(regdesk_store::keys::KEY_FILE_ENV, key_file());
    let store = Store::open(dir, Arc::new(SystemClock)).unwrap();
    let ours = store.state_hash().unwrap();
    let cursor = store.pull_cursor().unwrap();
    let enrolment = store.enrolment().unwrap().unwrap();
    let rows = store.shared_rows().unwrap();
    drop(store);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = SyncClient::new(&enrolment).unwrap();
    let theirs = rt.block_on(client.state()).unwrap();
    assert_eq!(theirs.cursor, cursor, "{} is not at the server's cursor", name(dir));
    if theirs.state_hash != ours {
        let request = regdesk_sync::protocol::SnapshotRequest {
            snapshot_id: None,
            after: None,
            max_rows: 100_000,
        };
        let snapshot = rt.block_on(client.snapshot(&request)).unwrap();
        let digest = |t: &str, k: &str, r: &[regdesk_sync::protocol::Column]| {
            (t.to_string(), k.to_string(), regdesk_sync::row_digest(t, k, r))
        };
        let here: std::collections::BTreeSet<_> = rows.iter().map(|r| digest(&r.table, &r.key, &r.row)).collect();
        let there: std::collections::BTreeSet<_> =
            snapshot.rows.iter().map(|r| digest(&r.table, &r.key, &r.row)).collect();
        for only in here.difference(&there) {
            println!("[{}] only at the station: {only:?}", name(dir));
        }
        for only in there.difference(&here) {
            println!("[{}] only at the server: {only:?}", name(dir));
        }
    }
    (ours, theirs.state_hash, cursor)
}

/// A server with an office made by `init`, and three desks enrolled to it
/// from new data directories, each with the office's data.
fn office_with_three_desks(root: &Path) -> (Server, PathBuf, PathBuf, PathBuf) {
    let srv = root.join("server");
    std::fs::create_dir_all(&srv).unwrap();
    let (code, o, e) = Server::cli(
        &srv,
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
    assert_eq!(code, 0, "{o}{e}");
    let server = Server::start(&srv);
    let counter = server.station(root, "counter", "受理窗口1");
    let finance = server.station(root, "finance", "核款窗口1");
    let review = server.station(root, "review", "审查室1");
    (server, counter, finance, review)
}

/// Every desk holds the server's record: the same state hash at the same cursor.
fn converged(desks: &[&PathBuf]) {
    let mut seen = Vec::new();
    for dir in desks {
        let (ours, theirs, cursor) = hashes(dir);
        assert_eq!(ours, theirs, "{} differs from the server", name(dir));
        seen.push((theirs, cursor));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
}

#[test]
fn desks_enrol_by_fingerprint_take_the_office_and_hold_the_servers_record() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (server, counter, _finance, _review) = office_with_three_desks(root);

    // A repeated round changes nothing.
    let again = sync(&counter);
    assert_eq!(
        (again["pushed"].as_u64(), again["pulled"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    assert_eq!(again["error"], Value::Null, "{again}");

    // The admin made on the server signs in at a desk (the account came down with its hash).
    let status = shown(&counter, "admin", &["status", "--json"]);
    assert!(status.contains("周建国"), "{status}");
    let status: Value = serde_json::from_str(shown(&counter, "admin", &["sync", "status", "--json"]).trim()).unwrap();
    assert_eq!(status["enrolled"], true, "{status}");
    assert_eq!(status["server_url"], json!(server.url()), "{status}");
    assert_eq!(status["station_name"], "受理窗口1", "{status}");
    assert_eq!(status["pending"], 0, "{status}");
    assert_eq!(status["last_error"], Value::Null, "{status}");

    // A fourth desk given another fingerprint is refused before the code is
    // sent: the same code then works with the right one.
    let (code, o, e) = Server::cli(&server.dir, &["station", "add", "--name", "受理窗口2", "--json"]);
    assert_eq!(code, 0, "{o}{e}");
    let one_time: Value = serde_json::from_str(o.trim()).unwrap();
    let one_time = one_time["code"].as_str().unwrap().to_string();
    let fourth = root.join("fourth");
    std::fs::create_dir_all(&fourth).unwrap();
    let wrong = regdesk_sync::fingerprint(b"another office");
    let (code, o, e) = run(regdesk(&fourth).args([
        "sync",
        "enrol",
        "--server",
        &server.url(),
        "--code",
        &one_time,
        "--fingerprint",
        &wrong,
    ]));
    assert_eq!(code, 1, "{o}{e}");
    assert!(e.contains("逐位核对"), "{e}");
    let (code, o, e) = run(regdesk(&fourth).args([
        "sync",
        "enrol",
        "--server",
        &server.url(),
        "--code",
        &one_time,
        "--fingerprint",
        &server.fingerprint,
    ]));
    assert_eq!(code, 0, "{o}{e}");
    let first = sync(&fourth);
    assert_eq!(first["error"], Value::Null, "{first}");
    server.stop();
}

/// Right after their first sync, the desks hold exactly the server's rows.
/// Today each new database also has the `delivery_settings` row its
/// migration makes, which the server's record of a new office lacks — run
/// with `--ignored`.
#[test]
fn after_the_snapshot_every_desk_has_the_servers_state_hash() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, counter, finance, review) = office_with_three_desks(tmp.path());
    converged(&[&counter, &finance, &review]);
    server.stop();
}

/// The whole walk. It waits on the server accepting a desk's entries when
/// the desk's journal numbers skip its local-only entries (sign-ins, the
/// enrolment, the snapshot): today the server holds the next entry back
/// (`retry_later`, 第 N 至 N 条记录还没有送到服务器) — run with `--ignored`.
#[test]
fn three_desks_carry_a_case_to_its_registration_number_through_the_server() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let (server, counter, finance, review) = office_with_three_desks(root);

    // The admin signs in at the counter (the account came from the server) and adds the staff.
    for (user, name, roles) in [
        ("wangli", "王丽", "counter_clerk"),
        ("chenxy", "陈晓燕", "finance"),
        ("hejun", "何军", "finance"),
        ("liwen", "李雯", "first_reviewer,final_reviewer"),
        ("zhangwei", "张伟", "final_reviewer"),
        ("sunli", "孙丽", "first_reviewer"),
    ] {
        let mut c = regdesk(&counter);
        c.args([
            "--user",
            "admin",
            "staff",
            "add",
            "--username",
            user,
            "--name",
            name,
            "--role",
            roles,
        ])
        .env("REGDESK_PASSWORD", PASSWORD)
        .env("REGDESK_NEW_PASSWORD", PASSWORD);
        let (code, o, e) = run(&mut c);
        assert_eq!(code, 0, "{o}{e}");
    }
    let out = sync(&counter);
    assert_eq!(out["accepted"], 6, "{out}");
    assert_eq!(out["rejected"], 0, "{out}");

    // Intake at the counter: two cases.
    let applicant = ok_json(
        &counter,
        "wangli",
        &[
            "applicant",
            "add",
            "--json",
            &write_json(&counter, "applicant.json", &applicant_json()),
        ],
    );
    let applicant_id = applicant["id"].as_str().unwrap().to_string();
    let first = signed_case(&counter, &applicant_id, "西湖晨雾");
    let second = signed_case(&counter, &applicant_id, "断桥残雪");
    let out = sync(&counter);
    assert_eq!(out["rejected"], 0, "{out}");
    assert!(out["accepted"].as_u64().unwrap() > 0, "{out}");

    // Finance sees both (staff signed in at this desk for the first time) and takes the payments.
    sync(&finance);
    paid(&finance, &first);
    paid(&finance, &second);
    let out = sync(&finance);
    assert_eq!(out["rejected"], 0, "{out}");

    // Review: first and final, four eyes; the number comes from the server.
    sync(&review);
    // The review room fetches the first case's attachments on demand (the
    // sample, the identity proof, the signature scan), each checked by hash.
    let fetch = |args: &[&str]| {
        let (code, o, e) = run(regdesk(&review).args(args));
        assert_eq!(code, 0, "{o}{e}");
        assert!(e.contains("正在下载附件") || e.trim().is_empty(), "{e}");
        serde_json::from_str::<Value>(o.trim()).unwrap()
    };
    let got = fetch(&["sync", "fetch-files", "--case", &first, "--json"]);
    assert!(got["missing"].as_u64().unwrap() >= 2, "{got}");
    assert_eq!(got["fetched"], got["missing"], "{got}");
    assert_eq!(got["failed"], 0, "{got}");
    assert!(got["bytes"].as_u64().unwrap() > 0, "{got}");
    let again = fetch(&["sync", "fetch-files", "--case", &first, "--json"]);
    assert_eq!(
        (again["missing"].as_u64(), again["fetched"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    // The rest of the office's attachments.
    let rest = fetch(&["sync", "fetch-files", "--json"]);
    assert_eq!(rest["failed"], 0, "{rest}");
    assert_eq!(fetch(&["sync", "fetch-files", "--json"])["missing"], 0);
    let (code, _, e) = run(regdesk(&review).args(["sync", "fetch-files", "--case", "NO-SUCH-CASE"]));
    assert_eq!(code, 1);
    assert!(e.contains("NO-SUCH-CASE"), "{e}");
    shown(&review, "liwen", &["review", "first", &first, "--pass"]);
    shown(&review, "zhangwei", &["review", "final", &first, "--approve"]);
    let out = sync(&review);
    assert_eq!(out["rejected"], 0, "{out}");
    let case = ok_json(&review, "wangli", &["case", "show", &first, "--json"]);
    let number = case["registration_number"].as_str().unwrap_or_default().to_string();
    assert!(number.starts_with("浙作登字-"), "{case}");
    sync(&counter);
    let at_counter = ok_json(&counter, "wangli", &["case", "show", &first, "--json"]);
    assert_eq!(at_counter["registration_number"], json!(number), "{at_counter}");

    // A clash made offline: the second case is first-reviewed at the review
    // room (liwen) and, before that reaches it, at the counter's PC (sunli).
    sync(&counter);
    shown(&review, "liwen", &["review", "first", &second, "--pass"]);
    shown(&counter, "sunli", &["review", "first", &second, "--pass"]);
    let out = sync(&review);
    assert_eq!(
        (out["accepted"].as_u64(), out["rejected"].as_u64()),
        (Some(1), Some(0)),
        "{out}"
    );
    let (code, o, e) = run(regdesk(&counter).args(["sync", "--json"]));
    println!("[counter] $ regdesk sync --json\n{o}{e}");
    assert_eq!(code, 0, "{o}{e}");
    let out: Value = serde_json::from_str(o.lines().last().unwrap()).unwrap();
    assert_eq!(out["rejected"], 1, "{out}");
    let inbox = shown(&counter, "sunli", &["sync", "inbox", "--json"]);
    let items: Vec<Value> = inbox.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(items.len(), 1, "{inbox}");
    assert!(!items[0]["reason"].as_str().unwrap().is_empty());
    assert!(
        items[0]["payload"].is_object(),
        "what was entered travels with it: {}",
        items[0]
    );
    // The counter shows the server's truth: reviewed by liwen.
    let at_counter = ok_json(&counter, "wangli", &["case", "show", &second, "--json"]);
    assert_eq!(at_counter["first_reviewers"], json!(["李雯"]), "{at_counter}");

    // A repeated round changes nothing; every station holds the server's record.
    for dir in [&counter, &finance, &review] {
        sync(dir);
    }
    for dir in [&counter, &finance, &review] {
        let again = sync(dir);
        assert_eq!(
            (again["pushed"].as_u64(), again["pulled"].as_u64()),
            (Some(0), Some(0)),
            "{again}"
        );
    }
    converged(&[&counter, &finance, &review]);
    let status = shown(&counter, "wangli", &["sync", "status", "--json"]);
    let status: Value = serde_json::from_str(status.trim()).unwrap();
    assert_eq!(status["pending"], 0, "{status}");
    assert_eq!(status["inbox"], 1, "{status}");
    server.stop();
}
