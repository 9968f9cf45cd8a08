//! The station's HTTPS client for the central server.
//!
//! An enrolled station trusts exactly one certificate authority: the office
//! CA it pinned at enrolment ([`Enrolment::ca_der`]). Every request goes over
//! TLS 1.3 (rustls, ring provider), carries the version headers
//! ([`HEADER_PROTOCOL`], [`HEADER_APP`]) and, after enrolment, the station's
//! bearer credential. Before trust exists, [`SyncClient::enrol`] connects
//! with a verifier that accepts the server only if its chain holds a
//! certificate whose fingerprint is the one the admin read out, and then
//! checks the server's own certificate against that one (signature, name,
//! validity): a wrong fingerprint ends the handshake before any data is sent.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode, Url};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::protocol::{
    ChainHead, ChainReply, EnrolReply, EnrolRequest, Entry, ErrorCode, ErrorReply, Hello, HelloReply,
    NumbersAuditReply, NumbersAuditRequest, PullReply, PullRequest, PushReply, SnapshotChunk, SnapshotRequest,
    StateReply, HEADER_APP, HEADER_PROTOCOL, MIN_PROTOCOL_VERSION, PATH_BLOBS, PATH_CHAIN, PATH_ENROL, PATH_HELLO,
    PATH_NUMBERS, PATH_PULL, PATH_PUSH, PATH_SNAPSHOT, PATH_STATE, PROTOCOL_VERSION,
};
use crate::station::Enrolment;
use crate::{fingerprint, normalize_fingerprint};

/// This build's application version, sent with every request.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long an ordinary request may take, the answer included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How much longer than its wait a long-poll pull may take.
const PULL_GRACE: Duration = Duration::from_secs(15);
/// A pull never asks the server to wait longer than this.
pub const MAX_WAIT_MS: u32 = 60_000;

/// Response header of `HEAD`/`PUT` [`PATH_BLOBS`]: the bytes of the blob the server holds so far.
pub const HEADER_BLOB_OFFSET: &str = "x-regdesk-blob-offset";
/// Response header of `HEAD`/`PUT` [`PATH_BLOBS`]: `1` once the blob is whole and its hash verified.
pub const HEADER_BLOB_COMPLETE: &str = "x-regdesk-blob-complete";

/// Why a sync request failed. Every message is Chinese and says what to do;
/// none of them loses the station's pending work.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("同步服务器地址“{url}”不正确：应写成 https://主机:端口（如 https://192.168.1.10:8443）")]
    BadServerUrl { url: String },
    #[error("CA 指纹“{typed}”格式不正确：应为 64 位十六进制数字（可带冒号或空格），请照管理员给出的指纹完整输入")]
    BadFingerprint { typed: String },
    #[error("服务器 {server} 出示的证书与输入的 CA 指纹不符（服务器的证书指纹：{seen}），未向其发送任何数据：请与管理员给出的指纹逐位核对；若一致，说明连到的不是本机构的服务器")]
    PinMismatch { server: String, seen: String },
    #[error(
        "同步服务器 {server} 的证书不是本机构 CA 签发的或已失效（{detail}），已停止连接：请联系管理员核对服务器证书"
    )]
    Untrusted { server: String, detail: String },
    #[error("无法连接同步服务器 {server}（{detail}）：请检查网络和服务器是否在运行；待同步的记录保留在本机，恢复连接后自动上传")]
    Offline { server: String, detail: String },
    #[error("与同步服务器 {server} 的连接中断（{detail}）：本轮未确认的记录仍保留待同步，稍后自动重试")]
    Interrupted { server: String, detail: String },
    #[error("同步服务器拒绝了请求：{message}")]
    Refused { code: ErrorCode, message: String },
    #[error("本机程序版本过旧，同步服务器无法接收：{message}。请升级本机程序；待同步的记录保留在本机")]
    TooOld { message: String },
    #[error("本机程序版本比同步服务器新：{message}。请先升级同步服务器；待同步的记录保留在本机")]
    TooNew { message: String },
    #[error("同步服务器的回答无法读取（{detail}）：请确认服务器与本机程序版本相符")]
    BadReply { detail: String },
    #[error("同步服务器尚未建立登记机构：请管理员先在服务器上运行 regdesk-server init 或 adopt")]
    NoOffice,
    #[error("本工作站尚未加入同步服务器：请管理员用 regdesk sync enrol 加入后再同步")]
    NotEnrolled,
    #[error("无法建立安全连接的设置（{detail}）")]
    Tls { detail: String },
}

impl SyncError {
    /// Whether trying again later may succeed without anyone changing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Offline { .. } | Self::Interrupted { .. } => true,
            Self::Refused { code, .. } => matches!(
                code,
                ErrorCode::Unavailable | ErrorCode::RateLimited | ErrorCode::Internal
            ),
            _ => false,
        }
    }
}

