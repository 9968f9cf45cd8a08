//! Keys for encryption at rest (数据加密密钥).
//!
//! One **station master secret** (32 random bytes) per data directory. Nothing
//! is encrypted with it directly: each use gets its own key, derived with
//! HKDF-SHA256 (salt `regdesk station key v1`, info `regdesk/v1/<purpose>`):
//!
//! * [`Purpose::Database`] — the SQLCipher key of `regdesk.db` ([`StationKeys::database`]);
//! * [`Purpose::Files`] — the AEAD key of the attachment store ([`StationKeys::files`]);
//! * [`Purpose::AuditHead`] — an HMAC-SHA256 key for the signed audit head kept
//!   in a file beside the database ([`StationKeys::audit_head`]).
//!
//! # Getting a purpose key
//!
//! ```no_run
//! # fn main() -> Result<(), regdesk_store::StoreError> {
//! use regdesk_store::keys::{station_keys, KeyUse};
//! let dir = std::path::Path::new("/path/to/data");
//! // Finds (or, for a directory without an encrypted database, makes) the
//! // station's master secret; see "Where the master secret is kept".
//! let keys = station_keys(dir, KeyUse::OpenOrCreate)?;
//! let hmac_key = keys.audit_head(); // 32 bytes, zeroed when dropped
//! let _bytes: &[u8; 32] = hmac_key.as_bytes();
//! # Ok(()) }
//! ```
//!
//! An open [`crate::Store`] hands out the same keys with [`crate::Store::keys`].
//!
//! # Where the master secret is kept
//!
//! Looked up in this order, first found wins:
//!
//! 1. `REGDESK_KEY_FILE` — a key file at that path (made if absent). For
//!    tests, and for servers whose administrator keeps keys elsewhere.
//! 2. The fallback key file `<config dir>/regdesk/keys/<hash of the data
//!    directory's canonical path>.key` (`~/.config/regdesk/keys/…` on Linux),
//!    owner-only (0600) in an owner-only folder (0700). Never inside the data
//!    directory: a copied data directory must not carry its own key.
//! 3. The operating system's key store through `keyring` (Secret Service on
//!    Linux desktops, Credential Manager / DPAPI on Windows, Keychain on
//!    macOS), service [`KEYRING_SERVICE`], account = the canonical path.
//!
//! A new secret goes to the key store when one answers, else to the fallback
//! file (headless servers, CI, a desktop session without a Secret Service).
//! A new secret is only ever made for a directory without an encrypted
//! database: when the database is encrypted and no secret is found, opening
//! fails with a message saying to import the recovery code
//! (`regdesk key import`), never with a fresh key that cannot read the data.
//!
//! # Recovery code
//!
//! Backups of the data directory are encrypted with the same secret, so the
//! administrator exports it (`regdesk key export`) and keeps it off the
//! machine. The code is `RDK1-` and the secret in 8 groups of 8 hex digits,
//! then a group of 8 hex digits of checksum (SHA-256 of the secret), so a
//! mistyped code is refused rather than stored.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use hkdf::Hkdf;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Result, StoreError};

/// The key store's service name for station secrets.
pub const KEYRING_SERVICE: &str = "cn.regdesk.station-key";

/// The journal command of a recovery-code export (导出恢复码).
pub const KEY_EXPORT_COMMAND: &str = "export_recovery_code";

/// The environment variable naming a key file that overrides the key store.
pub const KEY_FILE_ENV: &str = "REGDESK_KEY_FILE";

const HKDF_SALT: &[u8] = b"regdesk station key v1";
const CODE_PREFIX: &str = "RDK1";
/// How long the key store may take to answer before the fallback is used.
const KEYRING_TIMEOUT: Duration = Duration::from_secs(15);

/// What a key is for; each purpose gets its own derived key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The SQLCipher key of the database.
    Database,
    /// The AEAD key of the attachment store.
    Files,
    /// The HMAC-SHA256 key of the signed audit head.
    AuditHead,
}

impl Purpose {
    fn info(self) -> &'static [u8] {
        match self {
            Purpose::Database => b"regdesk/v1/database",
            Purpose::Files => b"regdesk/v1/files",
            Purpose::AuditHead => b"regdesk/v1/audit_head",
        }
    }
}

/// A 32-byte key, zeroed when dropped; its `Debug` shows no bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Key32(Zeroizing<[u8; 32]>);

impl Key32 {
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for Key32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key32(<redacted>)")
    }
}

/// Where the station's master secret is kept (shown to the administrator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyHome {
    /// The file named by `REGDESK_KEY_FILE`.
    EnvFile(PathBuf),
    /// The operating system's key store.
    KeyStore,
    /// The fallback key file in the user's configuration directory.
    ConfigFile(PathBuf),
}

