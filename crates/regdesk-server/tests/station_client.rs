//! The station's own client (`regdesk_sync::client::SyncClient`) against the
//! real `regdesk-server` binary: enrolment by fingerprint, the pinned CA,
//! the credential, and the refusals a station shows its user.
//! (Revocation is covered by `server.rs` over a station-authenticated route.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use regdesk_server::pg::Cluster;
use regdesk_sync::client::{SyncClient, SyncError};
use regdesk_sync::protocol::ErrorCode;
use serde_json::Value;

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
        }
    }

    fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// SIGTERM, then waits for the process (and its PostgreSQL) to end.
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

fn add_code(dir: &Path, name: &str) -> Value {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(["station", "add", "--name", name, "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_station_enrols_by_fingerprint_and_then_trusts_only_its_office_ca() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("srv");
    let server = Server::start(&dir);

    // No office yet: the station is told what the admin must do.
    let err = SyncClient::enrol(&server.url(), "CODE", &server.fingerprint, "s-0")
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::NoOffice), "{err:?}");

    let (pg, conn) = Cluster::new(dir.join("pg"))
        .unwrap()
        .config()
        .connect(tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let office = regdesk_server::office::validate(&regdesk_domain::office::OfficeInput {
        name: "浙江省版权局".into(),
        office_code: "ZJ".into(),
        reg_prefix: "浙作登字".into(),
        province_code: "33".into(),
    })
    .unwrap();
    let office_id = uuid::Uuid::now_v7().to_string();
    regdesk_server::office::create(&pg, &office, &office_id).await.unwrap();

    let code = add_code(&dir, "受理窗口2");
    let code = code["code"].as_str().unwrap().to_string();
    let station = uuid::Uuid::now_v7().to_string();

    // A fingerprint that is not the server's: refused before the code is sent,
    // so the code still works afterwards.
    let wrong = regdesk_sync::fingerprint(b"another office");
    let err = SyncClient::enrol(&server.url(), &code, &wrong, &station)
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::PinMismatch { .. }), "{err:?}");
    assert!(err.to_string().contains("逐位核对"), "{err}");

    // The right one, typed in lower case without colons.
    let typed = server.fingerprint.replace(':', "").to_lowercase();
    let enrolment = SyncClient::enrol(&server.url(), &code, &typed, &station).await.unwrap();
    assert_eq!(enrolment.ca_fingerprint, server.fingerprint);
    assert_eq!(regdesk_sync::fingerprint(&enrolment.ca_der), server.fingerprint);
    assert_eq!(enrolment.station_name, "受理窗口2");
    assert_eq!(enrolment.office.office_id, office_id);
    assert_eq!(enrolment.server_url, server.url());

    // The enrolled client speaks with its credential, trusting only the pinned CA.
    let client = SyncClient::new(&enrolment).unwrap();
    let hello = client.hello().await.unwrap();
    assert_eq!(hello.office.unwrap().code, "ZJ");

    // A used code is refused, in Chinese.
    let err = SyncClient::enrol(&server.url(), &code, &typed, &uuid::Uuid::now_v7().to_string())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            SyncError::Refused {
                code: ErrorCode::EnrolmentRefused,
                ..
            }
        ),
        "{err:?}"
    );

    let url = server.url();
    server.stop();
    // Stopped: offline, and the message names the server.
    let err = SyncClient::new(&enrolment).unwrap().hello().await.unwrap_err();
    assert!(err.to_string().contains(&url), "{err}");
    assert!(matches!(err, SyncError::Offline { .. }), "{err:?}");
}