/// Where a blob stands on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobState {
    /// Bytes the server holds so far (0: none).
    pub offset: u64,
    /// The blob is whole and its SHA-256 verified.
    pub complete: bool,
}

/// What a pinned handshake saw, read after a failed connection.
#[derive(Debug, Default)]
enum PinSeen {
    #[default]
    Nothing,
    /// The certificate whose fingerprint matched, as DER.
    Matched(Vec<u8>),
    /// Fingerprints of the chain the server showed, none of them the pinned one.
    Mismatch(Vec<String>),
}

/// Accepts a server whose chain holds the pinned certificate, and whose own
/// certificate that one signed (webpki: signature, name, validity).
#[derive(Debug)]
struct PinnedVerifier {
    pin: String,
    provider: Arc<CryptoProvider>,
    seen: Mutex<PinSeen>,
}

impl PinnedVerifier {
    fn note(&self, seen: PinSeen) {
        if let Ok(mut s) = self.seen.lock() {
            *s = seen;
        }
    }

    fn take(&self) -> PinSeen {
        self.seen
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default()
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain = || std::iter::once(end_entity).chain(intermediates.iter());
        let Some(pinned) = chain().find(|c| fingerprint(c.as_ref()) == self.pin) else {
            self.note(PinSeen::Mismatch(chain().map(|c| fingerprint(c.as_ref())).collect()));
            return Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ));
        };
        let mut roots = RootCertStore::empty();
        roots.add(pinned.clone().into_owned())?;
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), self.provider.clone())
            .build()
            .map_err(|e| rustls::Error::General(e.to_string()))?;
        let verified = webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)?;
        self.note(PinSeen::Matched(pinned.as_ref().to_vec()));
        Ok(verified)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// The ring provider: the workspace builds no other (aws-lc is a slow C
/// build). rustls marks it deprecated only for lacking post-quantum key
/// exchange; TLS 1.3 with X25519 stays sound.
#[allow(deprecated)]
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn tls_error(e: impl std::fmt::Display) -> SyncError {
    SyncError::Tls { detail: e.to_string() }
}