impl fmt::Display for KeyHome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyHome::EnvFile(p) => write!(f, "密钥文件 {}（由环境变量 {KEY_FILE_ENV} 指定）", p.display()),
            KeyHome::KeyStore => f.write_str("操作系统的密钥库（Linux 为 Secret Service，Windows 为凭据管理器）"),
            KeyHome::ConfigFile(p) => write!(f, "本机用户配置目录中的密钥文件 {}（仅本用户可读）", p.display()),
        }
    }
}

/// The station's keys: the master secret and where it is kept.
#[derive(Clone)]
pub struct StationKeys {
    master: Key32,
    home: KeyHome,
}

impl fmt::Debug for StationKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StationKeys")
            .field("master", &"<redacted>")
            .field("home", &self.home)
            .finish()
    }
}

impl StationKeys {
    /// Keys from a known master secret (tests, benches, recovery).
    pub fn from_secret(secret: [u8; 32], home: KeyHome) -> StationKeys {
        StationKeys {
            master: Key32(Zeroizing::new(secret)),
            home,
        }
    }

    /// The key for `purpose` (HKDF-SHA256 of the master secret).
    pub fn derive(&self, purpose: Purpose) -> Key32 {
        let hk = Hkdf::<Sha256>::new(Some(HKDF_SALT), self.master.as_bytes());
        let mut out = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's limit of 255 × 32, so expand cannot fail.
        if hk.expand(purpose.info(), out.as_mut()).is_err() {
            out.zeroize();
        }
        Key32(out)
    }

    /// The SQLCipher key of the database.
    pub fn database(&self) -> Key32 {
        self.derive(Purpose::Database)
    }

    /// The AEAD key of the attachment store.
    pub fn files(&self) -> Key32 {
        self.derive(Purpose::Files)
    }

    /// The HMAC-SHA256 key of the signed audit head.
    pub fn audit_head(&self) -> Key32 {
        self.derive(Purpose::AuditHead)
    }

    /// Where the master secret is kept.
    pub fn home(&self) -> &KeyHome {
        &self.home
    }

    /// The recovery code of the master secret (see the module documentation).
    pub fn recovery_code(&self) -> Zeroizing<String> {
        recovery_code(self.master.as_bytes())
    }
}

/// May a new master secret be made?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    /// Find the secret, or make one when the directory holds no encrypted database.
    OpenOrCreate,
    /// Find the secret only.
    Existing,
}

/// Key problems, each with the way out.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("找不到数据目录 {dir} 的加密密钥，无法打开已加密的数据库。请由管理员用“regdesk key import”导入该数据目录的恢复码后再启动。")]
    Missing { dir: String },
    #[error("数据库密钥不正确：数据目录 {dir} 的数据库无法用本机保存的密钥解开。请确认数据目录无误，或由管理员用“regdesk key import”导入该数据目录的恢复码。")]
    Wrong { dir: String },
    #[error("密钥文件 {path} 无法使用：{reason}")]
    BadFile { path: String, reason: String },
    #[error("恢复码无效：{0}。恢复码形如 RDK1-xxxxxxxx-…，共 9 组，请逐字核对后重新输入。")]
    BadCode(String),
    #[error("密钥已存在：数据目录 {dir} 已有不同的密钥（保存在{home}）。为免数据无法解开，不会覆盖；如确需替换，请先备份并移走现有密钥。")]
    Conflict { dir: String, home: String },
}

/// The recovery code of a secret: `RDK1-` + 8 groups of 8 hex + 8 hex of checksum.
fn recovery_code(secret: &[u8; 32]) -> Zeroizing<String> {
    let mut hex = Zeroizing::new(hex::encode(secret));
    hex.push_str(&hex::encode(&Sha256::digest(secret)[..4]));
    let mut code = Zeroizing::new(String::from(CODE_PREFIX));
    for chunk in hex.as_bytes().chunks(8) {
        code.push('-');
        code.push_str(std::str::from_utf8(chunk).unwrap_or_default());
    }
    code
}

/// Reads a recovery code (spaces, dashes and case do not matter).
pub fn parse_recovery_code(code: &str) -> std::result::Result<[u8; 32], KeyError> {
    let mut compact = Zeroizing::new(
        code.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_lowercase(),
    );
    let prefix = CODE_PREFIX.to_ascii_lowercase();
    let Some(rest) = compact.strip_prefix(&prefix) else {
        return Err(KeyError::BadCode("开头不是 RDK1".into()));
    };
    if rest.len() != 72 {
        return Err(KeyError::BadCode(format!(
            "应为 72 位十六进制数字，实为 {} 位",
            rest.len()
        )));
    }
    let mut bytes =
        Zeroizing::new(hex::decode(rest).map_err(|_| KeyError::BadCode("含有 0-9、a-f 以外的字符".into()))?);
    compact.zeroize();
    let mut secret = [0u8; 32];
    secret.copy_from_slice(&bytes[..32]);
    if Sha256::digest(secret)[..4] != bytes[32..] {
        secret.zeroize();
        bytes.zeroize();
        return Err(KeyError::BadCode("校验位不符（可能抄错了某一位）".into()));
    }
    Ok(secret)
}

