//! `regdesk sync`: enrol with the central server, sync once or keep
//! syncing, the station's sync status, and the 需处理 inbox.

use std::sync::Arc;

use clap::{Args, Subcommand};
use regdesk_store::Store;
use regdesk_sync::client::{SyncClient, SyncError};
use regdesk_sync::run::{fetch_blob, first_sync, sync_once, watch, WatchConfig};
use regdesk_sync::station::SyncOutcome;
use serde_json::json;

use crate::desk_io::{emit, refused};
use crate::{sign_in, CliError, Io};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub cmd: Option<SyncSub>,
    /// 持续同步：上传本机的新记录，并即时接收其他工作站的记录（Ctrl-C 结束）。 / Keep syncing until Ctrl-C.
    #[arg(long)]
    pub watch: bool,
    /// 每轮结果输出为一行 JSON / one JSON object per round
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum SyncSub {
    /// 加入同步服务器：服务器地址、管理员给出的一次性加入码与 CA 指纹（已有登记机构的工作站需管理员 --user；新的数据目录直接加入已有机构）。 / Enrol this station with the server (code and CA fingerprint from the server's admin).
    Enrol {
        /// 服务器地址，如 https://192.168.1.10:8443
        #[arg(long)]
        server: String,
        /// 一次性加入码（regdesk-server station add 给出）
        #[arg(long)]
        code: String,
        /// 服务器 CA 的 SHA-256 指纹（可带冒号）
        #[arg(long)]
        fingerprint: String,
        #[arg(long)]
        json: bool,
    },
    /// 同步状态：服务器、工作站名称、CA 指纹、上次成功同步、上次错误、待同步条数、需处理条数（不需登录）。 / Sync status (no sign-in).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// 需处理：被服务器拒绝的记录，含所填内容、原因与服务器当前的值（需 --user）。 / The inbox of rejected entries (signed in).
    Inbox {
        /// 每条一行 JSON / one JSON object per entry
        #[arg(long)]
        json: bool,
    },
    /// 下载本机还没有的附件（样本、身份证明、回单等），显示进度；--case 只下载该案件的（不需登录）。 / Download the attachments this station lacks (one case's with --case).
    FetchFiles {
        /// 只下载此案件的附件（流水号、登记号或案件编号）
        #[arg(long)]
        case: Option<String>,
        /// 结果输出为 JSON：{missing, fetched, failed, bytes} / counts as JSON
        #[arg(long)]
        json: bool,
    },
    /// 放弃一条需处理的记录（其办理人或管理员 --user；须 --yes 确认；记入审计）。 / Discard a rejected entry (its maker or an admin; needs --yes; audited).
    Discard {
        /// 记录编号（sync inbox 中的 entry_id）
        id: String,
        /// 确认放弃：放弃后这条记录不再上传服务器
        #[arg(long)]
        yes: bool,
    },
}

/// A runtime for the client on this thread.
fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("无法启动网络运行环境：{e}"))
}

fn fail(io: &mut Io<'_>, message: impl std::fmt::Display) -> u8 {
    let _ = writeln!(io.err, "{message}");
    1
}

pub fn sync(store: &Store, user: Option<&str>, args: &SyncArgs, io: &mut Io<'_>) -> u8 {
    match &args.cmd {
        None => run_sync(store, args.watch, args.json, io),
        Some(SyncSub::Enrol {
            server,
            code,
            fingerprint,
            json,
        }) => enrol(store, user, server, code, fingerprint, *json, io),
        Some(SyncSub::Status { json }) => status(store, *json, io),
        Some(SyncSub::Inbox { json }) => inbox(store, user, *json, io),
        Some(SyncSub::Discard { id, yes }) => discard(store, user, id, *yes, io),
        Some(SyncSub::FetchFiles { case, json }) => fetch_files(store, case.as_deref(), *json, io),
    }
}

