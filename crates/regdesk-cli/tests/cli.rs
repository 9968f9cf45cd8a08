//! The real `regdesk` binary, as staff IT would script it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn regdesk(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regdesk"));
    c.arg("--data-dir")
        .arg(dir)
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
    let (code, o, e) = out(c.args([
        "staff",
        "add",
        "--username",
        "liwen",
        "--name",
        "李雯",
        "--role",
        "first_reviewer,counter_clerk",
        "--password",
        "Chushen2026",
    ]));
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
            "--password",
            "Abcdefg123",
        ])
        .env("REGDESK_PASSWORD", "Banquan2026"));
    assert_eq!(code, 2);
    assert!(e.contains("未知岗位"), "{e}");
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
