//! The real `regdesk` binary, as staff IT would script it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

/// The tests' key file: a fixed key, outside the data directories. Written
/// once per run, whole (a temporary file renamed into place), so that tests
/// running in parallel never read it half written.
fn key_file() -> std::path::PathBuf {
    use regdesk_store::keys::{KeyHome, StationKeys};
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join("regdesk-cli-tests.key");
        let code = StationKeys::from_secret([0x42; 32], KeyHome::KeyStore).recovery_code();
        let tmp = dir.join(format!("regdesk-cli-tests.key.{}", std::process::id()));
        std::fs::write(&tmp, code.as_bytes()).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        path
    })
    .clone()
}

fn regdesk(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regdesk"));
    c.arg("--data-dir")
        .arg(dir)
        .env("REGDESK_KEY_FILE", key_file())
        .env_remove("REGDESK_RECOVERY_CODE")
        .env_remove("REGDESK_DATA_DIR")
        .env_remove("REGDESK_USER");
    c
}

fn out(c: &mut Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn init_add_list_disable_verify() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path())
        .args([
            "init",
            "--office-name",
            "浙江省版权局",
            "--office-code",
            "ZJ",
            "--admin-name",
            "周建国",
        ])
        .env("REGDESK_ADMIN_PASSWORD", "Banquan2026"));
    assert_eq!(code, 0, "{o}{e}");
    // Twice is refused.
    let (code, _, e) = out(regdesk(d.path())
        .args([
            "init",
            "--office-name",
            "浙江省版权局",
            "--office-code",
            "ZJ",
            "--admin-name",
            "周建国",
        ])
        .env("REGDESK_ADMIN_PASSWORD", "Banquan2026"));
    assert_eq!(code, 1);
    assert!(e.contains("不能再次初始化"), "{e}");

    let admin = |c: &mut Command| {
        c.args(["--user", "admin"]).env("REGDESK_PASSWORD", "Banquan2026");
    };
    let mut c = regdesk(d.path());
    admin(&mut c);
    let (code, o, e) = out(c
        .args([
            "staff",
            "add",
            "--username",
            "liwen",
            "--name",
            "李雯",
            "--role",
            "first_reviewer,counter_clerk",
        ])
        .env("REGDESK_NEW_PASSWORD", "Chushen2026"));
    assert_eq!(code, 0, "{o}{e}");
    assert!(o.contains("初审"), "{o}");

    let mut c = regdesk(d.path());
    admin(&mut c);
    let (code, o, _) = out(c.args(["staff", "list", "--json"]));
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["username"], "liwen");
    assert_eq!(rows[1]["roles"], serde_json::json!(["counter_clerk", "first_reviewer"]));

    // A non-admin is refused by the store, not just by the screen.
    let (code, _, e) = out(regdesk(d.path())
        .args(["--user", "liwen", "staff", "list"])
        .env("REGDESK_PASSWORD", "Chushen2026"));
    assert_eq!(code, 1);
    assert!(e.contains("没有“管理工作人员”的权限"), "{e}");

    let mut c = regdesk(d.path());
    admin(&mut c);
    let (code, o, _) = out(c.args(["staff", "disable", "liwen"]));
    assert_eq!(code, 0, "{o}");

    let (code, o, _) = out(regdesk(d.path()).args(["audit", "verify"]));
    assert_eq!(code, 0);
    assert!(o.contains("审计链完整"), "{o}");
}

#[test]
fn audit_verify_names_the_case_and_field_changed_with_sqlite_and_a_deleted_tail() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path()).args(["demo", "--cases", "3"]));
    assert_eq!(code, 0, "{o}{e}");
    let (code, o, e) = out(regdesk(d.path()).args(["audit", "verify"]));
    assert_eq!(code, 0, "{o}{e}");
    let keys = regdesk_store::keys::StationKeys::from_secret([0x42; 32], regdesk_store::keys::KeyHome::KeyStore);
    let db = regdesk_store::connect(&d.path().join("regdesk.db"), &keys.database()).unwrap();
    let serial: String = db
        .query_row("SELECT serial FROM cases ORDER BY serial LIMIT 1", [], |r| r.get(0))
        .unwrap();
    db.execute("UPDATE cases SET state = 'registered' WHERE serial = ?1", [&serial])
        .unwrap();
    let (code, _, e) = out(regdesk(d.path()).args(["audit", "verify"]));
    assert_eq!(code, 1);
    assert!(e.contains(&format!("案件 {serial} 的 state 与审计记录不符")), "{e}");
    // The last entry deleted: the signed head outside the database finds it.
    db.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM journal);
         DELETE FROM journal WHERE seq = (SELECT MAX(seq) FROM journal);",
    )
    .unwrap();
    let (code, _, e) = out(regdesk(d.path()).args(["audit", "verify"]));
    assert_eq!(code, 1);
    assert!(e.contains("审计记录的末尾被删除"), "{e}");
}

