//! `regdesk backup` (make, list, verify) and `regdesk restore`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Subcommand};
use regdesk_store::backup::{self, BackupRecord};
use regdesk_store::{keys, Session, Store, SystemClock};
use serde_json::json;

use crate::Io;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub cmd: Option<BackupSub>,
    /// 备份到这个目录（默认：管理 → 备份 中设置的目录）
    #[arg(long)]
    pub to: Option<PathBuf>,
    /// 结果输出为一行 JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum BackupSub {
    /// 列出备份目录中的各代备份（需管理员 --user）。 / List the backup generations in the folder (admin).
    List {
        /// 备份目录（默认：设置中的目录）
        #[arg(long)]
        to: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// 备份状态：设置、上一次备份、下一次自动备份、各代备份（需管理员 --user）。 / Backup status: settings, the last backup, the next one, the generations (admin).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// 备份设置：目录、保留份数、间隔小时（只改写出的项；需管理员 --user）。 / Backup settings: folder, generations kept, hours between (admin).
    Settings {
        /// 备份目录 / folder
        #[arg(long)]
        folder: Option<String>,
        /// 保留份数 / generations kept
        #[arg(long)]
        keep: Option<u32>,
        /// 每隔几小时自动备份 / hours between scheduled backups
        #[arg(long)]
        every_hours: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// 校验一代备份：完整性检查、审计链、各附件校验和（不需登录）。 / Verify a backup generation: integrity, audit chain, every checksum (no sign-in).
    Verify {
        /// 这一代备份的目录（regdesk-YYYYMMDD-HHMMSS）
        generation: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// 这一代备份的目录（regdesk-YYYYMMDD-HHMMSS）
    pub from: PathBuf,
    /// 现有数据库含有备份之后的办理记录时仍然恢复（现有数据库另存一份）
    #[arg(long)]
    pub force: bool,
    /// 只说明恢复会怎样，不动数据
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
}

fn print_record(r: &BackupRecord, json: bool, io: &mut Io<'_>) -> u8 {
    if json {
        let _ = writeln!(io.out, "{}", json!(r));
    } else {
        let path = Path::new(&r.folder).join(&r.generation);
        if r.ok {
            let _ = writeln!(io.out, "已备份到 {}：{}", path.display(), r.message);
        } else {
            let _ = writeln!(io.err, "{}", r.message);
        }
    }
    if r.ok {
        0
    } else {
        1
    }
}

/// `regdesk backup [--to DIR]` and `regdesk backup list` (signed in).
pub fn backup(store: &Store, s: &Session, args: &BackupArgs, io: &mut Io<'_>) -> u8 {
    match &args.cmd {
        None => match store.backup_now(s, args.to.as_deref(), &mut |_| {}) {
            Ok(r) => print_record(&r, args.json, io),
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Some(BackupSub::List { to, json }) => {
            let folder = match to {
                Some(t) => Ok(t.clone()),
                None => store.backup_settings(s).map(|v| PathBuf::from(v.folder)),
            };
            let listed = folder.and_then(|f| {
                if f.as_os_str().is_empty() {
                    Ok(Vec::new())
                } else {
                    store.generations(&f)
                }
            });
            match listed {
                Ok(gens) => {
                    for g in &gens {
                        if *json {
                            let _ = writeln!(io.out, "{}", json!(g));
                        } else {
                            let verified = match g.verified {
                                Some(true) => "校验通过",
                                Some(false) => "校验未通过",
                                None => "未记录校验",
                            };
                            let _ = writeln!(
                                io.out,
                                "{}  至第 {} 条日志  {} 个附件  {verified}",
                                g.path, g.journal_seq, g.files
                            );
                        }
                    }
                    if gens.is_empty() && !*json {
                        let _ = writeln!(io.out, "备份目录中还没有备份");
                    }
                    0
                }
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    1
                }
            }
        }
        Some(BackupSub::Status { json }) => match store.backup_status(s) {
            Ok(st) => {
                if *json {
                    let _ = writeln!(io.out, "{}", json!(st));
                } else {
                    let set = &st.settings;
                    let _ = writeln!(
                        io.out,
                        "备份目录：{}\n保留 {} 份，每 {} 小时自动备份",
                        if set.folder.is_empty() {
                            "未设置"
                        } else {
                            set.folder.as_str()
                        },
                        set.keep,
                        set.every_hours
                    );
                    if let Some(l) = &st.last {
                        let _ = writeln!(io.out, "上一次：{}（{}）", l.generation, l.message);
                    }
                    if let Some(p) = &st.folder_problem {
                        let _ = writeln!(io.out, "目录问题：{p}");
                    }
                    let _ = writeln!(io.out, "共 {} 代备份", st.generations.len());
                }
                0
            }
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        },
        Some(BackupSub::Settings {
            folder,
            keep,
            every_hours,
            json,
        }) => {
            let done = store.backup_settings(s).and_then(|cur| {
                store.update_backup_settings(
                    s,
                    &regdesk_store::backup::BackupSettingsInput {
                        version: cur.version,
                        folder: folder.clone().unwrap_or(cur.folder),
                        keep: keep.unwrap_or(cur.keep),
                        every_hours: every_hours.unwrap_or(cur.every_hours),
                    },
                )
            });
            match done {
                Ok(v) => {
                    if *json {
                        let _ = writeln!(io.out, "{}", json!(v));
                    } else {
                        let _ = writeln!(
                            io.out,
                            "备份目录：{}，保留 {} 份，每 {} 小时自动备份",
                            v.folder, v.keep, v.every_hours
                        );
                    }
                    0
                }
                Err(e) => {
                    let api = e.to_api();
                    let _ = writeln!(io.err, "{}", api.message);
                    for f in &api.fields {
                        let _ = writeln!(io.err, "  {}：{}", f.field, f.message);
                    }
                    1
                }
            }
        }
        // Handled before the store opens (main.rs): verifying opens only the copy.
        Some(BackupSub::Verify { .. }) => 2,
    }
}

/// `regdesk backup verify GENERATION`: opens only the copy, with the keys of the data directory it came from.
pub fn verify(data_dir: &Path, args: &BackupArgs, io: &mut Io<'_>) -> u8 {
    let Some(BackupSub::Verify { generation, json }) = &args.cmd else {
        return 2;
    };
    // Opening the copy needs the keys of the data directory it was made from.
    let keys = match keys::station_keys(data_dir, keys::KeyUse::Existing) {
        Ok(k) => k,
        Err(e) => {
            let _ = writeln!(io.err, "{e}");
            return 1;
        }
    };
    match backup::verify_generation(generation, &keys) {
        Ok(r) => {
            if *json {
                let _ = writeln!(io.out, "{}", json!(r));
            } else if r.ok {
                let _ = writeln!(io.out, "{}", r.message);
            } else {
                let _ = writeln!(io.err, "{}", r.message);
            }
            if r.ok {
                0
            } else {
                1
            }
        }
        Err(e) => {
            let _ = writeln!(io.err, "{e}");
            1
        }
    }
}

/// `regdesk restore FROM [--force] [--dry-run]`: with the desktop app closed.
/// Works on a damaged database (no sign-in: it may not open).
pub fn restore(data_dir: &Path, args: &RestoreArgs, io: &mut Io<'_>) -> u8 {
    // The backup is encrypted with this data directory's keys (on a new machine: `regdesk key import` first).
    let keys = match keys::station_keys(data_dir, keys::KeyUse::Existing) {
        Ok(k) => k,
        Err(e) => {
            let _ = writeln!(io.err, "{e}");
            return 1;
        }
    };
    if args.dry_run {
        return match backup::restore_plan(data_dir, &args.from, &keys) {
            Ok(p) => {
                if args.json {
                    let _ = writeln!(io.out, "{}", json!(p));
                } else {
                    let _ = writeln!(io.out, "{}", p.message);
                }
                0
            }
            Err(e) => {
                let _ = writeln!(io.err, "{e}");
                1
            }
        };
    }
    match backup::restore(data_dir, &args.from, args.force, Arc::new(SystemClock), &keys) {
        Ok(r) => {
            if args.json {
                let _ = writeln!(io.out, "{}", json!(r));
            } else {
                let _ = writeln!(io.out, "{}", r.plan.message);
                let _ = writeln!(io.out, "{}", r.message);
            }
            0
        }
        Err(e) => {
            if args.json {
                let _ = writeln!(io.out, "{}", json!({ "ok": false, "error": e.to_string() }));
            }
            let _ = writeln!(io.err, "{e}");
            1
        }
    }
}
