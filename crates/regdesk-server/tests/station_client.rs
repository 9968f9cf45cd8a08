//! The station's own client (`regdesk_sync::client::SyncClient`) against the
//! real `regdesk-server` binary: enrolment by fingerprint, the pinned CA,
//! the credential, and the refusals a station shows its user.
//! (Revocation is covered by `server.rs` over a station-authenticated route.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use regdesk_server::pg::Cluster;
use regdesk_sync::client::{SyncClient, SyncError};
use regdesk_sync::protocol::ErrorCode;
use regdesk_testkit::{add_code, ServerProcess as Server};

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