/// `sync fetch-files`: every attachment the station lacks (or one case's),
/// each checked against its hash and kept encrypted; a progress line on
/// stderr, the counts at the end. A file that fails does not stop the others.
fn fetch_files(store: &Store, case: Option<&str>, json: bool, io: &mut Io<'_>) -> u8 {
    let missing = match case {
        Some(c) => store.missing_blobs_of_case(c),
        None => store.missing_blobs(),
    };
    let missing = match missing {
        Ok(m) => m,
        Err(e) => return fail(io, e.to_api().message),
    };
    let (mut fetched, mut bytes, mut failures) = (0u64, 0u64, Vec::new());
    if !missing.is_empty() {
        let client = match client_for(store) {
            Ok(c) => c,
            Err(e) => return fail(io, e),
        };
        let rt = match runtime() {
            Ok(rt) => rt,
            Err(e) => return fail(io, e),
        };
        let count = missing.len();
        rt.block_on(async {
            for (i, sha) in missing.iter().enumerate() {
                let mut size = 0u64;
                let result = fetch_blob(store, &client, sha, |done, total| {
                    size = total;
                    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
                    let _ = write!(
                        io.err,
                        "\r正在下载附件 {} / {}：{:.1} / {:.1} MB",
                        i + 1,
                        count,
                        mb(done),
                        mb(total)
                    );
                    let _ = io.err.flush();
                })
                .await;
                match result {
                    Ok(()) => {
                        fetched += 1;
                        bytes += size;
                    }
                    Err(e) => failures.push(format!("附件 {sha}：{e}")),
                }
            }
        });
        let _ = writeln!(io.err);
    }
    let failed = failures.len() as u64;
    if json {
        emit(
            io,
            &json!({ "missing": missing.len(), "fetched": fetched, "failed": failed, "bytes": bytes }),
        );
    } else if missing.is_empty() {
        let _ = writeln!(io.out, "本机已有全部附件");
    } else {
        let _ = writeln!(
            io.out,
            "已下载 {fetched} 个附件（{:.1} MB），共缺 {} 个",
            bytes as f64 / (1024.0 * 1024.0),
            missing.len()
        );
    }
    for f in &failures {
        let _ = writeln!(io.err, "{f}");
    }
    if failures.is_empty() {
        0
    } else {
        fail(
            io,
            format!("{failed} 个附件未能下载：稍后再运行 regdesk sync fetch-files 续下"),
        )
    }
}

fn enrol(
    store: &Store,
    user: Option<&str>,
    server: &str,
    code: &str,
    fingerprint: &str,
    json: bool,
    io: &mut Io<'_>,
) -> u8 {
    // An office of its own: an admin takes it to the server. A new data
    // directory joins the server's office. Signing in comes first, so a
    // wrong password does not use up the one-time code.
    let has_office = match store.app_status(None) {
        Ok(s) => s.office.is_some(),
        Err(e) => return refused(io, &e),
    };
    let session = if has_office {
        match sign_in(store, user) {
            Ok(s) => Some(s),
            Err(e) => return fail(io, e),
        }
    } else {
        None
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(io, e),
    };
    let enrolment = match rt.block_on(SyncClient::enrol(server, code, fingerprint, store.station_id())) {
        Ok(e) => e,
        Err(e) => return fail(io, e),
    };
    let saved = match &session {
        Some(s) => store.save_enrolment(s, &enrolment),
        None => store.join_office(&enrolment),
    };
    if let Err(e) = saved {
        return refused(io, &e);
    }
    if json {
        emit(
            io,
            &json!({
                "server_url": enrolment.server_url,
                "station_name": enrolment.station_name,
                "office": enrolment.office,
                "ca_fingerprint": enrolment.ca_fingerprint,
                "joined": session.is_none(),
            }),
        );
    } else {
        let _ = writeln!(
            io.out,
            "已加入同步服务器 {}：本工作站名为“{}”，登记机构 {}（{}），CA 指纹 {}",
            enrolment.server_url,
            enrolment.station_name,
            enrolment.office.name,
            enrolment.office.code,
            enrolment.ca_fingerprint
        );
        let next = if session.is_none() {
            "接着运行 regdesk sync 接收机构的数据"
        } else {
            "接着运行 regdesk sync 上传本机的新记录并接收其他工作站的记录"
        };
        let _ = writeln!(io.out, "{next}（或 regdesk sync --watch 持续同步）。");
    }
    0
}

/// The client for this station, or why there is none.
fn client_for(store: &Store) -> Result<SyncClient, String> {
    match store.enrolment() {
        Ok(Some(e)) => SyncClient::new(&e).map_err(|e| e.to_string()),
        Ok(None) => Err(SyncError::NotEnrolled.to_string()),
        Err(e) => Err(e.to_api().message),
    }
}

/// The heads of this station's audit chain the office's server recorded as
/// it pushed: `Ok(None)` while the station works alone; `Err` (why) when it
/// is enrolled but the server cannot be asked now.
pub fn server_chain(store: &Store) -> Result<Option<Vec<regdesk_sync::protocol::RecordedHead>>, String> {
    match store.enrolment() {
        Ok(None) => return Ok(None),
        Err(e) => return Err(e.to_api().message),
        Ok(Some(_)) => {}
    }
    let client = client_for(store)?;
    let rt = runtime()?;
    rt.block_on(client.chain())
        .map(|r| Some(r.heads))
        .map_err(|e| e.to_string())
}

