//! The one office this server keeps (`office` table, made by `init` or `adopt`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use regdesk_domain::error::FieldError;
use regdesk_domain::office::{Office, OfficeInput};
use regdesk_domain::staff::{self, Role};
use regdesk_sync::protocol::{Cell, OfficeInfo, Row};
use tokio_postgres::GenericClient;

#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("{0}")]
    Invalid(String),
    #[error("本服务器已建立登记机构“{name}”（{code}）：一台服务器只保存一个机构的记录")]
    Exists { name: String, code: String },
    #[error("数据库出错：{}", crate::pg_detail(.0))]
    Db(#[from] tokio_postgres::Error),
}

/// The office as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeRecord {
    pub id: String,
    pub code: String,
    pub name: String,
    pub prefix: String,
    pub province: String,
}

impl OfficeRecord {
    pub fn info(&self) -> OfficeInfo {
        OfficeInfo {
            office_id: self.id.clone(),
            code: self.code.clone(),
            name: self.name.clone(),
        }
    }
}

/// The office, if the server has one yet.
pub async fn get(client: &impl GenericClient) -> Result<Option<OfficeRecord>, tokio_postgres::Error> {
    let row = client
        .query_opt("SELECT id, code, name, prefix, province FROM office", &[])
        .await?;
    Ok(row.map(|r| OfficeRecord {
        id: r.get(0),
        code: r.get(1),
        name: r.get(2),
        prefix: r.get(3),
        province: r.get(4),
    }))
}

/// Checks the office's fields with the same rules a workstation's first start uses.
pub fn validate(input: &OfficeInput) -> Result<Office, OfficeError> {
    input.validate().map_err(|errs| {
        OfficeError::Invalid(
            errs.iter()
                .map(|e| format!("{}：{}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("；"),
        )
    })
}

/// Records the office (refused when the server has one already).
pub async fn create(client: &impl GenericClient, office: &Office, id: &str) -> Result<OfficeRecord, OfficeError> {
    if let Some(existing) = get(client).await? {
        return Err(OfficeError::Exists {
            name: existing.name,
            code: existing.code,
        });
    }
    client
        .execute(
            "INSERT INTO office (id, code, name, prefix, province) VALUES ($1, $2, $3, $4, $5)",
            &[
                &id,
                &office.office_code,
                &office.name,
                &office.reg_prefix,
                &office.province_code,
            ],
        )
        .await?;
    Ok(OfficeRecord {
        id: id.to_string(),
        code: office.office_code.clone(),
        name: office.name.clone(),
        prefix: office.reg_prefix.clone(),
        province: office.province_code.clone(),
    })
}

/// What `regdesk-server init` is given.
#[derive(Debug, Clone)]
pub struct InitInput {
    pub office: OfficeInput,
    pub admin_username: String,
    pub admin_name: String,
    pub admin_password: String,
}

/// A new office's first shared rows, in the row shapes a workstation's
/// database has after its first start (`Store::setup_office`): the office,
/// the settings with their defaults, and the first administrator. Each is
/// `(table, key, row)`, the key as the store writes it (JSON array of the
/// primary key).
#[derive(Debug, Clone)]
pub struct FirstRows {
    pub office: Office,
    pub admin_id: String,
    pub rows: Vec<(String, String, Row)>,
}

/// Hashes a password as the store does: Argon2id with the argon2 crate's
/// default parameters (m=19456 KiB, t=2, p=1), a random salt, PHC string.
pub fn hash_password(password: &str) -> Result<String, OfficeError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut rand_core::OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| OfficeError::Invalid(format!("密码哈希失败：{e}")))
}

/// Checks `input` with the rules of a workstation's first start and makes the
/// office's first rows; every problem is named at once.
pub fn first_rows(input: &InitInput, now: DateTime<Utc>) -> Result<FirstRows, OfficeError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let office = input.office.validate().map_err(|es| problems.extend(es)).ok();
    let username = staff::parse_username(&input.admin_username)
        .map_err(|e| problems.push(e))
        .ok();
    let name = staff::parse_display_name(&input.admin_name)
        .map_err(|e| problems.push(e))
        .ok();
    if let Err(e) = staff::check_password(
        "admin_password",
        &input.admin_password,
        username.as_deref().unwrap_or(&input.admin_username),
    ) {
        problems.push(e);
    }
    let (office, username, name) = match (office, username, name) {
        (Some(o), Some(u), Some(n)) if problems.is_empty() => (o, u, n),
        _ => {
            return Err(OfficeError::Invalid(
                problems
                    .iter()
                    .map(|e| format!("{}：{}", option_name(&e.field), e.message))
                    .collect::<Vec<_>>()
                    .join("；"),
            ))
        }
    };
    // The rows are made by a workstation's own first start, in a scratch
    // database that is then thrown away: the record starts with exactly the
    // rows (and row shapes, defaults included) every workstation has.
    let scratch = tempfile::tempdir().map_err(|e| OfficeError::Invalid(format!("临时目录：{e}")))?;
    let mut secret = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut secret);
    let keys = regdesk_store::keys::StationKeys::from_secret(
        secret,
        regdesk_store::keys::KeyHome::EnvFile(scratch.path().join("key")),
    );
    let store_error = |e: regdesk_store::StoreError| OfficeError::Invalid(e.to_string());
    let store =
        regdesk_store::Store::open_with_keys(scratch.path(), Arc::new(FixedClock(now)), keys).map_err(store_error)?;
    store
        .setup_office(&regdesk_store::SetupInput {
            office: input.office.clone(),
            station_name: "中心服务器".into(),
            admin: regdesk_store::NewStaffInput {
                username: username.clone(),
                display_name: name,
                roles: vec![Role::Admin],
                password: input.admin_password.clone(),
            },
        })
        .map_err(store_error)?;
    let mut rows = Vec::new();
    let mut admin_id = None;
    for r in store.shared_rows().map_err(store_error)? {
        if r.table == "staff" {
            let is_admin = r
                .row
                .iter()
                .any(|c| c.name == "username" && c.value == Cell::Text(username.clone()));
            if is_admin {
                admin_id = r.row.iter().find(|c| c.name == "id").and_then(|c| match &c.value {
                    Cell::Text(t) => Some(t.clone()),
                    _ => None,
                });
            }
        }
        rows.push((r.table, r.key, r.row));
    }
    drop(store);
    let admin_id = admin_id.ok_or_else(|| OfficeError::Invalid("首位管理员未能建立".into()))?;
    Ok(FirstRows { office, rows, admin_id })
}

