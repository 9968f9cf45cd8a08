//! The server's TLS: TLS 1.3 only, with rustls' ring provider.
//!
//! Without certificates of its own, an office gets an office CA at the
//! server's first start (`DIR/tls/ca.pem`, `ca.key`), and the server a
//! certificate signed by it for `localhost`, `127.0.0.1`, the machine's
//! hostname and the names given with `--san` (`server.pem`, `server.key`,
//! made again at every start from the same CA, so a new name only needs a
//! restart). Stations pin the CA by its SHA-256 fingerprint, so the server
//! sends the whole chain (its certificate, then the CA). An office with
//! certificates of its own gives `--tls-cert` (PEM, the full chain, the CA
//! last) and `--tls-key`; the fingerprint is then the chain's last one's.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Datelike;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::ServerConfig;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("证书文件 {path}：{detail}")]
    File { path: String, detail: String },
    #[error("证书文件 {path} 中没有证书：请给出 PEM 格式的完整证书链（本服务器证书在前，CA 证书在最后）")]
    NoCertificate { path: String },
    #[error("私钥文件 {path} 中没有可用的私钥：请给出 PEM 格式的私钥")]
    NoKey { path: String },
    #[error("生成证书失败：{0}")]
    Generate(#[from] rcgen::Error),
    #[error("证书与私钥不能一起使用：{0}（请检查 --tls-cert 与 --tls-key 是否成对）")]
    Config(#[from] rustls::Error),
    #[error("--tls-cert 与 --tls-key 须同时给出")]
    HalfPair,
}

type Result<T> = std::result::Result<T, TlsError>;

/// What the server serves with, and what stations pin.
#[derive(Debug, Clone)]
pub struct ServerTls {
    pub config: Arc<ServerConfig>,
    /// SHA-256 of the CA certificate (`AB:CD:…`).
    pub ca_fingerprint: String,
}

/// Where the office's own certificates are, when it has them.
#[derive(Debug, Clone, Default)]
pub struct CertFiles {
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

impl CertFiles {
    /// Refuses half a pair (a certificate without its key, or a key alone).
    pub fn check(&self) -> Result<()> {
        self.pair().map(|_| ())
    }

    fn pair(&self) -> Result<Option<(&Path, &Path)>> {
        match (&self.cert, &self.key) {
            (Some(c), Some(k)) => Ok(Some((c, k))),
            (None, None) => Ok(None),
            _ => Err(TlsError::HalfPair),
        }
    }
}

fn file_error(path: &Path) -> impl FnOnce(std::io::Error) -> TlsError + '_ {
    move |e| TlsError::File {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

/// The TLS folder under the data directory.
pub fn tls_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("tls")
}

/// The office CA's distinguished name: the same at every start, so a server
/// certificate made later chains to the CA made at the first start.
fn ca_params() -> Result<CertificateParams> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "RegDesk");
    dn.push(DnType::CommonName, "RegDesk 登记机构 CA");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    Ok(params)
}

fn write_file(path: &Path, bytes: &[u8], secret: bool) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(if secret { 0o600 } else { 0o644 });
    }
    let mut f = opts.open(path).map_err(file_error(path))?;
    f.write_all(bytes).map_err(file_error(path))?;
    f.sync_all().map_err(file_error(path))?;
    #[cfg(unix)]
    if secret {
        // The mode given at creation does not apply to a file that existed.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(file_error(path))?;
    }
    Ok(())
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(file_error(path))
}

/// The machine's host name, if the system tells it.
pub fn hostname() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
}

/// The names the server certificate is made for: `localhost`, `127.0.0.1`,
/// the host name and `extra`, each once.
pub fn server_names(extra: &[String]) -> Vec<String> {
    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    names.extend(hostname());
    for n in extra {
        let n = n.trim();
        if !n.is_empty() {
            names.push(n.to_string());
        }
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.to_ascii_lowercase()));
    names
}

