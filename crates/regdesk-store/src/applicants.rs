//! Applicant profiles (用户信息) and the identity check behind the ID panel.

use chrono::{DateTime, NaiveDate, Utc};
use regdesk_domain::applicant::{
    check_category_change, id_consequences, mask_id_number, ApplicantCategory, ApplicantInput, IdConsequence,
};
use regdesk_domain::identity::{check, guess_type, DocumentType, IdentityDocument};
use regdesk_domain::staff::Permission;
use regdesk_domain::FieldError;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::codes::{code, from_code};
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::Store;

/// 用户信息（显示用）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApplicantView {
    pub id: String,
    pub category: ApplicantCategory,
    pub category_label: String,
    pub name: String,
    pub id_type: DocumentType,
    pub id_type_label: String,
    /// The number, masked by its kind (`privacy::mask_id`) unless `revealed`.
    pub id_number: String,
    /// 330106********1234, for lists.
    pub id_number_masked: String,
    pub pen_name: Option<String>,
    pub handler_name: String,
    pub handler_mobile: String,
    pub region: Option<String>,
    pub invoice_email: String,
    pub recipient_name: String,
    pub recipient_phone: String,
    /// Masked (`privacy::mask_address`) unless `revealed`.
    pub postal_address: String,
    /// `id_number` and `postal_address` are the full values: the counter's
    /// own save, or a logged read (`reveal_applicant`).
    pub revealed: bool,
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// 修改用户信息（类别不变）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UpdateApplicantInput {
    pub id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub applicant: ApplicantInput,
}

/// 修改用户类别（管理员，核实代理资质后）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChangeCategoryInput {
    pub id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub category: ApplicantCategory,
    pub reason: String,
}

/// 查找用户信息（姓名、证件号或手机号，边输边找）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FindApplicantsInput {
    pub query: String,
    pub limit: u32,
}

/// 证件核验请求：证件类型可不填（按号码形状推断）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdCheckInput {
    pub doc_type: Option<DocumentType>,
    pub number: String,
}

/// 证件核验提示一条。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsequenceView {
    pub code: IdConsequence,
    pub message: String,
}

/// 证件核验结果（ID 面板）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IdCheckView {
    pub doc_type: DocumentType,
    pub doc_type_label: String,
    pub valid: bool,
    pub error: Option<FieldError>,
    pub document: Option<IdentityDocument>,
    pub age: Option<u32>,
    pub sex_label: Option<String>,
    /// 浙江省 杭州市 西湖区
    pub region_text: Option<String>,
    pub warnings: Vec<String>,
    pub consequences: Vec<ConsequenceView>,
    /// A profile that already has this number.
    pub known_applicant: Option<ApplicantView>,
}

const COLS: &str =
    "id, category, name, id_type, id_number, pen_name, handler_name, handler_mobile, region, invoice_email,
     recipient_name, recipient_phone, postal_address, version, created_at, updated_at";

fn raw_row(r: &Row<'_>) -> rusqlite::Result<(String, String, String, String, ApplicantView)> {
    let category: String = r.get(1)?;
    let id_type: String = r.get(3)?;
    let id_number: String = r.get(4)?;
    Ok((
        category,
        id_type,
        id_number.clone(),
        String::new(),
        ApplicantView {
            id: r.get(0)?,
            category: ApplicantCategory::Individual,
            category_label: String::new(),
            name: r.get(2)?,
            id_type: DocumentType::Other,
            id_type_label: String::new(),
            id_number_masked: mask_id_number(&id_number),
            id_number,
            pen_name: r.get(5)?,
            handler_name: r.get(6)?,
            handler_mobile: r.get(7)?,
            region: r.get(8)?,
            invoice_email: r.get(9)?,
            recipient_name: r.get(10)?,
            recipient_phone: r.get(11)?,
            postal_address: r.get(12)?,
            revealed: true,
            version: r.get(13)?,
            created_at: r.get(14)?,
            updated_at: r.get(15)?,
        },
    ))
}

fn finish((category, id_type, _, _, mut v): (String, String, String, String, ApplicantView)) -> Result<ApplicantView> {
    v.category = from_code("申请人类别", &category)?;
    v.category_label = v.category.label().to_string();
    v.id_type = from_code("证件类型", &id_type)?;
    v.id_type_label = v.id_type.label().to_string();
    Ok(v)
}

/// The profile as views show it: ID number (by its kind) and address masked.
pub(crate) fn masked(mut v: ApplicantView) -> ApplicantView {
    if v.revealed {
        v.id_number = regdesk_domain::privacy::mask_id(Some(v.id_type), &v.id_number);
        v.postal_address = regdesk_domain::privacy::mask_address(&v.postal_address);
        v.revealed = false;
    }
    v
}

