//! Stations: one-time enrolment codes an administrator makes
//! (`station add`), enrolment with such a code (`POST /v1/enrol`), the
//! credential check of every later request, `station list` and `station revoke`.
//!
//! A code is 12 characters of Crockford's base32 (`7KQ2-M9XD-4TRB`, 60
//! random bits), valid once and for 24 hours; the server keeps only its
//! SHA-256. Failed attempts are counted per source address and in all
//! ([`FAILURES_PER_ADDRESS`], [`FAILURES_IN_ALL`] within [`FAILURE_WINDOW_MINUTES`]).

use std::net::IpAddr;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use rand_core::RngCore;
use regdesk_sync::protocol::{EnrolReply, EnrolRequest, ErrorCode};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio_postgres::GenericClient;

use crate::auth::{self, StationAuth};
use crate::http::ApiError;
use crate::office;

/// Failed enrolments from one address within the window before it is refused.
pub const FAILURES_PER_ADDRESS: i64 = 5;
/// Failed enrolments from all addresses within the window before every enrolment is refused.
pub const FAILURES_IN_ALL: i64 = 50;
/// The rate limit's window.
pub const FAILURE_WINDOW_MINUTES: i32 = 10;
/// How long an enrolment code is valid.
pub const CODE_TTL_SECS: i64 = 24 * 60 * 60;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, thiserror::Error)]
pub enum StationError {
    #[error("工作站名称不能为空，最多 40 个字（如 受理窗口2）")]
    BadName,
    #[error("已有名为“{0}”的工作站：请换一个名称，或先吊销原工作站（station revoke {0}）")]
    NameTaken(String),
    #[error("没有名为“{0}”的工作站或未使用的加入码：用 station list 查看现有工作站")]
    NoSuchStation(String),
    #[error("服务器尚未建立登记机构：请先运行 regdesk-server init（或 adopt）")]
    NoOffice,
    #[error("机构树中没有代码为“{code}”的机构（--office）：可用的有 {known}；下级机构须先在工作台的机构树中添加并同步到服务器")]
    NoSuchOffice { code: String, known: String },
    #[error("机构记录无法读取：{0}")]
    Record(String),
    #[error("数据库出错：{}", crate::pg_detail(.0))]
    Db(#[from] tokio_postgres::Error),
}

/// A code just made; the code itself is shown this once.
#[derive(Debug, Clone, Serialize)]
pub struct NewCode {
    pub station_name: String,
    /// The office of the tree the station will belong to (`None`: the top office).
    pub office_code: Option<String>,
    pub code: String,
    pub expires_at: DateTime<Utc>,
    pub ca_fingerprint: String,
}

/// A line of `station list`: an enrolled station, or a code not used yet.
#[derive(Debug, Clone, Serialize)]
pub struct StationListing {
    pub name: String,
    /// The office of the tree it belongs to (`None`: the top office).
    pub office_code: Option<String>,
    /// `enrolled`, `revoked` or `pending` (a code not used yet).
    pub status: &'static str,
    pub station_id: Option<String>,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub app_version: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<String>,
    /// For a pending code: when it expires.
    pub code_expires_at: Option<DateTime<Utc>>,
}

/// A new code in its display form (`XXXX-XXXX-XXXX`).
fn new_code() -> String {
    let mut bytes = [0u8; 12];
    rand_core::OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A typed code as it is hashed: capitals, no dashes or spaces, and the
/// letters one mistakes for digits read as those digits (O → 0, I and L → 1).
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

fn code_digest(typed: &str) -> String {
    hex::encode(Sha256::digest(normalize_code(typed).as_bytes()))
}

fn station_name(typed: &str) -> Result<String, StationError> {
    let name = typed.trim();
    if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
        return Err(StationError::BadName);
    }
    Ok(name.to_string())
}

/// Makes a one-time code for a station named `name`, valid `ttl_secs`; an
/// earlier unused code for the same name stops working.
pub async fn add_code(
    client: &mut tokio_postgres::Client,
    name: &str,
    made_by: &str,
    ttl_secs: i64,
    ca_fingerprint: &str,
) -> Result<NewCode, StationError> {
    add_code_for(client, name, None, made_by, ttl_secs, ca_fingerprint).await
}

/// As [`add_code`], for a station of `office` (a code of the record's office
/// tree, or the top office's own code; `None`: the top office).
pub async fn add_code_for(
    client: &mut tokio_postgres::Client,
    name: &str,
    office: Option<&str>,
    made_by: &str,
    ttl_secs: i64,
    ca_fingerprint: &str,
) -> Result<NewCode, StationError> {
    let tx = client.transaction().await?;
    let mut code = add_code_in(&tx, name, made_by, ttl_secs, ca_fingerprint).await?;
    if let Some(typed) = office.map(str::trim) {
        let tree = crate::record::office_tree(&tx)
            .await
            .map_err(|e| StationError::Record(e.to_string()))?;
        let (top, codes) = tree;
        let office_code = if typed == top || typed.is_empty() {
            None
        } else if codes.iter().any(|c| c == typed) {
            Some(typed.to_string())
        } else {
            let mut known = vec![format!("{top}（本机构）")];
            known.extend(codes);
            return Err(StationError::NoSuchOffice {
                code: typed.to_string(),
                known: known.join("、"),
            });
        };
        tx.execute(
            "UPDATE enrolment_codes SET office_code = $2 WHERE code_sha256 = $1",
            &[&code_digest(&code.code), &office_code],
        )
        .await?;
        code.office_code = office_code;
    }
    tx.commit().await?;
    Ok(code)
}

/// As [`add_code`], inside the caller's transaction (`adopt` makes the
/// adopted workstation's code with the office).
pub async fn add_code_in(
    tx: &tokio_postgres::Transaction<'_>,
    name: &str,
    made_by: &str,
    ttl_secs: i64,
    ca_fingerprint: &str,
) -> Result<NewCode, StationError> {
    let name = station_name(name)?;
    if office::get(tx).await?.is_none() {
        return Err(StationError::NoOffice);
    }
    let taken = tx
        .query_opt(
            "SELECT 1 FROM stations WHERE name = $1 AND revoked_at IS NULL",
            &[&name],
        )
        .await?;
    if taken.is_some() {
        return Err(StationError::NameTaken(name));
    }
    tx.execute(
        "UPDATE enrolment_codes SET expires_at = now()
          WHERE station_name = $1 AND used_at IS NULL AND expires_at > now()",
        &[&name],
    )
    .await?;
    let code = new_code();
    let ttl = f64::from(i32::try_from(ttl_secs.max(0)).unwrap_or(i32::MAX));
    let row = tx
        .query_one(
            "INSERT INTO enrolment_codes (code_sha256, station_name, made_by, expires_at)
             VALUES ($1, $2, $3, now() + make_interval(secs => $4))
             RETURNING expires_at",
            &[&code_digest(&code), &name, &made_by, &ttl],
        )
        .await?;
    Ok(NewCode {
        station_name: name,
        office_code: None,
        code,
        expires_at: row.get(0),
        ca_fingerprint: ca_fingerprint.to_string(),
    })
}

/// Every station, then every code not used and not expired.
pub async fn list(client: &impl GenericClient) -> Result<Vec<StationListing>, StationError> {
    let mut out = Vec::new();
    for r in client
        .query(
            "SELECT name, id, enrolled_at, last_seen_at, app_version, revoked_at, revoked_by, office_code
               FROM stations ORDER BY enrolled_at, name",
            &[],
        )
        .await?
    {
        let revoked_at: Option<DateTime<Utc>> = r.get(5);
        out.push(StationListing {
            name: r.get(0),
            office_code: r.get(7),
            status: if revoked_at.is_some() { "revoked" } else { "enrolled" },
            station_id: Some(r.get(1)),
            enrolled_at: Some(r.get(2)),
            last_seen_at: r.get(3),
            app_version: Some(r.get(4)),
            revoked_at,
            revoked_by: r.get(6),
            code_expires_at: None,
        });
    }
    for r in client
        .query(
            "SELECT station_name, expires_at, office_code FROM enrolment_codes
              WHERE used_at IS NULL AND expires_at > now() ORDER BY made_at",
            &[],
        )
        .await?
    {
        out.push(StationListing {
            name: r.get(0),
            office_code: r.get(2),
            status: "pending",
            station_id: None,
            enrolled_at: None,
            last_seen_at: None,
            app_version: None,
            revoked_at: None,
            revoked_by: None,
            code_expires_at: Some(r.get(1)),
        });
    }
    Ok(out)
}

/// What `station revoke` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revoked {
    /// Stations revoked (0: only an unused code was cancelled).
    pub stations: u64,
    /// Registration numbers the stations held unused, now `returned`.
    pub numbers_returned: u64,
}