/// The office CA under `dir` (made now if there is none): its key and certificate (PEM).
fn office_ca(dir: &Path) -> Result<(KeyPair, String)> {
    let key_path = dir.join("ca.key");
    let cert_path = dir.join("ca.pem");
    if key_path.is_file() && cert_path.is_file() {
        let key = KeyPair::from_pem(&read_text(&key_path)?)?;
        return Ok((key, read_text(&cert_path)?));
    }
    std::fs::create_dir_all(dir).map_err(file_error(dir))?;
    let key = KeyPair::generate()?;
    let mut params = ca_params()?;
    let year = chrono::Utc::now().year();
    params.not_before = rcgen::date_time_ymd(year - 1, 1, 1);
    params.not_after = rcgen::date_time_ymd(year + 50, 1, 1);
    let cert = params.self_signed(&key)?;
    write_file(&key_path, key.serialize_pem().as_bytes(), true)?;
    write_file(&cert_path, cert.pem().as_bytes(), false)?;
    Ok((key, cert.pem()))
}

/// A server certificate for `names`, signed by the CA (PEM chain: server, CA; key PEM).
fn server_certificate(ca_key: KeyPair, ca_pem: &str, names: &[String]) -> Result<(String, String)> {
    let key = KeyPair::generate()?;
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    for n in names {
        let san = match n.parse::<std::net::IpAddr>() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName(n.clone().try_into()?),
        };
        params.subject_alt_names.push(san);
    }
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "RegDesk");
    dn.push(DnType::CommonName, names.first().cloned().unwrap_or_default());
    params.distinguished_name = dn;
    params.is_ca = IsCa::NoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    let year = chrono::Utc::now().year();
    params.not_before = rcgen::date_time_ymd(year - 1, 1, 1);
    params.not_after = rcgen::date_time_ymd(year + 5, 1, 1);
    let issuer = Issuer::new(ca_params()?, ca_key);
    let cert = params.signed_by(&key, &issuer)?;
    Ok((format!("{}{}", cert.pem(), ca_pem), key.serialize_pem()))
}

/// The office CA's fingerprint without making anything: of `--tls-cert`'s
/// last certificate, else of `DIR/tls/ca.pem` (made now if the server never
/// started: the same CA the server will serve with).
pub fn ca_fingerprint(data_dir: &Path, files: &CertFiles) -> Result<String> {
    if let Some((cert, _)) = files.pair()? {
        let chain = read_chain(cert)?;
        return chain
            .last()
            .map(|c| regdesk_sync::fingerprint(c))
            .ok_or_else(|| TlsError::NoCertificate {
                path: cert.display().to_string(),
            });
    }
    let (_, ca_pem) = office_ca(&tls_dir(data_dir))?;
    pem_fingerprint(&ca_pem, &tls_dir(data_dir).join("ca.pem"))
}

fn pem_fingerprint(pem: &str, path: &Path) -> Result<String> {
    CertificateDer::pem_slice_iter(pem.as_bytes())
        .next()
        .and_then(|c| c.ok())
        .map(|c| regdesk_sync::fingerprint(&c))
        .ok_or_else(|| TlsError::NoCertificate {
            path: path.display().to_string(),
        })
}

fn read_chain(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let text = std::fs::read(path).map_err(file_error(path))?;
    let chain = CertificateDer::pem_slice_iter(&text)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| TlsError::File {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate {
            path: path.display().to_string(),
        });
    }
    Ok(chain)
}

fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>> {
    let text = std::fs::read(path).map_err(file_error(path))?;
    PrivateKeyDer::from_pem_slice(&text).map_err(|_| TlsError::NoKey {
        path: path.display().to_string(),
    })
}