#[test]
fn a_command_leaves_its_audit_head_in_force_and_one_that_cannot_be_written_is_reported() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path())
        .args([
            "init",
            "--office-name",
            "浙江省版权局",
            "--office-code",
            "ZJ",
            "--admin-name",
            "周建国",
        ])
        .env("REGDESK_ADMIN_PASSWORD", "Banquan2026"));
    assert_eq!(code, 0, "{o}{e}");
    // The head is written off the command's path; the process that exited left its last one.
    let keys = regdesk_store::keys::StationKeys::from_secret([0x42; 32], regdesk_store::keys::KeyHome::KeyStore);
    let db = regdesk_store::connect(&d.path().join("regdesk.db"), &keys.database()).unwrap();
    let last: i64 = db.query_row("SELECT MAX(seq) FROM journal", [], |r| r.get(0)).unwrap();
    let head = d.path().join(regdesk_store::HEAD_FILE);
    let signed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&head).unwrap()).unwrap();
    assert_eq!(signed["seq"], serde_json::json!(last));
    // Where the head goes, something that is not a file: the sign-in is saved, the head is not.
    std::fs::remove_file(&head).unwrap();
    std::fs::create_dir_all(head.join("占位")).unwrap();
    let (code, o, e) = out(regdesk(d.path())
        .args(["--user", "admin", "audit", "recent", "--limit", "1"])
        .env("REGDESK_PASSWORD", "Banquan2026"));
    assert_eq!(code, 0, "{o}{e}");
    assert!(e.contains("注意：审计锚点没有写进"), "{e}");
    assert!(e.contains("已保存的记录不受影响"), "{e}");
}

#[test]
fn a_bad_role_is_a_usage_error() {
    let d = tempfile::tempdir().unwrap();
    let (code, _, _) = out(regdesk(d.path()).args(["demo"]));
    assert_eq!(code, 0);
    let (code, _, e) = out(regdesk(d.path())
        .args([
            "--user",
            "admin",
            "staff",
            "add",
            "--username",
            "x1x",
            "--name",
            "某",
            "--role",
            "boss",
        ])
        .env("REGDESK_PASSWORD", "Banquan2026")
        .env("REGDESK_NEW_PASSWORD", "Abcdefg123"));
    assert_eq!(code, 2);
    assert!(e.contains("未知岗位"), "{e}");
}

#[test]
fn passwords_on_the_command_line_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let (code, _, e) = out(regdesk(d.path()).args([
        "init",
        "--office-name",
        "浙江省版权局",
        "--office-code",
        "ZJ",
        "--admin-name",
        "周建国",
        "--admin-password",
        "Banquan2026",
    ]));
    assert_eq!(code, 2);
    assert!(e.contains("REGDESK_ADMIN_PASSWORD"), "{e}");
    assert!(!d.path().join("regdesk.db").exists());
    let (code, _, e) = out(regdesk(d.path())
        .args([
            "--user",
            "admin",
            "staff",
            "add",
            "--username",
            "x1x",
            "--name",
            "某",
            "--role",
            "admin",
        ])
        .arg("--password=Abcdefg123")
        .env("REGDESK_PASSWORD", "Banquan2026"));
    assert_eq!(code, 2);
    assert!(e.contains("REGDESK_NEW_PASSWORD"), "{e}");
}

#[test]
fn without_the_variable_and_no_terminal_the_password_is_asked_for_by_name() {
    let d = tempfile::tempdir().unwrap();
    let (code, _, e) = out(regdesk(d.path())
        .args([
            "init",
            "--office-name",
            "浙江省版权局",
            "--office-code",
            "ZJ",
            "--admin-name",
            "周建国",
        ])
        .env_remove("REGDESK_ADMIN_PASSWORD")
        .stdin(std::process::Stdio::null()));
    assert_eq!(code, 1);
    assert!(e.contains("请在环境变量 REGDESK_ADMIN_PASSWORD 中提供"), "{e}");
}

#[test]
fn init_names_every_bad_field() {
    let d = tempfile::tempdir().unwrap();
    let (code, _, e) = out(regdesk(d.path())
        .args([
            "init",
            "--office-name",
            "",
            "--office-code",
            "浙",
            "--admin-name",
            "周建国",
        ])
        .env("REGDESK_ADMIN_PASSWORD", "short"));
    assert_eq!(code, 1);
    for f in ["office.name", "office.office_code", "admin.password"] {
        assert!(e.contains(f), "{f} in {e}");
    }
}

#[test]
fn id_check_json_in_input_order_with_exit_code() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path()).args([
        "id",
        "check",
        "--json",
        "11010519491231002X",
        "91350100M000100Y43",
        "11010519491231002",
    ]));
    assert_eq!(code, 1, "{o}{e}");
    let rows: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["type"], "resident-id");
    assert_eq!(rows[0]["valid"], true);
    assert_eq!(rows[0]["birth_date"], "1949-12-31");
    assert_eq!(rows[0]["sex"], "F");
    assert_eq!(rows[0]["province"], "北京市");
    assert_eq!(rows[1]["type"], "uscc");
    assert_eq!(rows[1]["valid"], true);
    assert_eq!(rows[2]["valid"], false);
    assert!(rows[2]["error"]["code"].is_string());
    assert!(!e.is_empty());
}

#[test]
fn calendar_due_between_and_load_through_the_store() {
    let d = tempfile::tempdir().unwrap();
    // Spring Festival 2026: 2/15–2/23 off, 2/14 and 2/28 make-up working days.
    let (code, o, e) = out(regdesk(d.path()).args(["calendar", "due", "2026-02-13", "--workdays", "1"]));
    assert_eq!(code, 0, "{e}");
    assert_eq!(o.trim(), "2026-02-14");
    let (code, o, _) = out(regdesk(d.path()).args(["calendar", "between", "2026-02-13", "2026-02-24"]));
    assert_eq!(code, 0);
    assert_eq!(o.trim(), "2");
    let (code, _, e) = out(regdesk(d.path()).args(["calendar", "due", "2027-03-01", "--workdays", "3"]));
    assert_eq!(code, 1);
    assert!(e.contains("2027"), "{e}");
    // Loading a year needs an admin and is kept in the data directory.
    let (code, _, _) = out(regdesk(d.path()).args(["demo"]));
    assert_eq!(code, 0);
    let f = d.path().join("2027.txt");
    std::fs::write(&f, "year 2027\nsource 测试\noff 2027-01-01 元旦\n").unwrap();
    let (code, _, e) = out(regdesk(d.path()).args(["calendar", "load", f.to_str().unwrap()]));
    assert_eq!(code, 1, "without --user");
    assert!(e.contains("--user"), "{e}");
    let (code, o, e) = out(regdesk(d.path())
        .args(["--user", "admin", "calendar", "load", f.to_str().unwrap()])
        .env("REGDESK_PASSWORD", "Banquan2026"));
    assert_eq!(code, 0, "{e}");
    assert!(o.contains("已载入 2027 年工作日历"), "{o}");
    let (code, o, _) = out(regdesk(d.path()).args(["calendar", "due", "2026-12-31", "--workdays", "1"]));
    assert_eq!(code, 0);
    assert_eq!(o.trim(), "2027-01-04");
}