/// TLS 1.3 with the ring provider, trusting only `verifier`'s judgement.
fn tls_config(
    provider: Arc<CryptoProvider>,
    verifier: Arc<dyn ServerCertVerifier>,
) -> Result<rustls::ClientConfig, SyncError> {
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// TLS 1.3 with the ring provider, trusting only the office CA.
fn pinned_ca_config(ca_der: &[u8]) -> Result<rustls::ClientConfig, SyncError> {
    let provider = provider();
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from(ca_der.to_vec())).map_err(tls_error)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(tls_error)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn http_client(tls: rustls::ClientConfig, credential: Option<&str>) -> Result<reqwest::Client, SyncError> {
    let mut headers = HeaderMap::new();
    headers.insert(HEADER_PROTOCOL, HeaderValue::from(PROTOCOL_VERSION));
    headers.insert(HEADER_APP, HeaderValue::from_static(APP_VERSION));
    if let Some(c) = credential {
        let mut value = HeaderValue::from_str(&format!("Bearer {c}")).map_err(tls_error)?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
    }
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .https_only(true)
        .tls_built_in_root_certs(false)
        .connect_timeout(CONNECT_TIMEOUT)
        .default_headers(headers)
        .build()
        .map_err(tls_error)
}

/// `https://host:port` without a path, as the station keeps it.
fn server_base(url: &str) -> Result<Url, SyncError> {
    let bad = || SyncError::BadServerUrl { url: url.to_string() };
    let parsed = Url::parse(url.trim()).map_err(|_| bad())?;
    if parsed.scheme() != "https" || parsed.host_str().is_none() || !parsed.username().is_empty() {
        return Err(bad());
    }
    if !(parsed.path() == "/" || parsed.path().is_empty()) || parsed.query().is_some() {
        return Err(bad());
    }
    Ok(parsed)
}

/// The first `rustls::Error` behind a transport error, if any.
fn rustls_cause(e: &reqwest::Error) -> Option<rustls::Error> {
    find_rustls(e)
}

fn find_rustls(err: &(dyn std::error::Error + 'static)) -> Option<rustls::Error> {
    if let Some(r) = err.downcast_ref::<rustls::Error>() {
        return Some(r.clone());
    }
    // An io::Error's `source` skips the error it wraps (which may be another io::Error): look inside.
    if let Some(inner) = err.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
        let inner: &(dyn std::error::Error + 'static) = inner;
        if let Some(r) = find_rustls(inner) {
            return Some(r);
        }
    }
    err.source().and_then(find_rustls)
}

/// The innermost cause, for the message.
fn root_cause(e: &reqwest::Error) -> String {
    let mut last: &(dyn std::error::Error + 'static) = e;
    while let Some(s) = last.source() {
        last = s;
    }
    last.to_string()
}

/// The station's connection to its office's server.
#[derive(Debug, Clone)]
pub struct SyncClient {
    http: reqwest::Client,
    base: Url,
}

impl SyncClient {
    /// A client for an enrolled station: trusts only its office CA and
    /// sends its credential.
    pub fn new(enrolment: &Enrolment) -> Result<Self, SyncError> {
        let base = server_base(&enrolment.server_url)?;
        let http = http_client(pinned_ca_config(&enrolment.ca_der)?, Some(&enrolment.credential))?;
        Ok(Self { http, base })
    }

    /// The server this client talks to (`https://host:port`).
    pub fn server(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_string()
    }

    /// Enrols this station with the one-time `code` an admin made, trusting
    /// the server only if its chain holds the certificate whose fingerprint
    /// the admin gave (`typed_fingerprint`, however it was typed). Checks
    /// the versions first; returns what the station keeps.
    pub async fn enrol(
        server_url: &str,
        code: &str,
        typed_fingerprint: &str,
        station_id: &str,
    ) -> Result<Enrolment, SyncError> {
        let base = server_base(server_url)?;
        let pin = normalize_fingerprint(typed_fingerprint).ok_or_else(|| SyncError::BadFingerprint {
            typed: typed_fingerprint.to_string(),
        })?;
        let provider = provider();
        let verifier = Arc::new(PinnedVerifier {
            pin: pin.clone(),
            provider: provider.clone(),
            seen: Mutex::new(PinSeen::Nothing),
        });
        let http = http_client(tls_config(provider, verifier.clone())?, None)?;
        let probe = Self { http, base };
        let server = probe.server();
        let pin_failure = |e: SyncError| match verifier.take() {
            PinSeen::Mismatch(seen) => SyncError::PinMismatch {
                server: server.clone(),
                seen: seen.join(" / "),
            },
            _ => e,
        };
        let hello = probe.hello().await.map_err(pin_failure)?;
        let Some(_office) = hello.office else {
            return Err(SyncError::NoOffice);
        };
        let PinSeen::Matched(ca_der) = verifier.take() else {
            return Err(SyncError::Tls {
                detail: "握手未经过证书核对".into(),
            });
        };
        let request = EnrolRequest {
            code: code.trim().to_string(),
            station_id: station_id.to_string(),
            app_version: APP_VERSION.to_string(),
        };
        let reply: EnrolReply = probe
            .call(Method::POST, PATH_ENROL, Some(&request), REQUEST_TIMEOUT)
            .await
            .map_err(pin_failure)?;
        if normalize_fingerprint(&reply.ca_fingerprint).as_deref() != Some(pin.as_str()) {
            return Err(SyncError::PinMismatch {
                server,
                seen: reply.ca_fingerprint,
            });
        }
        if reply.station_id != station_id {
            return Err(SyncError::BadReply {
                detail: format!("服务器登记的工作站 {} 不是本机 {station_id}", reply.station_id),
            });
        }
        Ok(Enrolment {
            server_url: server,
            station_name: reply.station_name,
            office: reply.office,
            ca_fingerprint: fingerprint(&ca_der),
            ca_der,
            credential: reply.credential,
            enrolled_at: Utc::now(),
            station_office: reply.office_code,
        })
    }

    /// Versions and the office. Refuses, in Chinese, a server this build
    /// cannot talk to.
    pub async fn hello(&self) -> Result<HelloReply, SyncError> {
        let request = Hello {
            app_version: APP_VERSION.to_string(),
            protocol_version: PROTOCOL_VERSION,
            payload_format: regdesk_domain::stored::JOURNAL_FORMAT,
        };
        let reply: HelloReply = self
            .call(Method::POST, PATH_HELLO, Some(&request), REQUEST_TIMEOUT)
            .await?;
        check_versions(&reply)?;
        Ok(reply)
    }

    /// Pushes entries in station order; one verdict per entry, in order,
    /// stopping after the first `retry_later`.
    pub async fn push(&self, entries: &[Entry]) -> Result<PushReply, SyncError> {
        self.push_at(entries, None).await
    }

    /// [`SyncClient::push`], telling the server where the station's audit
    /// chain stands (`head`), which the server keeps.
    pub async fn push_at(&self, entries: &[Entry], head: Option<&ChainHead>) -> Result<PushReply, SyncError> {
        #[derive(Serialize)]
        struct PushBody<'a> {
            entries: &'a [Entry],
            #[serde(skip_serializing_if = "Option::is_none")]
            head: Option<&'a ChainHead>,
        }
        let reply: PushReply = self
            .call(
                Method::POST,
                PATH_PUSH,
                Some(&PushBody { entries, head }),
                REQUEST_TIMEOUT,
            )
            .await?;
        // Each verdict answers the pushed entry at its place.
        if reply.verdicts.len() > entries.len() || reply.verdicts.iter().zip(entries).any(|(v, e)| v.id != e.id) {
            return Err(SyncError::BadReply {
                detail: "结论与上传的记录对不上".into(),
            });
        }
        Ok(reply)
    }

    /// Accepted entries after `cursor`; waits up to `wait_ms` for one when
    /// there is none (long-poll).
    pub async fn pull(&self, cursor: i64, limit: u32, wait_ms: u32) -> Result<PullReply, SyncError> {
        let wait_ms = wait_ms.min(MAX_WAIT_MS);
        let request = PullRequest { cursor, limit, wait_ms };
        let timeout = Duration::from_millis(u64::from(wait_ms)) + PULL_GRACE;
        let reply: PullReply = self.call(Method::POST, PATH_PULL, Some(&request), timeout).await?;
        let mut last = cursor;
        for e in &reply.entries {
            if e.office_seq <= last {
                return Err(SyncError::BadReply {
                    detail: format!("下载的记录顺序不对（第 {} 条在第 {last} 条之后）", e.office_seq),
                });
            }
            last = e.office_seq;
        }
        if reply.cursor < last {
            return Err(SyncError::BadReply {
                detail: format!("下载位置 {} 落在已下载的第 {last} 条之前", reply.cursor),
            });
        }
        Ok(reply)
    }

    /// Gives back unused leased numbers and tops up the station's leases.
    pub async fn leases(
        &self,
        request: &crate::protocol::LeaseRequest,
    ) -> Result<crate::protocol::LeaseReply, SyncError> {
        self.call(
            Method::POST,
            crate::protocol::PATH_LEASES,
            Some(request),
            REQUEST_TIMEOUT,
        )
        .await
    }

    /// The server's cursor and state hash for this station's office.
    pub async fn state(&self) -> Result<StateReply, SyncError> {
        self.call::<(), _>(Method::GET, PATH_STATE, None, REQUEST_TIMEOUT).await
    }

    /// The heads of this station's audit chain the server recorded.
    pub async fn chain(&self) -> Result<ChainReply, SyncError> {
        self.call::<(), _>(Method::GET, PATH_CHAIN, None, REQUEST_TIMEOUT).await
    }

    /// The numbers audit of the office's record (every year, or `year`).
    pub async fn numbers_audit(&self, year: Option<i32>) -> Result<NumbersAuditReply, SyncError> {
        self.call(
            Method::POST,
            PATH_NUMBERS,
            Some(&NumbersAuditRequest { year }),
            REQUEST_TIMEOUT,
        )
        .await
    }

    /// A page of the office's rows for a first sync.
    pub async fn snapshot(&self, request: &SnapshotRequest) -> Result<SnapshotChunk, SyncError> {
        self.call(Method::POST, PATH_SNAPSHOT, Some(request), REQUEST_TIMEOUT)
            .await
    }

    fn blob_url(&self, sha256: &str) -> Result<Url, SyncError> {
        if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(SyncError::BadReply {
                detail: format!("附件摘要“{sha256}”不是 SHA-256"),
            });
        }
        self.url(&format!("{PATH_BLOBS}/{}", sha256.to_ascii_lowercase()))
    }

    /// How much of a blob the server holds.
    pub async fn blob_head(&self, sha256: &str) -> Result<BlobState, SyncError> {
        let url = self.blob_url(sha256)?;
        let response = self.send(self.http.head(url).timeout(REQUEST_TIMEOUT)).await?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(BlobState {
                offset: 0,
                complete: false,
            });
        }
        let response = self.check(response).await?;
        blob_state(response.headers())
    }

    /// Appends `chunk` at `offset` of a blob of `total` bytes; the server
    /// checks the hash once the last byte is in.
    pub async fn blob_put(
        &self,
        sha256: &str,
        offset: u64,
        total: u64,
        chunk: Vec<u8>,
    ) -> Result<BlobState, SyncError> {
        let mut url = self.blob_url(sha256)?;
        url.query_pairs_mut()
            .append_pair("offset", &offset.to_string())
            .append_pair("total", &total.to_string());
        let request = self
            .http
            .put(url)
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(chunk)
            .timeout(REQUEST_TIMEOUT);
        let response = self.check(self.send(request).await?).await?;
        blob_state(response.headers())
    }

    /// A whole blob's bytes from `offset` on.
    pub async fn blob_get(&self, sha256: &str, offset: u64) -> Result<Vec<u8>, SyncError> {
        let url = self.blob_url(sha256)?;
        let mut request = self.http.get(url).timeout(REQUEST_TIMEOUT);
        if offset > 0 {
            request = request.header(reqwest::header::RANGE, format!("bytes={offset}-"));
        }
        let response = self.check(self.send(request).await?).await?;
        let bytes = response.bytes().await.map_err(|e| self.transport(&e))?;
        Ok(bytes.to_vec())
    }

    /// Bytes `from..=to` of a whole blob.
    pub async fn blob_range(&self, sha256: &str, from: u64, to: u64) -> Result<Vec<u8>, SyncError> {
        let url = self.blob_url(sha256)?;
        let request = self
            .http
            .get(url)
            .header(reqwest::header::RANGE, format!("bytes={from}-{to}"))
            .timeout(REQUEST_TIMEOUT);
        let response = self.check(self.send(request).await?).await?;
        let bytes = response.bytes().await.map_err(|e| self.transport(&e))?;
        Ok(bytes.to_vec())
    }

    fn url(&self, path: &str) -> Result<Url, SyncError> {
        self.base
            .join(path)
            .map_err(|_| SyncError::BadServerUrl { url: self.server() })
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        timeout: Duration,
    ) -> Result<T, SyncError> {
        let mut request = self.http.request(method, self.url(path)?).timeout(timeout);
        if let Some(b) = body {
            request = request.json(b);
        }
        let response = self.check(self.send(request).await?).await?;
        let bytes = response.bytes().await.map_err(|e| self.transport(&e))?;
        serde_json::from_slice(&bytes).map_err(|e| SyncError::BadReply { detail: e.to_string() })
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response, SyncError> {
        request.send().await.map_err(|e| self.transport(&e))
    }

    /// A refusal's [`ErrorReply`] as a [`SyncError`].
    async fn check(&self, response: reqwest::Response) -> Result<reqwest::Response, SyncError> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let bytes = response.bytes().await.map_err(|e| self.transport(&e))?;
        Err(match serde_json::from_slice::<ErrorReply>(&bytes) {
            Ok(reply) => match reply.code {
                ErrorCode::StationTooOld => SyncError::TooOld { message: reply.message },
                ErrorCode::StationTooNew => SyncError::TooNew { message: reply.message },
                code => SyncError::Refused {
                    code,
                    message: reply.message,
                },
            },
            Err(_) => SyncError::BadReply {
                detail: format!("HTTP {status}"),
            },
        })
    }

    fn transport(&self, e: &reqwest::Error) -> SyncError {
        let server = self.server();
        if let Some(tls) = rustls_cause(e) {
            if matches!(tls, rustls::Error::InvalidCertificate(_)) {
                return SyncError::Untrusted {
                    server,
                    detail: tls.to_string(),
                };
            }
        }
        let detail = if e.is_timeout() {
            "等待超时".to_string()
        } else {
            root_cause(e)
        };
        if e.is_connect() {
            SyncError::Offline { server, detail }
        } else if e.is_decode() {
            SyncError::BadReply { detail }
        } else {
            SyncError::Interrupted { server, detail }
        }
    }
}

