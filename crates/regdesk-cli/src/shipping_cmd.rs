//! 证书发放（命令行）：`print labels`、`print acceptance-notice`、`certificate ship`、`certificate handover`
//! and `certificate receipt`, through the same store commands as the desk.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use regdesk_domain::identity::DocumentType;
use regdesk_domain::shipping::{CollectorKind, HandoverInput};
use regdesk_domain::staff::FilePurpose;
use regdesk_store::{HandOverInput, Session, ShipCasesInput, Store, StoreError};

use crate::Io;

/// 证书发放（需制证发证岗位的 --user）。
#[derive(Subcommand, Debug)]
pub enum DeliveryCmd {
    /// 扫描顺丰运单号寄出：这些案件（流水号或登记号，须寄往同一收件人）标记为已寄出。 / Ship by SF waybill: these cases (serials or numbers, one recipient) become 已寄出.
    Ship {
        /// 顺丰运单号：SF 加 13 位数字，或 12 位数字（旧运单）。 / SF waybill: SF + 13 digits, or 12 digits
        #[arg(long)]
        waybill: String,
        #[arg(required = true)]
        numbers: Vec<String>,
    },
    /// 领取登记（自领）：领取人、证件、查验的材料；成功后写出签收单 PDF。 / Handover at pickup: the collector, their ID, the papers seen; writes the receipt PDF.
    Handover {
        /// 本人（self）或代理人（agent）。 / self or agent
        #[arg(long, value_enum)]
        collector: Collector,
        /// 领取人姓名。 / the collector's name
        #[arg(long)]
        name: String,
        /// 证件类型（resident_id、passport……），默认居民身份证。 / ID type (default resident_id)
        #[arg(long, default_value = "resident_id")]
        id_type: String,
        /// 证件号码。 / ID number
        #[arg(long)]
        id_number: String,
        /// 已核对证件原件（必须）。 / the ID was checked against the original (required)
        #[arg(long)]
        id_checked: bool,
        /// 已查验受理通知书；未带时须给 --loss-statement。 / the acceptance notice was seen; otherwise give --loss-statement
        #[arg(long)]
        notice_seen: bool,
        /// 遗失说明扫描件的文件路径。 / the scanned loss statement
        #[arg(long)]
        loss_statement: Option<PathBuf>,
        /// 授权委托书扫描件的文件路径（代理人必须）。 / the scanned power of attorney (agents)
        #[arg(long)]
        power_of_attorney: Option<PathBuf>,
        /// 签收单 PDF 的输出路径。 / where to write the receipt PDF
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// 领取的证书：流水号或登记号（代理公司可一次领取多本）。 / the certificates collected: serials or registration numbers
        #[arg(required = true)]
        numbers: Vec<String>,
    },
}

/// 领取人。
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Collector {
    /// 本人 / self
    #[value(name = "self")]
    Own,
    /// 代理人 / agent
    Agent,
}

fn fail(io: &mut Io<'_>, e: &StoreError) -> u8 {
    let _ = writeln!(io.err, "{e}");
    1
}

fn write_out(io: &mut Io<'_>, output: &Path, bytes: &[u8], what: &str) -> u8 {
    match std::fs::write(output, bytes) {
        Ok(()) => {
            let _ = writeln!(io.out, "已生成{what}：{}", output.display());
            0
        }
        Err(e) => {
            let _ = writeln!(io.err, "无法写入 {}：{e}", output.display());
            1
        }
    }
}

/// `regdesk print labels NUMBER... -o F`.
pub fn print_labels(store: &Store, s: &Session, numbers: &[String], output: &Path, io: &mut Io<'_>) -> u8 {
    match store.labels_for_cases(s, numbers) {
        Ok((_, pdf)) => write_out(io, output, &pdf, "邮寄面单"),
        Err(e) => fail(io, &e),
    }
}

/// `regdesk print acceptance-notice SERIAL -o F`.
pub fn print_notice(store: &Store, s: &Session, serial: &str, output: &Path, io: &mut Io<'_>) -> u8 {
    match store.acceptance_notice_pdf(s, serial) {
        Ok((_, pdf)) => write_out(io, output, &pdf, "受理通知书"),
        Err(e) => fail(io, &e),
    }
}

pub fn certificate(store: &Store, s: &Session, cmd: &DeliveryCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        DeliveryCmd::Ship { waybill, numbers } => match store.ship_cases(
            s,
            &ShipCasesInput {
                cases: numbers.clone(),
                waybill: waybill.clone(),
            },
        ) {
            Ok(v) => {
                let _ = writeln!(
                    io.out,
                    "邮件 {} 已寄出，运单号 {}，共 {} 本证书",
                    v.code,
                    v.waybill.unwrap_or_default(),
                    v.cases.len()
                );
                0
            }
            Err(e) => fail(io, &e),
        },
        DeliveryCmd::Handover {
            collector,
            name,
            id_type,
            id_number,
            id_checked,
            notice_seen,
            loss_statement,
            power_of_attorney,
            output,
            numbers,
        } => {
            let Ok(id_type) = serde_json::from_value::<DocumentType>(serde_json::Value::String(id_type.trim().into()))
            else {
                let _ = writeln!(
                    io.err,
                    "--id-type「{id_type}」无法识别：可用 resident_id、uscc、hk_macao_permit、taiwan_permit、residence_permit、foreign_permanent_id、passport、other"
                );
                return 2;
            };
            let add = |p: &Option<PathBuf>, purpose| -> Result<Option<String>, StoreError> {
                p.as_ref()
                    .map(|p| store.add_file(s, p, purpose).map(|f| f.id))
                    .transpose()
            };
            let loss = match add(loss_statement, FilePurpose::LossStatement) {
                Ok(f) => f,
                Err(e) => return fail(io, &e),
            };
            let poa = match add(power_of_attorney, FilePurpose::PowerOfAttorney) {
                Ok(f) => f,
                Err(e) => return fail(io, &e),
            };
            let input = HandOverInput {
                case_ids: numbers.clone(),
                collector: HandoverInput {
                    collector: match collector {
                        Collector::Own => CollectorKind::Own,
                        Collector::Agent => CollectorKind::Agent,
                    },
                    name: name.clone(),
                    id_type,
                    id_number: id_number.clone(),
                    id_checked: *id_checked,
                    notice_seen: *notice_seen,
                    loss_statement_file: loss,
                    power_of_attorney_file: poa,
                },
            };
            let h = match store.hand_over(s, &input) {
                Ok(h) => h,
                Err(e) => return fail(io, &e),
            };
            let _ = writeln!(
                io.out,
                "领取登记 {}：{}（{}）领取 {} 本证书",
                h.number,
                h.collector_name,
                h.collector_label,
                h.cases.len()
            );
            match store.handover_receipt_pdf(s, &h.number) {
                Ok((_, pdf)) => write_out(io, output, &pdf, "签收单"),
                Err(e) => fail(io, &e),
            }
        }
    }
}