#[test]
fn demo_cases_are_listed_shown_and_printed() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path()).args(["demo", "--cases", "6"]));
    assert_eq!(code, 0, "{o}{e}");
    assert!(o.contains("示例作品 6 件"), "{o}");
    let clerk = |c: &mut Command| {
        c.args(["--user", "wangli"]).env("REGDESK_PASSWORD", "Banquan2026");
    };
    let mut c = regdesk(d.path());
    clerk(&mut c);
    let (code, o, e) = out(c.args(["case", "list", "--json"]));
    assert_eq!(code, 0, "{e}");
    let rows: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 6);
    for key in [
        "serial",
        "title",
        "state",
        "category",
        "owners",
        "created_at",
        "accepted_on",
        "due_on",
        "registration_number",
    ] {
        assert!(rows[0].get(key).is_some(), "{key} missing in {}", rows[0]);
    }
    let states: std::collections::BTreeSet<String> =
        rows.iter().map(|r| r["state"].as_str().unwrap().to_string()).collect();
    assert!(
        states.contains("draft") && states.contains("awaiting_payment"),
        "{states:?}"
    );

    let mut c = regdesk(d.path());
    clerk(&mut c);
    let (code, o, _) = out(c.args(["case", "list", "--queue", "awaiting_payment", "--json"]));
    assert_eq!(code, 0);
    let paying: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!paying.is_empty());
    assert!(paying.iter().all(|r| r["state"] == "awaiting_payment"));
    let serial = paying[0]["serial"].as_str().unwrap().to_string();

    let mut c = regdesk(d.path());
    clerk(&mut c);
    let (code, o, _) = out(c.args(["case", "show", &serial, "--json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(o.trim()).unwrap();
    assert_eq!(v["serial"], serial.as_str());
    assert!(v["signing"].as_array().is_some_and(|s| !s.is_empty()));
    // ID numbers and the address are masked unless asked for, and asking is logged.
    // A person's resident ID: the owner's, or the writer's of a corporate work.
    let owner_id = |v: &serde_json::Value| {
        let owner = &v["draft"]["owners"][0];
        let person = if owner["id_type"] == "resident_id" {
            owner
        } else {
            &v["draft"]["writer"]
        };
        person["id_number"].as_str().unwrap().to_string()
    };
    let masked = owner_id(&v);
    assert!(masked.contains("****"), "{masked}");
    let mut c = regdesk(d.path());
    clerk(&mut c);
    let (code, o, e) = out(c.args(["case", "show", &serial, "--full", "--json"]));
    assert_eq!(code, 0, "{e}");
    let full = owner_id(&serde_json::from_str(o.trim()).unwrap());
    assert!(!full.contains('*') && full.len() == masked.len(), "{full}");
    let finance = |c: &mut Command| {
        c.args(["--user", "chenxy"]).env("REGDESK_PASSWORD", "Banquan2026");
    };
    let mut c = regdesk(d.path());
    finance(&mut c);
    let (code, _, e) = out(c.args(["case", "show", &serial, "--full"]));
    assert_eq!(code, 1);
    assert!(e.contains("查看完整证件号码"), "{e}");
    // Finance may not find a case by an ID number; the clerk may.
    let mut c = regdesk(d.path());
    finance(&mut c);
    let (code, _, e) = out(c.args(["case", "find", &full]));
    assert_eq!(code, 1);
    assert!(e.contains("按证件号码查找"), "{e}");
    let mut c = regdesk(d.path());
    clerk(&mut c);
    let (code, o, e) = out(c.args(["case", "find", &full, "--json"]));
    assert_eq!(code, 0, "{e}");
    assert!(o.contains(&serial), "{o}");
    // The admin's view of the reads.
    let mut c = regdesk(d.path());
    c.args(["--user", "admin"]).env("REGDESK_PASSWORD", "Banquan2026");
    let (code, o, e) = out(c.args(["audit", "access", "--case", &serial, "--json"]));
    assert_eq!(code, 0, "{e}");
    let reads: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reads.len(), 1, "{o}");
    assert_eq!(reads[0]["staff_username"], "wangli");
    assert_eq!(reads[0]["what"], "full_identity");
    let mut c = regdesk(d.path());
    c.args(["--user", "admin"]).env("REGDESK_PASSWORD", "Banquan2026");
    let (code, o, _) = out(c.args(["audit", "access", "--staff", "wangli"]));
    assert_eq!(code, 0);
    assert!(
        o.contains("王丽（wangli）") && o.contains("完整证件号码与地址") && o.contains(&serial),
        "{o}"
    );
    let mut c = regdesk(d.path());
    clerk(&mut c);
    let (code, _, e) = out(c.args(["audit", "access"]));
    assert_eq!(code, 1);
    assert!(e.contains("查看审计记录"), "{e}");

    let pdf = d.path().join("form.pdf");
    let mut c = regdesk(d.path());
    clerk(&mut c);
    let (code, o, e) = out(c.args(["print", "application-form", &serial, "-o", pdf.to_str().unwrap()]));
    assert_eq!(code, 0, "{o}{e}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    let mut c = regdesk(d.path());
    clerk(&mut c);
    let (code, _, e) = out(c.args(["case", "list", "--queue", "nonsense"]));
    assert_eq!(code, 2);
    assert!(e.contains("未知队列"), "{e}");
}

#[test]
fn payment_import_statement_prints_one_json_object_per_line() {
    let d = tempfile::tempdir().unwrap();
    let (code, _, e) = out(regdesk(d.path()).args(["demo", "--cases", "6"]));
    assert_eq!(code, 0, "{e}");
    let as_user = |c: &mut Command, user: &str| {
        c.args(["--user", user]).env("REGDESK_PASSWORD", "Banquan2026");
    };
    let mut c = regdesk(d.path());
    as_user(&mut c, "wangli");
    let (_, o, _) = out(c.args(["case", "list", "--queue", "awaiting_payment", "--json"]));
    let first: serde_json::Value = serde_json::from_str(o.lines().next().unwrap()).unwrap();
    let serial = first["serial"].as_str().unwrap().to_string();
    let csv = d.path().join("statement.csv");
    std::fs::write(
        &csv,
        format!(
            "账户明细\n\n交易日期,对方户名,对方账号,借方发生额,贷方发生额（收入）,摘要,交易流水号\n\
             {today},林晓雨,6222020200012345678,,150.00,{serial} 登记费,B-1\n\
             {today},某某单位,6222020200099999999,,\"1,350.00\",服务费,B-2\n\
             {today},供电公司,,320.00,,电费,B-3\n合计,,,320.00,\"1,500.00\",,\n",
            today = chrono::Local::now().format("%Y-%m-%d")
        ),
    )
    .unwrap();
    let run = |dry: bool| {
        let mut c = regdesk(d.path());
        as_user(&mut c, "chenxy");
        c.args(["payment", "import-statement", csv.to_str().unwrap(), "--json"]);
        if dry {
            c.arg("--dry-run");
        }
        let (code, o, e) = out(&mut c);
        assert_eq!(code, 0, "{o}{e}");
        o.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    let preview = run(true);
    assert_eq!(preview.len(), 3);
    for key in [
        "line",
        "date",
        "payer",
        "payer_account",
        "amount_fen",
        "reference",
        "memo",
        "decision",
        "case",
    ] {
        assert!(preview[0].get(key).is_some(), "{key} missing in {}", preview[0]);
    }
    assert_eq!(preview[0]["decision"], "matched");
    assert_eq!(preview[0]["case"], serial.as_str());
    assert_eq!(preview[0]["amount_fen"], 15_000);
    assert_eq!(preview[1]["amount_fen"], 135_000);
    assert_eq!(preview[1]["decision"], "unmatched");
    assert_eq!(preview[2]["decision"], "ignored");
    assert_eq!(preview[0]["line"], 4);
    // For real, then again: the second import counts nothing twice.
    let done = run(false);
    assert_eq!(done[0]["decision"], "matched");
    let again = run(false);
    assert!(again.iter().all(|l| l["already_imported"] == true));
    let mut c = regdesk(d.path());
    as_user(&mut c, "wangli");
    let (_, o, _) = out(c.args(["case", "show", &serial, "--json"]));
    let v: serde_json::Value = serde_json::from_str(o.trim()).unwrap();
    assert_eq!(v["state"], "awaiting_payment_check");

    // A GBK export with a preamble and a totals line.
    let gbk = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../regdesk-statement/tests/fixtures/icbc_gbk.csv");
    let mut c = regdesk(d.path());
    as_user(&mut c, "chenxy");
    let (code, o, e) = out(c.args([
        "payment",
        "import-statement",
        gbk.to_str().unwrap(),
        "--dry-run",
        "--json",
    ]));
    assert_eq!(code, 0, "{e}");
    let lines: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 10);
    assert_eq!(lines.iter().filter(|l| l["decision"] == "ignored").count(), 3);
    // A clerk is not finance.
    let mut c = regdesk(d.path());
    as_user(&mut c, "wangli");
    let (code, _, e) = out(c.args(["payment", "import-statement", csv.to_str().unwrap(), "--json"]));
    assert_eq!(code, 1);
    assert!(e.contains("核款"), "{e}");
}

#[test]
fn registered_cases_carry_their_number_and_reviewers_and_an_admin_revokes() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path()).args(["demo", "--cases", "12"]));
    assert_eq!(code, 0, "{o}{e}");
    let as_user = |c: &mut Command, user: &str| {
        c.args(["--user", user]).env("REGDESK_PASSWORD", "Banquan2026");
    };
    let mut c = regdesk(d.path());
    as_user(&mut c, "zhaomin");
    let (code, o, e) = out(c.args(["case", "list", "--queue", "registered", "--json"]));
    assert_eq!(code, 0, "{e}");
    let rows: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 1, "{o}");
    let r = &rows[0];
    assert!(
        r["registration_number"].as_str().unwrap().starts_with("浙作登字-"),
        "{r}"
    );
    assert!(r["accepted_on"].is_string(), "{r}");
    assert_eq!(r["first_reviewers"], serde_json::json!(["李雯"]));
    assert_eq!(r["final_reviewers"], serde_json::json!(["张伟"]));
    let serial = r["serial"].as_str().unwrap().to_string();

    // The top bar's search, headless: the number finds its case and the desks that work it.
    let mut c = regdesk(d.path());
    as_user(&mut c, "zhaomin");
    let number = r["registration_number"].as_str().unwrap().to_string();
    let (code, o, e) = out(c.args(["case", "find", &number.to_lowercase(), "--json"]));
    assert_eq!(code, 0, "{e}");
    let hits: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(hits.len(), 1, "{o}");
    assert_eq!(hits[0]["serial"], serial.as_str());
    assert_eq!(hits[0]["queue"], "registered");
    assert_eq!(hits[0]["desks"], serde_json::json!(["reports"]));
    let prefix = serial.split('-').next().unwrap().to_string();
    let mut c = regdesk(d.path());
    as_user(&mut c, "zhaomin");
    let (code, o, e) = out(c.args(["case", "find", &prefix, "--limit", "3"]));
    assert_eq!(code, 0, "{e}");
    assert_eq!(o.lines().count(), 3, "{o}");
    assert!(e.contains("共 12 件，列出 3 件"), "{e}");

    let mut c = regdesk(d.path());
    as_user(&mut c, "admin");
    let (code, _, e) = out(c.args(["case", "revoke", &serial, "--ground", "nonsense"]));
    assert_eq!(code, 2, "{e}");
    let mut c = regdesk(d.path());
    as_user(&mut c, "admin");
    let (code, o, e) = out(c.args([
        "case",
        "revoke",
        &serial,
        "--ground",
        "applicant_request",
        "--note",
        "申请人书面申请撤销",
    ]));
    assert_eq!(code, 0, "{o}{e}");
    assert!(o.contains("已撤销登记"), "{o}");
    let mut c = regdesk(d.path());
    as_user(&mut c, "zhaomin");
    let (_, o, _) = out(c.args(["case", "show", &serial, "--json"]));
    let v: serde_json::Value = serde_json::from_str(o.trim()).unwrap();
    assert_eq!(v["state"], "revoked");
    assert_eq!(
        v["registration_number"], r["registration_number"],
        "the number stays visible"
    );

    // An admin transfers the case to a subordinate office, with the reason; not twice, and not a supervisor.
    let transfer = |user: &str, office: &str| {
        let mut c = regdesk(d.path());
        as_user(&mut c, user);
        out(c.args([
            "case",
            "transfer",
            &serial,
            "--office",
            office,
            "--reason",
            "申请人迁居宁波",
        ]))
    };
    let (code, o, e) = transfer("admin", "zjnb");
    assert_eq!(code, 0, "{o}{e}");
    assert!(o.contains("ZJNB") && o.contains("申请人迁居宁波"), "{o}");
    let (code, _, e) = transfer("admin", "ZJNB");
    assert_eq!(code, 1);
    assert!(e.contains("已属于"), "{e}");
    let (code, _, e) = transfer("admin", "ZJXX");
    assert_eq!(code, 1);
    assert!(e.contains("ZJXX") && e.contains("机构树"), "{e}");
    let (code, _, e) = transfer("zhaomin", "ZJHZ");
    assert_eq!(code, 1, "{e}");
}