fn check_versions(reply: &HelloReply) -> Result<(), SyncError> {
    if reply.min_protocol_version > PROTOCOL_VERSION {
        return Err(SyncError::TooOld {
            message: format!(
                "服务器 {} 至少需要同步协议第 {} 版，本机为第 {PROTOCOL_VERSION} 版",
                reply.server_version, reply.min_protocol_version
            ),
        });
    }
    if reply.protocol_version < MIN_PROTOCOL_VERSION {
        return Err(SyncError::TooNew {
            message: format!(
                "服务器 {} 只会同步协议第 {} 版，本机至少需要第 {MIN_PROTOCOL_VERSION} 版",
                reply.server_version, reply.protocol_version
            ),
        });
    }
    let format = regdesk_domain::stored::JOURNAL_FORMAT;
    let (oldest, newest) = reply.payload_formats;
    if format < oldest {
        return Err(SyncError::TooOld {
            message: format!("服务器读取第 {oldest}–{newest} 版的办理记录，本机写的是第 {format} 版"),
        });
    }
    if format > newest {
        return Err(SyncError::TooNew {
            message: format!("服务器读取第 {oldest}–{newest} 版的办理记录，本机写的是第 {format} 版"),
        });
    }
    Ok(())
}

fn blob_state(headers: &HeaderMap) -> Result<BlobState, SyncError> {
    let offset = headers
        .get(HEADER_BLOB_OFFSET)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or_else(|| SyncError::BadReply {
            detail: format!("附件回答缺少 {HEADER_BLOB_OFFSET}"),
        })?;
    let complete = headers.get(HEADER_BLOB_COMPLETE).is_some_and(|v| v.as_bytes() == b"1");
    Ok(BlobState { offset, complete })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::protocol::{EntryVerdict, OfficeInfo, PulledEntry, Verdict};
    use crate::testkit::{self, Pki};
    use axum::http::HeaderMap as AxumHeaders;
    use axum::routing::{get, post};
    use axum::{Json, Router};

    fn office() -> OfficeInfo {
        OfficeInfo {
            office_id: "o1".into(),
            code: "ZJ".into(),
            name: "浙江省版权局".into(),
        }
    }

    fn hello_reply() -> HelloReply {
        HelloReply {
            server_version: "0.1.0".into(),
            protocol_version: PROTOCOL_VERSION,
            min_protocol_version: MIN_PROTOCOL_VERSION,
            payload_formats: (1, regdesk_domain::stored::JOURNAL_FORMAT),
            office: Some(office()),
        }
    }

    /// A server that answers hello and enrol, and records whether enrol was reached.
    fn enrol_router(ca_fp: String, reached: Arc<Mutex<Vec<EnrolRequest>>>) -> Router {
        Router::new()
            .route(PATH_HELLO, post(|| async { Json(hello_reply()) }))
            .route(
                PATH_ENROL,
                post(move |Json(req): Json<EnrolRequest>| {
                    let reached = reached.clone();
                    let ca_fp = ca_fp.clone();
                    async move {
                        let station_id = req.station_id.clone();
                        reached.lock().unwrap().push(req);
                        Json(EnrolReply {
                            station_id,
                            station_name: "受理窗口2".into(),
                            credential: "s1.secret".into(),
                            office: office(),
                            ca_fingerprint: ca_fp,
                            office_code: None,
                        })
                    }
                }),
            )
    }

    #[tokio::test]
    async fn enrolment_pins_the_ca_whose_fingerprint_was_typed() {
        let pki = Pki::new();
        let reached = Arc::new(Mutex::new(Vec::new()));
        let server = testkit::serve(&pki, enrol_router(pki.ca_fingerprint(), reached.clone())).await;
        // Typed as people do: lower case, no colons.
        let typed = pki.ca_fingerprint().replace(':', "").to_lowercase();
        let e = SyncClient::enrol(&server.url, " CODE-1 ", &typed, "s1").await.unwrap();
        assert_eq!(e.ca_der, pki.ca_der());
        assert_eq!(e.ca_fingerprint, pki.ca_fingerprint());
        assert_eq!(e.credential, "s1.secret");
        assert_eq!(e.station_name, "受理窗口2");
        assert_eq!(e.server_url, server.url);
        let got = reached.lock().unwrap().clone();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].code, "CODE-1");
        assert_eq!(got[0].station_id, "s1");
        server.stop();
    }

    #[tokio::test]
    async fn a_wrong_fingerprint_is_refused_before_anything_is_sent() {
        let pki = Pki::new();
        let other = Pki::new();
        let reached = Arc::new(Mutex::new(Vec::new()));
        let server = testkit::serve(&pki, enrol_router(pki.ca_fingerprint(), reached.clone())).await;
        let err = SyncClient::enrol(&server.url, "CODE-1", &other.ca_fingerprint(), "s1")
            .await
            .unwrap_err();
        assert!(matches!(err, SyncError::PinMismatch { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("逐位核对"), "{text}");
        assert!(text.contains(&pki.ca_fingerprint()), "{text}");
        assert!(reached.lock().unwrap().is_empty());
        assert_eq!(server.requests(), 0, "no request reached the server");
        server.stop();
    }

    #[tokio::test]
    async fn the_pinned_certificate_must_also_have_signed_the_servers_certificate() {
        // The server shows the right CA in its chain but its own certificate
        // comes from another CA: refused.
        let pki = Pki::new();
        let rogue = Pki::new();
        let reached = Arc::new(Mutex::new(Vec::new()));
        let server = testkit::serve_chain(
            &rogue,
            vec![rogue.leaf_der(), pki.ca_der()],
            enrol_router(pki.ca_fingerprint(), reached.clone()),
        )
        .await;
        let err = SyncClient::enrol(&server.url, "CODE-1", &pki.ca_fingerprint(), "s1")
            .await
            .unwrap_err();
        assert!(matches!(err, SyncError::Untrusted { .. }), "{err:?}");
        assert!(reached.lock().unwrap().is_empty());
        assert_eq!(server.requests(), 0);
        server.stop();
    }

    #[tokio::test]
    async fn a_certificate_for_another_name_is_refused() {
        let pki = Pki::for_names(&["regdesk.example"]);
        let server = testkit::serve(&pki, enrol_router(pki.ca_fingerprint(), Arc::default())).await;
        let err = SyncClient::enrol(&server.url, "CODE-1", &pki.ca_fingerprint(), "s1")
            .await
            .unwrap_err();
        assert!(matches!(err, SyncError::Untrusted { .. }), "{err:?}");
        server.stop();
    }

    #[tokio::test]
    async fn bad_addresses_and_fingerprints_are_named() {
        let err = SyncClient::enrol("http://127.0.0.1:1", "C", &"AB".repeat(32), "s1")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("https://主机:端口"), "{err}");
        let err = SyncClient::enrol("https://127.0.0.1:1", "C", "AB:CD", "s1")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("64 位十六进制"), "{err}");
    }

    #[tokio::test]
    async fn an_enrolled_client_trusts_only_its_ca_and_sends_its_credential_and_versions() {
        let pki = Pki::new();
        let seen = Arc::new(Mutex::new(
            Vec::<(Option<String>, Option<String>, Option<String>)>::new(),
        ));
        let log = seen.clone();
        let router = Router::new().route(
            PATH_STATE,
            get(move |h: AxumHeaders| {
                let log = log.clone();
                async move {
                    let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
                    log.lock()
                        .unwrap()
                        .push((get("authorization"), get(HEADER_PROTOCOL), get(HEADER_APP)));
                    Json(StateReply {
                        cursor: 7,
                        rows: 3,
                        state_hash: "ab".into(),
                    })
                }
            }),
        );
        let server = testkit::serve(&pki, router).await;
        let state = SyncClient::new(&pki.enrolment(&server.url))
            .unwrap()
            .state()
            .await
            .unwrap();
        assert_eq!(state.cursor, 7);
        let got = seen.lock().unwrap().clone();
        assert_eq!(
            got,
            vec![(
                Some("Bearer s1.secret".into()),
                Some(PROTOCOL_VERSION.to_string()),
                Some(APP_VERSION.to_string())
            )]
        );
        // Another office's CA: the same server is not trusted.
        let other = Pki::new();
        let err = SyncClient::new(&other.enrolment(&server.url))
            .unwrap()
            .state()
            .await
            .unwrap_err();
        assert!(matches!(err, SyncError::Untrusted { .. }), "{err:?}");
        assert!(err.to_string().contains("不是本机构 CA 签发"), "{err}");
        assert_eq!(server.requests(), 1);
        server.stop();
    }

    #[tokio::test]
    async fn refusals_too_old_and_offline_read_in_chinese() {
        let pki = Pki::new();
        let router = Router::new()
            .route(
                PATH_STATE,
                get(|| async {
                    (
                        axum::http::StatusCode::FORBIDDEN,
                        Json(ErrorReply {
                            code: ErrorCode::StationRevoked,
                            message: "本工作站已被管理员停用：请联系管理员".into(),
                        }),
                    )
                }),
            )
            .route(
                PATH_PUSH,
                post(|| async {
                    (
                        axum::http::StatusCode::UPGRADE_REQUIRED,
                        Json(ErrorReply {
                            code: ErrorCode::StationTooOld,
                            message: "服务器需要协议第 2 版".into(),
                        }),
                    )
                }),
            )
            .route(
                PATH_HELLO,
                post(|| async {
                    let mut r = hello_reply();
                    r.min_protocol_version = PROTOCOL_VERSION + 1;
                    r.protocol_version = PROTOCOL_VERSION + 1;
                    Json(r)
                }),
            );
        let server = testkit::serve(&pki, router).await;
        let client = SyncClient::new(&pki.enrolment(&server.url)).unwrap();
        let err = client.state().await.unwrap_err();
        assert!(
            matches!(
                &err,
                SyncError::Refused {
                    code: ErrorCode::StationRevoked,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("已被管理员停用"), "{err}");
        let err = client.push(&[]).await.unwrap_err();
        assert!(matches!(err, SyncError::TooOld { .. }), "{err:?}");
        assert!(err.to_string().contains("请升级本机程序"), "{err}");
        let err = client.hello().await.unwrap_err();
        assert!(matches!(err, SyncError::TooOld { .. }), "{err:?}");
        let url = server.url.clone();
        server.stop_and_wait().await;
        let err = SyncClient::new(&pki.enrolment(&url))
            .unwrap()
            .state()
            .await
            .unwrap_err();
        assert!(matches!(err, SyncError::Offline { .. }), "{err:?}");
        assert!(err.to_string().contains(&url), "{err}");
        assert!(err.is_transient());
    }

    #[tokio::test]
    async fn pull_replies_out_of_order_are_refused() {
        let pki = Pki::new();
        let router = Router::new().route(
            PATH_PULL,
            post(|Json(req): Json<PullRequest>| async move {
                assert_eq!(req.wait_ms, MAX_WAIT_MS);
                let e = |seq| PulledEntry {
                    office_seq: seq,
                    entry: testkit::entry(1),
                };
                Json(PullReply {
                    entries: vec![e(req.cursor + 2), e(req.cursor + 1)],
                    cursor: req.cursor + 2,
                    more: false,
                })
            }),
        );
        let server = testkit::serve(&pki, router).await;
        let client = SyncClient::new(&pki.enrolment(&server.url)).unwrap();
        let err = client.pull(5, 10, u32::MAX).await.unwrap_err();
        assert!(matches!(err, SyncError::BadReply { .. }), "{err:?}");
        server.stop();
    }

    #[tokio::test]
    async fn blobs_resume_from_the_servers_offset() {
        use axum::extract::{Path, Query};
        use axum::http::StatusCode as S;
        use axum::routing::any;
        type Store = Arc<Mutex<(Vec<u8>, Option<String>)>>;
        let store: Store = Arc::default();
        let held = store.clone();
        let router = Router::new().route(
            "/v1/blobs/{sha}",
            any(
                move |method: axum::http::Method,
                      Path(sha): Path<String>,
                      Query(q): Query<std::collections::HashMap<String, u64>>,
                      h: AxumHeaders,
                      body: axum::body::Bytes| {
                    let held = held.clone();
                    async move {
                        let mut b = held.lock().unwrap();
                        let complete = b.1.as_deref() == Some(sha.as_str());
                        let state = |len: usize, complete: bool| {
                            [
                                (HEADER_BLOB_OFFSET, len.to_string()),
                                (HEADER_BLOB_COMPLETE, if complete { "1" } else { "0" }.to_string()),
                            ]
                        };
                        match method.as_str() {
                            "HEAD" if b.0.is_empty() => S::NOT_FOUND.into_response(),
                            "HEAD" => (S::OK, state(b.0.len(), complete)).into_response(),
                            "PUT" => {
                                assert_eq!(q["offset"], b.0.len() as u64);
                                b.0.extend_from_slice(&body);
                                if b.0.len() as u64 == q["total"] {
                                    use sha2::Digest;
                                    b.1 = Some(hex::encode(sha2::Sha256::digest(&b.0)));
                                }
                                let complete = b.1.as_deref() == Some(sha.as_str());
                                (S::OK, state(b.0.len(), complete)).into_response()
                            }
                            _ => {
                                let from = h
                                    .get("range")
                                    .and_then(|r| r.to_str().ok())
                                    .and_then(|r| r.strip_prefix("bytes="))
                                    .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok())
                                    .unwrap_or(0);
                                b.0[from..].to_vec().into_response()
                            }
                        }
                    }
                },
            ),
        );
        use axum::response::IntoResponse;
        let pki = Pki::new();
        let server = testkit::serve(&pki, router).await;
        let client = SyncClient::new(&pki.enrolment(&server.url)).unwrap();
        let data: Vec<u8> = (0..100u8).collect();
        let sha = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&data))
        };
        assert_eq!(
            client.blob_head(&sha).await.unwrap(),
            BlobState {
                offset: 0,
                complete: false
            }
        );
        let part = client.blob_put(&sha, 0, 100, data[..40].to_vec()).await.unwrap();
        assert_eq!((part.offset, part.complete), (40, false));
        // Cut here; the next attempt asks where to go on from.
        let at = client.blob_head(&sha).await.unwrap();
        assert_eq!(at.offset, 40);
        let done = client
            .blob_put(&sha, at.offset, 100, data[40..].to_vec())
            .await
            .unwrap();
        assert!(done.complete);
        assert_eq!(client.blob_get(&sha, 0).await.unwrap(), data);
        assert_eq!(client.blob_get(&sha, 90).await.unwrap(), data[90..].to_vec());
        assert!(client.blob_head("not-a-hash").await.is_err());
        drop(store);
        server.stop();
    }

    #[tokio::test]
    async fn push_verdicts_must_answer_the_pushed_entries() {
        let pki = Pki::new();
        let router = Router::new().route(
            PATH_PUSH,
            post(|| async {
                Json(PushReply {
                    verdicts: vec![EntryVerdict {
                        id: uuid::Uuid::nil(),
                        verdict: Verdict::Accepted { office_seq: 1 },
                    }],
                })
            }),
        );
        let server = testkit::serve(&pki, router).await;
        let client = SyncClient::new(&pki.enrolment(&server.url)).unwrap();
        let err = client.push(&[testkit::entry(1)]).await.unwrap_err();
        assert!(matches!(err, SyncError::BadReply { .. }), "{err:?}");
        server.stop();
    }
}
