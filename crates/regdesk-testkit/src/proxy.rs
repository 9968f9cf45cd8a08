//! A chaos proxy between stations and the server, on 127.0.0.1: it ends TLS
//! with the server's own certificate (so stations that pin the office CA
//! accept it), and for each request, drawn from a seeded generator, passes
//! it on, drops it, lets the server commit and drops the answer, sends it
//! twice (the copy later, out of order), delays it, cuts its body halfway to
//! the server, or answers 401 or 503 itself. The server behind it can move
//! (a restart takes a new port): [`ChaosProxy::set_upstream`].

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;

/// What the proxy did with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    Pass,
    /// The connection closes; the server never sees the request.
    DropRequest,
    /// The server handles the request; the station never sees the answer.
    DropResponse,
    /// Sent on now and once more a little later (reordered after later requests).
    Duplicate,
    /// Held back up to 400 ms.
    Delay,
    /// Half the body reaches the server, then the connection breaks.
    CutBody,
    /// 401 from the proxy (a gateway's refusal).
    Answer401,
    /// 503 from the proxy, with a plain-text body (a load balancer's page).
    Answer503,
}

impl Fault {
    fn draw(rng: &mut Pcg64) -> Fault {
        match rng.random_range(0..100u32) {
            0..55 => Fault::Pass,
            55..62 => Fault::DropRequest,
            62..70 => Fault::DropResponse,
            70..78 => Fault::Duplicate,
            78..88 => Fault::Delay,
            88..92 => Fault::CutBody,
            92..96 => Fault::Answer401,
            _ => Fault::Answer503,
        }
    }
}

struct Shared {
    upstream: Mutex<SocketAddr>,
    chaos: AtomicBool,
    rng: Mutex<Pcg64>,
    http: reqwest::Client,
    counts: Mutex<BTreeMap<Fault, u64>>,
}

/// The running proxy.
pub struct ChaosProxy {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by the chaos proxy")
    }
}

impl std::error::Error for Dropped {}

/// An HTTPS client trusting only the office CA of a server data directory.
pub fn office_client(server_dir: &Path) -> reqwest::Client {
    let pem = std::fs::read(server_dir.join("tls/ca.pem")).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
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

impl ChaosProxy {
    /// Listens on 127.0.0.1 (a port from the OS) with the certificate of
    /// the server in `server_dir`, forwarding to `upstream`. Starts healthy.
    pub async fn start(server_dir: &Path, upstream: SocketAddr, seed: u64) -> ChaosProxy {
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(server_dir.join("tls/server.pem"))
            .unwrap()
            .map(|c| c.unwrap())
            .collect();
        let key = PrivateKeyDer::from_pem_file(server_dir.join("tls/server.key")).unwrap();
        let config = regdesk_server::tls::server_config(chain, key).unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            upstream: Mutex::new(upstream),
            chaos: AtomicBool::new(false),
            rng: Mutex::new(Pcg64::seed_from_u64(seed)),
            http: office_client(server_dir),
            counts: Mutex::default(),
        });
        let s = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let acceptor = acceptor.clone();
                let s = s.clone();
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(tcp).await else { return };
                    let svc = hyper::service::service_fn(move |req| handle(s.clone(), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), svc)
                        .await;
                });
            }
        });
        ChaosProxy { addr, shared, task }
    }

    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Where requests go from now on.
    pub fn set_upstream(&self, upstream: SocketAddr) {
        *self.shared.upstream.lock().unwrap() = upstream;
    }

    /// Faults on (drawn per request) or off (every request passes).
    pub fn set_chaos(&self, on: bool) {
        self.shared.chaos.store(on, Ordering::SeqCst);
    }

    /// How many requests met each fault so far.
    pub fn counts(&self) -> BTreeMap<Fault, u64> {
        self.shared.counts.lock().unwrap().clone()
    }
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Answer = Response<Full<Bytes>>;

async fn handle(s: Arc<Shared>, req: Request<Incoming>) -> Result<Answer, Dropped> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map_err(|_| Dropped)?.to_bytes();
    let (fault, delay_ms) = if s.chaos.load(Ordering::SeqCst) {
        let mut rng = s.rng.lock().unwrap();
        let fault = Fault::draw(&mut rng);
        (fault, rng.random_range(0..400u64))
    } else {
        (Fault::Pass, 0)
    };
    let fault = if fault == Fault::CutBody && body.len() < 2 {
        Fault::DropRequest
    } else {
        fault
    };
    *s.counts.lock().unwrap().entry(fault).or_default() += 1;
    match fault {
        Fault::DropRequest => return Err(Dropped),
        Fault::Answer401 => {
            return Ok(answer(
                StatusCode::UNAUTHORIZED,
                "application/json",
                r#"{"code":"unauthenticated","message":"网关拒绝了请求：凭据无效"}"#,
            ))
        }
        Fault::Answer503 => {
            return Ok(answer(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/html",
                "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
            ))
        }
        Fault::Delay => tokio::time::sleep(Duration::from_millis(delay_ms)).await,
        Fault::CutBody => {
            let half = body.slice(0..body.len() / 2);
            let chunks: Vec<Result<Bytes, std::io::Error>> =
                vec![Ok(half), Err(std::io::Error::other("cut by the chaos proxy"))];
            let stream = futures_util::stream::iter(chunks);
            let _ = forward(&s, &parts, reqwest::Body::wrap_stream(stream)).await;
            return Err(Dropped);
        }
        Fault::Pass | Fault::DropResponse | Fault::Duplicate => {}
    }
    let reply = forward(&s, &parts, reqwest::Body::from(body.clone())).await;
    if fault == Fault::Duplicate {
        let s2 = s.clone();
        let parts2 = parts.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            let _ = forward(&s2, &parts2, reqwest::Body::from(body)).await;
        });
    }
    match reply {
        Ok(r) if fault != Fault::DropResponse => Ok(r),
        _ => Err(Dropped),
    }
}

fn answer(status: StatusCode, content_type: &str, body: &'static str) -> Answer {
    let mut r = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *r.status_mut() = status;
    if let Ok(v) = hyper::header::HeaderValue::from_str(content_type) {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

async fn forward(s: &Shared, parts: &hyper::http::request::Parts, body: reqwest::Body) -> Result<Answer, Dropped> {
    let upstream = *s.upstream.lock().unwrap();
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let url = format!("https://{upstream}{path}");
    let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes()).map_err(|_| Dropped)?;
    let mut rb = s.http.request(method, url);
    for (name, value) in &parts.headers {
        if matches!(
            name.as_str(),
            "host" | "content-length" | "connection" | "transfer-encoding"
        ) {
            continue;
        }
        rb = rb.header(name.as_str(), value.as_bytes());
    }
    let reply = rb.body(body).send().await.map_err(|_| Dropped)?;
    let status = reply.status().as_u16();
    let headers: Vec<(String, Vec<u8>)> = reply
        .headers()
        .iter()
        .filter(|(n, _)| !matches!(n.as_str(), "content-length" | "connection" | "transfer-encoding"))
        .map(|(n, v)| (n.as_str().to_string(), v.as_bytes().to_vec()))
        .collect();
    let bytes = reply.bytes().await.map_err(|_| Dropped)?;
    let mut r = Response::new(Full::new(bytes));
    *r.status_mut() = StatusCode::from_u16(status).map_err(|_| Dropped)?;
    for (n, v) in headers {
        if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(n.as_bytes()),
            hyper::header::HeaderValue::from_bytes(&v),
        ) {
            r.headers_mut().append(n, v);
        }
    }
    Ok(r)
}
