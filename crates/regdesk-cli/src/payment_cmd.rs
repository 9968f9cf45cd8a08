//! `regdesk payment …`: the payments desk (核款台) through its store commands:
//! a bank statement (preview with `--dry-run`), the payment method, payments
//! recorded by one finance person and checked by another, refunds.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use clap::Subcommand;
use regdesk_domain::fee::format_yuan;
use regdesk_domain::lifecycle::PaymentMethod;
use regdesk_domain::payment::{RefundInput, RefundMethod, TransferCommand, TransferInput, TransferState};
use regdesk_domain::staff::FilePurpose;
use regdesk_store::{
    ChangeMethodInput, CheckTransferInput, ChooseMethodInput, DayReportInput, DismissLineInput, ExportKind,
    ImportStatementInput, MarkInvoicesInput, PaymentCasesInput, RecordRefundInput, RecordTransferInput,
    ResolveLineInput, Session, ShareInput, StatementImportView, Store, TransferView, TransfersInput,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::desk_io::{case_at, emit, refused};
use crate::filing_cmd::case_out;
use crate::Io;

#[derive(Subcommand, Debug)]
pub enum PaymentCmd {
    /// 导入银行流水（CSV：UTF-8 或 GBK；或 xlsx）。唯一精确匹配的入账自动登记为待核款（须另一人确认）。 / Import a bank statement (CSV in UTF-8 or GBK, or xlsx); unique exact matches are recorded for another person to check.
    ImportStatement {
        file: PathBuf,
        /// 只预览匹配结果，不入账
        #[arg(long)]
        dry_run: bool,
        /// 每个数据行一行 JSON
        #[arg(long)]
        json: bool,
    },
    /// 待缴费、待核款的案件：应缴、已登记、尚差、可用的缴费方式。
    ///
    /// Cases to pay or to check: owed, covered, short, the methods they take.
    Cases {
        /// 流水号、作品名称或申请人 / serial, title or applicant
        #[arg(long)]
        search: Option<String>,
        /// 每件一行 JSON / one JSON object per case
        #[arg(long)]
        json: bool,
    },
    /// 选定缴费方式（一经选定不可更改）：online bank_transfer alipay_transfer。
    ///
    /// Choose the payment method (final once chosen): online, bank_transfer, alipay_transfer.
    ChooseMethod {
        /// 流水号 / serial
        serial: String,
        #[arg(long)]
        method: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 登记付款（制单）：线下转账，或在线支付（--method online，--reference 为平台交易号）；
    /// 一笔可分给多件作品（--case 流水号=金额分，可重复；只有一件时可省略金额）。须由另一位核款人员用
    /// payment check 确认。
    ///
    /// Record a payment (maker): a transfer, or an online payment (--method online, --reference = the
    /// platform's transaction number); one payment may cover several cases (--case SERIAL=FEN, repeated;
    /// the amount may be left out for a single case). Another finance person confirms it with payment check.
    RecordTransfer {
        /// bank_transfer（默认） alipay_transfer online
        #[arg(long, default_value = "bank_transfer")]
        method: String,
        /// 付款人（户名） / payer
        #[arg(long)]
        payer: String,
        /// 付款账号（可选） / payer's account (optional)
        #[arg(long, default_value = "")]
        account: String,
        /// 付款银行（可选） / payer's bank (optional)
        #[arg(long, default_value = "")]
        bank: String,
        /// 到账金额（分） / amount received, in fen
        #[arg(long)]
        amount_fen: i64,
        /// 到账时间，如 2026-12-06 10:30 / received at (office time)
        #[arg(long, value_parser = parse_received_at)]
        received_at: NaiveDateTime,
        /// 转账流水号或凭证号；在线支付为平台交易号 / transfer or platform reference
        #[arg(long)]
        reference: String,
        /// 用途或附言（可选） / purpose or memo (optional)
        #[arg(long, default_value = "")]
        purpose: String,
        /// 付款回单扫描件（可选） / receipt scan (optional)
        #[arg(long)]
        receipt: Option<PathBuf>,
        /// 流水号=金额（分），可重复 / SERIAL=FEN, repeatable
        #[arg(long = "case", required = true)]
        cases: Vec<String>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 核款（审核）：另一位核款人员 --confirm 确认收款，或 --reject 原因 退回；登记人不能审核自己登记的付款。
    ///
    /// Check a payment (checker): --confirm, or --reject REASON; whoever recorded it may not check it.
    Check {
        /// 付款记录编号（payment transfers 给出） / payment id (from payment transfers)
        id: String,
        /// 确认收款 / confirm
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        confirm: bool,
        /// 退回原因 / reason for rejecting
        #[arg(long)]
        reject: Option<String>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 付款记录（待核款在前，最近 200 笔）：--state recorded confirmed rejected。
    ///
    /// Recorded payments (to check first, the latest 200).
    Transfers {
        /// recorded confirmed rejected
        #[arg(long)]
        state: Option<String>,
        /// 每笔一行 JSON / one JSON object per payment
        #[arg(long)]
        json: bool,
    },
    /// 应退费的案件。 / Cases owed a refund.
    RefundsDue {
        /// 每件一行 JSON / one JSON object per case
        #[arg(long)]
        json: bool,
    },
    /// 登记退费：--method bank_transfer alipay online（原路退回，限在线支付），金额须等于应退金额。
    ///
    /// Record a refund: the method, the amount owed (in fen), the reference and the date.
    Refund {
        /// 流水号 / serial
        serial: String,
        /// bank_transfer alipay online
        #[arg(long)]
        method: String,
        /// 退费金额（分） / amount in fen
        #[arg(long)]
        amount_fen: i64,
        /// 退费流水号 / refund reference
        #[arg(long)]
        reference: String,
        /// 退费日期，如 2026-12-06 / refund date
        #[arg(long)]
        on: NaiveDate,
    },
    /// 更改缴费方式（管理员，须写明原因；已有未退回的付款登记时不能更改）。
    ///
    /// Change a case's payment method (admin, with a reason).
    ChangeMethod {
        /// 流水号 / serial
        serial: String,
        /// online bank_transfer alipay_transfer
        #[arg(long)]
        method: String,
        /// 原因 / reason
        #[arg(long)]
        reason: String,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 待人工处理的银行流水行（导入时未能唯一匹配的入账）及其候选。
    ///
    /// Statement lines waiting for a person (no unique match on import), with candidates.
    StatementLines {
        /// 每行一行 JSON / one JSON object per line
        #[arg(long)]
        json: bool,
    },
    /// 处理一行流水：分配到案件，登记为付款（待另一人确认）；--case 流水号=金额分，可重复。
    ///
    /// Resolve a statement line: allot it to cases as a recorded payment (--case SERIAL=FEN, repeated).
    ResolveLine {
        /// 流水行编号（statement-lines 给出） / line id
        line: String,
        /// 流水号=金额（分） / SERIAL=FEN
        #[arg(long = "case", required = true)]
        cases: Vec<String>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 说明一行流水不是登记费，不再等待处理。
    ///
    /// Dismiss a statement line that is not a registration fee, with a note.
    DismissLine {
        /// 流水行编号 / line id
        line: String,
        /// 说明 / note
        #[arg(long)]
        note: String,
    },
    /// 待开电子发票的已缴费案件。
    ///
    /// Paid cases waiting for their e-invoice.
    InvoicesDue {
        /// 每件一行 JSON / one JSON object per case
        #[arg(long)]
        json: bool,
    },
    /// 标记已开电子发票：发票号码与案件（流水号，可重复）。
    ///
    /// Mark cases as invoiced: the invoice number and the cases (serials, repeated).
    MarkInvoiced {
        /// 发票号码 / invoice number
        #[arg(long)]
        invoice_number: String,
        /// 流水号 / serial
        #[arg(long = "case", required = true)]
        cases: Vec<String>,
    },
    /// 收费日报：按日、按缴费方式的到账、确认、退回、待核、退费（默认今天）。
    ///
    /// The day report of fees, per day and method (default: today).
    DayReport {
        /// 起始日期 / from
        #[arg(long)]
        from: Option<NaiveDate>,
        /// 截止日期 / to
        #[arg(long)]
        to: Option<NaiveDate>,
        /// 每行一行 JSON，最后一行为合计 / one JSON object per line, the totals last
        #[arg(long)]
        json: bool,
    },
    /// 导出文件：invoice-list（开票清单 xlsx）、day-report-pdf、day-report-xlsx。
    ///
    /// Export the invoice list (xlsx) or the day report (PDF or xlsx) to a file.
    Export {
        /// invoice_list_xlsx day_report_pdf day_report_xlsx
        kind: String,
        /// 输出文件 / output file
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 日报起始日期（默认今天） / report from (default today)
        #[arg(long)]
        from: Option<NaiveDate>,
        /// 日报截止日期（默认今天） / report to (default today)
        #[arg(long)]
        to: Option<NaiveDate>,
    },
}

/// A time as typed: `2026-12-06 10:30`, `2026-12-06 10:30:00` or `2026-12-06T10:30:00`.
fn parse_received_at(s: &str) -> Result<NaiveDateTime, String> {
    let t = s.trim();
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .ok_or_else(|| format!("到账时间“{s}”请按 2026-12-06 10:30 填写"))
}

/// A code (`bank_transfer`) as one of the core's values, else usage help naming the choices.
fn code_of<T: DeserializeOwned>(code: &str, what: &str, choices: &str, io: &mut Io<'_>) -> Option<T> {
    let got = serde_json::from_value(Value::String(code.trim().to_string())).ok();
    if got.is_none() {
        let _ = writeln!(io.err, "未知{what}“{code}”，可用：{choices}");
    }
    got
}

/// `--case SERIAL=FEN` (repeated) as shares of one payment; a single `--case SERIAL`
/// takes `whole` when the payment's amount is known. Usage errors give exit code 2.
fn shares_of(
    store: &Store,
    s: &Session,
    cases: &[String],
    whole: Option<i64>,
    io: &mut Io<'_>,
) -> Result<Vec<ShareInput>, u8> {
    let mut shares = Vec::new();
    for c in cases {
        let (serial, amount) = match (c.split_once('='), whole) {
            (Some((serial, fen)), _) => match fen.trim().parse::<i64>() {
                Ok(f) => (serial.trim(), f),
                Err(_) => {
                    let _ = writeln!(io.err, "--case {c}：金额请写整数分，如 {serial}=30000");
                    return Err(2);
                }
            },
            (None, Some(whole)) if cases.len() == 1 => (c.trim(), whole),
            (None, _) => {
                let _ = writeln!(io.err, "分给几件作品时，每个 --case 须写明金额：流水号=金额（分）");
                return Err(2);
            }
        };
        let d = case_at(store, s, serial).map_err(|e| refused(io, &e))?;
        shares.push(ShareInput {
            case_id: d.id,
            amount_fen: amount,
        });
    }
    Ok(shares)
}

fn transfer_out(t: &TransferView, json: bool, io: &mut Io<'_>) {
    if json {
        emit(io, t);
        return;
    }
    let _ = writeln!(
        io.out,
        "{}\t{}\t{}\t{}\t{}（登记人 {}{}）",
        t.id,
        t.method_label,
        t.payer,
        format_yuan(t.amount_fen),
        t.state_label,
        t.recorded_by_name,
        t.checked_by_name
            .as_deref()
            .map(|c| format!("，审核人 {c}"))
            .unwrap_or_default()
    );
    for a in &t.allocations {
        let _ = writeln!(
            io.out,
            "  → {} {} {}（{}）",
            a.serial,
            a.title,
            format_yuan(a.amount_fen),
            a.case_state_label
        );
    }
    if let Some(r) = &t.reject_reason {
        let _ = writeln!(io.out, "  退回原因：{r}");
    }
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
        PaymentCmd::ChangeMethod {
            serial,
            method,
            reason,
            json,
        } => {
            let Some(method) = code_of::<PaymentMethod>(method, "缴费方式", "online bank_transfer alipay_transfer", io)
            else {
                return 2;
            };
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let input = ChangeMethodInput {
                case_id: d.id,
                version: d.version,
                method,
                reason: reason.clone(),
            };
            match store.change_payment_method(s, &input) {
                Ok(d) => {
                    case_out(store, s, &d, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::StatementLines { json } => match store.open_statement_lines(s) {
            Ok(lines) => {
                for l in &lines {
                    if *json {
                        emit(io, l);
                    } else {
                        let _ = writeln!(
                            io.out,
                            "{}\t第 {} 行 {} {} {} {}\t{}",
                            l.id.as_deref().unwrap_or(""),
                            l.line,
                            l.date,
                            l.payer,
                            l.amount_fen.map(format_yuan).unwrap_or_default(),
                            l.reference,
                            l.decision_label
                        );
                        for c in &l.candidates {
                            let _ = writeln!(io.out, "  候选 {}（{}）", c.label, c.reasons.join("，"));
                        }
                    }
                }
                0
            }
            Err(e) => refused(io, &e),
        },
        PaymentCmd::ResolveLine { line, cases, json } => {
            let shares = match shares_of(store, s, cases, None, io) {
                Ok(sh) => sh,
                Err(code) => return code,
            };
            let input = ResolveLineInput {
                line_id: line.clone(),
                shares,
            };
            match store.resolve_statement_line(s, &input) {
                Ok(t) => {
                    transfer_out(&t, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::DismissLine { line, note } => {
            let input = DismissLineInput {
                line_id: line.clone(),
                note: note.clone(),
            };
            match store.dismiss_statement_line(s, &input) {
                Ok(()) => {
                    let _ = writeln!(io.out, "已说明，不再等待处理：{line}");
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::InvoicesDue { json } => match store.invoices_due(s) {
            Ok(rows) => {
                for r in &rows {
                    if *json {
                        emit(io, r);
                    } else {
                        let _ = writeln!(
                            io.out,
                            "{}\t{}\t{}\t{}\t{}\t{}{}",
                            r.serial,
                            r.title,
                            r.payer_name,
                            r.tax_id,
                            format_yuan(r.amount_fen),
                            r.email,
                            r.email_problem
                                .as_deref()
                                .map(|p| format!("（{p}）"))
                                .unwrap_or_default()
                        );
                    }
                }
                0
            }
            Err(e) => refused(io, &e),
        },
        PaymentCmd::MarkInvoiced { invoice_number, cases } => {
            let mut case_ids = Vec::new();
            for serial in cases {
                match case_at(store, s, serial) {
                    Ok(d) => case_ids.push(d.id),
                    Err(e) => return refused(io, &e),
                }
            }
            let input = MarkInvoicesInput {
                case_ids,
                invoice_number: invoice_number.clone(),
            };
            match store.mark_invoices_issued(s, &input) {
                Ok(n) => {
                    let _ = writeln!(io.out, "已标记 {n} 件已开票：{invoice_number}");
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::DayReport { from, to, json } => {
            let today = store.office_today();
            let input = DayReportInput {
                from: from.unwrap_or(today),
                to: to.or(*from).unwrap_or(today),
            };
            match store.day_report(s, &input) {
                Ok(r) => {
                    if *json {
                        for l in &r.lines {
                            emit(io, l);
                        }
                        emit(io, &json!({ "totals": r.totals, "from": r.from, "to": r.to }));
                    } else {
                        let _ = writeln!(io.out, "收费日报 {} 至 {}", r.from, r.to);
                        for l in &r.lines {
                            let w = &l.row;
                            let _ = writeln!(
                                io.out,
                                "{}\t{}\t到账 {} 笔 {}\t确认 {} 笔 {}\t退回 {} 笔 {}\t待核 {} 笔 {}\t退费 {} 笔 {}",
                                w.day,
                                l.method_label,
                                w.received_count,
                                format_yuan(w.received_fen),
                                w.confirmed_count,
                                format_yuan(w.confirmed_fen),
                                w.rejected_count,
                                format_yuan(w.rejected_fen),
                                w.pending_count,
                                format_yuan(w.pending_fen),
                                w.refunded_count,
                                format_yuan(w.refunded_fen)
                            );
                        }
                        let t = &r.totals;
                        let _ = writeln!(
                            io.out,
                            "合计\t到账 {} 笔 {}\t确认 {} 笔 {}\t退回 {} 笔 {}\t待核 {} 笔 {}\t退费 {} 笔 {}",
                            t.received_count,
                            format_yuan(t.received_fen),
                            t.confirmed_count,
                            format_yuan(t.confirmed_fen),
                            t.rejected_count,
                            format_yuan(t.rejected_fen),
                            t.pending_count,
                            format_yuan(t.pending_fen),
                            t.refunded_count,
                            format_yuan(t.refunded_fen)
                        );
                    }
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::Export { kind, output, from, to } => {
            let Some(kind) =
                code_of::<ExportKind>(kind, "导出种类", "invoice_list_xlsx day_report_pdf day_report_xlsx", io)
            else {
                return 2;
            };
            let today = store.office_today();
            let period = DayReportInput {
                from: from.unwrap_or(today),
                to: to.or(*from).unwrap_or(today),
            };
            let bytes = match kind {
                ExportKind::InvoiceListXlsx => store.invoice_list_xlsx(s),
                ExportKind::DayReportPdf => store.day_report_pdf(s, &period),
                ExportKind::DayReportXlsx => store.day_report_xlsx(s, &period),
            };
            match bytes {
                Ok(b) => match std::fs::write(output, b) {
                    Ok(()) => {
                        let _ = writeln!(io.out, "已导出：{}", output.display());
                        0
                    }
                    Err(e) => {
                        let _ = writeln!(io.err, "无法写入 {}：{e}", output.display());
                        1
                    }
                },
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::Cases { search, json } => {
            let rows = match store.payment_cases(s, &PaymentCasesInput { search: search.clone() }) {
                Ok(r) => r,
                Err(e) => return refused(io, &e),
            };
            for r in &rows {
                if *json {
                    emit(io, r);
                } else {
                    let _ = writeln!(
                        io.out,
                        "{}\t{}\t{}\t{}\t应缴 {}，已登记 {}，尚差 {}{}",
                        r.serial,
                        r.state_label,
                        r.title,
                        r.applicant_name,
                        format_yuan(r.owed_fen),
                        format_yuan(r.covered_fen),
                        format_yuan(r.short_fen),
                        r.method_label
                            .as_deref()
                            .map(|m| format!("（{m}）"))
                            .unwrap_or_default()
                    );
                }
            }
            0
        }
        PaymentCmd::ChooseMethod { serial, method, json } => {
            let Some(method) = code_of::<PaymentMethod>(method, "缴费方式", "online bank_transfer alipay_transfer", io)
            else {
                return 2;
            };
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let input = ChooseMethodInput {
                case_id: d.id,
                version: d.version,
                method,
            };
            match store.choose_payment_method(s, &input) {
                Ok(d) => {
                    case_out(store, s, &d, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::RecordTransfer {
            method,
            payer,
            account,
            bank,
            amount_fen,
            received_at,
            reference,
            purpose,
            receipt,
            cases,
            json,
        } => {
            let Some(method) = code_of::<PaymentMethod>(method, "缴费方式", "bank_transfer alipay_transfer online", io)
            else {
                return 2;
            };
            let shares = match shares_of(store, s, cases, Some(*amount_fen), io) {
                Ok(sh) => sh,
                Err(code) => return code,
            };
            let receipt_file_id = match receipt {
                Some(path) => match store.add_file(s, path, FilePurpose::Receipt) {
                    Ok(f) => Some(f.id),
                    Err(e) => return refused(io, &e),
                },
                None => None,
            };
            let input = RecordTransferInput {
                transfer: TransferInput {
                    method,
                    payer: payer.clone(),
                    payer_account: account.clone(),
                    payer_bank: bank.clone(),
                    amount_fen: *amount_fen,
                    received_at: *received_at,
                    reference: reference.clone(),
                    purpose: purpose.clone(),
                },
                receipt_file_id,
                shares,
            };
            match store.record_transfer(s, &input) {
                Ok(t) => {
                    transfer_out(&t, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::Check {
            id,
            confirm,
            reject,
            json,
        } => {
            let command = match (confirm, reject) {
                (true, None) => TransferCommand::Confirm,
                (false, Some(reason)) => TransferCommand::Reject { reason: reason.clone() },
                _ => {
                    let _ = writeln!(io.err, "请写 --confirm 或 --reject 原因（二选一）");
                    return 2;
                }
            };
            let t = match store.transfer(s, id) {
                Ok(t) => t,
                Err(e) => return refused(io, &e),
            };
            let input = CheckTransferInput {
                id: t.id,
                version: t.version,
                command,
            };
            match store.check_transfer(s, &input) {
                Ok(t) => {
                    transfer_out(&t, *json, io);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::Transfers { state, json } => {
            let state = match state {
                Some(code) => match code_of::<TransferState>(code, "付款状态", "recorded confirmed rejected", io) {
                    Some(s) => Some(s),
                    None => return 2,
                },
                None => None,
            };
            match store.transfers(s, &TransfersInput { state }) {
                Ok(list) => {
                    for t in &list {
                        transfer_out(t, *json, io);
                    }
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
        PaymentCmd::RefundsDue { json } => match store.refunds_due(s) {
            Ok(rows) => {
                for r in &rows {
                    if *json {
                        emit(io, r);
                    } else {
                        let _ = writeln!(
                            io.out,
                            "{}\t{}\t{}\t{}\t应退 {}",
                            r.serial,
                            r.state_label,
                            r.title,
                            r.applicant_name,
                            format_yuan(r.owed_fen)
                        );
                    }
                }
                0
            }
            Err(e) => refused(io, &e),
        },
        PaymentCmd::Refund {
            serial,
            method,
            amount_fen,
            reference,
            on,
        } => {
            let Some(method) = code_of::<RefundMethod>(method, "退费方式", "bank_transfer alipay online", io)
            else {
                return 2;
            };
            let d = match case_at(store, s, serial) {
                Ok(d) => d,
                Err(e) => return refused(io, &e),
            };
            let input = RecordRefundInput {
                case_id: d.id,
                refund: RefundInput {
                    method,
                    amount_fen: *amount_fen,
                    reference: reference.clone(),
                    refunded_on: *on,
                },
            };
            match store.record_refund(s, &input) {
                Ok(()) => {
                    let _ = writeln!(
                        io.out,
                        "已登记退费：{} {}（{}，{}）",
                        d.serial,
                        format_yuan(*amount_fen),
                        method.label(),
                        reference
                    );
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
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