/// The first sync's snapshot, if one is due, with a progress line.
async fn snapshot_first(store: &Store, client: &SyncClient, io: &mut Io<'_>) -> Result<(), String> {
    let mut shown = false;
    let (mut rows, mut bytes) = (0u64, 0u64);
    let result = first_sync(store, client, |chunk| {
        shown = true;
        rows += chunk.rows.len() as u64;
        bytes += chunk
            .rows
            .iter()
            .map(|r| serde_json::to_string(&r.row).map(|t| t.len() as u64).unwrap_or(0))
            .sum::<u64>();
        let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
        let _ = write!(
            io.err,
            "\r正在接收机构数据：{} / {} 行，{:.1} / {:.1} MB",
            rows.min(chunk.total_rows),
            chunk.total_rows,
            mb(bytes.min(chunk.total_bytes)),
            mb(chunk.total_bytes)
        );
        let _ = io.err.flush();
    })
    .await;
    if shown {
        let _ = writeln!(io.err);
    }
    result
}

fn print_outcome(out: &SyncOutcome, json: bool, io: &mut Io<'_>) {
    if json {
        emit(io, out);
        return;
    }
    let _ = writeln!(
        io.out,
        "上传 {} 条：接受 {} 条，拒绝 {} 条；下载 {} 条；同步位置 {}",
        out.pushed, out.accepted, out.rejected, out.pulled, out.cursor
    );
    if out.rejected > 0 {
        let _ = writeln!(io.out, "被拒绝的记录已放入“需处理”：regdesk sync inbox");
    }
}

fn run_sync(store: &Store, keep_going: bool, json: bool, io: &mut Io<'_>) -> u8 {
    let client = match client_for(store) {
        Ok(c) => c,
        Err(e) => return fail(io, e),
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(e) => return fail(io, e),
    };
    rt.block_on(async {
        if let Err(e) = snapshot_first(store, &client, io).await {
            return fail(io, format!("机构数据未接收完（下次同步从中断处继续）：{e}"));
        }
        if !keep_going {
            let out = sync_once(store, &client).await;
            print_outcome(&out, json, io);
            return match &out.error {
                Some(e) => fail(io, e),
                None => 0,
            };
        }
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = stop_tx.send(true);
        });
        // Nothing pokes from the command line: local work made by other
        // `regdesk` runs goes up with the next round.
        let poke = Arc::new(tokio::sync::Notify::new());
        let mut last_error: Option<String> = None;
        watch(store, &client, &poke, stop_rx, WatchConfig::default(), |out| {
            if out.pushed > 0 || out.pulled > 0 || json {
                print_outcome(out, json, io);
            }
            if out.error != last_error {
                match &out.error {
                    Some(e) => {
                        let _ = writeln!(io.err, "{e}");
                    }
                    None => {
                        let _ = writeln!(io.err, "已恢复与同步服务器的连接");
                    }
                }
                last_error = out.error.clone();
            }
        })
        .await;
        0
    })
}

fn status(store: &Store, json: bool, io: &mut Io<'_>) -> u8 {
    let v = match store.sync_status() {
        Ok(v) => v,
        Err(e) => return refused(io, &e),
    };
    if json {
        emit(io, &v);
        return 0;
    }
    if !v.enrolled {
        let _ = writeln!(
            io.out,
            "本工作站尚未加入同步服务器（单机使用）。加入：regdesk sync enrol --server https://主机:端口 --code 加入码 --fingerprint CA指纹"
        );
        return 0;
    }
    let shown = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| {
            (t + chrono::Duration::hours(i64::from(regdesk_store::OFFICE_UTC_OFFSET_HOURS)))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_else(|| "—".into())
    };
    let text = |s: &Option<String>| s.clone().unwrap_or_else(|| "—".into());
    let _ = writeln!(io.out, "服务器：{}", text(&v.server_url));
    let _ = writeln!(io.out, "工作站：{}", text(&v.station_name));
    let _ = writeln!(io.out, "登记机构：{}", text(&v.office_name));
    let _ = writeln!(io.out, "CA 指纹：{}", text(&v.ca_fingerprint));
    let _ = writeln!(io.out, "上次成功同步：{}", shown(v.last_success));
    let _ = writeln!(
        io.out,
        "状态：{}",
        if v.offline {
            format!("离线 · {} 条待同步", v.pending)
        } else {
            format!("在线 · {} 条待同步", v.pending)
        }
    );
    if let Some(e) = &v.last_error {
        let _ = writeln!(io.out, "上次错误：{e}");
    }
    let _ = writeln!(io.out, "需处理：{} 条", v.inbox);
    let _ = writeln!(io.out, "同步位置：{}", v.cursor);
    if let Some(p) = &v.snapshot {
        let _ = writeln!(
            io.out,
            "机构数据接收中：{} / {} 行（运行 regdesk sync 继续）",
            p.rows_done, p.rows_total
        );
    }
    0
}

