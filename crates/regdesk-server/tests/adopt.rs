//! `regdesk-server adopt`: the sample office made on a stand-alone
//! workstation is taken up whole by a new server; the record equals the
//! workstation's (state hash, counts, attachments by hash); a second adoption
//! is refused; the workstation re-enrols with the printed code, pushes
//! nothing from before, pulls from the adoption point, and its next final
//! approval gets the number after its last.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use regdesk_domain::lifecycle::CaseState;
use regdesk_store::keys::{KeyHome, StationKeys, KEY_FILE_ENV};
use regdesk_store::{
    demo, FinalDecision, FinalDecisionInput, LoginInput, ReviewDecision, ReviewDecisionInput, Store, SystemClock,
};
use regdesk_sync::protocol::{
    Cell, EnrolReply, EntryVerdict, PullReply, PushReply, Row, StateReply, Verdict, HEADER_APP, HEADER_PROTOCOL,
    PATH_ENROL, PATH_PULL, PATH_PUSH, PATH_STATE, PROTOCOL_VERSION,
};
use regdesk_sync::station::Enrolment;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_regdesk-server");

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(dir: &Path) -> Server {
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
        .output()
        .unwrap()
}

fn ca_der(dir: &Path) -> Vec<u8> {
    use rustls::pki_types::pem::PemObject;
    let pem = std::fs::read(dir.join("tls/ca.pem")).unwrap();
    rustls::pki_types::CertificateDer::pem_slice_iter(&pem)
        .next()
        .unwrap()
        .unwrap()
        .to_vec()
}

fn client(dir: &Path) -> reqwest::Client {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca_der(dir).into()).unwrap();
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

fn text<'a>(row: &'a Row, name: &str) -> Option<&'a str> {
    row.iter().find(|c| c.name == name).and_then(|c| match &c.value {
        Cell::Text(t) => Some(t.as_str()),
        _ => None,
    })
}

fn int(row: &Row, name: &str) -> Option<i64> {
    row.iter().find(|c| c.name == name).and_then(|c| match c.value {
        Cell::Int(i) => Some(i),
        _ => None,
    })
}

fn count(store: &Store, table: &str) -> u64 {
    store.shared_rows().unwrap().iter().filter(|r| r.table == table).count() as u64
}

fn sha256_of(path: &Path) -> String {
    regdesk_server::adopt::file_sha256(path).unwrap()
}

