//! Reads of full personal data (个人信息查阅): the reveal of a case's or a
//! profile's full ID numbers and address, the opening of an identity scan and
//! the printed application form each go through `Store::run` as one journal
//! entry (`view_personal_data`: who, when, which case or profile, what), so
//! the log is hash-chained with everything else and ships with the journal;
//! the admin lists it (查阅记录).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use regdesk_domain::privacy::PersonalDataView;
use regdesk_domain::staff::Permission;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::applicants::ApplicantView;
use crate::cases::CaseDetail;
use crate::error::{Result, StoreError};
use crate::journal::Change;
use crate::session::{actor, Session};
use crate::Store;

/// The journal command of a logged read.
pub(crate) const VIEW_COMMAND: &str = "view_personal_data";

/// 查阅记录一条：who read which full personal data, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccessLogEntry {
    pub seq: u32,
    pub at: DateTime<Utc>,
    pub staff_username: Option<String>,
    pub staff_name: Option<String>,
    pub what: PersonalDataView,
    pub what_label: String,
    pub case_id: Option<String>,
    /// 流水号
    pub serial: Option<String>,
    pub applicant_id: Option<String>,
    pub applicant_name: Option<String>,
    /// The scan's file name (identity scans).
    pub file_name: Option<String>,
}

/// 查阅记录查询：each filter optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AccessLogInput {
    /// 工作人员的登录名
    pub staff: Option<String>,
    /// 案件的流水号或编号
    pub case: Option<String>,
    /// 起始日期（含，本机构日期）
    pub from: Option<NaiveDate>,
    /// 截止日期（含）
    pub to: Option<NaiveDate>,
    /// 最多条数（1–1000，默认 200）
    pub limit: Option<u32>,
}

/// What one logged read names.
#[derive(Default)]
pub(crate) struct Viewed {
    pub case: Option<(String, String, i64)>,
    pub applicant: Option<(String, String, i64)>,
    pub file: Option<(String, String)>,
}

/// The journal entry of a read of `what`.
pub(crate) fn view_change(what: PersonalDataView, v: &Viewed) -> Change {
    let (entity, entity_id, version) = match (&v.case, &v.applicant, &v.file) {
        (Some((id, _, ver)), _, _) => ("case", id.clone(), *ver),
        (None, Some((id, _, ver)), _) => ("applicant", id.clone(), *ver),
        (None, None, Some((id, _))) => ("file", id.clone(), 1),
        (None, None, None) => ("file", String::new(), 1),
    };
    Change {
        entity,
        entity_id,
        version,
        payload: json!({
            "what": what.code(),
            "case_id": v.case.as_ref().map(|c| &c.0),
            "serial": v.case.as_ref().map(|c| &c.1),
            "applicant_id": v.applicant.as_ref().map(|a| &a.0),
            "applicant_name": v.applicant.as_ref().map(|a| &a.1),
            "file_id": v.file.as_ref().map(|f| &f.0),
            "file_name": v.file.as_ref().map(|f| &f.1),
        }),
    }
}