#[test]
fn the_key_is_exported_by_an_admin_and_imported_on_a_new_machine() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path())
        .args([
            "init",
            "--office-name",
            "浙江省版权局",
            "--office-code",
            "ZJ",
            "--admin-name",
            "周建国",
        ])
        .env("REGDESK_ADMIN_PASSWORD", "Banquan2026"));
    assert_eq!(code, 0, "{o}{e}");
    // Without a signed-in admin: no code.
    let (code, o, _) = out(regdesk(d.path()).args(["key", "export"]));
    assert_eq!((code, o.as_str()), (1, ""));
    let (code, o, e) = out(regdesk(d.path())
        .args(["key", "export", "--user", "admin"])
        .env("REGDESK_PASSWORD", "Banquan2026"));
    assert_eq!(code, 0, "{e}");
    let recovery = o.trim().to_string();
    assert!(recovery.starts_with("RDK1-"), "{o}");
    assert!(e.contains("密钥当前保存在"), "{e}");
    assert!(e.contains("已记入日志"), "{e}");

    // The data directory copied to a machine that has no key for it.
    let new_machine = tempfile::tempdir().unwrap();
    let copy = new_machine.path().join("data");
    std::fs::create_dir(&copy).unwrap();
    for f in std::fs::read_dir(d.path()).unwrap() {
        let p = f.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
        }
    }
    let new_key = new_machine.path().join("keys").join("station.key");
    let on_new = |c: &mut Command| {
        c.env("REGDESK_KEY_FILE", &new_key);
    };
    let mut c = regdesk(&copy);
    on_new(&mut c);
    let (code, _, e) = out(c.args(["audit", "verify"]));
    assert_eq!(code, 1);
    assert!(e.contains("regdesk key import"), "{e}");
    assert!(!new_key.exists(), "no fresh key is made for an encrypted database");
    // A code of another key is refused and nothing is kept.
    let mut c = regdesk(&copy);
    on_new(&mut c);
    let other = "RDK1-00000000-00000000-00000000-00000000-00000000-00000000-00000000-00000000-66687aad";
    let (code, _, e) = out(c
        .args(["key", "import", "--user", "admin"])
        .env("REGDESK_RECOVERY_CODE", other)
        .env("REGDESK_PASSWORD", "Banquan2026"));
    assert_eq!(code, 1);
    assert!(e.contains("数据库密钥不正确"), "{e}");
    assert!(!new_key.exists());
    // The right code, but not an admin's password: refused.
    let mut c = regdesk(&copy);
    on_new(&mut c);
    let (code, _, _) = out(c
        .args(["key", "import", "--user", "admin"])
        .env("REGDESK_RECOVERY_CODE", &recovery)
        .env("REGDESK_PASSWORD", "wrong"));
    assert_eq!(code, 1);
    assert!(!new_key.exists());
    // The right code from standard input, by the admin: kept, and the data opens.
    let mut c = regdesk(&copy);
    on_new(&mut c);
    c.args(["key", "import", "--user", "admin"])
        .env("REGDESK_PASSWORD", "Banquan2026")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{recovery}").unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(new_key.exists());
    let mut c = regdesk(&copy);
    on_new(&mut c);
    let (code, o, e) = out(c.args(["audit", "verify"]));
    assert_eq!(code, 0, "{o}{e}");
}