/// rustls' ring provider: the one crypto provider of the server and the
/// station (no aws-lc build). rustls marks it deprecated only because it
/// offers no post-quantum key exchange; TLS 1.3 with it is what both ends speak.
#[allow(deprecated)]
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// TLS 1.3 with the ring provider, serving `chain` with `key`.
pub fn server_config(chain: Vec<CertificateDer<'static>>, key: PrivateKeyDer<'static>) -> Result<Arc<ServerConfig>> {
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// What the server serves with: the office's own files, or the office CA
/// under `DIR/tls` (made at the first start) and a server certificate for
/// [`server_names`]`(extra_names)`.
pub fn prepare(data_dir: &Path, files: &CertFiles, extra_names: &[String]) -> Result<ServerTls> {
    if let Some((cert, key)) = files.pair()? {
        let chain = read_chain(cert)?;
        let ca_fingerprint =
            chain
                .last()
                .map(|c| regdesk_sync::fingerprint(c))
                .ok_or_else(|| TlsError::NoCertificate {
                    path: cert.display().to_string(),
                })?;
        let config = server_config(chain, read_key(key)?)?;
        return Ok(ServerTls { config, ca_fingerprint });
    }
    let dir = tls_dir(data_dir);
    let (ca_key, ca_pem) = office_ca(&dir)?;
    let ca_fingerprint = pem_fingerprint(&ca_pem, &dir.join("ca.pem"))?;
    let (chain_pem, key_pem) = server_certificate(ca_key, &ca_pem, &server_names(extra_names))?;
    let chain_path = dir.join("server.pem");
    let key_path = dir.join("server.key");
    write_file(&key_path, key_pem.as_bytes(), true)?;
    write_file(&chain_path, chain_pem.as_bytes(), false)?;
    let config = server_config(read_chain(&chain_path)?, read_key(&key_path)?)?;
    Ok(ServerTls { config, ca_fingerprint })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use rustls::client::danger::ServerCertVerifier;

    #[test]
    fn the_office_ca_is_made_once_and_signs_a_fresh_server_certificate() {
        let tmp = tempfile::tempdir().unwrap();
        let first = prepare(tmp.path(), &CertFiles::default(), &["desk.example".into()]).unwrap();
        let ca_pem = std::fs::read_to_string(tmp.path().join("tls/ca.pem")).unwrap();
        let second = prepare(tmp.path(), &CertFiles::default(), &[]).unwrap();
        assert_eq!(first.ca_fingerprint, second.ca_fingerprint);
        assert_eq!(ca_pem, std::fs::read_to_string(tmp.path().join("tls/ca.pem")).unwrap());
        assert_eq!(
            ca_fingerprint(tmp.path(), &CertFiles::default()).unwrap(),
            first.ca_fingerprint
        );
        // The chain is the server's certificate, then the CA.
        let chain = read_chain(&tmp.path().join("tls/server.pem")).unwrap();
        assert_eq!(chain.len(), 2);
        assert_eq!(regdesk_sync::fingerprint(&chain[1]), first.ca_fingerprint);
        assert_ne!(regdesk_sync::fingerprint(&chain[0]), first.ca_fingerprint);

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for key in ["ca.key", "server.key"] {
                let mode = std::fs::metadata(tmp.path().join("tls").join(key))
                    .unwrap()
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600, "{key}");
            }
        }
    }

    #[test]
    fn the_server_certificate_verifies_against_the_pinned_ca_for_each_name() {
        let tmp = tempfile::tempdir().unwrap();
        prepare(tmp.path(), &CertFiles::default(), &["desk.example".into()]).unwrap();
        let ca = read_chain(&tmp.path().join("tls/ca.pem")).unwrap();
        let chain = read_chain(&tmp.path().join("tls/server.pem")).unwrap();
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca[0].clone()).unwrap();
        let provider = provider();
        let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .unwrap();
        let now = rustls::pki_types::UnixTime::now();
        for name in ["localhost", "127.0.0.1", "desk.example"] {
            let server_name = rustls::pki_types::ServerName::try_from(name.to_string()).unwrap();
            verifier
                .verify_server_cert(&chain[0], &chain[1..], &server_name, &[], now)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let other = rustls::pki_types::ServerName::try_from("elsewhere.example".to_string()).unwrap();
        assert!(verifier
            .verify_server_cert(&chain[0], &chain[1..], &other, &[], now)
            .is_err());
    }

    #[test]
    fn given_certificates_are_served_and_the_last_one_is_pinned() {
        let tmp = tempfile::tempdir().unwrap();
        prepare(tmp.path(), &CertFiles::default(), &[]).unwrap();
        let own = CertFiles {
            cert: Some(tmp.path().join("tls/server.pem")),
            key: Some(tmp.path().join("tls/server.key")),
        };
        let other = tempfile::tempdir().unwrap();
        let served = prepare(other.path(), &own, &[]).unwrap();
        let ca = read_chain(&tmp.path().join("tls/ca.pem")).unwrap();
        assert_eq!(served.ca_fingerprint, regdesk_sync::fingerprint(&ca[0]));
        assert!(
            !other.path().join("tls").exists(),
            "no CA is made when certificates are given"
        );

        let half = CertFiles {
            cert: own.cert.clone(),
            key: None,
        };
        assert!(matches!(prepare(other.path(), &half, &[]), Err(TlsError::HalfPair)));
        let swapped = CertFiles {
            cert: own.key.clone(),
            key: own.cert.clone(),
        };
        assert!(prepare(other.path(), &swapped, &[]).is_err());
    }
}
