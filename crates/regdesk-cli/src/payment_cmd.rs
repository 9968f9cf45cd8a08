//! `regdesk payment import-statement`: a bank statement through the same store
//! command as the payments desk (preview with `--dry-run`).

use std::path::PathBuf;

use clap::Subcommand;
use regdesk_store::{ImportStatementInput, Session, StatementImportView, Store};
use serde_json::json;

use crate::Io;

#[derive(Subcommand, Debug)]
pub enum PaymentCmd {
    /// 导入银行流水（CSV：UTF-8 或 GBK；或 xlsx）。唯一精确匹配的入账自动登记为待核款（须另一人确认）。
    ImportStatement {
        file: PathBuf,
        /// 只预览匹配结果，不入账
        #[arg(long)]
        dry_run: bool,
        /// 每个数据行一行 JSON
        #[arg(long)]
        json: bool,
    },
}

/// One JSON object per data line of the statement.
pub fn lines_json(v: &StatementImportView) -> Vec<serde_json::Value> {
    v.lines
        .iter()
        .map(|l| {
            json!({
                "line": l.line,
                "date": l.date.format("%Y-%m-%d").to_string(),
                "payer": l.payer,
                "payer_account": l.payer_account,
                "amount_fen": l.amount_fen.unwrap_or(0),
                "reference": l.reference,
                "memo": l.memo,
                "decision": l.decision,
                "case": l.case_serial,
                "already_imported": l.already_imported,
            })
        })
        .collect()
}

pub fn payment(store: &Store, s: &Session, cmd: &PaymentCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        PaymentCmd::ImportStatement { file, dry_run, json } => {
            let input = ImportStatementInput {
                path: file.display().to_string(),
                dry_run: *dry_run,
            };
            let v = match store.import_statement(s, &input) {
                Ok(v) => v,
                Err(e) => {
                    let api = e.to_api();
                    let _ = writeln!(io.err, "{}", api.message);
                    for f in &api.fields {
                        let _ = writeln!(io.err, "  {}：{}", f.field, f.message);
                    }
                    return 1;
                }
            };
            if *json {
                for line in lines_json(&v) {
                    let _ = writeln!(io.out, "{line}");
                }
            } else {
                for l in &v.lines {
                    let amount = l.amount_fen.map(regdesk_domain::fee::format_yuan).unwrap_or_else(|| {
                        format!(
                            "支出 {}",
                            l.debit_fen.map(regdesk_domain::fee::format_yuan).unwrap_or_default()
                        )
                    });
                    let _ = writeln!(
                        io.out,
                        "第 {} 行 {} {} {} {}{}",
                        l.line,
                        l.date,
                        l.payer,
                        amount,
                        l.decision_label,
                        l.case_serial.as_deref().map(|c| format!(" → {c}")).unwrap_or_default()
                    );
                }
                let _ = writeln!(
                    io.out,
                    "{}：{}，自动登记 {} 笔，待人工处理 {} 笔，支出 {} 笔，此前已导入 {} 笔{}",
                    v.file_name,
                    v.format_label,
                    v.matched,
                    v.waiting,
                    v.ignored,
                    v.already_imported,
                    if v.dry_run { "（预览，未入账）" } else { "" }
                );
            }
            0
        }
    }
}
