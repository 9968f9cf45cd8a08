//! `regdesk calendar`: questions to the working-day calendar (工作日历), and loading a later year.
//!
//! - `regdesk calendar due DATE [--workdays N]` prints (YYYY-MM-DD) the N-th working day strictly after DATE;
//!   N defaults to 30, the default review period.
//! - `regdesk calendar due [--workdays N]` (no DATE) reads lines `DATE [N]` from standard input and prints
//!   one date per line, in input order (a missing N falls back to `--workdays`, then 30). Blank lines are
//!   skipped. A bad line prints nothing on standard output (so the remaining answers keep their order but
//!   no longer line up one-to-one with the input), a message naming the line number on standard error, and
//!   makes the exit status 1 once every line has been processed.
//! - `regdesk calendar between FROM TO` prints the number of working days d with FROM < d <= TO.
//! - `regdesk calendar load FILE` checks a year's calendar file and adds the year to the calendar
//!   (the caller persists it).
//!
//! Dates are accepted as 2026-11-25, 2026/11/25 or 20261125. Errors go to standard error; the exit status
//! is 0 on success and 1 on any error.

use std::io::{BufRead, Write};

use chrono::NaiveDate;
use regdesk_domain::calendar::{CasePeriods, WorkCalendar, YearCalendar};

/// `regdesk calendar` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum CalendarCmd {
    /// 办结日期：DATE 之后第 N 个工作日（不给 DATE 时从标准输入逐行读取 “DATE N”） / Due date: the Nth working day after DATE (without DATE, lines of “DATE N” from stdin).
    Due {
        /// 起算日期，如 2026-11-25、2026/11/25 或 20261125
        date: Option<String>,
        /// 工作日数（默认 30）
        #[arg(long)]
        workdays: Option<u32>,
    },
    /// FROM 与 TO 之间的工作日数（不含 FROM，含 TO） / Working days between FROM and TO (FROM excluded, TO included).
    Between { from: String, to: String },
    /// 载入某一年的工作日历文件 / Load a year's calendar file (admin).
    Load { file: std::path::PathBuf },
    /// 已有的各年工作日历（需 --user）。 / The years loaded, built in or by an admin.
    Years {
        /// 每年一行 JSON / one JSON object per year
        #[arg(long)]
        json: bool,
    },
}

/// Parses a date written as `2026-11-25`, `2026/11/25` or `20261125`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let compact: String = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &t[0..4], &t[4..6], &t[6..8])
    } else {
        t.replace('/', "-")
    };
    let b = compact.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shaped
        .then(|| NaiveDate::parse_from_str(&compact, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("日期“{t}”无效，请写成 2026-11-25、2026/11/25 或 20261125"))
}

fn parse_workdays(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("工作日数“{}”无效，请写一个正整数，如 30", s.trim())),
    }
}

fn default_workdays(workdays: Option<u32>) -> Result<u32, String> {
    match workdays {
        Some(0) => Err("--workdays 应为正整数，如 30".to_string()),
        Some(n) => Ok(n),
        None => Ok(CasePeriods::default().review_working_days),
    }
}