/// A profile in full (a logged read, or what the counter just saved).
pub(crate) fn load(conn: &Connection, id: &str) -> Result<ApplicantView> {
    let raw = conn
        .query_row(&format!("SELECT {COLS} FROM applicants WHERE id = ?1"), [id], raw_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "用户信息",
            id: id.to_string(),
        })?;
    finish(raw)
}

fn by_number(conn: &Connection, id_type: DocumentType, number: &str) -> Result<Option<ApplicantView>> {
    let raw = conn
        .query_row(
            &format!("SELECT {COLS} FROM applicants WHERE id_type = ?1 AND id_number = ?2"),
            params![code(id_type), number],
            raw_row,
        )
        .optional()?;
    raw.map(finish).transpose()
}

fn payload(v: &ApplicantView) -> serde_json::Value {
    json!({
        "category": v.category, "name": v.name, "id_type": v.id_type, "id_number": v.id_number,
        "pen_name": v.pen_name, "handler_name": v.handler_name, "handler_mobile": v.handler_mobile,
        "region": v.region, "invoice_email": v.invoice_email, "recipient_name": v.recipient_name,
        "recipient_phone": v.recipient_phone, "postal_address": v.postal_address,
    })
}

fn change(v: &ApplicantView, extra: serde_json::Value) -> Change {
    let mut p = payload(v);
    if let (Some(o), Some(e)) = (p.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    Change {
        entity: "applicant",
        entity_id: v.id.clone(),
        version: v.version,
        payload: p,
    }
}

/// A masked number or address sent back would overwrite the real one.
fn refuse_masked(input: &ApplicantInput) -> Result<()> {
    let errs = regdesk_domain::privacy::masked_in_applicant(&input.id_number, &input.postal_address);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errs))
    }
}

fn taken(existing: &ApplicantView) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(
        "id_number",
        "taken",
        format!(
            "该证件号已有用户信息（{}，{}），请直接选用该用户，不要重复建立",
            existing.name, existing.category_label
        ),
    )])
}

impl Store {
    /// Today in the office's time zone.
    pub fn office_today(&self) -> NaiveDate {
        crate::office_date(self.now())
    }

