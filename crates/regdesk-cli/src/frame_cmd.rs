//! `regdesk status`, `regdesk desk overview DESK` and `regdesk calendar years`:
//! what the frame and the desks' start pages show, through the same store reads.

use clap::Subcommand;
use regdesk_domain::staff::Desk;
use regdesk_store::{Session, Store};
use serde_json::Value;

use crate::desk_io::{emit, refused};
use crate::Io;

#[derive(Subcommand, Debug)]
pub enum DeskCmd {
    /// 工作台概览：各队列的件数与超期件数。desk：counter payments first_review final_review certificates reports admin。
    ///
    /// A desk's start page: each queue's count and overdue count.
    Overview {
        /// counter payments first_review final_review certificates reports admin
        desk: String,
        /// 每个队列一行 JSON / one JSON object per queue
        #[arg(long)]
        json: bool,
    },
}

/// `regdesk status`: the office, the station, who is signed in (with `--user`), the journal not yet synced.
pub fn status(store: &Store, user: Option<&str>, json: bool, io: &mut Io<'_>) -> u8 {
    let session = match user {
        Some(u) => match crate::sign_in(store, Some(u)) {
            Ok(s) => Some(s),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                return 1;
            }
        },
        None => None,
    };
    match store.app_status(session.as_ref()) {
        Ok(v) => {
            if json {
                emit(io, &v);
            } else {
                let office = v
                    .office
                    .as_ref()
                    .map(|o| format!("{}（{}）", o.name, o.office_code))
                    .unwrap_or_else(|| "尚未建立登记机构（regdesk init）".into());
                let _ = writeln!(io.out, "登记机构：{office}\n工作站：{}", v.station_name);
                if let Some(s) = &v.session {
                    let roles: Vec<&str> = s.roles.iter().map(|r| r.label()).collect();
                    let _ = writeln!(io.out, "登录：{}（{}）", s.display_name, roles.join("、"));
                }
                let _ = writeln!(io.out, "待同步的办理记录：{} 条", v.pending_sync);
            }
            0
        }
        Err(e) => refused(io, &e),
    }
}

pub fn desk(store: &Store, s: &Session, cmd: &DeskCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        DeskCmd::Overview { desk, json } => {
            let Ok(d) = serde_json::from_value::<Desk>(Value::String(desk.trim().to_string())) else {
                let _ = writeln!(
                    io.err,
                    "未知工作台“{desk}”，可用：counter payments first_review final_review certificates reports admin"
                );
                return 2;
            };
            match store.desk_overview(s, d) {
                Ok(o) => {
                    for q in &o.queues {
                        if *json {
                            emit(io, q);
                        } else {
                            let _ = writeln!(io.out, "{}\t{} 件\t超期 {} 件", q.label, q.count, q.overdue);
                        }
                    }
                    0
                }
                Err(e) => refused(io, &e),
            }
        }
    }
}

/// `regdesk calendar years`: the years loaded, built in or loaded by an admin.
pub fn calendar_years(store: &Store, s: &Session, json: bool, io: &mut Io<'_>) -> u8 {
    match store.calendar_years(s) {
        Ok(years) => {
            for y in &years {
                if json {
                    emit(io, y);
                } else {
                    let _ = writeln!(
                        io.out,
                        "{}\t{}\t放假 {} 天，调休上班 {} 天\t{}",
                        y.year,
                        y.source,
                        y.holidays,
                        y.make_up_workdays,
                        if y.builtin {
                            "随软件提供"
                        } else {
                            "管理员载入"
                        }
                    );
                }
            }
            0
        }
        Err(e) => refused(io, &e),
    }
}
