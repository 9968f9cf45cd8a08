//! `regdesk settings show|set` and `regdesk office tree|add`: the admin desk's
//! settings and office tree through their store commands.

use clap::Subcommand;
use regdesk_domain::office::SubordinateOfficeInput;
use regdesk_store::{BatchSigningSettingInput, OfficeNode, Session, SettingsView, Store, UpdateSettingsInput};

use crate::desk_io::{emit, refused};
use crate::Io;

#[derive(Subcommand, Debug)]
pub enum SettingsCmd {
    /// 系统设置：锁屏、办结时限、补正期限、登记费。
    ///
    /// The office's settings: idle lock, review period, correction periods, fee per work.
    Show {
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 修改系统设置（管理员）：只改写出的项，其余不变。
    ///
    /// Change settings (admin): only the values given change.
    Set {
        /// 无操作自动锁屏（分钟） / idle lock (minutes)
        #[arg(long)]
        idle_lock_minutes: Option<i64>,
        /// 办结时限（受理后工作日数） / review period (working days)
        #[arg(long)]
        review_working_days: Option<u32>,
        /// 补正通知期限（自然日） / correction notice period (days)
        #[arg(long)]
        correction_notice_days: Option<u32>,
        /// 补正期限（自然日） / correction period (days)
        #[arg(long)]
        correction_period_days: Option<u32>,
        /// 每件作品登记费（分） / fee per work (fen)
        #[arg(long)]
        fee_per_work_fen: Option<i64>,
        /// 一人一表：同一申请人一并提交的作品每位签章人一张签章表（true/false） / one signing form per signer for a batch
        #[arg(long)]
        batch_signing_form: Option<bool>,
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum OfficeCmd {
    /// 机构树：本机构与下级机构，各自的案件数。
    ///
    /// The office tree: this office and its subordinate offices, with their case counts.
    Tree {
        /// 每个机构一行 JSON / one JSON object per office
        #[arg(long)]
        json: bool,
    },
    /// 新增下级机构（管理员）。
    ///
    /// Add a subordinate office (admin).
    Add {
        /// 机构代码，如 ZJHZ / office code
        #[arg(long)]
        code: String,
        /// 机构名称 / name
        #[arg(long)]
        name: String,
        /// 上级机构代码 / parent office code
        #[arg(long)]
        parent: String,
    },
}

fn settings_out(io: &mut Io<'_>, v: &SettingsView, json: bool) {
    if json {
        emit(io, v);
    } else {
        let _ = writeln!(
            io.out,
            "自动锁屏：{} 分钟\n办结时限：{} 个工作日\n补正通知期限：{} 日\n补正期限：{} 日\n每件登记费：{}\n一人一表签章：{}",
            v.idle_lock_minutes,
            v.review_working_days,
            v.correction_notice_days,
            v.correction_period_days,
            regdesk_domain::fee::format_yuan(v.fee_per_work_fen),
            if v.batch_signing_form { "开启" } else { "关闭" }
        );
    }
}

fn tree_out(io: &mut Io<'_>, nodes: &[OfficeNode], json: bool) {
    for n in nodes {
        if json {
            emit(io, n);
        } else {
            let c = &n.counts;
            let _ = writeln!(
                io.out,
                "{}{} {}\t受理中 {}，缴费中 {}，审查中 {}，已登记 {}，其他 {}，超期 {}",
                "  ".repeat(n.depth as usize),
                n.code,
                n.name,
                c.counter,
                c.payment,
                c.review,
                c.registered,
                c.other,
                c.overdue
            );
        }
    }
}

pub fn settings(store: &Store, s: &Session, cmd: &SettingsCmd, io: &mut Io<'_>) -> u8 {
    let current = match store.settings(s) {
        Ok(v) => v,
        Err(e) => return refused(io, &e),
    };
    match cmd {
        SettingsCmd::Show { json } => {
            settings_out(io, &current, *json);
            0
        }
        SettingsCmd::Set {
            idle_lock_minutes,
            review_working_days,
            correction_notice_days,
            correction_period_days,
            fee_per_work_fen,
            batch_signing_form,
            json,
        } => {
            let ordinary = idle_lock_minutes.is_some()
                || review_working_days.is_some()
                || correction_notice_days.is_some()
                || correction_period_days.is_some()
                || fee_per_work_fen.is_some();
            if let Some(allowed) = batch_signing_form {
                let input = BatchSigningSettingInput {
                    version: current.version,
                    allowed: *allowed,
                };
                match store.set_batch_signing_form(s, &input) {
                    Ok(on) => {
                        let _ = writeln!(io.err, "一人一表签章：{}", if on { "已开启" } else { "已关闭" });
                    }
                    Err(e) => return refused(io, &e),
                }
                if !ordinary {
                    return match store.settings(s) {
                        Ok(v) => {
                            settings_out(io, &v, *json);
                            0
                        }
                        Err(e) => refused(io, &e),
                    };
                }
            }
            let current = match store.settings(s) {
                Ok(v) => v,
                Err(e) => return refused(io, &e),
            };
            let input = UpdateSettingsInput {
                version: current.version,
                idle_lock_minutes: idle_lock_minutes.unwrap_or(i64::from(current.idle_lock_minutes)),
                review_working_days: review_working_days.unwrap_or(current.review_working_days),
                correction_notice_days: correction_notice_days.unwrap_or(current.correction_notice_days),
                correction_period_days: correction_period_days.unwrap_or(current.correction_period_days),
                fee_per_work_fen: fee_per_work_fen.unwrap_or(current.fee_per_work_fen),
            };
            match store.update_settings(s, &input) {
                Ok(v) => {
                    settings_out(io, &v, *json);
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
    }
}

pub fn office(store: &Store, s: &Session, cmd: &OfficeCmd, io: &mut Io<'_>) -> u8 {
    let got = match cmd {
        OfficeCmd::Tree { .. } => store.office_tree(s),
        OfficeCmd::Add { code, name, parent } => store.add_subordinate_office(
            s,
            &SubordinateOfficeInput {
                code: code.clone(),
                name: name.clone(),
                parent_code: parent.clone(),
            },
        ),
    };
    match got {
        Ok(nodes) => {
            tree_out(io, &nodes, matches!(cmd, OfficeCmd::Tree { json: true }));
            0
        }
        Err(e) => refused(io, &e),
    }
}
