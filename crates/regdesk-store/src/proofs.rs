//! Identity-proof scans on applicant profiles (身份证明文件): attached by the
//! counter clerk, marked checked against the original by a clerk (who, when),
//! removed with a record. Reviewers read them beside the filing.

use chrono::{DateTime, Utc};
use regdesk_domain::applicant::{check_proof_file, ProofKind};
use regdesk_domain::staff::Permission;
use regdesk_domain::FieldError;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::codes::{code, from_code};
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::Store;

/// 身份证明文件（显示用）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdentityProofView {
    pub id: String,
    pub applicant_id: String,
    pub file_id: String,
    pub file_name: String,
    pub mime: String,
    pub kind: ProofKind,
    pub kind_label: String,
    pub added_by_name: String,
    pub added_at: DateTime<Utc>,
    /// 核验人（与原件核对过的工作人员）；未核验时为空
    pub checked_by_name: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
}

/// 上传身份证明文件（文件已由 add_file 存入附件库）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AddProofInput {
    pub applicant_id: String,
    pub file_id: String,
    pub kind: ProofKind,
}

const SELECT: &str = "SELECT p.id, p.applicant_id, p.file_id, f.original_name, f.mime, p.kind,
        a.display_name, p.added_at, c.display_name, p.checked_at
     FROM applicant_proofs p
     JOIN files f ON f.id = p.file_id
     JOIN staff a ON a.id = p.added_by
     LEFT JOIN staff c ON c.id = p.checked_by";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(IdentityProofView, String)> {
    let kind_code: String = r.get(5)?;
    let kind = from_code("身份证明种类", &kind_code).unwrap_or(ProofKind::Other);
    Ok((
        IdentityProofView {
            id: r.get(0)?,
            applicant_id: r.get(1)?,
            file_id: r.get(2)?,
            file_name: r.get(3)?,
            mime: r.get(4)?,
            kind,
            kind_label: kind.label().to_string(),
            added_by_name: r.get(6)?,
            added_at: r.get(7)?,
            checked_by_name: r.get(8)?,
            checked_at: r.get(9)?,
        },
        kind_code,
    ))
}

fn load(conn: &Connection, id: &str) -> Result<IdentityProofView> {
    conn.query_row(
        &format!("{SELECT} WHERE p.id = ?1 AND p.removed_at IS NULL"),
        [id],
        read,
    )
    .optional()?
    .map(|(v, _)| v)
    .ok_or_else(|| StoreError::NotFound {
        what: "身份证明文件",
        id: id.to_string(),
    })
}

fn change(v: &IdentityProofView, extra: serde_json::Value) -> Change {
    let mut payload = json!({
        "applicant_id": v.applicant_id, "file_id": v.file_id, "kind": v.kind,
        "checked_at": v.checked_at,
    });
    if let (Some(o), Some(e)) = (payload.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    Change {
        entity: "applicant_proof",
        entity_id: v.id.clone(),
        version: 1,
        payload,
    }
}

impl Store {
    /// The profile's identity proofs, oldest first (removed ones are not listed).
    pub fn identity_proofs(&self, session: &Session, applicant_id: &str) -> Result<Vec<IdentityProofView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE p.applicant_id = ?1 AND p.removed_at IS NULL ORDER BY p.added_at, p.id"
        ))?;
        let rows = stmt
            .query_map([applicant_id], read)?
            .map(|r| r.map(|(v, _)| v))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// 上传身份证明文件：an image or PDF scan, attached to the profile, not yet checked.
    pub fn add_identity_proof(&self, session: &Session, input: &AddProofInput) -> Result<IdentityProofView> {
        let clerk = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageApplicants),
        )?;
        self.run(Some(clerk.id()), "add_identity_proof", |tx, now| {
            let known: bool = tx
                .query_row("SELECT 1 FROM applicants WHERE id = ?1", [&input.applicant_id], |_| {
                    Ok(())
                })
                .optional()?
                .is_some();
            if !known {
                return Err(StoreError::NotFound {
                    what: "用户信息",
                    id: input.applicant_id.clone(),
                });
            }
            let file: Option<(String, String)> = tx
                .query_row(
                    "SELECT original_name, mime FROM files WHERE id = ?1",
                    [&input.file_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((name, mime)) = file else {
                return Err(FieldError::new("file_id", "missing", "所选文件不在附件库中，请重新选择文件").into());
            };
            check_proof_file(&mime, &name)?;
            let id = uuid_v7(now).to_string();
            let kind = code(input.kind);
            tx.execute(
                "INSERT INTO applicant_proofs (id, applicant_id, file_id, kind, added_by, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, input.applicant_id, input.file_id, kind, clerk.id(), now],
            )?;
            let v = load(tx, &id)?;
            Ok((change(&v, json!({})), v))
        })
    }

    /// 标记已核验：the clerk has compared the scan with the original document.
    pub fn check_identity_proof(&self, session: &Session, id: &str) -> Result<IdentityProofView> {
        let clerk = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageApplicants),
        )?;
        self.run(Some(clerk.id()), "check_identity_proof", |tx, now| {
            let current = load(tx, id)?;
            if let (Some(by), Some(at)) = (&current.checked_by_name, current.checked_at) {
                return Err(StoreError::Refused {
                    code: "already_checked".into(),
                    message: format!(
                        "该文件已由{by}于{}核验，无需重复核验",
                        crate::office_date(at).format("%Y年%-m月%-d日")
                    ),
                });
            }
            tx.execute(
                "UPDATE applicant_proofs SET checked_by = ?2, checked_at = ?3 WHERE id = ?1",
                params![id, clerk.id(), now],
            )?;
            let v = load(tx, id)?;
            Ok((change(&v, json!({ "checked_by": clerk.id() })), v))
        })
    }

    /// 移除身份证明文件（上传错了）；the record stays in the journal and the table.
    pub fn remove_identity_proof(&self, session: &Session, id: &str) -> Result<()> {
        let clerk = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageApplicants),
        )?;
        self.run(Some(clerk.id()), "remove_identity_proof", |tx, now| {
            let current = load(tx, id)?;
            tx.execute(
                "UPDATE applicant_proofs SET removed_by = ?2, removed_at = ?3 WHERE id = ?1",
                params![id, clerk.id(), now],
            )?;
            Ok((
                change(&current, json!({ "removed_by": clerk.id(), "removed_at": now })),
                (),
            ))
        })
    }
}
