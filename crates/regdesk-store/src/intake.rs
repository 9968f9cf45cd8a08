//! 批量受理（docs/DOMAIN.md §4.1）: an agency's sheet of works, with a folder
//! of the files its rows name, becomes drafts for one applicant. Every row is
//! read and checked by the domain (`regdesk_domain::intake`: the filing rules
//! the wizard applies before signing); a preview (dry run) shows what would be
//! made and every problem by row, column and fix; the import then makes one
//! draft per good row, each in its own command — its files and the case in one
//! transaction, so a row is made whole or not at all — reporting progress and
//! stopping between rows when told. Bad rows are skipped and named.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use regdesk_domain::filing::FilingDraft;
use regdesk_domain::intake::{
    self, read_sheet, IntakeRow, PickList, RowProblem, SHEET_HELP, SHEET_VALUES, SHEET_WORKS,
};
use regdesk_domain::staff::{Desk, FilePurpose, Permission};
use regdesk_print::{TemplateColumn, TemplateList};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::error::{Result, StoreError};
use crate::files::{insert_file_row, StoredBlob};
use crate::session::{actor, Session};
use crate::Store;

/// 批量受理：表格、样本文件夹、申请人。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportFilingsInput {
    /// The filled-in template (xlsx) or a CSV of the same columns (UTF-8 or GBK).
    pub path: String,
    /// The folder holding the files the rows name.
    pub files_dir: String,
    /// The applicant every draft is made for (the agency's client, or the agency).
    pub applicant_id: String,
    /// Only check and preview.
    pub dry_run: bool,
}

/// 表格中的一件作品：预览与结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IntakeRowView {
    /// The row's number in the sheet.
    pub line: u32,
    pub title: String,
    pub category_label: String,
    /// 著作权人
    pub owners: Vec<String>,
    /// 作者
    pub authors: Vec<String>,
    /// Files the row names.
    pub files: Vec<String>,
    /// Every problem of the row (empty: the row is good).
    pub problems: Vec<RowProblem>,
    /// The draft made for it (after a real import).
    pub case_id: Option<String>,
    pub serial: Option<String>,
}

/// 批量受理的结果（或预览）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FilingImportView {
    pub file_name: String,
    pub applicant_name: String,
    pub dry_run: bool,
    /// Problems of the sheet as a whole (its header); then no row is read.
    pub sheet_problems: Vec<RowProblem>,
    pub rows: Vec<IntakeRowView>,
    /// Rows without a problem.
    pub good: u32,
    /// Drafts made.
    pub created: u32,
    /// The import was stopped (取消) before every good row was made.
    pub cancelled: bool,
}

/// 批量受理进度：已处理的行数与总行数。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct IntakeProgress {
    pub done: u32,
    pub total: u32,
}

/// 批量提交签章：one case's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchSubmitView {
    pub case_id: String,
    pub serial: String,
    /// Moved to 待签章.
    pub submitted: bool,
    /// Why not (every problem named), when not.
    pub message: String,
}

/// 批量提交签章：the cases (by id) to submit together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SubmitManyInput {
    pub case_ids: Vec<String>,
}

/// The names of the plain files in `dir` (not below it).
fn names_in(dir: &Path) -> Result<HashSet<String>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        StoreError::Invalid(vec![regdesk_domain::FieldError::new(
            "files_dir",
            "unreadable",
            format!("无法打开样本文件夹“{}”：{e}。请选择存放样本文件的文件夹", dir.display()),
        )])
    })?;
    let mut names = HashSet::new();
    for e in entries {
        let e = e?;
        if e.file_type()?.is_file() {
            names.insert(e.file_name().to_string_lossy().into_owned());
        }
    }
    Ok(names)
}

fn row_view(row: &IntakeRow) -> IntakeRowView {
    let d = &row.draft;
    IntakeRowView {
        line: row.line,
        title: d.work.title.clone(),
        category_label: d.work.category.map(|c| c.label().to_string()).unwrap_or_default(),
        owners: d.owners.iter().map(|o| o.name.clone()).collect(),
        authors: d.authors.iter().map(|a| a.name.clone()).collect(),
        files: row.files.iter().map(|f| f.name.clone()).collect(),
        problems: row.problems.clone(),
        case_id: None,
        serial: None,
    }
}