/// Revokes the station named `name` (its later requests are refused) and
/// any unused code made for that name, in one transaction. The numbers it
/// held leased and unused become `returned`, so the next lease of their
/// series takes them first and the series stays dense (a revoked station can
/// never have an approval with them accepted).
pub async fn revoke(client: &mut tokio_postgres::Client, name: &str, by: &str) -> Result<Revoked, StationError> {
    let name = name.trim();
    let tx = client.transaction().await?;
    let ids: Vec<String> = tx
        .query(
            "UPDATE stations SET revoked_at = now(), revoked_by = $2
              WHERE name = $1 AND revoked_at IS NULL RETURNING id",
            &[&name, &by],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let codes = tx
        .execute(
            "UPDATE enrolment_codes SET expires_at = now()
              WHERE station_name = $1 AND used_at IS NULL AND expires_at > now()",
            &[&name],
        )
        .await?;
    if ids.is_empty() && codes == 0 {
        return Err(StationError::NoSuchStation(name.to_string()));
    }
    let numbers_returned = tx
        .execute(
            "UPDATE number_leases SET state = 'returned', changed_at = now(),
                    reason = '工作站“' || $2 || '”已吊销，未用的号码收回'
              WHERE station_id = ANY($1) AND state = 'leased'",
            &[&ids, &name],
        )
        .await?;
    tx.commit().await?;
    Ok(Revoked {
        stations: ids.len() as u64,
        numbers_returned,
    })
}

fn refused(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, ErrorCode::EnrolmentRefused, message)
}

