//! `regdesk`: the desk's operations, headless, for staff IT.
//!
//! Exit codes: 0 done; 1 refused or failed (the reason on stderr); 2 usage.

mod admin_cmd;
mod applicant_cmd;
mod backup_cmd;
mod calendar_cmd;
mod case_cmd;
mod certificate_cmd;
mod desk_io;
mod filing_cmd;
mod frame_cmd;
mod id_check;
mod import_cmd;
mod key_cmd;
mod payment_cmd;
mod report_cmd;
mod review_cmd;
mod shipping_cmd;
mod staff_cmd;
mod sync_cmd;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use regdesk_store::{LoginInput, Session, Store, StoreError, SystemClock};

#[derive(Parser, Debug)]
#[command(
    name = "regdesk",
    version,
    about = "作品登记工作台（命令行）：桌面程序的各项办理，无界面执行。 / RegDesk headless: every desk operation from the command line.",
    after_help = "登录：--user 登录名，密码取自环境变量 REGDESK_PASSWORD。退出码：0 完成，1 被拒绝（原因见标准错误），2 用法错误。\nSign in with --user; the password comes from REGDESK_PASSWORD. Exit codes: 0 done, 1 refused (reason on stderr), 2 usage."
)]
struct Cli {
    /// Data directory (default: REGDESK_DATA_DIR, else the platform's data directory).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Sign in as this staff member (password from REGDESK_PASSWORD).
    #[arg(long = "user", global = true, env = "REGDESK_USER")]
    user: Option<String>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// 首次启动：建立登记机构与首位管理员（密码取自 REGDESK_ADMIN_PASSWORD，未设置时在终端提示输入）。 / First start: the office and its first admin (password from REGDESK_ADMIN_PASSWORD, else a prompt).
    Init(staff_cmd::InitArgs),
    /// 工作人员管理（需管理员 --user）。 / Staff accounts (admin).
    #[command(subcommand)]
    Staff(staff_cmd::StaffCmd),
    /// 审计链。 / The audit chain and the access log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// 证件号校验（--json 时每个输入一行 JSON）。 / Identity-number checks (--json: one JSON object per number).
    Id {
        #[command(subcommand)]
        cmd: IdCmd,
    },
    /// 工作日历：办结日期、工作日数、载入新一年（载入需管理员 --user）。 / The working-day calendar: due dates, working days, loading a year (admin).
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCmd),
    /// 案件：列表与详情（需 --user）。 / Cases: lists, search, details, resubmit, withdraw, revoke.
    #[command(subcommand)]
    Case(case_cmd::CaseCmd),
    /// 打印文书（需 --user）。 / Printed documents (PDF).
    #[command(subcommand)]
    Print(case_cmd::PrintCmd),
    /// 用户信息：新增、修改、查找、显示（需受理人员 --user）。 / Applicant profiles (counter staff).
    #[command(subcommand)]
    Applicant(applicant_cmd::ApplicantCmd),
    /// 作品填报：新建、修改、附件、提交签章、记录签章（需受理人员 --user）。 / Filings, attachments, signatures (counter).
    #[command(subcommand)]
    Filing(filing_cmd::FilingCmd),
    /// 附件库：存入文件、查看记录（需 --user）。 / The attachment store (add a file, show its record).
    #[command(subcommand)]
    File(filing_cmd::FileCmd),
    /// 初审、终审、审查记录、疑似重复（需审查人员 --user）。 / First and final review, history, duplicates.
    #[command(subcommand)]
    Review(review_cmd::ReviewCmd),
    /// 制证发证：批量打印、重印、作废证书纸、运单寄出、领取登记（需制证发证 --user）。 / Certificates: batch printing, reprints, voided sheets, shipping by waybill, handover at pickup (certificate desk).
    #[command(subcommand)]
    Certificate(certificate_cmd::CertificateCmd),
    /// 缴费与核款：缴费方式、登记付款、核款、退费、导入银行流水（需 --user）。 / Payments: method, record, check, refund, bank statements.
    #[command(subcommand)]
    Payment(payment_cmd::PaymentCmd),
    /// 系统设置：查看、修改（修改需管理员 --user）。 / The office's settings (changes: admin).
    #[command(subcommand)]
    Settings(admin_cmd::SettingsCmd),
    /// 机构树：查看、新增下级机构（需管理员 --user）。 / The office tree (admin).
    #[command(subcommand)]
    Office(admin_cmd::OfficeCmd),
    /// 统计报表：月度统计表、作品登记公告、年度汇总（需主管 --user）。 / Reports upward: the monthly form, the announcement list, the yearly summary (supervisor).
    #[command(subcommand)]
    Report(report_cmd::ReportCmd),
    /// 工作站状态：登记机构、工作站、登录人（有 --user 时）、待同步记录。 / The station's status: office, station, who is signed in, entries to sync.
    Status {
        /// 输出 JSON / JSON output
        #[arg(long)]
        json: bool,
    },
    /// 同步：加入服务器（enrol）、同步一次或持续同步（--watch）、同步状态（status）、需处理（inbox、discard）。 / Sync with the central server: enrol, once or --watch, status, the inbox.
    Sync(sync_cmd::SyncArgs),
    /// 工作台概览（需 --user）。 / A desk's queues and counts.
    #[command(subcommand)]
    Desk(frame_cmd::DeskCmd),
    /// 登记簿：导入历史登记、登记号计数器（需管理员 --user）。 / The register: import the old register, registration counters (admin).
    #[command(subcommand)]
    Register(import_cmd::RegisterCmd),
    /// 数据加密密钥：导出、导入恢复码（需管理员 --user）。 / The encryption key: export or import the recovery code (admin).
    #[command(subcommand)]
    Key(key_cmd::KeyCmd),
    /// 备份：立即备份到设置的目录或 --to（需管理员 --user）；`backup list`、`backup verify 备份目录`。 / Backups: make one now, list, verify (admin).
    Backup(backup_cmd::BackupArgs),
    /// 用一代备份恢复数据目录（请先关闭桌面程序）；现有数据库有备份之后的办理记录时需 --force。 / Restore the data directory from a backup generation (close the app first).
    Restore(backup_cmd::RestoreArgs),
    /// 用示例机构填充数据目录（与界面相同的存储命令）；超过 240 件时，先办理 24 件，其余为其副本（如 --cases 1000000）。 / Fill the data directory with the sample office; past 240 cases, 24 by commands and the rest copies of them (e.g. --cases 1000000).
    Demo {
        /// Number of sample filings asked for.
        #[arg(long, default_value_t = 0)]
        cases: u32,
    },
}

