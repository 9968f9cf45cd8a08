//! The one office this server keeps (`office` table, made by `init` or `adopt`).

use regdesk_domain::office::{Office, OfficeInput};
use regdesk_sync::protocol::OfficeInfo;
use tokio_postgres::GenericClient;

#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("{0}")]
    Invalid(String),
    #[error("本服务器已建立登记机构“{name}”（{code}）：一台服务器只保存一个机构的记录")]
    Exists { name: String, code: String },
    #[error("数据库出错：{0}")]
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