/// A key file every data directory of this test uses (the workstation's and the adopting process's).
fn key_file(dir: &Path) {
    let path = dir.join("station.key");
    let code = StationKeys::from_secret([0x5a; 32], KeyHome::KeyStore).recovery_code();
    std::fs::write(&path, code.as_bytes()).unwrap();
    std::env::set_var(KEY_FILE_ENV, &path);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stand_alone_office_is_taken_up_whole_and_its_workstation_goes_on_from_there() {
    let tmp = tempfile::tempdir().unwrap();
    key_file(tmp.path());
    let station_dir = tmp.path().join("station");
    let server_dir = tmp.path().join("server");
    std::fs::create_dir_all(&station_dir).unwrap();

    // The sample office on a workstation working alone.
    let (station_id, station_hash, staff, applicants, cases, numbers, blobs, entries) = {
        let store = Store::open(&station_dir, Arc::new(SystemClock)).unwrap();
        demo::fill_office(&store, 12).unwrap();
        let blobs: Vec<String> = store
            .shared_rows()
            .unwrap()
            .iter()
            .filter(|r| r.table == "files")
            .filter_map(|r| text(&r.row, "sha256").map(str::to_string))
            .collect();
        (
            store.station_id().to_string(),
            store.state_hash().unwrap(),
            count(&store, "staff"),
            count(&store, "applicants"),
            count(&store, "cases"),
            count(&store, "registration_numbers"),
            blobs,
            store.journal_entries().unwrap().len(),
        )
    };
    assert!(numbers >= 1, "the sample office has a registered case");
    assert!(!blobs.is_empty(), "the sample office has attachments");

    // A workstation that is not one is refused, and nothing is made.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = cli(&server_dir, &["adopt", "--station-data-dir", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有 RegDesk 的数据库"));

    // Adopted.
    let out = cli(
        &server_dir,
        &[
            "adopt",
            "--station-data-dir",
            station_dir.to_str().unwrap(),
            "--station-name",
            "受理窗口",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["station_id"], json!(station_id));
    assert_eq!(summary["staff"], json!(staff));
    assert_eq!(summary["applicants"], json!(applicants));
    assert_eq!(summary["cases"], json!(cases));
    assert_eq!(summary["numbers"], json!(numbers));
    assert_eq!(summary["state_hash"], json!(station_hash));
    assert!(entries > 10);
    assert_eq!(
        summary["entries"],
        json!(entries),
        "its journal is kept as the office's history"
    );
    let code = summary["code"]["code"].as_str().unwrap().to_string();
    let office_seq = summary["office_seq"].as_i64().unwrap();

    // Every attachment is in the server's blob directory under its hash.
    let unique: std::collections::BTreeSet<&String> = blobs.iter().collect();
    assert_eq!(summary["files"], json!(unique.len()));
    for sha in &unique {
        assert_eq!(&sha256_of(&server_dir.join("blobs").join(sha)), *sha);
    }

    // A second adoption is refused in words; the record is untouched.
    let out = cli(
        &server_dir,
        &["adopt", "--station-data-dir", station_dir.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("已建立登记机构“浙江省版权局”"), "{err}");

    // The workstation re-attaches with the printed code.
    let server = Server::start(&server_dir);
    let http = client(&server_dir);
    let reply = versioned(http.post(server.url(PATH_ENROL)))
        .json(&json!({ "code": code, "station_id": station_id, "app_version": "0.1.0" }))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "{}", reply.text().await.unwrap());
    let enrolled: EnrolReply = reply.json().await.unwrap();
    assert_eq!(enrolled.station_name, "受理窗口");
    let credential = enrolled.credential.clone();

    let state: StateReply = versioned(http.get(server.url(PATH_STATE)))
        .bearer_auth(&credential)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state.state_hash, station_hash,
        "the record holds what the workstation holds"
    );
    assert_eq!(state.cursor, office_seq);

    let store = Store::open(&station_dir, Arc::new(SystemClock)).unwrap();
    let login = |username: &str| {
        store
            .login(&LoginInput {
                username: username.into(),
                password: demo::DEMO_PASSWORD.into(),
            })
            .unwrap()
    };
    // Signed in before enrolment: a sign-in is the workstation's own entry, and the
    // record's station order asks for the two reviews to be consecutive.
    let admin = login("admin");
    let liwen = login("liwen");
    let zhangwei = login("zhangwei");
    store
        .save_enrolment(
            &admin,
            &Enrolment {
                server_url: format!("https://{}", server.addr),
                station_name: enrolled.station_name.clone(),
                office: enrolled.office.clone(),
                ca_der: ca_der(&server_dir),
                ca_fingerprint: enrolled.ca_fingerprint.clone(),
                credential: credential.clone(),
                enrolled_at: chrono::Utc::now(),
                station_office: enrolled.office_code.clone(),
            },
        )
        .unwrap();
    assert!(
        store.outbox(1000).unwrap().is_empty(),
        "nothing from before the adoption goes up again"
    );

    // Its pull begins after the adoption: nothing comes down that it holds.
    let pull = |cursor: i64| {
        let http = http.clone();
        let url = server.url(PATH_PULL);
        let credential = credential.clone();
        async move {
            let reply: PullReply = versioned(http.post(url))
                .bearer_auth(&credential)
                .json(&json!({ "cursor": cursor, "limit": 100, "wait_ms": 0 }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            reply
        }
    };
    let first = pull(store.pull_cursor().unwrap()).await;
    assert!(
        first.entries.is_empty(),
        "{:?}",
        first.entries.iter().map(|e| &e.entry.command).collect::<Vec<_>>()
    );
    assert_eq!(first.cursor, office_seq);

    // The next final approval takes the number after the workstation's last.
    let counters_before: Vec<Row> = store
        .shared_rows()
        .unwrap()
        .into_iter()
        .filter(|r| r.table == "registration_counters")
        .map(|r| r.row)
        .collect();
    let waiting = store
        .shared_rows()
        .unwrap()
        .into_iter()
        .find(|r| {
            r.table == "cases"
                && text(&r.row, "state")
                    == Some(
                        serde_json::to_value(CaseState::AwaitingFirstReview)
                            .unwrap()
                            .as_str()
                            .unwrap(),
                    )
        })
        .unwrap_or_else(|| {
            let states: Vec<_> = store
                .shared_rows()
                .unwrap()
                .into_iter()
                .filter(|r| r.table == "cases")
                .map(|r| text(&r.row, "state").unwrap_or("?").to_string())
                .collect();
            panic!("the sample office has a case waiting for first review: {states:?}")
        });
    let case_id = text(&waiting.row, "id").unwrap().to_string();
    let detail = store.case_detail(&liwen, &case_id).unwrap();
    let detail = store
        .first_review(
            &liwen,
            &ReviewDecisionInput {
                case_id: case_id.clone(),
                version: detail.version,
                decision: ReviewDecision::Pass,
            },
        )
        .unwrap();
    store
        .final_review(
            &zhangwei,
            &FinalDecisionInput {
                case_id: case_id.clone(),
                version: detail.version,
                decision: FinalDecision::Approve,
            },
        )
        .unwrap();
    let outbox = store.outbox(1000).unwrap();
    assert_eq!(outbox.len(), 2, "only the two reviews go up");
    let pushed: PushReply = versioned(http.post(server.url(PATH_PUSH)))
        .bearer_auth(&credential)
        .json(&json!({ "entries": outbox }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let verdicts: Vec<EntryVerdict> = pushed.verdicts;
    assert_eq!(verdicts.len(), 2);
    for v in &verdicts {
        assert!(matches!(v.verdict, Verdict::Accepted { .. }), "{:?}", v.verdict);
    }
    store.record_verdicts(&verdicts).unwrap();
    let next = pull(store.pull_cursor().unwrap()).await;
    assert_eq!(next.entries.len(), 2);
    store.apply_pulled(&next.entries).unwrap();

    let rows = store.shared_rows().unwrap();
    let case = rows
        .iter()
        .find(|r| r.table == "cases" && text(&r.row, "id") == Some(case_id.as_str()))
        .unwrap();
    let number = text(&case.row, "registration_number").expect("numbered").to_string();
    let ledger = rows
        .iter()
        .find(|r| r.table == "registration_numbers" && text(&r.row, "number") == Some(number.as_str()))
        .unwrap();
    let (prefix, year, letter) = (
        text(&ledger.row, "prefix").unwrap(),
        int(&ledger.row, "year").unwrap(),
        text(&ledger.row, "letter").unwrap(),
    );
    let last_before = counters_before
        .iter()
        .find(|c| {
            text(c, "prefix") == Some(prefix) && int(c, "year") == Some(year) && text(c, "letter") == Some(letter)
        })
        .and_then(|c| int(c, "last"))
        .unwrap_or(0);
    assert_eq!(
        int(&ledger.row, "serial"),
        Some(last_before + 1),
        "the counter goes on from the workstation's"
    );

    let after: StateReply = versioned(http.get(server.url(PATH_STATE)))
        .bearer_auth(&credential)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after.state_hash, store.state_hash().unwrap(), "still one record");
    assert_eq!(after.cursor, office_seq + 2);
    drop(store);
    server.stop();
}