#[test]
fn backup_verify_list_then_restore_refused_then_forced() {
    let d = tempfile::tempdir().unwrap();
    let backups = tempfile::tempdir().unwrap();
    let folder = backups.path().to_str().unwrap();
    let (code, _, e) = out(regdesk(d.path()).arg("demo"));
    assert_eq!(code, 0, "{e}");
    let admin = |args: &[&str]| {
        let mut c = regdesk(d.path());
        c.args(["--user", "admin"])
            .args(args)
            .env("REGDESK_PASSWORD", "Banquan2026");
        out(&mut c)
    };
    let (code, o, e) = admin(&["backup", "--to", folder, "--json"]);
    assert_eq!(code, 0, "{o}{e}");
    let rec: serde_json::Value = serde_json::from_str(o.trim()).unwrap();
    assert_eq!(rec["ok"], true, "{o}");
    let gen = backups.path().join(rec["generation"].as_str().unwrap());
    let gen_s = gen.to_str().unwrap();
    let (code, o, _) = out(regdesk(d.path()).args(["backup", "verify", gen_s]));
    assert_eq!(code, 0);
    assert!(o.contains("备份校验通过"), "{o}");
    let (code, o, _) = admin(&["backup", "list", "--to", folder]);
    assert_eq!(code, 0);
    assert!(o.contains(gen_s) && o.contains("校验通过"), "{o}");
    // Without a signed-in admin there is no backup.
    let (code, _, e) = out(regdesk(d.path()).args(["backup", "--to", folder]));
    assert_eq!(code, 1);
    assert!(e.contains("--user"), "{e}");

    // Work after the backup: refused without --force, naming it.
    let mut c = regdesk(d.path());
    c.args([
        "--user",
        "admin",
        "staff",
        "add",
        "--username",
        "liuyi",
        "--name",
        "刘一",
        "--role",
        "counter_clerk",
    ])
    .env("REGDESK_PASSWORD", "Banquan2026")
    .env("REGDESK_NEW_PASSWORD", "Linshi2026x");
    let (code, o, e) = out(&mut c);
    assert_eq!(code, 0, "{o}{e}");
    let (code, o, _) = out(regdesk(d.path()).args(["restore", gen_s, "--dry-run"]));
    assert_eq!(code, 0);
    assert!(o.contains("add_staff"), "{o}");
    let (code, _, e) = out(regdesk(d.path()).args(["restore", gen_s]));
    assert_eq!(code, 1);
    assert!(e.contains("--force") && e.contains("add_staff"), "{e}");
    let (code, o, e) = out(regdesk(d.path()).args(["restore", gen_s, "--force"]));
    assert_eq!(code, 0, "{o}{e}");
    assert!(o.contains("原数据库另存在"), "{o}");
    let (code, o, _) = admin(&["staff", "list"]);
    assert_eq!(code, 0);
    assert!(!o.contains("liuyi"), "{o}");
    let (code, _, _) = out(regdesk(d.path()).args(["audit", "verify"]));
    assert_eq!(code, 0);

    // A damaged copy fails verification and cannot be restored.
    std::fs::write(gen.join("regdesk.db"), b"not a database").unwrap();
    let (code, _, e) = out(regdesk(d.path()).args(["backup", "verify", gen_s]));
    assert_eq!(code, 1);
    assert!(e.contains("校验未通过"), "{e}");
    let (code, _, e) = out(regdesk(d.path()).args(["restore", gen_s, "--force"]));
    assert_eq!(code, 1);
    assert!(e.contains("不能用这代备份恢复"), "{e}");
}