/// The canonical form of the data directory (the key's name), made if absent.
fn canonical(dir: &Path) -> Result<PathBuf> {
    crate::documents::private_dir(dir)?;
    Ok(std::fs::canonicalize(dir)?)
}

/// Where keys are looked for: from the environment in the product, chosen in tests.
#[derive(Debug, Clone)]
pub(crate) struct Sources {
    /// `REGDESK_KEY_FILE`.
    pub env_file: Option<PathBuf>,
    /// The user's configuration directory for RegDesk.
    pub config_dir: Option<PathBuf>,
    /// Whether to ask the operating system's key store.
    pub keyring: bool,
}

impl Sources {
    fn from_env() -> Sources {
        Sources {
            env_file: std::env::var_os(KEY_FILE_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            config_dir: directories::ProjectDirs::from("cn", "regdesk", "regdesk")
                .map(|d| d.config_dir().to_path_buf()),
            keyring: true,
        }
    }

    /// The fallback key file of a data directory, in the user's configuration directory.
    fn fallback_file(&self, canon: &Path) -> Result<PathBuf> {
        let name = hex::encode(&Sha256::digest(canon.to_string_lossy().as_bytes())[..16]);
        let base = self.config_dir.clone().ok_or_else(|| {
            StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "找不到用户主目录，无法保存加密密钥；请用环境变量 REGDESK_KEY_FILE 指定密钥文件",
            ))
        })?;
        Ok(base.join("keys").join(format!("{name}.key")))
    }
}

/// The fallback key file of data directory `dir` (whether or not it exists).
pub fn fallback_key_file(dir: &Path) -> Result<PathBuf> {
    Sources::from_env().fallback_file(&canonical(dir)?)
}

fn read_key_file(path: &Path) -> Result<Option<[u8; 32]>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => Zeroizing::new(t),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let code = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    parse_recovery_code(code).map(Some).map_err(|e| {
        KeyError::BadFile {
            path: path.display().to_string(),
            reason: e.to_string(),
        }
        .into()
    })
}

fn write_key_file(path: &Path, secret: &[u8; 32], dir: &Path) -> Result<()> {
    if let Some(parent) = path.parent() {
        crate::documents::private_dir(parent)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    let body = Zeroizing::new(format!(
        "# 作品登记工作台 数据目录 {} 的加密密钥（恢复码）。丢失即无法解开数据，请勿删除、勿外传。\n{}\n",
        dir.display(),
        recovery_code(secret).as_str()
    ));
    f.write_all(body.as_bytes())?;
    f.sync_all()?;
    crate::documents::private_file(path)?;
    Ok(())
}

/// What the key store said.
enum Kept {
    Found(Zeroizing<Vec<u8>>),
    Absent,
    Unreachable,
}

/// Runs a key store call on its own thread so that a key store that never
/// answers (a locked desktop keyring waiting for a prompt) counts as unreachable.
fn with_keyring<T: Send + 'static>(
    f: impl FnOnce() -> keyring::Result<T> + Send + 'static,
) -> std::result::Result<T, Option<keyring::Error>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(KEYRING_TIMEOUT) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Some(e)),
        Err(_) => Err(None),
    }
}

fn keyring_get(account: &str) -> Kept {
    let account = account.to_string();
    match with_keyring(move || keyring::Entry::new(KEYRING_SERVICE, &account)?.get_secret()) {
        Ok(v) => Kept::Found(Zeroizing::new(v)),
        Err(Some(keyring::Error::NoEntry)) => Kept::Absent,
        Err(_) => Kept::Unreachable,
    }
}

fn keyring_set(account: &str, secret: &[u8; 32]) -> bool {
    let account = account.to_string();
    let value = Zeroizing::new(secret.to_vec());
    with_keyring(move || keyring::Entry::new(KEYRING_SERVICE, &account)?.set_secret(&value)).is_ok()
}

/// Does `dir` hold a database that is not plain SQLite (so encrypted)?
fn has_encrypted_database(dir: &Path) -> Result<bool> {
    Ok(crate::db::header_of(&dir.join(crate::DB_FILE))? == crate::db::Header::Encrypted)
}

/// The station keys of data directory `dir` (see the module documentation for the order).
pub fn station_keys(dir: &Path, usage: KeyUse) -> Result<StationKeys> {
    locate(dir, usage, &Sources::from_env())
}