/// Runs one `calendar` subcommand; returns the exit status. `persist` keeps a
/// loaded year's file (in the store) and says whether it replaced one; it runs
/// only after the file parsed.
pub fn run(
    cmd: &CalendarCmd,
    calendar: &mut WorkCalendar,
    persist: &mut dyn FnMut(&str) -> Result<bool, String>,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    match cmd {
        CalendarCmd::Due {
            date: Some(date),
            workdays,
        } => {
            let answer = default_workdays(*workdays).and_then(|n| {
                let d = parse_date(date)?;
                calendar.add_working_days(d, n).map_err(|e| e.to_string())
            });
            match answer {
                Ok(d) => {
                    let _ = writeln!(out, "{d}");
                    0
                }
                Err(e) => {
                    let _ = writeln!(err, "{e}");
                    1
                }
            }
        }
        CalendarCmd::Due { date: None, workdays } => {
            let fallback = match default_workdays(*workdays) {
                Ok(n) => n,
                Err(e) => {
                    let _ = writeln!(err, "{e}");
                    return 1;
                }
            };
            let mut status = 0;
            let mut line_no = 0usize;
            let mut buf = String::new();
            loop {
                buf.clear();
                match stdin.read_line(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => {
                        let _ = writeln!(err, "读取标准输入失败：{e}");
                        return 1;
                    }
                }
                line_no += 1;
                let line = buf.trim();
                if line.is_empty() {
                    continue;
                }
                let answer = (|| {
                    let mut parts = line.split_whitespace();
                    let date = parse_date(parts.next().unwrap_or_default())?;
                    let n = match parts.next() {
                        Some(n) => parse_workdays(n)?,
                        None => fallback,
                    };
                    if let Some(extra) = parts.next() {
                        return Err(format!("多余的内容“{extra}”，每行应为 日期 工作日数，如 2026-11-25 30"));
                    }
                    calendar.add_working_days(date, n).map_err(|e| e.to_string())
                })();
                match answer {
                    Ok(d) => {
                        let _ = writeln!(out, "{d}");
                    }
                    Err(e) => {
                        let _ = writeln!(err, "第 {line_no} 行：{e}");
                        status = 1;
                    }
                }
            }
            status
        }
        CalendarCmd::Between { from, to } => {
            let answer = parse_date(from).and_then(|f| {
                let t = parse_date(to)?;
                calendar.working_days_between(f, t).map_err(|e| e.to_string())
            });
            match answer {
                Ok(n) => {
                    let _ = writeln!(out, "{n}");
                    0
                }
                Err(e) => {
                    let _ = writeln!(err, "{e}");
                    1
                }
            }
        }
        // Read from the store, signed in (main.rs).
        CalendarCmd::Years { .. } => 2,
        CalendarCmd::Load { file } => {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) => {
                    let _ = writeln!(err, "无法读取日历文件 {}：{e}", file.display());
                    return 1;
                }
            };
            match YearCalendar::parse(&text) {
                Ok(year) => {
                    let (y, holidays, workdays) = (year.year(), year.holidays().len(), year.make_up_workdays().len());
                    let replaced_stored = match persist(&text) {
                        Ok(r) => r,
                        Err(e) => {
                            let _ = writeln!(err, "{e}");
                            return 1;
                        }
                    };
                    let replaced = calendar.insert(year).is_some() || replaced_stored;
                    let _ = writeln!(
                        out,
                        "已载入 {y} 年工作日历：{holidays} 个节假日，{workdays} 个调休上班日{}",
                        if replaced {
                            "（替换了原先载入的同年日历）"
                        } else {
                            ""
                        }
                    );
                    0
                }
                Err(e) => {
                    let _ = writeln!(err, "日历文件 {} 有误：{e}", file.display());
                    1
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    /// Runs a command on the built-in calendar; returns (status, stdout, stderr).
    fn run_with(cmd: CalendarCmd, calendar: &mut WorkCalendar, input: &str) -> (i32, String, String) {
        let mut stdin = std::io::Cursor::new(input.as_bytes().to_vec());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = run(&cmd, calendar, &mut |_| Ok(false), &mut stdin, &mut out, &mut err);
        (status, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    fn builtin(cmd: CalendarCmd, input: &str) -> (i32, String, String) {
        run_with(cmd, &mut WorkCalendar::builtin(), input)
    }

    fn due(date: Option<&str>, workdays: Option<u32>) -> CalendarCmd {
        CalendarCmd::Due {
            date: date.map(str::to_string),
            workdays,
        }
    }

    #[test]
    fn date_forms() {
        let want = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        for s in ["2026-11-25", "2026/11/25", "20261125", " 2026-11-25 "] {
            assert_eq!(parse_date(s), Ok(want), "{s}");
        }
        for s in [
            "2026-11-31",
            "2026-1-5",
            "26-11-25",
            "2026.11.25",
            "202611250",
            "",
            "２０２６-11-25",
        ] {
            assert!(parse_date(s).is_err(), "{s}");
        }
    }

    #[test]
    fn due_with_arguments() {
        // From Fri 2026-02-13: Sat 02-14 (make-up) = 1, 02-15..23 off, Tue 02-24 = 2.
        let table = [
            (Some("2026-02-13"), Some(2), 0, "2026-02-24\n", ""),
            (Some("20260213"), Some(1), 0, "2026-02-14\n", ""),
            // Default 30: accepted Mon 2026-09-14 → Fri 2026-10-30.
            (Some("2026/09/14"), None, 0, "2026-10-30\n", ""),
            (
                Some("2026-12-20"),
                Some(30),
                1,
                "",
                "尚未载入 2027 年的工作日历，请管理员在“管理 → 工作日历”中载入\n",
            ),
            (
                Some("2026-13-01"),
                Some(1),
                1,
                "",
                "日期“2026-13-01”无效，请写成 2026-11-25、2026/11/25 或 20261125\n",
            ),
            (Some("2026-02-13"), Some(0), 1, "", "--workdays 应为正整数，如 30\n"),
        ];
        for (date, n, status, out, err) in table {
            assert_eq!(
                builtin(due(date, n), ""),
                (status, out.to_string(), err.to_string()),
                "{date:?} {n:?}"
            );
        }
    }

    #[test]
    fn due_from_stdin_keeps_going_after_bad_lines() {
        let input =
            "2026-02-13 2\n\nnot-a-date 3\n2026/09/14\n2026-02-13 0\n2026-12-20 30\n20260213 1 extra\n20260213 1\n";
        let (status, out, err) = builtin(due(None, None), input);
        assert_eq!(status, 1);
        assert_eq!(out, "2026-02-24\n2026-10-30\n2026-02-14\n");
        let err_lines: Vec<&str> = err.lines().collect();
        assert_eq!(err_lines.len(), 4, "{err}");
        assert!(err_lines[0].starts_with("第 3 行：日期“not-a-date”无效"), "{err}");
        assert!(err_lines[1].starts_with("第 5 行：工作日数“0”无效"), "{err}");
        assert_eq!(
            err_lines[2],
            "第 6 行：尚未载入 2027 年的工作日历，请管理员在“管理 → 工作日历”中载入"
        );
        assert!(err_lines[3].starts_with("第 7 行：多余的内容“extra”"), "{err}");
        // All good lines: status 0; --workdays is the fallback for lines without N.
        let (status, out, err) = builtin(due(None, Some(1)), "2026-02-13\r\n2026-02-13 2\n");
        assert_eq!(
            (status, out.as_str(), err.as_str()),
            (0, "2026-02-14\n2026-02-24\n", "")
        );
    }

    #[test]
    fn between() {
        let table = [
            ("2026-02-13", "2026-02-24", 0, "2\n", ""),
            ("2026-11-25", "2026-11-25", 0, "0\n", ""),
            ("2026-11-30", "2026-11-27", 0, "0\n", ""),
            (
                "2026-12-01",
                "2027-01-05",
                1,
                "",
                "尚未载入 2027 年的工作日历，请管理员在“管理 → 工作日历”中载入\n",
            ),
            (
                "2026-12-01",
                "bad",
                1,
                "",
                "日期“bad”无效，请写成 2026-11-25、2026/11/25 或 20261125\n",
            ),
        ];
        for (from, to, status, out, err) in table {
            let cmd = CalendarCmd::Between {
                from: from.to_string(),
                to: to.to_string(),
            };
            assert_eq!(
                builtin(cmd, ""),
                (status, out.to_string(), err.to_string()),
                "{from} {to}"
            );
        }
    }

    #[test]
    fn load() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("2027.txt");
        std::fs::write(
            &good,
            "# 2027\nyear 2027\noff 2027-01-01 元旦\noff 2027-02-06..2027-02-08\nwork 2027-01-02\n",
        )
        .unwrap();
        let mut cal = WorkCalendar::builtin();
        let (status, out, err) = run_with(CalendarCmd::Load { file: good.clone() }, &mut cal, "");
        assert_eq!(
            (status, out.as_str(), err.as_str()),
            (0, "已载入 2027 年工作日历：4 个节假日，1 个调休上班日\n", "")
        );
        assert_eq!(cal.years(), vec![2025, 2026, 2027]);
        // Now a count into 2027 works: from Thu 2026-12-31, 01-01 off, Sat 01-02 make-up.
        let (status, out, _) = run_with(due(Some("2026-12-31"), Some(1)), &mut cal, "");
        assert_eq!((status, out.as_str()), (0, "2027-01-02\n"));
        // Loading the same year again replaces it and says so.
        let (_, out, _) = run_with(CalendarCmd::Load { file: good }, &mut cal, "");
        assert!(out.contains("替换了原先载入的同年日历"), "{out}");

        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, "year 2028\nwork 2028-01-03\n").unwrap();
        let (status, out, err) = run_with(CalendarCmd::Load { file: bad }, &mut cal, "");
        assert_eq!((status, out.as_str()), (1, ""));
        assert!(err.contains("第 2 行：调休上班日 2028-01-03 是星期一"), "{err}");
        assert_eq!(cal.years(), vec![2025, 2026, 2027]);

        let missing = dir.path().join("missing.txt");
        let (status, _, err) = run_with(CalendarCmd::Load { file: missing }, &mut cal, "");
        assert_eq!(status, 1);
        assert!(err.starts_with("无法读取日历文件"), "{err}");
    }
}