fn inbox(store: &Store, user: Option<&str>, json: bool, io: &mut Io<'_>) -> u8 {
    let items = match sign_in(store, user).and_then(|s| store.sync_inbox(&s).map_err(CliError::from)) {
        Ok(items) => items,
        Err(CliError::Store(e)) => return refused(io, &e),
        Err(e) => return fail(io, e),
    };
    for item in &items {
        if json {
            emit(io, item);
            continue;
        }
        let at = (item.at + chrono::Duration::hours(i64::from(regdesk_store::OFFICE_UTC_OFFSET_HOURS)))
            .format("%Y-%m-%d %H:%M:%S");
        let _ = writeln!(
            io.out,
            "{}\t{at}\t{}\t{}\t{}",
            item.entry_id,
            item.staff_name.as_deref().unwrap_or("—"),
            item.command_words,
            item.reason
        );
        for row in &item.rows {
            for f in &row.fields {
                let _ = writeln!(
                    io.out,
                    "  {}.{}：所填 {}；服务器 {}",
                    row.table_label,
                    f.column,
                    f.theirs.as_deref().unwrap_or("—"),
                    f.server.as_deref().unwrap_or("—")
                );
            }
        }
    }
    if !json && items.is_empty() {
        let _ = writeln!(io.out, "没有需处理的记录");
    }
    0
}

fn discard(store: &Store, user: Option<&str>, id: &str, yes: bool, io: &mut Io<'_>) -> u8 {
    if !yes {
        return fail(
            io,
            format!("放弃后这条记录不会再上传服务器（记入审计）：确认放弃请运行 regdesk sync discard {id} --yes"),
        );
    }
    let input = regdesk_store::DiscardInboxInput {
        entry_id: id.to_string(),
        confirm: true,
    };
    match sign_in(store, user).and_then(|s| store.discard_inbox_item(&s, &input).map_err(CliError::from)) {
        Ok(()) => {
            let _ = writeln!(io.out, "已放弃需处理的记录 {id}");
            0
        }
        Err(CliError::Store(e)) => refused(io, &e),
        Err(e) => fail(io, e),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::tests::regdesk;

    #[test]
    fn a_station_working_alone_is_told_how_to_join() {
        let d = tempfile::tempdir().unwrap();
        let (code, out, err) = regdesk(d.path(), &["sync", "status"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("尚未加入同步服务器") && out.contains("regdesk sync enrol"),
            "{out}"
        );
        let (code, out, _) = regdesk(d.path(), &["sync", "status", "--json"]);
        assert_eq!(code, 0);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["enrolled"], false, "{v}");
        let (code, _, err) = regdesk(d.path(), &["sync"]);
        assert_eq!(code, 1);
        assert!(err.contains("尚未加入同步服务器"), "{err}");
    }

    #[test]
    fn enrolment_refuses_a_bad_address_or_fingerprint_and_keeps_the_station_alone() {
        let d = tempfile::tempdir().unwrap();
        let fp = "AB".repeat(32);
        let (code, _, err) = regdesk(
            d.path(),
            &[
                "sync",
                "enrol",
                "--server",
                "http://127.0.0.1:1",
                "--code",
                "C",
                "--fingerprint",
                &fp,
            ],
        );
        assert_eq!(code, 1);
        assert!(err.contains("https://主机:端口"), "{err}");
        let (code, _, err) = regdesk(
            d.path(),
            &[
                "sync",
                "enrol",
                "--server",
                "https://127.0.0.1:1",
                "--code",
                "C",
                "--fingerprint",
                "AB:CD",
            ],
        );
        assert_eq!(code, 1);
        assert!(err.contains("64 位十六进制"), "{err}");
        // Nothing listens there: offline, named.
        let (code, _, err) = regdesk(
            d.path(),
            &[
                "sync",
                "enrol",
                "--server",
                "https://127.0.0.1:1",
                "--code",
                "C",
                "--fingerprint",
                &fp,
            ],
        );
        assert_eq!(code, 1);
        assert!(err.contains("无法连接同步服务器 https://127.0.0.1:1"), "{err}");
        let (_, out, _) = regdesk(d.path(), &["sync", "status", "--json"]);
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["enrolled"], false, "{v}");
    }

    #[test]
    fn discarding_asks_for_yes_first() {
        let d = tempfile::tempdir().unwrap();
        let (code, _, err) = regdesk(d.path(), &["sync", "discard", "0193"]);
        assert_eq!(code, 1);
        assert!(err.contains("regdesk sync discard 0193 --yes"), "{err}");
    }
}