fn rate_limited() -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::RateLimited,
        format!("加入码错误次数过多：请 {FAILURE_WINDOW_MINUTES} 分钟后再试，并核对管理员给出的加入码"),
    )
}

/// Counts a failed attempt from `ip` (outside any transaction, so it stays).
async fn note_failure(client: &impl GenericClient, ip: IpAddr) -> Result<(), ApiError> {
    client
        .execute("INSERT INTO enrol_failures (scope) VALUES ($1)", &[&format!("ip:{ip}")])
        .await?;
    Ok(())
}

async fn over_limit(client: &impl GenericClient, ip: IpAddr) -> Result<bool, ApiError> {
    let row = client
        .query_one(
            "SELECT count(*) FILTER (WHERE scope = $1), count(*)
               FROM enrol_failures WHERE at > now() - make_interval(mins => $2)",
            &[&format!("ip:{ip}"), &FAILURE_WINDOW_MINUTES],
        )
        .await?;
    let (here, all): (i64, i64) = (row.get(0), row.get(1));
    Ok(here >= FAILURES_PER_ADDRESS || all >= FAILURES_IN_ALL)
}

/// Enrols a station with a one-time code: checks the rate limit, the code
/// (known, unused, not expired) and the station, then records the station
/// with its new credential and marks the code used, in one transaction.
pub async fn enrol(
    client: &mut tokio_postgres::Client,
    request: &EnrolRequest,
    ip: IpAddr,
    ca_fingerprint: &str,
) -> Result<EnrolReply, ApiError> {
    if over_limit(&*client, ip).await? {
        return Err(rate_limited());
    }
    let station_id = match uuid::Uuid::parse_str(request.station_id.trim()) {
        Ok(id) => id.to_string(),
        Err(_) => {
            return Err(ApiError::bad_request(
                "工作站编号（station_id）应为本工作站数据库的 UUID：请使用 RegDesk 工作台程序加入",
            ))
        }
    };
    let app_version = request.app_version.trim();
    if app_version.is_empty() || app_version.len() > 64 {
        return Err(ApiError::bad_request(
            "请求没有注明程序版本（app_version）：请使用 RegDesk 工作台程序加入",
        ));
    }
    let tx = client.transaction().await?;
    let office = office::get(&tx).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::Unavailable,
            "服务器尚未建立登记机构：请管理员先在服务器上运行 regdesk-server init",
        )
    })?;
    let code = tx
        .query_opt(
            "SELECT station_name, used_at IS NOT NULL, expires_at <= now(), office_code
               FROM enrolment_codes WHERE code_sha256 = $1 FOR UPDATE",
            &[&code_digest(&request.code)],
        )
        .await?;
    let failure = match &code {
        None => Some("加入码不正确：请核对管理员给出的加入码（形如 7KQ2-M9XD-4TRB）"),
        Some(r) if r.get::<_, bool>(1) => {
            Some("这个加入码已经用过：每个加入码只能用一次，请管理员重新生成（station add）")
        }
        Some(r) if r.get::<_, bool>(2) => Some("这个加入码已过期（有效期 24 小时）：请管理员重新生成（station add）"),
        Some(_) => None,
    };
    if let Some(message) = failure {
        tx.rollback().await?;
        note_failure(&*client, ip).await?;
        return Err(refused(message));
    }
    let station_name: String = code.as_ref().map(|r| r.get(0)).unwrap_or_default();
    let office_code: Option<String> = code.as_ref().and_then(|r| r.get(3));
    let known = tx
        .query_opt(
            "SELECT revoked_at IS NOT NULL FROM stations WHERE id = $1",
            &[&station_id],
        )
        .await?;
    if let Some(r) = known {
        let message = if r.get::<_, bool>(0) {
            "本工作站已被吊销，不能再次加入：请用新的数据目录建立工作站后再加入"
        } else {
            "本工作站已经加入过本机构：无需再次加入；若凭据丢失，请管理员吊销后用新的数据目录加入"
        };
        return Err(refused(message));
    }
    let name_taken = tx
        .query_opt(
            "SELECT 1 FROM stations WHERE name = $1 AND revoked_at IS NULL",
            &[&station_name],
        )
        .await?;
    if name_taken.is_some() {
        return Err(refused(format!(
            "已有名为“{station_name}”的工作站：请管理员先吊销它，或用另一个名称重新生成加入码"
        )));
    }
    let (credential, digest) = auth::new_credential(&station_id);
    tx.execute(
        "INSERT INTO stations (id, name, office_id, credential_sha256, app_version, last_seen_at, office_code)
         VALUES ($1, $2, $3, $4, $5, now(), $6)",
        &[&station_id, &station_name, &office.id, &digest, &app_version, &office_code],
    )
    .await
    .map_err(|e| {
        // Two enrolments at once under one station id or one name: the second is refused.
        if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) {
            refused(format!(
                "工作站“{station_name}”或本工作站的编号刚刚已加入：请用 station list 查看，必要时请管理员吊销后重新生成加入码"
            ))
        } else {
            ApiError::from(e)
        }
    })?;
    tx.execute(
        "UPDATE enrolment_codes SET used_at = now(), used_by = $2 WHERE code_sha256 = $1",
        &[&code_digest(&request.code), &station_id],
    )
    .await?;
    tx.commit().await?;
    tracing::info!(station = %station_id, name = %station_name, "station enrolled");
    Ok(EnrolReply {
        station_id,
        station_name,
        credential,
        office: office.info(),
        ca_fingerprint: ca_fingerprint.to_string(),
        office_code,
    })
}

