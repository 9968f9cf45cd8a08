//! `regdesk filing import|template` (批量受理) and `regdesk register
//! import|counters|set-counter|find|revoke` (历史登记与登记号计数器): the same
//! store commands as the counter desk and the admin desk.

use std::path::PathBuf;

use clap::Subcommand;
use regdesk_domain::intake::RowProblem;
use regdesk_store::{
    FilingImportView, FindApplicantsInput, ImportFilingsInput, RegisterImportInput, RevokeHistoricInput, Session,
    SetCounterInput, Store, StoreError,
};
use serde_json::{json, Value};

use crate::Io;

#[derive(Subcommand, Debug)]
pub enum IntakeCmd {
    /// 批量受理：导入代理机构填写的模板（xlsx，或同样各列的 CSV，UTF-8 或 GBK），每行一件作品，
    /// 为一位申请人生成草稿；--files 为存放样本与证件扫描件的文件夹。有问题的行逐条列出（行号、列名、改法）且不生成草稿。
    ///
    /// Batch intake: import an agency's filled-in template (xlsx, or CSV in UTF-8 or GBK), one work per row, as drafts
    /// for one applicant; --files is the folder of samples and scans. Bad rows are named (line, column, fix) and make no draft.
    Import {
        file: PathBuf,
        /// 存放表格中所列文件的文件夹 / the folder holding the files the rows name
        #[arg(long)]
        files: PathBuf,
        /// 申请人：用户信息的编号，或能唯一找到它的名称、证件号 / the applicant: profile id, or a name or ID number finding exactly one
        #[arg(long)]
        applicant: String,
        /// 只检查并预览，不生成草稿 / check and preview only, make no drafts
        #[arg(long)]
        dry_run: bool,
        /// 每行一个 JSON 对象（含行号与问题） / one JSON object per row (line and problems)
        #[arg(long)]
        json: bool,
    },
    /// 下载批量受理模板（xlsx）。 / Save the batch intake template (xlsx).
    Template {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum RegisterCmd {
    /// 导入历史登记（管理员）：xlsx 或 CSV，列为 登记号、登记日期、作品名称、作品类别、著作权人、作者、创作完成日期、首次发表日期。
    /// 有问题的行逐条列出并跳过，其余一次导入；登记号计数器接着最大的号码往下编。
    ///
    /// Import the old register (admin): xlsx or CSV with registration number, date, title, category, owners, authors,
    /// completion and publication dates. Bad rows are named and skipped; counters continue after the highest number.
    Import {
        file: PathBuf,
        /// 只检查，不导入 / check only, import nothing
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// 登记号计数器：各前缀、年份、类别字母的下一个号码（管理员）。 / Registration counters: the next number per prefix, year and letter (admin).
    Counters {
        #[arg(long)]
        json: bool,
    },
    /// 设置计数器的下一个流水号（管理员），不得低于台账中已有的号码。 / Set a counter's next number (admin), never at or below a known number.
    SetCounter {
        #[arg(long)]
        prefix: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        letter: String,
        #[arg(long)]
        next: i64,
    },
    /// 查找历史登记（登记号、作品名称、著作权人或作者）。 / Find old registrations (number, title, owner or author).
    Find {
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// 撤销一条历史登记（管理员）。 / Revoke an old registration (admin).
    Revoke {
        number: String,
        /// refusal_ground_found_later | facts_mismatch | applicant_request | duplicate_registration
        #[arg(long)]
        ground: String,
        #[arg(long, default_value = "")]
        note: String,
    },
}

fn fail(io: &mut Io<'_>, e: &StoreError) -> u8 {
    let api = e.to_api();
    let _ = writeln!(io.err, "{}", api.message);
    for f in &api.fields {
        let _ = writeln!(io.err, "  {}：{}", f.field, f.message);
    }
    1
}

fn problems_out(io: &mut Io<'_>, problems: &[RowProblem]) {
    for p in problems {
        let _ = writeln!(io.err, "{p}");
    }
}

/// The applicant named by id, or by a name or ID number that finds exactly one profile.
fn applicant_id(store: &Store, s: &Session, key: &str) -> Result<String, String> {
    if let Ok(a) = store.applicant(s, key.trim()) {
        return Ok(a.id);
    }
    let found = store
        .find_applicants(
            s,
            &FindApplicantsInput {
                query: key.trim().to_string(),
                limit: 5,
            },
        )
        .map_err(|e| e.to_string())?;
    match found.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(format!("找不到申请人“{key}”，请先在窗口建立用户信息，或填写其编号")),
        many => Err(format!(
            "“{key}”对应多位申请人（{}），请填写编号或完整证件号",
            many.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join("、")
        )),
    }
}

/// One JSON object per row of the sheet.
pub fn rows_json(v: &FilingImportView) -> Vec<Value> {
    v.rows
        .iter()
        .map(|r| {
            json!({
                "line": r.line,
                "ok": r.problems.is_empty(),
                "title": r.title,
                "serial": r.serial,
                "case_id": r.case_id,
                "problems": r.problems.iter().map(|p| json!({
                    "line": p.line, "column": p.column, "code": p.code, "message": p.message,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

pub fn filing(store: &Store, s: &Session, cmd: &IntakeCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        IntakeCmd::Template { output } => match store.intake_template(s) {
            Ok(bytes) => match std::fs::write(output, bytes) {
                Ok(()) => {
                    let _ = writeln!(io.out, "已保存批量受理模板：{}", output.display());
                    0
                }
                Err(e) => {
                    let _ = writeln!(io.err, "无法写入 {}：{e}", output.display());
                    1
                }
            },
            Err(e) => fail(io, &e),
        },
        IntakeCmd::Import {
            file,
            files,
            applicant,
            dry_run,
            json,
        } => {
            let applicant_id = match applicant_id(store, s, applicant) {
                Ok(id) => id,
                Err(m) => {
                    let _ = writeln!(io.err, "{m}");
                    return 1;
                }
            };
            let input = ImportFilingsInput {
                path: file.display().to_string(),
                files_dir: files.display().to_string(),
                applicant_id,
                dry_run: *dry_run,
            };
            let v = match store.import_filings(s, &input, &|_| true) {
                Ok(v) => v,
                Err(e) => return fail(io, &e),
            };
            if !v.sheet_problems.is_empty() {
                if *json {
                    for p in &v.sheet_problems {
                        let _ = writeln!(io.out, "{}", json!({ "line": p.line, "ok": false, "problems": [p] }));
                    }
                }
                problems_out(io, &v.sheet_problems);
                return 1;
            }
            if *json {
                for line in rows_json(&v) {
                    let _ = writeln!(io.out, "{line}");
                }
            } else {
                for r in &v.rows {
                    match (&r.serial, r.problems.is_empty()) {
                        (Some(serial), _) => {
                            let _ = writeln!(io.out, "第 {} 行 {} → {serial}", r.line, r.title);
                        }
                        (None, true) => {
                            let _ = writeln!(io.out, "第 {} 行 {} 可以导入", r.line, r.title);
                        }
                        (None, false) => {}
                    }
                }
            }
            for r in &v.rows {
                problems_out(io, &r.problems);
            }
            let bad = v.rows.len() as u32 - v.good;
            let _ = writeln!(
                io.err,
                "{}：共 {} 行，可导入 {} 行，有问题 {} 行{}",
                v.file_name,
                v.rows.len(),
                v.good,
                bad,
                if v.dry_run {
                    "（预览，未生成草稿）".to_string()
                } else {
                    format!("；已为{}生成草稿 {} 件", v.applicant_name, v.created)
                }
            );
            u8::from(bad > 0 || v.cancelled)
        }
    }
}

pub fn register(store: &Store, s: &Session, cmd: &RegisterCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        RegisterCmd::Import { file, dry_run, json } => {
            let input = RegisterImportInput {
                path: file.display().to_string(),
                dry_run: *dry_run,
            };
            let v = match store.import_register(s, &input) {
                Ok(v) => v,
                Err(e) => return fail(io, &e),
            };
            if *json {
                for p in &v.problems {
                    let _ = writeln!(io.out, "{}", json!({ "line": p.line, "ok": false, "problem": p }));
                }
                let _ = writeln!(
                    io.out,
                    "{}",
                    json!({ "rows": v.rows, "imported": v.imported, "dry_run": v.dry_run, "counters": v.counters })
                );
            } else {
                for c in &v.counters {
                    let _ = writeln!(
                        io.out,
                        "{}-{}-{} 下一个流水号 {:08}",
                        c.prefix, c.year, c.letter, c.next
                    );
                }
            }
            problems_out(io, &v.problems);
            let _ = writeln!(
                io.err,
                "{}：共 {} 行，{} {} 行，有问题跳过 {} 行",
                v.file_name,
                v.rows,
                if v.dry_run { "可导入" } else { "已导入" },
                v.imported,
                v.rows - v.imported
            );
            u8::from(!v.problems.is_empty())
        }
        RegisterCmd::Counters { json } => match store.registration_counters(s) {
            Ok(cs) => {
                for c in &cs {
                    if *json {
                        let _ = writeln!(io.out, "{}", json!(c));
                    } else {
                        let _ = writeln!(
                            io.out,
                            "{}-{}-{}\t下一个 {:08}\t台账中最大 {:08}",
                            c.prefix, c.year, c.letter, c.next, c.highest_known
                        );
                    }
                }
                0
            }
            Err(e) => fail(io, &e),
        },
        RegisterCmd::SetCounter {
            prefix,
            year,
            letter,
            next,
        } => {
            let input = SetCounterInput {
                prefix: prefix.clone(),
                year: *year,
                letter: letter.clone(),
                next: *next,
            };
            match store.set_registration_counter(s, &input) {
                Ok(c) => {
                    let _ = writeln!(
                        io.out,
                        "{}-{}-{} 下一个流水号为 {:08}",
                        c.prefix, c.year, c.letter, c.next
                    );
                    0
                }
                Err(e) => fail(io, &e),
            }
        }
        RegisterCmd::Find { text, json } => match store.find_historic(s, text) {
            Ok(hits) => {
                for h in &hits {
                    if *json {
                        let _ = writeln!(io.out, "{}", json!(h));
                    } else {
                        let _ = writeln!(
                            io.out,
                            "{}\t{}\t{}\t{}\t{}{}",
                            h.number,
                            h.registered_on,
                            h.title,
                            h.category_label,
                            h.owners.join("、"),
                            if h.revoked { "\t已撤销" } else { "" }
                        );
                    }
                }
                0
            }
            Err(e) => fail(io, &e),
        },
        RegisterCmd::Revoke { number, ground, note } => {
            let Ok(ground) = serde_json::from_value::<regdesk_domain::lifecycle::RevocationGround>(Value::String(
                ground.trim().to_string(),
            )) else {
                let _ = writeln!(
                    io.err,
                    "未知撤销理由“{ground}”，可用：refusal_ground_found_later facts_mismatch applicant_request duplicate_registration"
                );
                return 2;
            };
            let input = RevokeHistoricInput {
                number: number.clone(),
                ground,
                note: note.clone(),
            };
            match store.revoke_historic(s, &input) {
                Ok(h) => {
                    let _ = writeln!(io.out, "已撤销历史登记：{} {}（{}）", h.number, h.title, ground.label());
                    0
                }
                Err(e) => fail(io, &e),
            }
        }
    }
}
