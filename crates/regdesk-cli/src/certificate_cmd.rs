//! `regdesk print certificate` and `regdesk certificate …`: the certificate
//! desk's work through the same store commands as the desk (制证发证 --user).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use regdesk_store::{
    CertificateModeInput, CertificateQueueFilter, PrintCertificatesInput, Session, Store, StoreError, VoidSheetInput,
};

use crate::Io;

#[derive(Subcommand, Debug)]
pub enum CertificateCmd {
    /// 批量打印待制证的证书到一个 PDF（按登记号排序），并记录每张证书纸。 / Print the waiting certificates as one PDF (by registration number), recording each sheet.
    Batch {
        /// 登记日期自（含），如 2026-11-01 / registered from (inclusive)
        #[arg(long)]
        from: Option<NaiveDate>,
        /// 登记日期至（含） / registered up to (inclusive)
        #[arg(long)]
        to: Option<NaiveDate>,
        /// full：整页（白纸）；overprint：套打（预印证书纸，仅数据） / full: plain paper; overprint: data only, on pre-printed blanks
        #[arg(long, value_enum, default_value_t = Mode::Full)]
        mode: Mode,
        /// 打印机名称（用其偏移；不填：不加偏移） / printer name (its offsets; empty: none)
        #[arg(long, default_value = "")]
        printer: String,
        /// 第一张预印证书纸的编号，后续依次加一 / the first pre-printed sheet's number, counted up
        #[arg(long, default_value = "")]
        first_sheet: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 重印指定登记号的证书（须填原因）。 / Reprint certificates by registration number (a reason is needed).
    Reprint {
        numbers: Vec<String>,
        #[arg(long)]
        reason: String,
        #[arg(long, value_enum, default_value_t = Mode::Full)]
        mode: Mode,
        #[arg(long, default_value = "")]
        printer: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// 作废一张打印坏了的证书纸（废证），须填原因。 / Void a spoiled sheet, with a reason.
    Void {
        sheet_id: String,
        #[arg(long)]
        reason: String,
    },
    /// 一份证书的全部纸张（打印、重印、作废、收回）。 / Every sheet of one certificate (printed, reprinted, voided, recalled).
    Sheets { number: String },
    /// 证书发放：运单寄出、领取登记 / Delivery: shipping by waybill, handover at pickup
    #[command(flatten)]
    Delivery(crate::shipping_cmd::DeliveryCmd),
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Full,
    Overprint,
}

impl From<Mode> for CertificateModeInput {
    fn from(m: Mode) -> Self {
        match m {
            Mode::Full => CertificateModeInput::Full,
            Mode::Overprint => CertificateModeInput::Overprint,
        }
    }
}

fn fail(io: &mut Io<'_>, e: &StoreError) -> u8 {
    let api = e.to_api();
    let _ = writeln!(io.err, "{}", api.message);
    for f in &api.fields {
        let _ = writeln!(io.err, "  {}：{}", f.field, f.message);
    }
    1
}

fn write_pdf(io: &mut Io<'_>, output: &Path, pdf: &[u8]) -> bool {
    match std::fs::write(output, pdf) {
        Ok(()) => true,
        Err(e) => {
            let _ = writeln!(io.err, "无法写入 {}：{e}", output.display());
            false
        }
    }
}

/// `regdesk print certificate NUMBER -o F`: the electronic certificate.
pub fn print_certificate(store: &Store, s: &Session, number: &str, output: &Path, io: &mut Io<'_>) -> u8 {
    match store.certificate_pdf(s, number) {
        Ok((_, pdf)) => {
            if !write_pdf(io, output, &pdf) {
                return 1;
            }
            let _ = writeln!(io.out, "已生成 {} 的电子证书：{}", number.trim(), output.display());
            0
        }
        Err(e) => fail(io, &e),
    }
}

fn print_batch(store: &Store, s: &Session, input: &PrintCertificatesInput, output: &Path, io: &mut Io<'_>) -> u8 {
    let total = input.numbers.len();
    let mut last = 0;
    let mut progress = |done: usize, _total: usize| {
        // A line every tenth of the batch, and at the end.
        if done * 10 / total.max(1) != last * 10 / total.max(1) || done == total {
            let _ = writeln!(io.err, "已排版 {done}/{total}");
        }
        last = done;
        true
    };
    match store.print_certificates(s, input, &mut progress) {
        Ok((summary, pdf)) => {
            if !write_pdf(io, output, &pdf) {
                return 1;
            }
            let _ = writeln!(
                io.out,
                "已打印 {} 份证书（其中重印 {} 份）：{}",
                summary.printed + summary.reprinted,
                summary.reprinted,
                output.display()
            );
            for sheet in &summary.sheets {
                let _ = writeln!(
                    io.out,
                    "{}\t{}\t{}",
                    sheet.registration_number,
                    sheet.sheet_number.as_deref().unwrap_or("-"),
                    sheet.id
                );
            }
            for skipped in &summary.skipped {
                let _ = writeln!(io.err, "未打印 {}：{}", skipped.registration_number, skipped.message);
            }
            0
        }
        Err(e) => fail(io, &e),
    }
}

pub fn certificate(store: &Store, s: &Session, cmd: &CertificateCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        CertificateCmd::Delivery(c) => crate::shipping_cmd::certificate(store, s, c, io),
        CertificateCmd::Batch {
            from,
            to,
            mode,
            printer,
            first_sheet,
            output,
        } => {
            // Every waiting certificate in the range: the list page by page.
            let mut filter = CertificateQueueFilter {
                registered_from: *from,
                registered_to: *to,
                page_size: Some(regdesk_store::CERTIFICATE_PAGE_MAX),
                ..CertificateQueueFilter::default()
            };
            let mut rows = Vec::new();
            loop {
                let page = match store.certificate_queue(s, &filter) {
                    Ok(p) => p,
                    Err(e) => return fail(io, &e),
                };
                rows.extend(page.rows);
                match page.next {
                    Some(next) => filter.cursor = Some(next),
                    None => break,
                }
            }
            if rows.is_empty() {
                let _ = writeln!(io.err, "没有待制证的证书");
                return 1;
            }
            let input = PrintCertificatesInput {
                numbers: rows.into_iter().map(|r| r.registration_number).collect(),
                mode: (*mode).into(),
                printer: printer.clone(),
                reprint_reason: String::new(),
                first_sheet_number: first_sheet.clone(),
            };
            print_batch(store, s, &input, output, io)
        }
        CertificateCmd::Reprint {
            numbers,
            reason,
            mode,
            printer,
            output,
        } => {
            let input = PrintCertificatesInput {
                numbers: numbers.clone(),
                mode: (*mode).into(),
                printer: printer.clone(),
                reprint_reason: reason.clone(),
                first_sheet_number: String::new(),
            };
            print_batch(store, s, &input, output, io)
        }
        CertificateCmd::Void { sheet_id, reason } => {
            let input = VoidSheetInput {
                sheet_id: sheet_id.clone(),
                reason: reason.clone(),
            };
            match store.void_certificate_sheet(s, &input) {
                Ok(v) => {
                    let _ = writeln!(io.out, "已作废 {} 的证书纸 {}", v.registration_number, v.id);
                    0
                }
                Err(e) => fail(io, &e),
            }
        }
        CertificateCmd::Sheets { number } => match store.certificate_sheets(s, number) {
            Ok(sheets) => {
                for v in sheets {
                    let _ = writeln!(
                        io.out,
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        v.id,
                        v.printed_at.format("%Y-%m-%d %H:%M"),
                        v.printed_by,
                        v.state,
                        v.sheet_number.as_deref().unwrap_or("-"),
                        v.reason.as_deref().unwrap_or(&v.reprint_reason)
                    );
                }
                0
            }
            Err(e) => fail(io, &e),
        },
    }
}