/// The station a credential names, and whether its `last_seen_at` (to the
/// half minute) or app version ($2, `''`: not stated) is to be written.
const STATION: &str = "SELECT name, office_id, credential_sha256, revoked_at IS NOT NULL, office_code,
        last_seen_at IS NULL OR last_seen_at < now() - interval '30 seconds'
        OR ($2 <> '' AND app_version IS DISTINCT FROM $2)
   FROM stations WHERE id = $1";

/// Marks a station seen, with the app version it states ($2, `''`: keep the last).
const SEEN: &str = "UPDATE stations SET last_seen_at = now(),
        app_version = CASE WHEN $2 = '' THEN app_version ELSE $2 END
  WHERE id = $1";

/// The station an `Authorization` header names, if its credential is right
/// and it is not revoked; marks it seen (and its app version).
pub async fn authenticate(
    client: &deadpool_postgres::ClientWrapper,
    header: &str,
    app_version: &str,
) -> Result<StationAuth, ApiError> {
    let unknown =
        || ApiError::unauthenticated("工作站凭据无效：请在本工作站重新加入机构（sync enrol），或请管理员核对");
    let (id, secret) = auth::parse_bearer(header).ok_or_else(unknown)?;
    let app_version = app_version.trim();
    // Every request of every station comes through here: both statements are
    // prepared once per pooled connection.
    let station = client.prepare_cached(STATION).await?;
    let row = client
        .query_opt(&station, &[&id, &app_version])
        .await?
        .ok_or_else(unknown)?;
    let stored: String = row.get(2);
    if !auth::digests_equal(&auth::secret_digest(secret), &stored) {
        return Err(unknown());
    }
    if row.get::<_, bool>(3) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::StationRevoked,
            "本工作站已被管理员吊销，不能再同步：本机数据仍可查看，如需恢复请联系管理员",
        ));
    }
    // When the station was last seen, to the half minute: a request of a
    // station seen within the last 30 s with the same app version writes
    // nothing (no commit to flush to disk on every push and pull, and no
    // second statement).
    if row.get::<_, bool>(5) {
        let seen = client.prepare_cached(SEEN).await?;
        client.execute(&seen, &[&id, &app_version]).await?;
    }
    Ok(StationAuth {
        station_id: id.to_string(),
        station_name: row.get(0),
        office_id: row.get(1),
        office_code: row.get(4),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_the_same_however_they_are_typed() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        assert!(normalize_code(&code).chars().all(|c| ALPHABET.contains(&(c as u8))));
        assert_eq!(normalize_code(" 7kq2-m9xd 4trb "), "7KQ2M9XD4TRB");
        assert_eq!(normalize_code("O1LI"), "0111");
        assert_eq!(code_digest(&code.to_lowercase()), code_digest(&code));
        assert_ne!(new_code(), code);
    }

    #[test]
    fn station_names_are_trimmed_and_bounded() {
        assert_eq!(station_name(" 受理窗口2 ").unwrap(), "受理窗口2");
        assert!(station_name("  ").is_err());
        assert!(station_name(&"站".repeat(41)).is_err());
        assert!(station_name("a\u{7}b").is_err());
    }
}
