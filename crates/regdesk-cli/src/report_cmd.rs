//! `regdesk report monthly|announcement|yearly`: the national monthly form,
//! the announcement list and the yearly summary (统计台), on screen, as JSON,
//! or written to an xlsx or PDF file, through the same store calls as the
//! reports desk.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use regdesk_domain::stats::Period;
use regdesk_store::{ReportExportInput, ReportFormat, ReportKind, Session, StatsInput, Store};

use crate::desk_io::{emit, refused};
use crate::Io;

/// Where a report goes: the screen (default), JSON, an xlsx file or a PDF file.
#[derive(Args, Debug)]
pub struct ReportOut {
    /// 机构代码（默认本机构，含下级机构） / office code (default: this office and its subordinates)
    #[arg(long)]
    office: Option<String>,
    /// 仅统计该机构本级 / that office's own cases only
    #[arg(long)]
    own_only: bool,
    /// 写入 xlsx 文件（全国报表格式） / write an xlsx file (the national layout)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["pdf", "json"])]
    xlsx: Option<PathBuf>,
    /// 写入 PDF 文件 / write a PDF file
    #[arg(long, value_name = "FILE", conflicts_with = "json")]
    pdf: Option<PathBuf>,
    /// 输出 JSON / JSON output
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// 作品登记情况月度统计表：按作品类别、各机构一行并合计（单位：件）。
    ///
    /// The national monthly form: registrations by category, one row per office and the total.
    Monthly {
        /// 统计月份，如 2026-11 / the month, e.g. 2026-11
        #[arg(long)]
        month: String,
        #[command(flatten)]
        out: ReportOut,
    },
    /// 作品登记公告：当月登记，按登记号排列，已撤销的另列。
    ///
    /// The announcement list: the month's registrations by number, revoked ones apart.
    Announcement {
        /// 统计月份，如 2026-11 / the month, e.g. 2026-11
        #[arg(long)]
        month: String,
        #[command(flatten)]
        out: ReportOut,
    },
    /// 年度汇总：登记总数、同比增减、按类别与按机构的构成。
    ///
    /// The yearly summary: total, change on the year in %, shares by category and by office.
    Yearly {
        /// 年份，如 2026 / the year
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        out: ReportOut,
    },
}

fn write_file(store: &Store, s: &Session, kind: ReportKind, stats: StatsInput, out: &ReportOut, io: &mut Io<'_>) -> u8 {
    let (format, path) = match (&out.xlsx, &out.pdf) {
        (Some(p), _) => (ReportFormat::Xlsx, p),
        (None, Some(p)) => (ReportFormat::Pdf, p),
        (None, None) => return 2,
    };
    match store.report_document(s, &ReportExportInput { kind, format, stats }) {
        Ok((_, bytes)) => match std::fs::write(path, bytes) {
            Ok(()) => {
                let _ = writeln!(io.out, "已导出：{}", path.display());
                0
            }
            Err(e) => {
                let _ = writeln!(io.err, "无法写入 {}：{e}", path.display());
                1
            }
        },
        Err(e) => refused(io, &e),
    }
}

fn period_of(io: &mut Io<'_>, month: &str) -> Option<Period> {
    match Period::parse_month(month) {
        Ok(p) => Some(p),
        Err(e) => {
            let _ = writeln!(io.err, "--month：{}", e.message);
            None
        }
    }
}

pub fn report(store: &Store, s: &Session, cmd: &ReportCmd, io: &mut Io<'_>) -> u8 {
    let (kind, period, out) = match cmd {
        ReportCmd::Monthly { month, out } => match period_of(io, month) {
            Some(p) => (ReportKind::MonthlyForm, p, out),
            None => return 2,
        },
        ReportCmd::Announcement { month, out } => match period_of(io, month) {
            Some(p) => (ReportKind::Announcement, p, out),
            None => return 2,
        },
        ReportCmd::Yearly { year, out } => (ReportKind::Summary, Period::Year { year: *year }, out),
    };
    let stats = StatsInput {
        period,
        office: out.office.clone(),
        own_only: out.own_only,
    };
    if out.xlsx.is_some() || out.pdf.is_some() {
        return write_file(store, s, kind, stats, out, io);
    }
    match kind {
        ReportKind::MonthlyForm => match store.monthly_form(s, &stats) {
            Ok(v) if out.json => {
                emit(io, &v);
                0
            }
            Ok(v) => {
                let _ = writeln!(
                    io.out,
                    "{}\n填报单位：{}　统计期间：{}　单位：件",
                    v.title, v.office_name, v.period_label
                );
                let mut head = vec!["填报单位".to_string(), "合计".to_string()];
                head.extend(v.columns.iter().map(|c| c.label.clone()));
                let _ = writeln!(io.out, "{}", head.join("\t"));
                for r in v.rows.iter().chain([&v.total]) {
                    let mut cells = vec![r.label.clone(), r.total.to_string()];
                    cells.extend(r.counts.iter().map(u64::to_string));
                    let _ = writeln!(io.out, "{}", cells.join("\t"));
                }
                if v.revoked > 0 {
                    let _ = writeln!(io.out, "注：本期登记后已撤销 {} 件，未计入上表。", v.revoked);
                }
                0
            }
            Err(e) => refused(io, &e),
        },
        ReportKind::Announcement => match store.announcement(s, &stats) {
            Ok(v) if out.json => {
                emit(io, &v);
                0
            }
            Ok(v) => {
                let _ = writeln!(
                    io.out,
                    "{}\n填报单位：{}　统计期间：{}　共 {} 件",
                    v.title,
                    v.office_name,
                    v.period_label,
                    v.rows.len()
                );
                let _ = writeln!(
                    io.out,
                    "登记号\t登记日期\t作品名称\t作品类别\t著作权人\t作品完成日期\t首次发表日期"
                );
                let line = |r: &regdesk_store::AnnouncementRow| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        r.number, r.registered_on, r.title, r.category_label, r.owners, r.completed_on, r.published_on
                    )
                };
                for r in &v.rows {
                    let _ = writeln!(io.out, "{}", line(r));
                }
                if !v.revoked.is_empty() {
                    let _ = writeln!(io.out, "已撤销（{} 件）：", v.revoked.len());
                    for r in &v.revoked {
                        let _ = writeln!(io.out, "{}", line(r));
                    }
                }
                0
            }
            Err(e) => refused(io, &e),
        },
        _ => match store.stats_summary(s, &stats) {
            Ok(v) if out.json => {
                emit(io, &v);
                0
            }
            Ok(v) => {
                let change = v
                    .change_percent
                    .map_or("—（上年同期无登记）".to_string(), |c| format!("{c:+.1}%"));
                let _ = writeln!(
                    io.out,
                    "作品登记情况汇总\n填报单位：{}　统计期间：{}\n登记总数：{} 件；{}：{} 件；同比：{}",
                    v.office_name, v.period_label, v.total, v.previous_period_label, v.previous_total, change
                );
                for (title, rows) in [("按作品类别", &v.by_category), ("按登记机构", &v.by_office)] {
                    let _ = writeln!(io.out, "{title}：");
                    for r in rows {
                        let pct = r.percent.map_or("—".to_string(), |p| format!("{p:.1}%"));
                        let _ = writeln!(io.out, "  {}\t{}\t{}", r.label, r.count, pct);
                    }
                }
                0
            }
            Err(e) => refused(io, &e),
        },
    }
}