    /// 证件核验：validity, derived facts, what follows for a filing, and a known profile with this number.
    pub fn check_id(&self, session: &Session, input: &IdCheckInput) -> Result<IdCheckView> {
        let conn = self.conn();
        let who = actor(&conn, self.now(), Some(session), None)?;
        let province: String = conn
            .query_row("SELECT province_code FROM office WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotSetUp)?;
        let province_name = regdesk_domain::office::province_name(&province).unwrap_or("本省");
        let today = self.office_today();
        let doc_type = input.doc_type.unwrap_or_else(|| guess_type(&input.number));
        let base = IdCheckView {
            doc_type,
            doc_type_label: doc_type.label().to_string(),
            valid: false,
            error: None,
            document: None,
            age: None,
            sex_label: None,
            region_text: None,
            warnings: Vec::new(),
            consequences: Vec::new(),
            known_applicant: None,
        };
        match check(doc_type, &input.number, today) {
            Err(e) => Ok(IdCheckView {
                error: Some(e.to_field_error("id_number")),
                ..base
            }),
            Ok(doc) => {
                let region_text = doc.region().map(|r| {
                    [&r.province, &r.city, &r.county]
                        .into_iter()
                        .flatten()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                });
                // Whose number it is only for the desks that may see full numbers.
                let known = if regdesk_domain::privacy::may_see_full(&who.roles) {
                    by_number(&conn, doc_type, &doc.number)?.map(masked)
                } else {
                    None
                };
                Ok(IdCheckView {
                    valid: true,
                    age: doc.age_on(today),
                    sex_label: doc.person.as_ref().map(|p| p.sex.label().to_string()),
                    region_text: region_text.filter(|t| !t.is_empty()),
                    warnings: doc.warnings.iter().map(|w| w.message.clone()).collect(),
                    consequences: id_consequences(&doc, today, &province)
                        .into_iter()
                        .map(|c| ConsequenceView {
                            code: c,
                            message: c.message(province_name),
                        })
                        .collect(),
                    known_applicant: known,
                    document: Some(doc),
                    ..base
                })
            }
        }
    }

    /// 建立用户信息（窗口受理）。
    pub fn create_applicant(&self, session: &Session, input: &ApplicantInput) -> Result<ApplicantView> {
        let clerk = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageApplicants),
        )?;
        refuse_masked(input)?;
        let (a, _doc) = input.validate(self.office_today()).map_err(StoreError::Invalid)?;
        self.run(Some(clerk.id()), "create_applicant", |tx, now| {
            if let Some(existing) = by_number(tx, a.id_type, &a.id_number)? {
                return Err(taken(&existing));
            }
            let id = uuid_v7(now).to_string();
            tx.execute(
                &format!("INSERT INTO applicants ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1, ?14, ?14)"),
                params![
                    id,
                    code(a.category),
                    a.name,
                    code(a.id_type),
                    a.id_number,
                    a.pen_name,
                    a.handler_name,
                    a.handler_mobile,
                    a.region,
                    a.invoice_email,
                    a.recipient_name,
                    a.recipient_phone,
                    a.postal_address,
                    now
                ],
            )?;
            let v = load(tx, &id)?;
            Ok((change(&v, json!({})), v))
        })
    }

    /// 修改用户信息（窗口受理）；类别不能在这里改。
    pub fn update_applicant(&self, session: &Session, input: &UpdateApplicantInput) -> Result<ApplicantView> {
        let clerk = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageApplicants),
        )?;
        refuse_masked(&input.applicant)?;
        let (a, _doc) = input
            .applicant
            .validate(self.office_today())
            .map_err(StoreError::Invalid)?;
        self.run(Some(clerk.id()), "update_applicant", |tx, now| {
            let current = load(tx, &input.id)?;
            StoreError::check_version("该用户信息", input.version, current.version)?;
            if current.category != a.category {
                return Err(FieldError::new(
                    "category",
                    "fixed",
                    "用户类别选定后不可修改；核实代理资质后请管理员改为代理公司或代理律师",
                )
                .into());
            }
            if let Some(other) = by_number(tx, a.id_type, &a.id_number)?.filter(|o| o.id != current.id) {
                return Err(taken(&other));
            }
            tx.execute(
                "UPDATE applicants SET name = ?2, id_type = ?3, id_number = ?4, pen_name = ?5, handler_name = ?6,
                 handler_mobile = ?7, region = ?8, invoice_email = ?9, recipient_name = ?10, recipient_phone = ?11,
                 postal_address = ?12, version = version + 1, updated_at = ?13 WHERE id = ?1",
                params![
                    input.id,
                    a.name,
                    code(a.id_type),
                    a.id_number,
                    a.pen_name,
                    a.handler_name,
                    a.handler_mobile,
                    a.region,
                    a.invoice_email,
                    a.recipient_name,
                    a.recipient_phone,
                    a.postal_address,
                    now
                ],
            )?;
            let v = load(tx, &input.id)?;
            Ok((change(&v, json!({})), v))
        })
    }

    /// 修改用户类别为代理公司或代理律师（管理员，记录原因）。
    pub fn change_applicant_category(&self, session: &Session, input: &ChangeCategoryInput) -> Result<ApplicantView> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ChangeApplicantCategory),
        )?;
        self.run(Some(admin.id()), "change_applicant_category", |tx, now| {
            let current = load(tx, &input.id)?;
            StoreError::check_version("该用户信息", input.version, current.version)?;
            let reason = check_category_change(current.category, input.category, &input.reason)?;
            tx.execute(
                "UPDATE applicants SET category = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
                params![input.id, code(input.category), now],
            )?;
            let v = load(tx, &input.id)?;
            Ok((
                change(&v, json!({ "from": current.category, "reason": reason })),
                masked(v),
            ))
        })
    }

    /// 查找用户信息：by name (contains), ID number (contains, case-insensitive) or a mobile number.
    pub fn find_applicants(&self, session: &Session, input: &FindApplicantsInput) -> Result<Vec<ApplicantView>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), Some(Permission::ManageApplicants))?;
        let q = input.query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let like = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let upper = like.to_uppercase();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLS} FROM applicants
             WHERE name LIKE ?1 ESCAPE '\\' OR id_number LIKE ?2 ESCAPE '\\'
                OR handler_mobile LIKE ?1 ESCAPE '\\' OR recipient_phone LIKE ?1 ESCAPE '\\'
             ORDER BY (id_number = ?3) DESC, (name = ?4) DESC, updated_at DESC
             LIMIT ?5"
        ))?;
        let rows = stmt
            .query_map(
                params![like, upper, q.to_uppercase(), q, input.limit.clamp(1, 50)],
                raw_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(|r| finish(r).map(masked)).collect()
    }

    /// One profile, ID number and address masked (the full values: `reveal_applicant`).
    pub fn applicant(&self, session: &Session, id: &str) -> Result<ApplicantView> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), Some(Permission::ManageApplicants))?;
        load(&conn, id).map(masked)
    }
}
