//! 一人一表（docs/DOMAIN.md §5）: where the office allows it
//! (`settings.batch_signing_form`, the admin's), the cases of one applicant
//! submitted together are signed with ONE paper form per signer covering every
//! case they sign. The form lists every case; the signed form's one scan is
//! recorded against each case as that signer's signature, in one command.
//! The rules (who signs which case, in which order) are the domain's
//! (`signature::batch_signers`, `batch_signature_places`).

use regdesk_domain::lifecycle::{CaseCommand, CaseState};
use regdesk_domain::privacy::mask_id;
use regdesk_domain::signature::{
    batch_signature_places, batch_signers, signing_sheet, BatchCase, BatchSigner, BatchSigningRefusal, SignatureMethod,
    SignerRef, SignerStatus,
};
use regdesk_domain::staff::{Desk, Permission};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::cases::{detail, draft_fingerprint, load, CaseDetail, Row};
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::Store;

/// 一人一表：the cases (by id or serial) signed together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchCasesInput {
    pub case_ids: Vec<String>,
}

/// 一人一表：one signer's form (printing it, or recording its scan).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchSignatureInput {
    pub case_ids: Vec<String>,
    /// The signer's place in the batch's signer list (from 1).
    pub signer: u32,
    /// The signed form's scan (a file added for 签章页扫描件); not needed to print.
    pub scan_ref: String,
}

/// 一人一表 of a batch, as the counter sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchSigningView {
    /// The office allows one form per signer for a batch.
    pub allowed: bool,
    /// Why these cases cannot be signed on one form each (the core's message), if so.
    pub problem: Option<String>,
    pub signers: Vec<BatchSignerView>,
}

/// One signer of a batch and where they stand in each case they sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchSignerView {
    /// Place in the batch's signer list (from 1).
    pub position: u32,
    pub name: String,
    pub guardian_name: Option<String>,
    /// The signing ID number, masked.
    pub id_number: String,
    pub cases: Vec<BatchSignerCaseView>,
    /// It is this signer's turn in every case they have still to sign: their form can be recorded now.
    pub may_sign_now: bool,
    /// They have signed every case of the batch they sign.
    pub signed_all: bool,
}

/// One case on a signer's batch form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchSignerCaseView {
    pub case_id: String,
    pub serial: String,
    pub title: String,
    pub status: SignerStatus,
    pub status_label: String,
}

/// 一人一表开关（管理员）。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchSigningSettingInput {
    /// The settings' version as read.
    #[ts(type = "number")]
    pub version: i64,
    pub allowed: bool,
}

pub(crate) fn batch_form_allowed(conn: &Connection) -> Result<bool> {
    Ok(crate::settings::load(conn)?.batch_signing_form)
}

fn refused(e: &BatchSigningRefusal) -> StoreError {
    StoreError::Refused {
        code: e.code().to_string(),
        message: e.to_string(),
    }
}

fn batch_case(r: &Row) -> BatchCase {
    BatchCase {
        serial: r.serial.clone(),
        applicant_id: r.applicant_id.clone(),
        awaiting_signatures: r.state == CaseState::AwaitingSignatures,
        signers: r.facts.signers.clone(),
        signatures: r.facts.signatures.clone(),
    }
}

fn role_of(place: SignerRef) -> String {
    match place {
        SignerRef::Owner { index } => format!("著作权人（第 {} 位）", index + 1),
        SignerRef::Writer => "执笔者".into(),
    }
}

/// The batch's cases, loaded in the order given, and its signers by the domain's rule.
fn batch(conn: &Connection, keys: &[String]) -> Result<(Vec<Row>, Vec<BatchCase>, Vec<BatchSigner>)> {
    let rows = keys.iter().map(|k| load(conn, k.trim())).collect::<Result<Vec<_>>>()?;
    let cases: Vec<BatchCase> = rows.iter().map(batch_case).collect();
    let signers = batch_signers(batch_form_allowed(conn)?, &cases).map_err(|e| refused(&e))?;
    Ok((rows, cases, signers))
}