pub(crate) fn locate(dir: &Path, usage: KeyUse, from: &Sources) -> Result<StationKeys> {
    let canon = canonical(dir)?;
    let shown = canon.display().to_string();
    if let Some(path) = &from.env_file {
        if let Some(secret) = read_key_file(path)? {
            return Ok(StationKeys::from_secret(secret, KeyHome::EnvFile(path.clone())));
        }
        return create(dir, &canon, usage, from);
    }
    let file = from.fallback_file(&canon)?;
    if let Some(secret) = read_key_file(&file)? {
        return Ok(StationKeys::from_secret(secret, KeyHome::ConfigFile(file)));
    }
    if !from.keyring {
        return create(dir, &canon, usage, from);
    }
    match keyring_get(&shown) {
        Kept::Found(v) => {
            let secret: [u8; 32] = v.as_slice().try_into().map_err(|_| KeyError::BadFile {
                path: format!("{KEYRING_SERVICE}/{shown}"),
                reason: "密钥库中的密钥长度不是 32 字节".into(),
            })?;
            Ok(StationKeys::from_secret(secret, KeyHome::KeyStore))
        }
        Kept::Absent | Kept::Unreachable => create(dir, &canon, usage, from),
    }
}

fn create(dir: &Path, canon: &Path, usage: KeyUse, from: &Sources) -> Result<StationKeys> {
    if usage == KeyUse::Existing || has_encrypted_database(dir)? {
        return Err(KeyError::Missing {
            dir: canon.display().to_string(),
        }
        .into());
    }
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let keys = keep(canon, secret, from);
    secret.zeroize();
    keys
}

/// Keeps `secret` for the data directory `canon`: in the env file, else the
/// key store (once it gives the secret back), else the fallback file.
fn keep(canon: &Path, secret: [u8; 32], from: &Sources) -> Result<StationKeys> {
    if let Some(path) = &from.env_file {
        write_key_file(path, &secret, canon)?;
        return Ok(StationKeys::from_secret(secret, KeyHome::EnvFile(path.clone())));
    }
    let shown = canon.display().to_string();
    if from.keyring && keyring_set(&shown, &secret) {
        if let Kept::Found(v) = keyring_get(&shown) {
            if v.as_slice() == secret {
                return Ok(StationKeys::from_secret(secret, KeyHome::KeyStore));
            }
        }
    }
    let file = from.fallback_file(canon)?;
    write_key_file(&file, &secret, canon)?;
    Ok(StationKeys::from_secret(secret, KeyHome::ConfigFile(file)))
}

/// Imports a recovery code for `dir` (a restored backup on a new machine).
/// A directory that already has the same secret is fine; a different one is refused.
pub fn import(dir: &Path, code: &str) -> Result<StationKeys> {
    import_with(dir, code, &Sources::from_env())
}

pub(crate) fn import_with(dir: &Path, code: &str, from: &Sources) -> Result<StationKeys> {
    let secret = Zeroizing::new(parse_recovery_code(code)?);
    let canon = canonical(dir)?;
    match locate(dir, KeyUse::Existing, from) {
        Ok(existing) if existing.master.as_bytes() == &*secret => return Ok(existing),
        Ok(existing) => {
            return Err(KeyError::Conflict {
                dir: canon.display().to_string(),
                home: existing.home.to_string(),
            }
            .into())
        }
        Err(StoreError::Key(KeyError::Missing { .. })) => {}
        Err(e) => return Err(e),
    }
    keep(&canon, *secret, from)
}

impl crate::Store {
    /// 密钥保存位置：where this station's master secret is kept, for the
    /// administrator's note in 管理 (admins only).
    pub fn key_location(&self, session: &crate::Session) -> Result<String> {
        crate::session::actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(regdesk_domain::staff::Permission::ManageSettings),
        )?;
        Ok(self.keys.home.to_string())
    }

    /// 导出恢复码 (admins only): the code that restores this data directory's
    /// key on another machine, e.g. with a restored backup. Whoever holds the
    /// code can read every backup, so each export is one journaled, audited
    /// command ([`KEY_EXPORT_COMMAND`]: the admin, the time, where the key is
    /// kept); the code itself is never journaled.
    pub fn key_recovery_code(&self, session: &crate::Session) -> Result<Zeroizing<String>> {
        let admin = crate::session::actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(regdesk_domain::staff::Permission::ManageSettings),
        )?;
        let home = self.keys.home.to_string();
        self.run(Some(admin.id()), KEY_EXPORT_COMMAND, |_tx, _now| {
            let change = crate::journal::Change {
                entity: "station",
                entity_id: self.station_id.clone(),
                version: 1,
                payload: serde_json::json!({ "key_home": home }),
            };
            Ok((change, ()))
        })?;
        Ok(self.keys.recovery_code())
    }
}