/// A Hangzhou resident ID born 1990-01-01 with sequence `seq`, with its check digit.
fn resident_id(seq: &str) -> String {
    let body = format!("33010619900101{seq}");
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

/// A batch-intake CSV of the template's columns: one row per (title, painter, category).
fn intake_csv(rows: &[(&str, &str, &str)]) -> String {
    let columns = regdesk_domain::intake::columns();
    let mut text = columns.iter().map(|c| c.header.clone()).collect::<Vec<_>>().join(",") + "\n";
    for (i, (title, painter, category)) in rows.iter().enumerate() {
        let id = resident_id(&format!("10{i}"));
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match c.key.as_str() {
                "work.title" => title.to_string(),
                "work.category" => category.to_string(),
                "work.nature" => "原创".into(),
                "work.completed_on" => "2026-03-01".into(),
                "work.completed_place" => "浙江省杭州市".into(),
                "work.publication" => "未发表".into(),
                "work.attribution" => "个人作品".into(),
                "work.acquisition" => "原始".into(),
                "work.ownership" => "全部".into(),
                "owners[0].kind" | "authors.kind" => "自然人".into(),
                "owners[0].name" | "authors.names" => painter.to_string(),
                "owners[0].id_type" => "居民身份证".into(),
                "owners[0].id_number" => id.clone(),
                "owners[0].region" => "浙江省杭州市".into(),
                "owners[0].files.identity" => format!("{painter}.jpg"),
                "authors.signed_as" => "本名".into(),
                "samples" => format!("{title}.jpg"),
                "description" => "水彩画。".into(),
                "creation_story" => "写生完成。".into(),
                "delivery" => "自领".into(),
                "invoice_email" => "a@example.cn".into(),
                _ => String::new(),
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

#[test]
fn filing_import_reports_every_bad_row_and_makes_drafts_of_the_good_ones() {
    let d = tempfile::tempdir().unwrap();
    let (code, _, e) = out(regdesk(d.path()).args(["demo", "--cases", "1"]));
    assert_eq!(code, 0, "{e}");
    let folder = d.path().join("样本");
    std::fs::create_dir(&folder).unwrap();
    for f in ["西湖春晓.jpg", "张伟.jpg", "李娜.jpg", "王芳.jpg"] {
        std::fs::write(folder.join(f), b"\xff\xd8 image").unwrap();
    }
    // Row 3 has a category not in the list, row 4 a sample not in the folder.
    let csv = intake_csv(&[
        ("西湖春晓", "张伟", "美术"),
        ("断桥残雪", "李娜", "油画"),
        ("平湖秋月", "王芳", "美术"),
    ]);
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let sheet = d.path().join("批量.csv");
    std::fs::write(&sheet, &gbk).unwrap();
    let clerk = |c: &mut Command| {
        c.args(["--user", "wangli"]).env("REGDESK_PASSWORD", "Banquan2026");
    };
    let import = |extra: &[&str]| {
        let mut c = regdesk(d.path());
        clerk(&mut c);
        c.args(["filing", "import"])
            .arg(&sheet)
            .arg("--files")
            .arg(&folder)
            .args(["--applicant", "林晓雨", "--json"])
            .args(extra);
        out(&mut c)
    };
    let (code, o, e) = import(&["--dry-run"]);
    assert_eq!(code, 1, "bad rows make the exit code 1: {o}{e}");
    let rows: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["ok"], true);
    assert_eq!(rows[1]["line"], 3);
    assert_eq!(rows[1]["problems"][0]["column"], "作品类别");
    assert_eq!(rows[2]["problems"][0]["column"], "作品样本");
    assert_eq!(rows[2]["problems"][0]["code"], "missing_file");
    assert!(e.contains("第 4 行“作品样本”列"), "{e}");
    assert!(rows.iter().all(|r| r["serial"].is_null()), "a dry run makes nothing");

    let (code, o, _) = import(&[]);
    assert_eq!(code, 1);
    let rows: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let serial = rows[0]["serial"].as_str().unwrap().to_string();
    assert!(rows[1]["serial"].is_null() && rows[2]["serial"].is_null());
    let mut c = regdesk(d.path());
    clerk(&mut c);
    let (code, o, e) = out(c.args(["case", "show", &serial]));
    assert_eq!(code, 0, "{e}");
    assert!(o.contains("西湖春晓"), "{o}");

    // Without a counter role the import is refused.
    let (code, _, e) = out(regdesk(d.path())
        .args(["--user", "admin", "filing", "import"])
        .arg(&sheet)
        .arg("--files")
        .arg(&folder)
        .args(["--applicant", "林晓雨"])
        .env("REGDESK_PASSWORD", "Banquan2026"));
    assert_eq!(code, 1);
    assert!(!e.is_empty());
}

#[test]
fn register_import_then_counters_continue_and_cannot_go_back() {
    let d = tempfile::tempdir().unwrap();
    let (code, _, e) = out(regdesk(d.path()).args(["demo"]));
    assert_eq!(code, 0, "{e}");
    let csv = "登记号,登记日期,作品名称,作品类别,著作权人,作者,创作完成日期,首次发表日期\n\
               浙作登字-2026-F-00000300,2026-04-01,雷峰夕照,美术,周明,周明,2025,\n\
               浙作登字-2026-F-0000031,2026-04-01,坏号码,美术,周明,周明,2025,\n";
    let file = d.path().join("旧登记.csv");
    std::fs::write(&file, csv).unwrap();
    let admin = |c: &mut Command| {
        c.args(["--user", "admin"]).env("REGDESK_PASSWORD", "Banquan2026");
    };
    let mut c = regdesk(d.path());
    admin(&mut c);
    let (code, o, e) = out(c.args(["register", "import"]).arg(&file));
    assert_eq!(code, 1, "a bad row is named: {o}{e}");
    assert!(e.contains("第 3 行“登记号”列"), "{e}");
    assert!(o.contains("浙作登字-2026-F 下一个流水号 00000301"), "{o}");
    let mut c = regdesk(d.path());
    admin(&mut c);
    let (code, _, e) = out(c.args([
        "register",
        "set-counter",
        "--prefix",
        "浙作登字",
        "--year",
        "2026",
        "--letter",
        "F",
        "--next",
        "300",
    ]));
    assert_eq!(code, 1);
    assert!(e.contains("至少为 301"), "{e}");
    let mut c = regdesk(d.path());
    admin(&mut c);
    let (code, o, _) = out(c.args(["register", "find", "雷峰"]));
    assert_eq!(code, 0);
    assert!(o.contains("浙作登字-2026-F-00000300"), "{o}");
}

#[test]
fn the_certificate_desk_prints_reprints_and_voids_headless() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path()).args(["demo", "--cases", "12"]));
    assert_eq!(code, 0, "{o}{e}");
    let run = |user: &str, args: &[&str]| {
        let mut c = regdesk(d.path());
        c.args(["--user", user]).env("REGDESK_PASSWORD", "Banquan2026");
        out(c.args(args))
    };
    let (code, o, _) = run("zhaomin", &["case", "list", "--queue", "registered", "--json"]);
    assert_eq!(code, 0);
    let row: serde_json::Value = serde_json::from_str(o.lines().next().unwrap()).unwrap();
    let number = row["registration_number"].as_str().unwrap().to_string();

    let pdf = d.path().join("证书.pdf");
    let pdf_s = pdf.to_str().unwrap();
    let (code, o, e) = run("liuyang", &["print", "certificate", &number, "-o", pdf_s]);
    assert_eq!(code, 0, "{o}{e}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    // Only the certificate desk.
    let (code, _, e) = run("wangli", &["print", "certificate", &number, "-o", pdf_s]);
    assert_eq!(code, 1);
    assert!(e.contains("制证发证"), "{e}");

    let batch = d.path().join("batch.pdf");
    let batch_s = batch.to_str().unwrap();
    let (code, o, e) = run(
        "liuyang",
        &[
            "certificate",
            "batch",
            "--mode",
            "overprint",
            "--first-sheet",
            "No.0001",
            "-o",
            batch_s,
        ],
    );
    assert_eq!(code, 0, "{o}{e}");
    assert!(o.contains("已打印 1 份证书"), "{o}");
    assert!(o.contains(&number) && o.contains("No.0001"), "{o}");
    assert!(e.contains("已排版 1/1"), "{e}");
    assert!(std::fs::read(&batch).unwrap().starts_with(b"%PDF"));
    // Nothing waits any more.
    let (code, _, e) = run("liuyang", &["certificate", "batch", "-o", batch_s]);
    assert_eq!(code, 1);
    assert!(e.contains("没有待制证"), "{e}");
    // A reprint names its reason.
    let (code, _, e) = run(
        "liuyang",
        &["certificate", "reprint", &number, "--reason", " ", "-o", batch_s],
    );
    assert_eq!(code, 1);
    assert!(e.contains("重印原因"), "{e}");
    let (code, o, e) = run(
        "liuyang",
        &["certificate", "reprint", &number, "--reason", "卡纸", "-o", batch_s],
    );
    assert_eq!(code, 0, "{o}{e}");
    assert!(o.contains("其中重印 1 份"), "{o}");
    let (code, o, _) = run("liuyang", &["certificate", "sheets", &number]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = o.lines().collect();
    assert_eq!(lines.len(), 2, "{o}");
    let last_id = lines[1].split('\t').next().unwrap();
    let (code, o, e) = run("liuyang", &["certificate", "void", last_id, "--reason", "卡纸"]);
    assert_eq!(code, 0, "{o}{e}");
    let (_, o, _) = run("liuyang", &["certificate", "sheets", &number]);
    assert!(o.lines().nth(1).unwrap().contains("voided"), "{o}");
    // The audit chain holds every step.
    let (code, o, e) = run("admin", &["audit", "verify"]);
    assert_eq!(code, 0, "{o}{e}");
}

#[test]
fn the_reports_desk_produces_the_monthly_form_the_announcement_and_the_yearly_summary() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path()).args(["demo", "--cases", "12"]));
    assert_eq!(code, 0, "{o}{e}");
    let run = |user: &str, args: &[&str]| {
        let mut c = regdesk(d.path());
        c.args(["--user", user]).env("REGDESK_PASSWORD", "Banquan2026");
        out(c.args(args))
    };
    // The sample office registered one case today (office time).
    let today = chrono::Utc::now() + chrono::Duration::hours(8);
    let month = today.format("%Y-%m").to_string();
    let (code, o, e) = run("zhaomin", &["report", "monthly", "--month", &month, "--json"]);
    assert_eq!(code, 0, "{e}");
    let v: serde_json::Value = serde_json::from_str(o.trim()).unwrap();
    assert_eq!(v["title"], "作品登记情况月度统计表");
    assert_eq!(v["total"]["total"], 1, "{v}");
    let counts: u64 = v["total"]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(counts, 1);
    let (code, o, e) = run("zhaomin", &["report", "monthly", "--month", &month]);
    assert_eq!(code, 0, "{e}");
    assert!(o.contains("单位：件") && o.contains("合计\t1"), "{o}");

    let xlsx = d.path().join("月报.xlsx");
    let (code, o, e) = run(
        "zhaomin",
        &[
            "report",
            "monthly",
            "--month",
            &month,
            "--office",
            "ZJ",
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{o}{e}");
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let pdf = d.path().join("公告.pdf");
    let (code, o, e) = run(
        "zhaomin",
        &[
            "report",
            "announcement",
            "--month",
            &month,
            "--pdf",
            pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{o}{e}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let (code, o, e) = run("zhaomin", &["report", "announcement", "--month", &month, "--json"]);
    assert_eq!(code, 0, "{e}");
    let v: serde_json::Value = serde_json::from_str(o.trim()).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 1, "{v}");
    assert!(v["rows"][0]["number"].as_str().unwrap().starts_with("浙作登字-"));

    let year = today.format("%Y").to_string();
    let (code, o, e) = run("zhaomin", &["report", "yearly", "--year", &year]);
    assert_eq!(code, 0, "{e}");
    assert!(o.contains("登记总数：1 件"), "{o}");

    // A bad month is a usage error naming the form; an unknown office and a clerk are refused.
    let (code, _, e) = run("zhaomin", &["report", "monthly", "--month", "11/2026"]);
    assert_eq!(code, 2);
    assert!(e.contains("2026-11"), "{e}");
    let (code, _, e) = run("zhaomin", &["report", "monthly", "--month", &month, "--office", "XX"]);
    assert_eq!(code, 1);
    assert!(e.contains("不在机构树中"), "{e}");
    let (code, _, e) = run("wangli", &["report", "yearly", "--year", &year]);
    assert_eq!(code, 1);
    assert!(e.contains("统计台"), "{e}");
}