impl Store {
    /// 一人一表：the batch's signers, each with the cases they sign and whether
    /// their form can be recorded now; a batch the rules refuse says why.
    pub fn batch_signing(&self, session: &Session, input: &BatchCasesInput) -> Result<BatchSigningView> {
        let conn = self.conn();
        actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Counter)),
        )?;
        let allowed = batch_form_allowed(&conn)?;
        let (rows, cases, signers) = match batch(&conn, &input.case_ids) {
            Ok(b) => b,
            Err(StoreError::Refused { message, .. }) => {
                return Ok(BatchSigningView {
                    allowed,
                    problem: Some(message),
                    signers: Vec::new(),
                })
            }
            Err(e) => return Err(e),
        };
        let views = signers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let position = i + 1;
                let lines: Vec<BatchSignerCaseView> = s
                    .places
                    .iter()
                    .zip(&rows)
                    .filter_map(|(place, r)| {
                        let place = (*place)?;
                        let sheet = signing_sheet(&r.facts.signers, &r.facts.signatures);
                        let status = sheet.iter().find(|l| l.signer.party == place)?.status;
                        Some(BatchSignerCaseView {
                            case_id: r.id.clone(),
                            serial: r.serial.clone(),
                            title: r.draft.work.title.trim().to_string(),
                            status,
                            status_label: status.label().to_string(),
                        })
                    })
                    .collect();
                BatchSignerView {
                    position: position as u32,
                    name: s.name.clone(),
                    guardian_name: s.guardian_name.clone(),
                    id_number: mask_id(None, &s.id_number),
                    may_sign_now: batch_signature_places(&signers, position, &cases).is_ok(),
                    signed_all: lines.iter().all(|l| l.status == SignerStatus::Signed),
                    cases: lines,
                }
            })
            .collect();
        Ok(BatchSigningView {
            allowed,
            problem: None,
            signers: views,
        })
    }

    /// 一人一表：one signer's form, listing every case of the batch they sign (PDF).
    pub fn batch_signing_form_pdf(&self, session: &Session, input: &BatchSignatureInput) -> Result<(String, Vec<u8>)> {
        let conn = self.conn();
        actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Counter)),
        )?;
        let (rows, _, signers) = batch(&conn, &input.case_ids)?;
        let position = input.signer as usize;
        let Some(s) = position.checked_sub(1).and_then(|i| signers.get(i)) else {
            return Err(refused(&BatchSigningRefusal::NoSuchSigner {
                position,
                count: signers.len(),
            }));
        };
        drop(conn);
        let office = self.office()?.map(|o| o.name).unwrap_or_default();
        let applicant = rows.first().map(|r| r.applicant_name.clone()).unwrap_or_default();
        let cases = s
            .places
            .iter()
            .zip(&rows)
            .filter_map(|(place, r)| {
                let place = (*place)?;
                Some(regdesk_print::BatchSigningCase {
                    serial: r.serial.clone(),
                    title: r.draft.work.title.trim().to_string(),
                    category: r.draft.work.category.map(|c| c.label().to_string()).unwrap_or_default(),
                    role: role_of(place),
                })
            })
            .collect();
        let pdf = regdesk_print::batch_signing_form(&regdesk_print::BatchSigningForm {
            office_name: office,
            applicant,
            signer_name: s.name.clone(),
            signer_id: s.id_number.clone(),
            guardian_name: s.guardian_name.clone(),
            cases,
            printed_on: crate::chinese_date(&regdesk_domain::work::PartialDate::full(self.office_today())),
        })
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((format!("签章表-一人一表-{}.pdf", s.name), pdf))
    }

    /// 一人一表：records one signer's signed form against every case of the
    /// batch they sign now (each must be their turn), the one scan on each;
    /// one command. Gives the cases after.
    pub fn record_batch_signature(&self, session: &Session, input: &BatchSignatureInput) -> Result<Vec<CaseDetail>> {
        let conn = self.conn();
        let clerk = actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Counter)),
        )?;
        let ctx = self.party_context(&conn)?;
        drop(conn);
        let scan = input.scan_ref.trim().to_string();
        self.run(Some(clerk.id()), "record_batch_signature", |tx, now| {
            let purpose: Option<Option<String>> = tx
                .query_row("SELECT purpose FROM files WHERE id = ?1", [&scan], |r| r.get(0))
                .optional()?;
            if purpose.flatten().as_deref() != Some("signed_form") {
                return Err(regdesk_domain::FieldError::new(
                    "scan_ref",
                    "file_purpose",
                    "请先扫描上传签好的签章表（签章页扫描件）",
                )
                .into());
            }
            let (rows, cases, signers) = batch(tx, &input.case_ids)?;
            let position = input.signer as usize;
            let places = batch_signature_places(&signers, position, &cases).map_err(|e| refused(&e))?;
            let mut rows: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
            let mut done = Vec::new();
            for (i, place) in places {
                let Some(row) = rows.get_mut(i).and_then(Option::take) else {
                    continue;
                };
                let cmd = CaseCommand::RecordSignature {
                    signer: place,
                    method: SignatureMethod::PaperScan { scan_ref: scan.clone() },
                    fingerprint: draft_fingerprint(&row.draft, &ctx),
                };
                let (_, row) = self.apply_case_row(tx, row, &cmd, &clerk, now)?;
                done.push(row);
            }
            let Some(signer) = position.checked_sub(1).and_then(|i| signers.get(i)) else {
                return Err(StoreError::Corrupt("批量签章人序号与签章人名单不符".into()));
            };
            let id = uuid_v7(now).to_string();
            let change = Change {
                entity: "batch_signature",
                entity_id: id,
                version: 1,
                payload: json!({
                    "signer": signer.name,
                    "position": position,
                    "scan_ref": scan,
                    "cases": done.iter().map(|r| r.serial.clone()).collect::<Vec<_>>(),
                }),
            };
            Ok((change, done.into_iter().map(detail).collect()))
        })
    }

    /// 一人一表开关（管理员）：whether a batch may be signed with one form per signer.
    pub fn set_batch_signing_form(&self, session: &Session, input: &BatchSigningSettingInput) -> Result<bool> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        self.run(Some(admin.id()), "set_batch_signing_form", |tx, _now| {
            let current = crate::settings::load(tx)?;
            StoreError::check_version("系统设置", input.version, current.version)?;
            tx.execute(
                "UPDATE settings SET batch_signing_form = ?1, version = version + 1 WHERE id = 1",
                [input.allowed],
            )?;
            let change = Change {
                entity: "settings",
                entity_id: "office".into(),
                version: current.version + 1,
                payload: json!({ "batch_signing_form": input.allowed }),
            };
            Ok((change, input.allowed))
        })
    }
}