/// Filings the demo makes through commands; past this many it makes
/// [`DEMO_COPIED`] (every state) and the rest are copies of them.
const DEMO_BY_COMMANDS: u32 = 240;
const DEMO_COPIED: u32 = 24;

#[derive(Subcommand, Debug)]
enum IdCmd {
    /// 校验证件号并给出推导信息（出生日期、性别、年龄、地区等）。 / Check identity numbers and show what follows from them (birth date, sex, age, region).
    Check(id_check::IdCheckArgs),
}

#[derive(Subcommand, Debug)]
enum AuditCmd {
    /// 校验审计链、各数据行与签名锚点（已加入服务器的工作站还与服务器记下的链头核对；数据库过大、打开时未做的完整性检查在此补做）；一致时退出码 0，否则逐条指出问题（案件、字段、断裂的记录）并以 1 退出。 / Verify the audit chain, every row and the signed anchor; exit 0 when whole, else each problem and exit 1.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// 最近的审计记录（管理员）。 / The latest audit entries (admin).
    Recent {
        /// 条数（默认 50） / how many (default 50)
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// 每条一行 JSON / one JSON object per entry
        #[arg(long)]
        json: bool,
    },
    /// 重设审计锚点（管理员，须写明原因，如从备份恢复后）；记入日志。 / Reset the audit anchor (admin, with a reason, e.g. after a restore); journaled.
    ResetAnchor {
        #[arg(long)]
        reason: String,
    },
    /// 查阅记录：谁在何时查看了哪个案件或用户的完整证件号、地址或身份证明文件（管理员、主管）。 / The access log: who saw which full ID number, address or identity scan, and when (admin, supervisor).
    Access {
        /// 工作人员的登录名
        #[arg(long)]
        staff: Option<String>,
        /// 案件的流水号或编号
        #[arg(long = "case")]
        case_key: Option<String>,
        /// 起始日期（含），如 2026-11-25
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// 截止日期（含）
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// 最多条数（1–1000，默认 200）
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

/// Output streams, so commands can be tested.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

/// Opens the store in the chosen data directory.
fn open(data_dir: Option<&std::path::Path>) -> Result<Store, StoreError> {
    let dir = regdesk_store::data_dir(data_dir)?;
    Store::open(&dir, Arc::new(SystemClock))
}

/// Prints a verification: the verdict, then each problem on its own line
/// (stderr when there are any); exit code 0 when all is well.
fn audit_report(r: &regdesk_store::AuditReport, json: bool, io: &mut Io<'_>) -> u8 {
    if json {
        let _ = writeln!(io.out, "{}", serde_json::json!(r));
    } else {
        let _ = writeln!(io.out, "{}", r.message);
    }
    if r.ok {
        return 0;
    }
    if !json {
        for p in &r.problems {
            let _ = writeln!(io.err, "{}", p.message);
        }
        let shown = u32::try_from(r.problems.len()).unwrap_or(u32::MAX);
        if r.problems_total > shown {
            let _ = writeln!(io.err, "……另有 {} 处问题未列出", r.problems_total - shown);
        }
    }
    1
}

/// What the command line itself can refuse.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("此命令需要 --user 登录名（密码放在环境变量 REGDESK_PASSWORD 中）")]
    NoUser,
    #[error("请在环境变量 {var} 中提供{what}")]
    NoPassword { var: &'static str, what: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A password from the environment variable `var`, else — when stdin is a
/// terminal — typed at a prompt without echo. Never from the command line,
/// where it would land in the shell's history.
pub(crate) fn password_from(var: &'static str, what: &str) -> Result<String, CliError> {
    use std::io::IsTerminal;
    if let Some(p) = std::env::var_os(var) {
        return p.into_string().map_err(|_| CliError::NoPassword {
            var,
            what: what.to_string(),
        });
    }
    let missing = || CliError::NoPassword {
        var,
        what: what.to_string(),
    };
    if !std::io::stdin().is_terminal() {
        return Err(missing());
    }
    rpassword::prompt_password(format!("请输入{what}（不回显）：")).map_err(|_| missing())
}

/// Command-line flags that once carried passwords; refused so that no
/// password lands in the shell's history.
const PASSWORD_FLAGS: [(&str, &str); 2] = [
    ("--admin-password", "REGDESK_ADMIN_PASSWORD"),
    ("--password", "REGDESK_NEW_PASSWORD"),
];

/// The refusal for a password given as a flag, if one was.
fn password_flag_refusal(args: &[std::ffi::OsString]) -> Option<String> {
    args.iter().skip(1).find_map(|a| {
        let a = a.to_str()?;
        PASSWORD_FLAGS.iter().find_map(|(flag, var)| {
            (a == *flag || a.starts_with(&format!("{flag}="))).then(|| {
                format!("不再接受 {flag} 参数（密码会留在命令历史中）：请把密码放在环境变量 {var} 中，或不设置该变量、在终端提示时输入")
            })
        })
    })
}

/// Signs in the `--user` with the password from `REGDESK_PASSWORD` (or a prompt).
fn sign_in(store: &Store, user: Option<&str>) -> Result<Session, CliError> {
    let user = user.ok_or(CliError::NoUser)?;
    let password = password_from("REGDESK_PASSWORD", &format!(" {user} 的密码"))?;
    Ok(store.login(&LoginInput {
        username: user.into(),
        password,
    })?)
}

/// Today in the office's time zone.
fn office_today() -> chrono::NaiveDate {
    let offset = chrono::FixedOffset::east_opt(regdesk_store::OFFICE_UTC_OFFSET_HOURS * 3600);
    let now = chrono::Utc::now();
    offset
        .map(|o| now.with_timezone(&o).date_naive())
        .unwrap_or_else(|| now.date_naive())
}

fn code(c: i32) -> u8 {
    u8::try_from(c).unwrap_or(1)
}

fn run(cli: Cli, io: &mut Io<'_>) -> u8 {
    // Identity checks need no data directory.
    if let Cmd::Id {
        cmd: IdCmd::Check(args),
    } = &cli.cmd
    {
        let stdin = std::io::stdin();
        let mut lock = stdin.lock();
        return code(id_check::run(args, office_today(), &mut lock, io.out, io.err));
    }
    // Importing a key comes before the store can be opened with it.
    if let Cmd::Key(key_cmd::KeyCmd::Import) = &cli.cmd {
        let dir = match regdesk_store::data_dir(cli.data_dir.as_deref()) {
            Ok(d) => d,
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                return 1;
            }
        };
        let stdin = std::io::stdin();
        let mut lock = stdin.lock();
        return key_cmd::import(&dir, cli.user.as_deref(), &mut lock, io);
    }
    // Verifying a backup opens only the copy (with the data directory's keys); a
    // restore must not open the database it replaces (it may be damaged).
    if let Cmd::Backup(args) = &cli.cmd {
        if matches!(args.cmd, Some(backup_cmd::BackupSub::Verify { .. })) {
            return match regdesk_store::data_dir(cli.data_dir.as_deref()) {
                Ok(dir) => backup_cmd::verify(&dir, args, io),
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    1
                }
            };
        }
    }
    if let Cmd::Restore(args) = &cli.cmd {
        return match regdesk_store::data_dir(cli.data_dir.as_deref()) {
            Ok(dir) => backup_cmd::restore(&dir, args, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        };
    }
    let store = match open(cli.data_dir.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(io.err, "{e}");
            return 1;
        }
    };
    let code = match cli.cmd {
        Cmd::Init(args) => staff_cmd::init(&store, &args, io),
        Cmd::Id { .. } | Cmd::Restore(_) => 2,
        Cmd::Key(key_cmd::KeyCmd::Export) => key_cmd::export(&store, cli.user.as_deref(), io),
        Cmd::Key(key_cmd::KeyCmd::Import) => 2,
        Cmd::Backup(args) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => backup_cmd::backup(&store, &s, &args, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Status { json } => frame_cmd::status(&store, cli.user.as_deref(), json, io),
        Cmd::Sync(args) => sync_cmd::sync(&store, cli.user.as_deref(), &args, io),
        Cmd::Desk(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => frame_cmd::desk(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Calendar(calendar_cmd::CalendarCmd::Years { json }) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => frame_cmd::calendar_years(&store, &s, json, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Calendar(cmd) => {
            let mut cal = match store.work_calendar() {
                Ok(c) => c,
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    return 1;
                }
            };
            let user = cli.user.clone();
            let mut persist = |text: &str| -> Result<bool, String> {
                let s = sign_in(&store, user.as_deref()).map_err(|e| e.to_string())?;
                store
                    .load_calendar_year(&s, text)
                    .map(|y| y.replaced)
                    .map_err(|e| e.to_string())
            };
            let stdin = std::io::stdin();
            let mut lock = stdin.lock();
            code(calendar_cmd::run(
                &cmd,
                &mut cal,
                &mut persist,
                &mut lock,
                io.out,
                io.err,
            ))
        }
        Cmd::Case(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => case_cmd::case(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Print(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => case_cmd::print(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Certificate(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => certificate_cmd::certificate(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Payment(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => payment_cmd::payment(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Applicant(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => applicant_cmd::applicant(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Filing(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => filing_cmd::filing(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Register(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => import_cmd::register(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::File(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => filing_cmd::file(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Review(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => review_cmd::review(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Settings(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => admin_cmd::settings(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Report(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => report_cmd::report(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Office(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => admin_cmd::office(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Staff(cmd) => match sign_in(&store, cli.user.as_deref()) {
            Ok(s) => staff_cmd::staff(&store, &s, &cmd, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Cmd::Audit(AuditCmd::Access {
            staff,
            case_key,
            from,
            to,
            limit,
            json,
        }) => {
            let input = regdesk_store::AccessLogInput {
                staff,
                case: case_key,
                from,
                to,
                limit,
            };
            match sign_in(&store, cli.user.as_deref())
                .and_then(|s| store.access_log(&s, &input).map_err(CliError::from))
            {
                Ok(entries) => {
                    for e in &entries {
                        if json {
                            let _ = writeln!(io.out, "{}", serde_json::json!(e));
                        } else {
                            // Shown in the office's time.
                            let at = (e.at
                                + chrono::Duration::hours(i64::from(regdesk_store::OFFICE_UTC_OFFSET_HOURS)))
                            .format("%Y-%m-%d %H:%M:%S");
                            let who = format!(
                                "{}（{}）",
                                e.staff_name.as_deref().unwrap_or("—"),
                                e.staff_username.as_deref().unwrap_or("—")
                            );
                            let target = [e.serial.as_deref(), e.applicant_name.as_deref(), e.file_name.as_deref()]
                                .into_iter()
                                .flatten()
                                .collect::<Vec<_>>()
                                .join(" ");
                            let _ = writeln!(io.out, "{at}\t{who}\t{}\t{target}", e.what_label);
                        }
                    }
                    0
                }
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    1
                }
            }
        }
        Cmd::Audit(AuditCmd::Recent { limit, json }) => {
            match sign_in(&store, cli.user.as_deref())
                .and_then(|s| store.recent_audit(&s, limit).map_err(CliError::from))
            {
                Ok(entries) => {
                    for e in &entries {
                        if json {
                            let _ = writeln!(io.out, "{}", serde_json::json!(e));
                        } else {
                            let at = (e.at
                                + chrono::Duration::hours(i64::from(regdesk_store::OFFICE_UTC_OFFSET_HOURS)))
                            .format("%Y-%m-%d %H:%M:%S");
                            let _ = writeln!(
                                io.out,
                                "{}\t{at}\t{}\t{}\t{} {}",
                                e.seq,
                                e.staff_name.as_deref().unwrap_or("—"),
                                e.command,
                                e.entity,
                                e.entity_id
                            );
                        }
                    }
                    0
                }
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    1
                }
            }
        }
        Cmd::Audit(AuditCmd::ResetAnchor { reason }) => {
            let reset = sign_in(&store, cli.user.as_deref()).and_then(|s| {
                store
                    .reset_audit_anchor(&s, &regdesk_store::ResetAnchorInput { reason })
                    .map_err(CliError::from)
            });
            match reset {
                Ok(r) => audit_report(&r, false, io),
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    1
                }
            }
        }
        Cmd::Audit(AuditCmd::Verify { json }) => {
            // A database too large to check at open is checked here, before the chain.
            let damaged = store.deferred_check().and_then(|c| c.run(store.now()).err());
            let checked = match damaged {
                Some(e) => Err(e),
                None => match sync_cmd::server_chain(&store) {
                    Ok(Some(heads)) => store.verify_audit_with_server(&heads),
                    Ok(None) => store.verify_audit(),
                    Err(why) => {
                        let _ = writeln!(
                            io.err,
                            "无法向服务器核对本工作站的审计链（{why}）：以下只是本机的校验，联网后请再运行一次"
                        );
                        store.verify_audit()
                    }
                },
            };
            match checked {
                Ok(r) => audit_report(&r, json, io),
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    1
                }
            }
        }
        Cmd::Demo { cases } => {
            match regdesk_store::demo::fill_office(&store, if cases > DEMO_BY_COMMANDS { DEMO_COPIED } else { cases }) {
                Ok(sum) => {
                    let _ = writeln!(
                    io.out,
                    "已建立示例机构“{}”：新增工作人员 {} 名，登录名见 `regdesk staff list`，密码均为 {}（管理员 {}）。数据目录：{}",
                    sum.office,
                    sum.staff_added,
                    sum.password,
                    sum.admin_username,
                    store.path().parent().map(|p| p.display().to_string()).unwrap_or_default()
                );
                    if sum.cases_made > 0 {
                        let _ = writeln!(
                        io.out,
                        "示例作品 {} 件：暂存、待签章、待缴费；12 件以上另有待核款、待初审与已登记，24 件以上还有待终审、退回补正、不予登记与撤销登记，并附银行流水示例（`regdesk --user wangli case list`）。",
                        sum.cases_made
                    );
                    }
                    if cases > DEMO_BY_COMMANDS {
                        // The rest as copies of those filings, a batch per command, with a progress line.
                        let started = std::time::Instant::now();
                        let grown = regdesk_store::demo::grow_office(&store, u64::from(cases), |n| {
                            let _ = write!(
                                io.err,
                                "\r正在生成示例作品：{n} / {cases} 件（已用 {} 秒）",
                                started.elapsed().as_secs()
                            );
                            let _ = io.err.flush();
                        });
                        let _ = writeln!(io.err);
                        match grown {
                            Ok(n) => {
                                let _ = writeln!(
                                    io.out,
                                    "另复制示例作品至共 {n} 件（各状态、各机构都有；用时 {} 秒）。",
                                    started.elapsed().as_secs()
                                );
                            }
                            Err(e) => {
                                let _ = writeln!(io.err, "{e}");
                                return 1;
                            }
                        }
                    }
                    0
                }
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    1
                }
            }
        }
    };
    // The signed audit head is written off the command's path: wait for it,
    // and say so if it could not be written (the command itself is saved).
    if let Some(why) = store.flush_audit_anchor() {
        let _ = writeln!(
            io.err,
            "注意：审计锚点没有写进（{why}）；已保存的记录不受影响。请检查数据目录所在磁盘的剩余空间与写权限；`regdesk audit verify` 会报告此事，下一次操作会重写锚点"
        );
    }
    code
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(msg) = password_flag_refusal(&args) {
        eprintln!("{msg}");
        return ExitCode::from(2);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    ExitCode::from(run(
        cli,
        &mut Io {
            out: &mut out,
            err: &mut err,
        },
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The tests' key file (a fixed key, for any data directory), named by `REGDESK_KEY_FILE`.
    fn test_key_file() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use regdesk_store::keys::{KeyHome, StationKeys, KEY_FILE_ENV};
            let path = std::env::temp_dir().join("regdesk-cli-tests.key");
            let code = StationKeys::from_secret([0x42; 32], KeyHome::KeyStore).recovery_code();
            std::fs::write(&path, code.as_bytes()).unwrap();
            std::env::set_var(KEY_FILE_ENV, path);
        });
    }

    /// Runs the CLI in-process; returns (exit code, stdout, stderr).
    pub(crate) fn regdesk(dir: &std::path::Path, args: &[&str]) -> (u8, String, String) {
        test_key_file();
        let mut full = vec!["regdesk", "--data-dir", dir.to_str().unwrap()];
        full.extend_from_slice(args);
        let cli = Cli::try_parse_from(full).unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(
            cli,
            &mut Io {
                out: &mut out,
                err: &mut err,
            },
        );
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    #[test]
    fn audit_verify_passes_then_names_the_tampered_entry() {
        let d = tempfile::tempdir().unwrap();
        let (code, out, _) = regdesk(d.path(), &["demo"]);
        assert_eq!(code, 0, "{out}");
        let (code, out, _) = regdesk(d.path(), &["audit", "verify"]);
        assert_eq!(code, 0);
        assert!(out.contains("审计链完整"), "{out}");
        let keys = regdesk_store::keys::station_keys(d.path(), regdesk_store::keys::KeyUse::Existing).unwrap();
        let db = regdesk_store::connect(&d.path().join(regdesk_store::DB_FILE), &keys.database()).unwrap();
        db.execute("UPDATE journal SET at = '2020-01-01T00:00:00Z' WHERE seq = 3", [])
            .unwrap();
        let (code, _, err) = regdesk(d.path(), &["audit", "verify"]);
        assert_eq!(code, 1);
        assert!(err.contains("第 3 条"), "{err}");
    }

    #[test]
    fn a_large_demo_office_is_grown_from_copies_with_a_progress_line_and_verifies() {
        let d = tempfile::tempdir().unwrap();
        let (code, out, err) = regdesk(d.path(), &["demo", "--cases", "1000"]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("示例作品 24 件"), "{out}");
        assert!(out.contains("另复制示例作品至共 1008 件"), "{out}");
        assert!(err.contains("正在生成示例作品：1008 / 1000 件"), "{err}");
        let (code, out, err) = regdesk(d.path(), &["audit", "verify"]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("审计链完整"), "{out}");
    }
}