impl Store {
    /// 批量提交签章: each case submitted for signing by its own command, as it stands now
    /// (the batch was just made); a case the rules refuse is named with why, the others go on.
    pub fn submit_many_for_signing(&self, session: &Session, input: &SubmitManyInput) -> Result<Vec<BatchSubmitView>> {
        actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Counter)),
        )?;
        let mut out = Vec::new();
        for id in &input.case_ids {
            let (serial, version) = {
                let row = crate::cases::load(&self.conn(), id)?;
                (row.serial, row.version)
            };
            let done = self.submit_for_signing(
                session,
                &crate::CaseRef {
                    case_id: id.clone(),
                    version,
                },
            );
            out.push(match done {
                Ok(_) => BatchSubmitView {
                    case_id: id.clone(),
                    serial,
                    submitted: true,
                    message: String::new(),
                },
                Err(StoreError::Invalid(fields)) => BatchSubmitView {
                    case_id: id.clone(),
                    serial,
                    submitted: false,
                    message: fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"),
                },
                Err(e @ (StoreError::Refused { .. } | StoreError::Conflict { .. })) => BatchSubmitView {
                    case_id: id.clone(),
                    serial,
                    submitted: false,
                    message: e.to_string(),
                },
                Err(e) => return Err(e),
            });
        }
        Ok(out)
    }

    /// 批量受理模板（xlsx）: a column for every field of the filing, pick lists checked
    /// against the sheet of allowed values, and the instructions.
    pub fn intake_template(&self, session: &Session) -> Result<Vec<u8>> {
        let conn = self.conn();
        actor(
            &conn,
            self.now(),
            Some(session),
            Some(Permission::OpenDesk(Desk::Counter)),
        )?;
        let office: String = conn
            .query_row("SELECT name FROM office WHERE id = 1", [], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotSetUp)?;
        drop(conn);
        let lists: Vec<PickList> = PickList::ALL.to_vec();
        let columns: Vec<TemplateColumn> = intake::columns()
            .into_iter()
            .map(|c| TemplateColumn {
                list: c.pick.and_then(|p| lists.iter().position(|l| *l == p)),
                several: c.several,
                hint: c.hint.to_string(),
                header: c.header,
            })
            .collect();
        let lists: Vec<TemplateList> = lists
            .iter()
            .map(|l| TemplateList {
                title: l.title().to_string(),
                values: l.values().into_iter().map(str::to_string).collect(),
            })
            .collect();
        regdesk_print::intake_template(&office, [SHEET_WORKS, SHEET_VALUES, SHEET_HELP], &columns, &lists)
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// 批量受理（预览或导入）: see the module. `watch` hears after each row and stops the
    /// import when it answers `false` (rows made stay, each whole).
    pub fn import_filings(
        &self,
        session: &Session,
        input: &ImportFilingsInput,
        watch: &dyn Fn(IntakeProgress) -> bool,
    ) -> Result<FilingImportView> {
        let conn = self.conn();
        let now = self.now();
        let clerk = actor(&conn, now, Some(session), Some(Permission::OpenDesk(Desk::Counter)))?;
        for purpose in [FilePurpose::Sample, FilePurpose::IdentityProof] {
            actor(&conn, now, Some(session), Some(Permission::AttachFile(purpose)))?;
        }
        let applicant_name: String = conn
            .query_row(
                "SELECT name FROM applicants WHERE id = ?1",
                [input.applicant_id.trim()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::Invalid(vec![regdesk_domain::FieldError::new(
                    "applicant_id",
                    "not_found",
                    "请先选择申请人（代理公司的委托人或代理公司本身）",
                )])
            })?;
        let ctx = self.party_context(&conn)?;
        drop(conn);
        let dir = PathBuf::from(&input.files_dir);
        let present = names_in(&dir)?;
        let (file_name, table) = crate::register::read_rows(&input.path, Some(SHEET_WORKS))?;
        let mut view = FilingImportView {
            file_name,
            applicant_name,
            dry_run: input.dry_run,
            sheet_problems: Vec::new(),
            rows: Vec::new(),
            good: 0,
            created: 0,
            cancelled: false,
        };
        let (map, mut rows) = match read_sheet(&table) {
            Ok(x) => x,
            Err(p) => {
                view.sheet_problems = p;
                return Ok(view);
            }
        };
        for row in &mut rows {
            row.check(&map, &ctx, &|name| present.contains(name));
        }
        view.good = rows.iter().filter(|r| r.is_ok()).count() as u32;
        view.rows = rows.iter().map(row_view).collect();
        if input.dry_run {
            return Ok(view);
        }
        let total = view.good;
        let mut done = 0u32;
        // A file named in several rows is read and encrypted once (each row records its own).
        let mut blobs: HashMap<String, StoredBlob> = HashMap::new();
        for (row, shown) in rows.iter().zip(view.rows.iter_mut()) {
            if !row.is_ok() {
                continue;
            }
            if !watch(IntakeProgress { done, total }) {
                view.cancelled = true;
                break;
            }
            // A file gone from the folder since the check is named; the row is not made.
            let mut unreadable = None;
            for f in &row.files {
                if !blobs.contains_key(&f.name) {
                    match self.store_blob(&dir.join(&f.name)) {
                        Ok(blob) => {
                            blobs.insert(f.name.clone(), blob);
                        }
                        Err(StoreError::Invalid(e)) => {
                            unreadable = Some(RowProblem {
                                line: row.line,
                                column: f.column.clone(),
                                code: "unreadable".into(),
                                message: e.iter().map(|x| x.message.as_str()).collect::<Vec<_>>().join("；"),
                            });
                            break;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            if let Some(p) = unreadable {
                shown.problems.push(p);
                done += 1;
                watch(IntakeProgress { done, total });
                continue;
            }
            let made = self.run(Some(clerk.id()), "import_filing", |tx, now| {
                let mut ids: HashMap<String, String> = HashMap::new();
                for f in &row.files {
                    if ids.contains_key(&f.name) {
                        continue;
                    }
                    let blob = blobs
                        .get(&f.name)
                        .ok_or_else(|| StoreError::Corrupt(format!("文件“{}”未能存入附件库", f.name)))?;
                    let purpose = if f.slot.is_identity() {
                        FilePurpose::IdentityProof
                    } else {
                        FilePurpose::Sample
                    };
                    let file = insert_file_row(tx, clerk.id(), blob, purpose, now)?;
                    ids.insert(f.name.clone(), file.id);
                }
                let draft: FilingDraft = row.draft_with(&|name| ids.get(name).cloned().unwrap_or_default());
                let (mut change, case) =
                    self.insert_draft(tx, clerk.id(), Some(input.applicant_id.trim()), &draft, now)?;
                change.payload = json!({
                    "serial": case.serial,
                    "applicant_id": input.applicant_id.trim(),
                    "draft": draft,
                    "files": ids,
                    "sheet_line": row.line,
                });
                Ok((change, (case.id.clone(), case.serial.clone())))
            });
            match made {
                Ok((id, serial)) => {
                    shown.case_id = Some(id);
                    shown.serial = Some(serial);
                    view.created += 1;
                }
                // A row the store refuses (e.g. it changed meanwhile) is named, the rest go on.
                Err(e @ (StoreError::Invalid(_) | StoreError::Refused { .. } | StoreError::NotFound { .. })) => {
                    shown.problems.push(RowProblem {
                        line: row.line,
                        column: String::new(),
                        code: "refused".into(),
                        message: e.to_string(),
                    });
                }
                Err(e) => return Err(e),
            }
            done += 1;
            watch(IntakeProgress { done, total });
        }
        view.good = view.rows.iter().filter(|r| r.problems.is_empty()).count() as u32;
        Ok(view)
    }
}
