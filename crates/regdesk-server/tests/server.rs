//! The real `regdesk-server` binary on loopback HTTPS with its private
//! PostgreSQL: first start and restart, enrolment and its refusals, the
//! request checks, and a clean stop on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use regdesk_server::pg::Cluster;
use regdesk_sync::protocol::{
    EnrolReply, ErrorCode, ErrorReply, HelloReply, PullReply, StateReply, HEADER_APP, HEADER_PROTOCOL, MAX_BODY_BYTES,
    PATH_ENROL, PATH_HELLO, PATH_PULL, PATH_STATE, PROTOCOL_VERSION,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_regdesk-server");

struct Server {
    child: Child,
    addr: SocketAddr,
    fingerprint: String,
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
        let (addr, fingerprint) = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(v) => v,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the server did not start: {}",
                    std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
                );
            }
        };
        Server {
            child,
            addr,
            fingerprint: fingerprint.expect("the fingerprint is printed before the address"),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("https://{}{path}", self.addr)
    }

    /// SIGTERM, then waits for the process to end.
    fn stop(mut self) {
        let ok = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(ok.success());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "the server ended with {status}");
                return;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not stop on SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

/// Runs an admin subcommand against the data directory.
fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// An HTTPS client that trusts only the office CA in `DIR/tls/ca.pem`.
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
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

fn versioned(rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    rb.header(HEADER_PROTOCOL, PROTOCOL_VERSION.to_string())
        .header(HEADER_APP, "0.1.0")
}

async fn hello(http: &reqwest::Client, server: &Server, credential: Option<&str>) -> reqwest::Response {
    let mut rb = versioned(http.post(server.url(PATH_HELLO))).json(&json!({
        "app_version": "0.1.0", "protocol_version": PROTOCOL_VERSION, "payload_format": 1
    }));
    if let Some(c) = credential {
        rb = rb.bearer_auth(c);
    }
    rb.send().await.unwrap()
}

async fn enrol(http: &reqwest::Client, server: &Server, code: &str, station_id: &str) -> reqwest::Response {
    versioned(http.post(server.url(PATH_ENROL)))
        .json(&json!({ "code": code, "station_id": station_id, "app_version": "0.1.0" }))
        .send()
        .await
        .unwrap()
}

async fn refusal(response: reqwest::Response, status: StatusCode, code: ErrorCode) -> String {
    assert_eq!(response.status(), status);
    let reply: ErrorReply = response.json().await.unwrap();
    assert_eq!(reply.code, code, "{}", reply.message);
    assert!(
        reply.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{}",
        reply.message
    );
    reply.message
}