/// The time `init` runs at, for the scratch workstation.
struct FixedClock(DateTime<Utc>);

impl regdesk_store::Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

fn option_name(field: &str) -> &str {
    match field {
        "name" => "--office-name",
        "office_code" => "--office-code",
        "reg_prefix" => "--reg-prefix",
        "province_code" => "--province",
        "username" => "--admin-username",
        "display_name" => "--admin-name",
        "admin_password" => "REGDESK_ADMIN_PASSWORD",
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHash, PasswordVerifier};

    fn input() -> InitInput {
        InitInput {
            office: OfficeInput {
                name: "浙江省版权局".into(),
                office_code: "zj".into(),
                reg_prefix: "浙作登字".into(),
                province_code: "33".into(),
            },
            admin_username: "admin".into(),
            admin_name: "周建国".into(),
            admin_password: "Banquan2026".into(),
        }
    }

    /// The columns of `table` in a workstation's database, in order, read
    /// from the store's migrations (CREATE TABLE, then each ADD COLUMN).
    fn station_columns(table: &str) -> Vec<String> {
        let sql = [
            include_str!("../../regdesk-store/src/migrations/001_foundation.sql"),
            include_str!("../../regdesk-store/src/migrations/003_case_settings.sql"),
            include_str!("../../regdesk-store/src/migrations/016_backups.sql"),
        ]
        .join("\n");
        let mut cols = Vec::new();
        let create = format!("CREATE TABLE {table} (");
        let start = sql.find(&create).unwrap() + create.len();
        let body = &sql[start..start + sql[start..].find(") STRICT").unwrap()];
        for line in body.lines() {
            let word = line.split_whitespace().next().unwrap_or("");
            if !word.is_empty() && !word.starts_with("--") && word.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                cols.push(word.to_string());
            }
        }
        let add = format!("ALTER TABLE {table} ADD COLUMN ");
        for line in sql.lines() {
            if let Some(rest) = line.strip_prefix(&add) {
                cols.push(rest.split_whitespace().next().unwrap().to_string());
            }
        }
        cols
    }

    #[test]
    fn the_first_rows_have_a_workstations_row_shapes() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-06T10:00:00.25Z")
            .unwrap()
            .to_utc();
        let first = first_rows(&input(), now).unwrap();
        assert_eq!(first.office.office_code, "ZJ");
        // What a workstation's first start makes, defaults included.
        let tables: Vec<&str> = first.rows.iter().map(|(t, _, _)| t.as_str()).collect();
        for t in ["office", "settings", "staff", "delivery_settings"] {
            assert!(tables.contains(&t), "{t} in {tables:?}");
        }
        for (table, key, row) in &first.rows {
            assert!(regdesk_sync::is_shared_table(table));
            assert!(key.starts_with('[') && key.ends_with(']'), "{key}");
            if table == "office" || table == "staff" {
                let names: Vec<String> = row.iter().map(|c| c.name.clone()).collect();
                let expected = station_columns(table);
                assert_eq!(names[..expected.len()], expected[..], "{table}");
            }
        }
        let row = |t: &str| first.rows.iter().find(|(table, _, _)| table == t).unwrap();
        assert_eq!(row("office").1, "[1]");
        assert_eq!(row("staff").1, format!("[\"{}\"]", first.admin_id));
        let staff = &row("staff").2;
        let get = |n: &str| staff.iter().find(|c| c.name == n).unwrap().value.clone();
        assert_eq!(get("roles"), Cell::Text("admin".into()));
        assert_eq!(get("created_at"), Cell::Text("2026-12-06 10:00:00.250+00:00".into()));
        // The hash is the store's: Argon2id, the default parameters, and it verifies.
        let Cell::Text(phc) = get("password_hash") else {
            panic!()
        };
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        let parsed = PasswordHash::new(&phc).unwrap();
        assert!(argon2::Argon2::default()
            .verify_password(b"Banquan2026", &parsed)
            .is_ok());
        assert!(argon2::Argon2::default().verify_password(b"wrong", &parsed).is_err());
        assert_eq!(uuid::Uuid::parse_str(&first.admin_id).unwrap().get_version_num(), 7);
    }

    #[test]
    fn every_problem_is_named_by_its_option() {
        let mut bad = input();
        bad.office.office_code = "浙".into();
        bad.office.province_code = "99".into();
        bad.admin_password = "short".into();
        let OfficeError::Invalid(message) = first_rows(&bad, Utc::now()).unwrap_err() else {
            panic!()
        };
        for option in ["--office-code", "--province", "REGDESK_ADMIN_PASSWORD"] {
            assert!(message.contains(option), "{message}");
        }
        assert!(!message.contains("--office-name"), "{message}");
    }
}