/// The profile and the most recent case a scan belongs to, if it is an
/// identity scan (a profile's identity proof, or a party's file in a filing).
fn scan_owners(conn: &Connection, file_id: &str) -> Result<Option<Viewed>> {
    let applicant: Option<(String, String, i64)> = conn
        .query_row(
            "SELECT a.id, a.name, a.version FROM applicant_proofs p JOIN applicants a ON a.id = p.applicant_id
             WHERE p.file_id = ?1 ORDER BY p.added_at DESC LIMIT 1",
            [file_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let case: Option<(String, String, i64)> = conn
        .query_row(
            "SELECT c.id, c.serial, c.version FROM case_identity_files f JOIN cases c ON c.id = f.case_id
             WHERE f.file_id = ?1 ORDER BY c.created_at DESC LIMIT 1",
            [file_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if applicant.is_none() && case.is_none() {
        return Ok(None);
    }
    Ok(Some(Viewed {
        case,
        applicant,
        file: None,
    }))
}

/// The first instant of an office date, in UTC.
fn office_midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::hours(i64::from(crate::OFFICE_UTC_OFFSET_HOURS))
}

impl Store {
    /// 显示完整号码：the case with its full ID numbers and postal address, for
    /// the desks that may see them; the read is logged.
    pub fn reveal_case(&self, session: &Session, key: &str) -> Result<CaseDetail> {
        self.full_case(session, key, PersonalDataView::FullIdentity)
    }

    /// 显示完整号码：a profile with its full ID number and postal address (the
    /// counter's edit form, filling a party from a profile); the read is logged.
    pub fn reveal_applicant(&self, session: &Session, id: &str) -> Result<ApplicantView> {
        let who = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ViewPersonalData),
        )?;
        self.run(Some(who.id()), VIEW_COMMAND, |tx, _| {
            let v = crate::applicants::load(tx, id)?;
            let viewed = Viewed {
                applicant: Some((v.id.clone(), v.name.clone(), v.version)),
                ..Viewed::default()
            };
            Ok((view_change(PersonalDataView::FullIdentity, &viewed), v))
        })
    }

    /// Before an identity scan is opened: refused to those who may not see
    /// it, logged for those who may. Other files pass untouched.
    pub(crate) fn log_scan_opened(&self, session: &Session, file_id: &str, file_name: &str) -> Result<()> {
        let (roles, staff_id, owners) = {
            let conn = self.conn();
            let who = actor(&conn, self.now(), Some(session), None)?;
            let owners = scan_owners(&conn, file_id)?;
            (who.roles.clone(), who.id().to_string(), owners)
        };
        let Some(mut viewed) = owners else {
            return Ok(());
        };
        regdesk_domain::privacy::require_full_view(&roles).map_err(|e| StoreError::Domain(e.into()))?;
        viewed.file = Some((file_id.to_string(), file_name.to_string()));
        self.run(Some(&staff_id), VIEW_COMMAND, |_, _| {
            Ok((view_change(PersonalDataView::IdentityScan, &viewed), ()))
        })
    }

    /// The full case for the printed application form (the applicant signs the
    /// paper): only the desks that may see full data; the print is logged.
    pub(crate) fn case_for_form(&self, session: &Session, key: &str) -> Result<CaseDetail> {
        self.full_case(session, key, PersonalDataView::ApplicationForm)
    }

    /// The case unmasked, for the desks that may see full data, with the read
    /// logged as `what` in the same transaction.
    fn full_case(&self, session: &Session, key: &str, what: PersonalDataView) -> Result<CaseDetail> {
        let who = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ViewPersonalData),
        )?;
        let mut d = self.run(Some(who.id()), VIEW_COMMAND, |tx, _| {
            let row = crate::cases::load(tx, key)?;
            let viewed = Viewed {
                case: Some((row.id.clone(), row.serial.clone(), row.version)),
                ..Viewed::default()
            };
            Ok((view_change(what, &viewed), crate::cases::detail_full(row)))
        })?;
        d.sync_inbox = crate::cases::inbox_count(&self.conn(), &d.id)?;
        crate::scope::mark_read_only(&self.conn(), &mut d)?;
        Ok(d)
    }

    /// 查阅记录（管理员、主管）：the reads of full personal data, newest
    /// first, filtered by person, case and office dates.
    pub fn access_log(&self, session: &Session, input: &AccessLogInput) -> Result<Vec<AccessLogEntry>> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), Some(Permission::ViewAudit))?;
        let mut sql = String::from(
            "SELECT j.seq, j.at, s.username, s.display_name, j.payload FROM journal j
             LEFT JOIN staff s ON s.id = j.staff_id WHERE j.command = ?1",
        );
        let mut params: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(VIEW_COMMAND)];
        if let Some(staff) = input.staff.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            params.push(Box::new(staff.to_lowercase()));
            sql.push_str(&format!(" AND s.username = ?{}", params.len()));
        }
        if let Some(case) = input.case.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            params.push(Box::new(case.to_string()));
            let n = params.len();
            params.push(Box::new(case.to_uppercase()));
            sql.push_str(&format!(
                " AND (json_extract(j.payload, '$.case_id') = ?{n} OR json_extract(j.payload, '$.serial') = ?{})",
                n + 1
            ));
        }
        if let (Some(from), Some(to)) = (input.from, input.to) {
            if from > to {
                return Err(StoreError::Invalid(vec![regdesk_domain::FieldError::new(
                    "from",
                    "order",
                    "起始日期不能晚于截止日期，请调换两个日期",
                )]));
            }
        }
        if let Some(from) = input.from {
            params.push(Box::new(office_midnight(from)));
            sql.push_str(&format!(" AND j.at >= ?{}", params.len()));
        }
        if let Some(to) = input.to {
            params.push(Box::new(office_midnight(to + Duration::days(1))));
            sql.push_str(&format!(" AND j.at < ?{}", params.len()));
        }
        let limit = input.limit.unwrap_or(200).clamp(1, 1000);
        sql.push_str(&format!(" ORDER BY j.seq DESC LIMIT {limit}"));
        let mut stmt = conn.prepare(&sql)?;
        let raw = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, DateTime<Utc>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raw.into_iter()
            .map(|(seq, at, username, name, payload)| {
                let p: serde_json::Value = serde_json::from_str(&payload)
                    .map_err(|e| StoreError::Corrupt(format!("查阅记录第 {seq} 条无法读取：{e}")))?;
                let text = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_string);
                let what = text("what")
                    .as_deref()
                    .and_then(PersonalDataView::from_code)
                    .ok_or_else(|| StoreError::Corrupt(format!("查阅记录第 {seq} 条的查阅内容无法识别")))?;
                Ok(AccessLogEntry {
                    seq,
                    at,
                    staff_username: username,
                    staff_name: name,
                    what,
                    what_label: what.label().to_string(),
                    case_id: text("case_id"),
                    serial: text("serial"),
                    applicant_id: text("applicant_id"),
                    applicant_name: text("applicant_name"),
                    file_name: text("file_name"),
                })
            })
            .collect()
    }
}
