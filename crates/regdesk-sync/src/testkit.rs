//! Test helpers: an office CA made on the spot and a small HTTPS server on
//! 127.0.0.1 (a free port from the OS) that serves an axum router with it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::Request;
use axum::middleware::Next;
use axum::Router;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::protocol::{Entry, OfficeInfo};
use crate::station::Enrolment;

/// An office CA and a server certificate it signed.
pub struct Pki {
    ca: CertifiedIssuer<'static, KeyPair>,
    leaf: Vec<u8>,
    leaf_key: Vec<u8>,
}

impl Pki {
    /// A CA and a certificate for 127.0.0.1 and localhost.
    pub fn new() -> Self {
        Self::for_names(&["127.0.0.1", "localhost"])
    }

    pub fn for_names(names: &[&str]) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        params.distinguished_name.push(DnType::CommonName, "测试登记机构 CA");
        let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        let mut leaf_params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
        leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf_params
            .distinguished_name
            .push(DnType::CommonName, "regdesk-server");
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = leaf_params.signed_by(&leaf_key, &*ca).unwrap();
        Self {
            leaf: leaf.der().to_vec(),
            leaf_key: leaf_key.serialize_der(),
            ca,
        }
    }

    pub fn ca_der(&self) -> Vec<u8> {
        self.ca.der().to_vec()
    }

    pub fn leaf_der(&self) -> Vec<u8> {
        self.leaf.clone()
    }

    pub fn ca_fingerprint(&self) -> String {
        crate::fingerprint(&self.ca_der())
    }

    /// What a station enrolled to `url` under this CA keeps.
    pub fn enrolment(&self, url: &str) -> Enrolment {
        Enrolment {
            server_url: url.to_string(),
            station_name: "受理窗口2".into(),
            office: OfficeInfo {
                office_id: "o1".into(),
                code: "ZJ".into(),
                name: "浙江省版权局".into(),
            },
            ca_der: self.ca_der(),
            ca_fingerprint: self.ca_fingerprint(),
            credential: "s1.secret".into(),
            enrolled_at: chrono::Utc::now(),
            station_office: None,
        }
    }
}

/// A running test server.
pub struct TestServer {
    pub url: String,
    handle: axum_server::Handle,
    task: tokio::task::JoinHandle<()>,
    requests: Arc<AtomicUsize>,
}

impl TestServer {
    /// Requests that reached the router.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn stop(&self) {
        self.handle.shutdown();
    }

    /// Stops and waits until the port is closed.
    pub async fn stop_and_wait(self) {
        self.handle.shutdown();
        let _ = self.task.await;
    }
}

/// Serves `router` over TLS 1.3 with the pki's server certificate and its CA.
pub async fn serve(pki: &Pki, router: Router) -> TestServer {
    serve_chain(pki, vec![pki.leaf_der(), pki.ca_der()], router).await
}

/// Serves `router` with the given chain and the pki's server key.
pub async fn serve_chain(pki: &Pki, chain: Vec<Vec<u8>>, router: Router) -> TestServer {
    let certs = chain.into_iter().map(CertificateDer::from).collect();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.leaf_key.clone()));
    let mut config = rustls::ServerConfig::builder_with_provider(crate::client::provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let router = router.layer(axum::middleware::from_fn(move |req: Request, next: Next| {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            next.run(req).await
        }
    }));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = axum_server::Handle::new();
    let server = axum_server::from_tcp_rustls(
        listener,
        axum_server::tls_rustls::RustlsConfig::from_config(Arc::new(config)),
    )
    .handle(handle.clone());
    let task = tokio::spawn(async move {
        let _ = server.serve(router.into_make_service()).await;
    });
    TestServer {
        url: format!("https://{addr}"),
        handle,
        task,
        requests,
    }
}

/// A journal entry numbered `n` of station `s1`.
pub fn entry(n: i64) -> Entry {
    Entry {
        id: uuid::Uuid::now_v7(),
        station_id: "s1".into(),
        station_seq: n,
        staff_id: Some("staff-1".into()),
        at: chrono::Utc::now(),
        command: "create_filing".into(),
        entity: "case".into(),
        entity_id: format!("case-{n}"),
        entity_version: 1,
        payload: serde_json::json!({ "n": n }),
        payload_format: regdesk_domain::stored::JOURNAL_FORMAT,
        effects: Vec::new(),
        blobs: Vec::new(),
    }
}