fn add_code(dir: &Path, name: &str, extra: &[&str]) -> Value {
    let mut args = vec!["station", "add", "--name", name, "--json"];
    args.extend_from_slice(extra);
    let out = cli(dir, &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn station_list(dir: &Path) -> Vec<Value> {
    let out = cli(dir, &["station", "list", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn db(dir: &Path) -> tokio_postgres::Client {
    let (client, conn) = Cluster::new(dir.join("pg"))
        .unwrap()
        .config()
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

/// Whether a PostgreSQL process of this data directory is still running.
fn postgres_running(pg: &Path) -> bool {
    let out = Command::new("ps").args(["-eo", "args"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.contains("postgres") && l.contains(&*pg.to_string_lossy()))
}

fn ca_fingerprint_on_disk(dir: &Path) -> String {
    use rustls::pki_types::pem::PemObject;
    let pem = std::fs::read(dir.join("tls/ca.pem")).unwrap();
    let der = rustls::pki_types::CertificateDer::pem_slice_iter(&pem)
        .next()
        .unwrap()
        .unwrap();
    regdesk_sync::fingerprint(&der)
}

async fn get_state(http: &reqwest::Client, server: &Server, credential: Option<&str>) -> reqwest::Response {
    let mut rb = versioned(http.get(server.url(PATH_STATE)));
    if let Some(c) = credential {
        rb = rb.bearer_auth(c);
    }
    rb.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_enrols_stations_and_refuses_what_it_must() {
    let tmp = tempfile::tempdir().unwrap();
    let dir: PathBuf = tmp.path().join("srv");

    // First start: the private cluster and the office CA are made.
    let server = Server::start(&dir);
    assert!(dir.join("pg/pgdata/PG_VERSION").is_file());
    assert!(postgres_running(&dir.join("pg")));
    for f in ["ca.pem", "ca.key", "server.pem", "server.key"] {
        assert!(dir.join("tls").join(f).is_file(), "{f}");
    }
    assert_eq!(server.fingerprint, ca_fingerprint_on_disk(&dir));
    let http = client(&dir);

    // No office yet: hello says so, a code cannot be made.
    let reply: HelloReply = hello(&http, &server, None).await.json().await.unwrap();
    assert_eq!(reply.office, None);
    assert_eq!(reply.protocol_version, PROTOCOL_VERSION);
    let out = cli(&dir, &["station", "add", "--name", "受理窗口2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("init"));
    let early = enrol(&http, &server, "0000-0000-0000", &uuid::Uuid::now_v7().to_string()).await;
    let m = refusal(early, StatusCode::CONFLICT, ErrorCode::Unavailable).await;
    assert!(m.contains("init"), "{m}");

    // init: a mistake is named by its option and makes nothing; then the office.
    let init = |password: &str, code: &str| {
        Command::new(BIN)
            .arg("--data-dir")
            .arg(&dir)
            .args([
                "init",
                "--office-name",
                "浙江省版权局",
                "--office-code",
                code,
                "--reg-prefix",
                "浙作登字",
            ])
            .args([
                "--province",
                "33",
                "--admin-username",
                "admin",
                "--admin-name",
                "周建国",
            ])
            .env("REGDESK_ADMIN_PASSWORD", password)
            .output()
            .unwrap()
    };
    let bad = init("short", "浙");
    assert_eq!(bad.status.code(), Some(1));
    let why = String::from_utf8_lossy(&bad.stderr);
    assert!(
        why.contains("--office-code") && why.contains("REGDESK_ADMIN_PASSWORD"),
        "{why}"
    );
    let pg = db(&dir).await;
    let offices: i64 = pg.query_one("SELECT count(*) FROM office", &[]).await.unwrap().get(0);
    assert_eq!(offices, 0);
    let made = init("Banquan2026", "zj");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let again = init("Banquan2026", "ZJ");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("已建立"));
    let office_id: String = pg.query_one("SELECT id FROM office", &[]).await.unwrap().get(0);
    // The admin is a shared row of the record, hashed as a workstation hashes.
    let hash: String = pg
        .query_one("SELECT row->4->'value'->>'T' FROM record_rows WHERE tbl = 'staff'", &[])
        .await
        .unwrap()
        .get(0);
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    let reply: HelloReply = hello(&http, &server, None).await.json().await.unwrap();
    assert_eq!(reply.office.as_ref().unwrap().office_id, office_id);
    assert_eq!(reply.office.unwrap().code, "ZJ");

    // A code enrols once.
    let code = add_code(&dir, "受理窗口2", &[]);
    assert_eq!(code["ca_fingerprint"], json!(server.fingerprint));
    let station = uuid::Uuid::now_v7().to_string();
    let first = enrol(&http, &server, code["code"].as_str().unwrap(), &station).await;
    assert_eq!(first.status(), StatusCode::OK);
    let enrolled: EnrolReply = first.json().await.unwrap();
    assert_eq!(enrolled.station_id, station);
    assert_eq!(enrolled.station_name, "受理窗口2");
    assert_eq!(enrolled.office.office_id, office_id);
    assert_eq!(enrolled.ca_fingerprint, server.fingerprint);
    assert!(enrolled.credential.starts_with(&format!("{station}.")));
    // Only the secret's digest is kept.
    let stored: String = pg
        .query_one("SELECT credential_sha256 FROM stations WHERE id = $1", &[&station])
        .await
        .unwrap()
        .get(0);
    assert!(!enrolled.credential.contains(&stored));
    assert_eq!(
        hello(&http, &server, Some(&enrolled.credential)).await.status(),
        StatusCode::OK
    );

    // The enrolled station is leased registration numbers; the audit accounts for each.
    let year = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y")
        .to_string();
    let ask = json!({ "give_back": [], "top_up": [{ "prefix": "浙作登字", "year": year.parse::<i32>().unwrap(), "letter": "F" }] });
    let unauthenticated = versioned(http.post(server.url("/v1/leases")))
        .json(&ask)
        .send()
        .await
        .unwrap();
    refusal(unauthenticated, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
    let leased = versioned(http.post(server.url("/v1/leases")))
        .bearer_auth(&enrolled.credential)
        .json(&ask)
        .send()
        .await
        .unwrap();
    assert_eq!(leased.status(), StatusCode::OK);
    let leased: Value = leased.json().await.unwrap();
    assert_eq!(leased["held"][0]["runs"], json!([[1, 20]]), "{leased}");
    let audit = cli(&dir, &["numbers", "audit", "--json"]);
    assert!(audit.status.success(), "{}", String::from_utf8_lossy(&audit.stderr));
    let audit: Value = serde_json::from_slice(&audit.stdout).unwrap();
    assert_eq!(audit["balanced"], json!(true), "{audit}");
    assert_eq!(audit["series"][0]["issued"], json!(20), "{audit}");
    assert_eq!(audit["series"][0]["outstanding"], json!(20), "{audit}");
    assert_eq!(audit["leases"][0]["station_name"], json!("受理窗口2"), "{audit}");
    let text = cli(&dir, &["numbers", "audit", "--year", &year]);
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(
        text.contains("已发出 20 = 已使用 0 + 已作废 0 + 已交还 0 + 在外未用 20") && text.contains("平衡"),
        "{text}"
    );
    // The same audit for an enrolled station (the app's 登记号核对), only with its credential.
    let unauthenticated = versioned(http.post(server.url("/v1/numbers")))
        .json(&json!({ "year": null }))
        .send()
        .await
        .unwrap();
    refusal(unauthenticated, StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated).await;
    let served = versioned(http.post(server.url("/v1/numbers")))
        .bearer_auth(&enrolled.credential)
        .json(&json!({ "year": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    let served: regdesk_sync::protocol::NumbersAuditReply = served.json().await.unwrap();
    let printed: regdesk_sync::protocol::NumbersAuditReply = serde_json::from_value(audit.clone()).unwrap();
    assert_eq!(served, printed);
    assert_eq!(served.leases[0].unused, 20);

    // The same code twice (typed in lower case: still the same code), a wrong one, an expired one.
    let again = enrol(
        &http,
        &server,
        &code["code"].as_str().unwrap().to_lowercase(),
        &uuid::Uuid::now_v7().to_string(),
    )
    .await;
    let m = refusal(again, StatusCode::FORBIDDEN, ErrorCode::EnrolmentRefused).await;
    assert!(m.contains("用过"), "{m}");
    let wrong = enrol(&http, &server, "0000-0000-0000", &uuid::Uuid::now_v7().to_string()).await;
    let m = refusal(wrong, StatusCode::FORBIDDEN, ErrorCode::EnrolmentRefused).await;
    assert!(m.contains("不正确"), "{m}");
    let expired = add_code(&dir, "受理窗口9", &["--code-ttl-secs", "0"]);
    let late = enrol(
        &http,
        &server,
        expired["code"].as_str().unwrap(),
        &uuid::Uuid::now_v7().to_string(),
    )
    .await;
    let m = refusal(late, StatusCode::FORBIDDEN, ErrorCode::EnrolmentRefused).await;
    assert!(m.contains("过期"), "{m}");
    // A name in use is refused at once.
    let out = cli(&dir, &["station", "add", "--name", "受理窗口2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("受理窗口2"));

    // A second station, then the first one revoked.
    let code3 = add_code(&dir, "受理窗口3", &[]);
    let station3 = uuid::Uuid::now_v7().to_string();
    let third: EnrolReply = enrol(&http, &server, code3["code"].as_str().unwrap(), &station3)
        .await
        .json()
        .await
        .unwrap();
    let out = cli(&dir, &["station", "revoke", "受理窗口2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    refusal(
        hello(&http, &server, Some(&enrolled.credential)).await,
        StatusCode::FORBIDDEN,
        ErrorCode::StationRevoked,
    )
    .await;
    assert_eq!(
        hello(&http, &server, Some(&third.credential)).await.status(),
        StatusCode::OK
    );
    let list = station_list(&dir);
    let by_name = |n: &str| list.iter().find(|s| s["name"] == json!(n)).cloned().unwrap();
    assert_eq!(by_name("受理窗口2")["status"], json!("revoked"));
    assert_eq!(by_name("受理窗口3")["status"], json!("enrolled"));
    assert!(by_name("受理窗口3")["last_seen_at"].is_string());
    assert_eq!(by_name("受理窗口3")["app_version"], json!("0.1.0"));
    // A station that states another app version is listed with it at once
    // (within the half minute only its last-seen time is not written again).
    let upgraded = versioned(http.post(server.url(PATH_HELLO)))
        .bearer_auth(&third.credential)
        .json(&json!({"app_version": "0.2.0", "protocol_version": PROTOCOL_VERSION, "payload_format": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(upgraded.status(), StatusCode::OK);
    let list2 = station_list(&dir);
    let listed = list2.iter().find(|s| s["name"] == json!("受理窗口3")).unwrap();
    assert_eq!(listed["app_version"], json!("0.2.0"));
    assert!(
        !list.iter().any(|s| s["name"] == json!("受理窗口9")),
        "an expired code is not listed"
    );
    assert_eq!(cli(&dir, &["station", "revoke", "没有这个"]).status.code(), Some(1));
    // A revoked station cannot enrol again under its old id.
    let code2 = add_code(&dir, "受理窗口2", &[]);
    let back = enrol(&http, &server, code2["code"].as_str().unwrap(), &station).await;
    let m = refusal(back, StatusCode::FORBIDDEN, ErrorCode::EnrolmentRefused).await;
    assert!(m.contains("吊销"), "{m}");

    // Credentials: unknown and forged are refused, and the extractor of the record's endpoints.
    refusal(
        hello(&http, &server, Some(&format!("{}.nope", uuid::Uuid::now_v7()))).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    // The record's endpoints take only an enrolled, not revoked station.
    refusal(
        get_state(&http, &server, None).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    refusal(
        get_state(&http, &server, Some(&format!("{station3}.forged"))).await,
        StatusCode::UNAUTHORIZED,
        ErrorCode::Unauthenticated,
    )
    .await;
    refusal(
        get_state(&http, &server, Some(&enrolled.credential)).await,
        StatusCode::FORBIDDEN,
        ErrorCode::StationRevoked,
    )
    .await;
    let state = get_state(&http, &server, Some(&third.credential)).await;
    assert_eq!(state.status(), StatusCode::OK);
    let state: StateReply = state.json().await.unwrap();
    assert_eq!(state.rows, 4, "office, settings, delivery settings and the first admin");
    // The office's first rows come down to a station.
    let pulled: PullReply = versioned(http.post(server.url(PATH_PULL)))
        .bearer_auth(&third.credential)
        .json(&json!({"cursor": 0, "limit": 10, "wait_ms": 0}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pulled.cursor, state.cursor);
    let tables: Vec<&str> = pulled.entries[0]
        .entry
        .effects
        .iter()
        .map(|e| e.table.as_str())
        .collect();
    assert_eq!(tables, ["delivery_settings", "office", "settings", "staff"]);

    // Two enrolments of one station id at once (two codes): one station, the other refused in words.
    let (code6, code7) = (add_code(&dir, "受理窗口6", &[]), add_code(&dir, "受理窗口7", &[]));
    let twin = uuid::Uuid::now_v7().to_string();
    let mut blocker = db(&dir).await;
    let lock = blocker.transaction().await.unwrap();
    // Both pass their checks, then wait to insert until the lock goes.
    lock.batch_execute("LOCK TABLE stations IN SHARE ROW EXCLUSIVE MODE")
        .await
        .unwrap();
    let (a, b) = (code6["code"].as_str().unwrap(), code7["code"].as_str().unwrap());
    let both = async { tokio::join!(enrol(&http, &server, a, &twin), enrol(&http, &server, b, &twin)) };
    let release = async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        lock.commit().await.unwrap();
    };
    let ((first, second), ()) = tokio::join!(both, release);
    let mut statuses = [first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::FORBIDDEN]);
    let refused = if first.status() == StatusCode::OK {
        second
    } else {
        first
    };
    refusal(refused, StatusCode::FORBIDDEN, ErrorCode::EnrolmentRefused).await;
    drop(blocker);

    // Bad requests.
    let big = "x".repeat(MAX_BODY_BYTES + 1);
    let too_large = versioned(http.post(server.url(PATH_ENROL)))
        .header("content-type", "application/json")
        .body(format!("{{\"code\":\"{big}\"}}"))
        .send()
        .await
        .unwrap();
    refusal(too_large, StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge).await;
    let malformed = versioned(http.post(server.url(PATH_ENROL)))
        .header("content-type", "application/json")
        .body("{\"code\": ")
        .send()
        .await
        .unwrap();
    refusal(malformed, StatusCode::BAD_REQUEST, ErrorCode::BadRequest).await;
    let wrong_method = versioned(http.get(server.url(PATH_ENROL))).send().await.unwrap();
    refusal(wrong_method, StatusCode::METHOD_NOT_ALLOWED, ErrorCode::BadRequest).await;
    let no_such = versioned(http.post(server.url("/v1/nothing"))).send().await.unwrap();
    refusal(no_such, StatusCode::NOT_FOUND, ErrorCode::BadRequest).await;
    let not_a_station = enrol(&http, &server, "0000-0000-0000", "station-7").await;
    refusal(not_a_station, StatusCode::BAD_REQUEST, ErrorCode::BadRequest).await;

    // Versions: every request states them; too new and too old are told so.
    let too_new = http
        .post(server.url(PATH_HELLO))
        .header(HEADER_PROTOCOL, (PROTOCOL_VERSION + 1).to_string())
        .header(HEADER_APP, "9.0.0")
        .json(&json!({"app_version": "9.0.0", "protocol_version": PROTOCOL_VERSION + 1, "payload_format": 1}))
        .send()
        .await
        .unwrap();
    let m = refusal(too_new, StatusCode::UPGRADE_REQUIRED, ErrorCode::StationTooNew).await;
    assert!(m.contains("升级中心服务器"), "{m}");
    let too_old = http
        .post(server.url(PATH_HELLO))
        .header(HEADER_PROTOCOL, "0")
        .header(HEADER_APP, "0.0.1")
        .json(&json!({"app_version": "0.0.1", "protocol_version": 0, "payload_format": 1}))
        .send()
        .await
        .unwrap();
    let m = refusal(too_old, StatusCode::UPGRADE_REQUIRED, ErrorCode::StationTooOld).await;
    assert!(m.contains("升级工作台程序"), "{m}");
    let newer_payload = versioned(http.post(server.url(PATH_HELLO)))
        .json(&json!({"app_version": "0.1.0", "protocol_version": PROTOCOL_VERSION, "payload_format": 99}))
        .send()
        .await
        .unwrap();
    refusal(newer_payload, StatusCode::UPGRADE_REQUIRED, ErrorCode::StationTooNew).await;
    let unversioned = http
        .post(server.url(PATH_HELLO))
        .json(&json!({"app_version": "0.1.0", "protocol_version": 1, "payload_format": 1}))
        .send()
        .await
        .unwrap();
    refusal(unversioned, StatusCode::BAD_REQUEST, ErrorCode::BadRequest).await;

    // Every refusal is in the log table.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let codes: Vec<String> = pg
            .query("SELECT DISTINCT code FROM refusals", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let want = [
            "enrolment_refused",
            "station_revoked",
            "unauthenticated",
            "too_large",
            "bad_request",
            "station_too_new",
            "station_too_old",
        ];
        if want.iter().all(|w| codes.iter().any(|c| c == w)) {
            break;
        }
        assert!(Instant::now() < deadline, "refusals logged: {codes:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let revoked_logged: i64 = pg
        .query_one(
            "SELECT count(*) FROM refusals WHERE code = 'station_revoked' AND station_id = $1 AND source_ip = '127.0.0.1'",
            &[&station],
        )
        .await
        .unwrap()
        .get(0);
    assert!(revoked_logged >= 1);

    // Rate limit: wrong codes so far from this address: used, wrong, expired = 3 of 5 (a right
    // code refused for its station is no guess).
    for _ in 0..2 {
        let wrong = enrol(&http, &server, "1111-1111-1111", &uuid::Uuid::now_v7().to_string()).await;
        refusal(wrong, StatusCode::FORBIDDEN, ErrorCode::EnrolmentRefused).await;
    }
    // Now even a right code waits.
    let code4 = add_code(&dir, "受理窗口4", &[]);
    let limited = enrol(
        &http,
        &server,
        code4["code"].as_str().unwrap(),
        &uuid::Uuid::now_v7().to_string(),
    )
    .await;
    let m = refusal(limited, StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited).await;
    assert!(m.contains("分钟"), "{m}");
    // Once the window has passed, it is accepted.
    pg.execute("UPDATE enrol_failures SET at = at - interval '11 minutes'", &[])
        .await
        .unwrap();
    let later = enrol(
        &http,
        &server,
        code4["code"].as_str().unwrap(),
        &uuid::Uuid::now_v7().to_string(),
    )
    .await;
    assert_eq!(later.status(), StatusCode::OK);
    // Guesses spread over many addresses stop every enrolment too.
    pg.execute(
        "INSERT INTO enrol_failures (scope) SELECT 'ip:10.0.' || (n / 250) || '.' || (n % 250) FROM generate_series(1, 50) n",
        &[],
    )
    .await
    .unwrap();
    let code5 = add_code(&dir, "受理窗口5", &[]);
    let limited = enrol(
        &http,
        &server,
        code5["code"].as_str().unwrap(),
        &uuid::Uuid::now_v7().to_string(),
    )
    .await;
    refusal(limited, StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited).await;
    drop(pg);

    // SIGTERM stops the server and its private cluster.
    server.stop();
    assert!(!postgres_running(&dir.join("pg")), "a postgres process is left");
    assert!(!dir.join("pg/pgdata/postmaster.pid").exists());

    // A restart keeps the CA and the data.
    let ca_pem = std::fs::read(dir.join("tls/ca.pem")).unwrap();
    let server = Server::start(&dir);
    assert_eq!(server.fingerprint, enrolled.ca_fingerprint);
    assert_eq!(std::fs::read(dir.join("tls/ca.pem")).unwrap(), ca_pem);
    let http = client(&dir);
    assert_eq!(
        hello(&http, &server, Some(&third.credential)).await.status(),
        StatusCode::OK
    );
    let reply: HelloReply = hello(&http, &server, None).await.json().await.unwrap();
    assert_eq!(reply.office.unwrap().office_id, office_id);
    assert_eq!(
        station_list(&dir)
            .iter()
            .filter(|s| s["status"] == json!("enrolled"))
            .count(),
        3,
        "受理窗口3, 4 and one of the twins"
    );
    let pending: Vec<Value> = station_list(&dir)
        .into_iter()
        .filter(|s| s["status"] == json!("pending"))
        .collect();
    // The codes refused for their station (so unused): the revoked station's id, the
    // second twin; and 受理窗口5's, refused by the rate limit.
    let names: Vec<&str> = pending.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], "受理窗口2");
    assert!(names[1] == "受理窗口6" || names[1] == "受理窗口7", "{names:?}");
    assert_eq!(names[2], "受理窗口5");

    // A server that crashed leaves its cluster running: the next one takes it over and stops it.
    let mut crashed = server;
    crashed.child.kill().unwrap();
    crashed.child.wait().unwrap();
    assert!(postgres_running(&dir.join("pg")));
    let server = Server::start(&dir);
    assert_eq!(
        hello(&client(&dir), &server, Some(&third.credential)).await.status(),
        StatusCode::OK
    );
    server.stop();
    assert!(
        !postgres_running(&dir.join("pg")),
        "a postgres process is left after a crash and a restart"
    );
}

/// The office's own certificates and its own database: the certificates are
/// served as given (the fingerprint printed is the chain's last
/// certificate's), the database is used and left running, no private cluster
/// is made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn given_certificates_are_served_and_their_ca_is_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let usage = Command::new(BIN)
        .args(["station", "list"])
        .env_remove("REGDESK_SERVER_DATA_DIR")
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2), "no data directory is a usage error");
    assert!(String::from_utf8_lossy(&usage.stderr).contains("--data-dir"));
    // An office CA made elsewhere (another data directory), its chain and key given by file.
    let other = tmp.path().join("ca");
    regdesk_server::tls::prepare(&other, &Default::default(), &[]).unwrap();
    let dir = tmp.path().join("srv");
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(&dir)
        .arg("--tls-cert")
        .arg(other.join("tls/server.pem"))
        .args(["station", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "half a pair is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls-key"));
    assert!(!dir.join("pg").exists(), "refused before the database is made");
    // The office's database, run apart from the server.
    let own_db = Cluster::new(tmp.path().join("db")).unwrap();
    own_db.start().await.unwrap();
    let fp = {
        let log = std::fs::File::create(dir.join("server.log")).unwrap();
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(&dir)
            .args(["--listen", "127.0.0.1:0"])
            .arg("--tls-cert")
            .arg(other.join("tls/server.pem"))
            .arg("--tls-key")
            .arg(other.join("tls/server.key"))
            .arg("--database-url")
            .arg(own_db.url())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let fp_line = lines.next().unwrap().unwrap();
        let addr_line = lines.next().unwrap().unwrap();
        assert!(addr_line.contains("listening on https://127.0.0.1:"), "{addr_line}");
        let server = Server {
            child,
            addr: addr_line.rsplit("https://").next().unwrap().parse().unwrap(),
            fingerprint: fp_line.split_whitespace().last().unwrap().to_string(),
        };
        let http = client(&other);
        let reply = hello(&http, &server, None).await;
        assert_eq!(reply.status(), StatusCode::OK);
        let fp = server.fingerprint.clone();
        server.stop();
        fp
    };
    assert_eq!(fp, ca_fingerprint_on_disk(&other));
    assert!(!dir.join("tls").exists(), "no CA of its own is made");
    assert!(!dir.join("pg").exists(), "no private cluster is made");
    // The server migrated the office's database and left it running.
    assert!(own_db.is_running().await);
    let (pg, conn) = own_db.config().connect(tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let migrated: i64 = pg
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(migrated, regdesk_server::schema::MIGRATIONS.len() as i64);
    drop(pg);
    own_db.stop(regdesk_server::pg::StopMode::Fast).await.unwrap();
}
