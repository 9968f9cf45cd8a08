//! `regdesk key`: the station's encryption key, for backups and restores (administrators only).
//!
//! - `regdesk key export --user ADMIN` prints the recovery code of the data
//!   directory's key (keep it off the machine, apart from the backups) and
//!   where the key is kept; each export is journaled (who, when).
//! - `regdesk key import --user ADMIN` reads a recovery code (from
//!   `REGDESK_RECOVERY_CODE`, else one line of standard input), checks that it
//!   opens the database copied into the data directory and that the user is an
//!   administrator, and only then keeps it as this machine's key for that directory.

use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use regdesk_store::keys::{self, KeyHome, StationKeys};
use regdesk_store::{Store, SystemClock, DB_FILE};
use zeroize::Zeroizing;

use crate::Io;

/// `regdesk key` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum KeyCmd {
    /// 导出恢复码：打印本数据目录密钥的恢复码及密钥保存位置（需管理员 --user）。 / Export the recovery code of this data directory's key, and where the key is kept (admin).
    Export,
    /// 导入恢复码：恢复备份到新机器后，导入原数据目录的恢复码（取自 REGDESK_RECOVERY_CODE 或标准输入；需管理员 --user）。 / Import a recovery code on a new machine after a restore (from REGDESK_RECOVERY_CODE or stdin; admin).
    Import,
}

/// `regdesk key export`.
pub fn export(store: &Store, user: Option<&str>, io: &mut Io<'_>) -> u8 {
    let done = crate::sign_in(store, user).and_then(|s| {
        let code = store.key_recovery_code(&s)?;
        let home = store.key_location(&s)?;
        Ok((code, home))
    });
    match done {
        Ok((code, home)) => {
            let _ = writeln!(io.out, "{}", code.as_str());
            let _ = writeln!(
                io.err,
                "以上为数据目录的恢复码：备份与本机数据都用此密钥加密，请抄写或打印后与备份分开妥善保管，切勿外传。\n密钥当前保存在：{home}\n本次导出已记入日志（导出人与时间）。"
            );
            0
        }
        Err(e) => {
            let _ = writeln!(io.err, "{e}");
            1
        }
    }
}

fn read_code(input: &mut dyn BufRead) -> Option<Zeroizing<String>> {
    if let Some(v) = std::env::var_os("REGDESK_RECOVERY_CODE") {
        return v.into_string().ok().map(Zeroizing::new);
    }
    let mut line = Zeroizing::new(String::new());
    input.read_line(&mut line).ok()?;
    (!line.trim().is_empty()).then_some(line)
}

/// `regdesk key import`.
pub fn import(dir: &Path, user: Option<&str>, input: &mut dyn BufRead, io: &mut Io<'_>) -> u8 {
    let fail = |io: &mut Io<'_>, msg: String| {
        let _ = writeln!(io.err, "{msg}");
        1
    };
    if !dir.join(DB_FILE).exists() {
        return fail(
            io,
            format!(
                "数据目录 {} 中没有数据库：请先把备份的数据目录复制到这里，再导入它的恢复码",
                dir.display()
            ),
        );
    }
    let Some(code) = read_code(input) else {
        return fail(io, "请在环境变量 REGDESK_RECOVERY_CODE 或标准输入中提供恢复码".into());
    };
    let secret = match keys::parse_recovery_code(&code) {
        Ok(s) => s,
        Err(e) => return fail(io, e.to_string()),
    };
    // The code must open this database, and an administrator must sign in, before it is kept.
    let trial = StationKeys::from_secret(secret, KeyHome::EnvFile("恢复码".into()));
    let checked = Store::open_with_keys(dir, Arc::new(SystemClock), trial)
        .map_err(crate::CliError::from)
        .and_then(|store| {
            let s = crate::sign_in(&store, user)?;
            store.key_location(&s)?;
            Ok(())
        });
    if let Err(e) = checked {
        return fail(io, e.to_string());
    }
    match keys::import(dir, &code) {
        Ok(k) => {
            let _ = writeln!(io.out, "恢复码已导入，密钥保存在：{}", k.home());
            0
        }
        Err(e) => fail(io, e.to_string()),
    }
}
