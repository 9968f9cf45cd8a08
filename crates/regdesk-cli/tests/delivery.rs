//! `regdesk print labels|notice` and `regdesk certificate ship|handover`, headless.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn key_file() -> std::path::PathBuf {
    use regdesk_store::keys::{KeyHome, StationKeys};
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join("regdesk-cli-delivery-tests.key");
        let code = StationKeys::from_secret([0x43; 32], KeyHome::KeyStore).recovery_code();
        let tmp = dir.join(format!("regdesk-cli-delivery-tests.key.{}", std::process::id()));
        std::fs::write(&tmp, code.as_bytes()).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        path
    })
    .clone()
}

fn regdesk(dir: &std::path::Path, user: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regdesk"));
    c.arg("--data-dir")
        .arg(dir)
        .env("REGDESK_KEY_FILE", key_file())
        .env_remove("REGDESK_RECOVERY_CODE")
        .env_remove("REGDESK_DATA_DIR")
        .env_remove("REGDESK_USER");
    if !user.is_empty() {
        c.args(["--user", user]).env("REGDESK_PASSWORD", "Banquan2026");
    }
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
fn the_registered_case_gets_its_label_notice_waybill_and_pickup_refusal() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, e) = out(regdesk(d.path(), "").args(["demo", "--cases", "12"]));
    assert_eq!(code, 0, "{o}{e}");
    let (code, o, e) = out(regdesk(d.path(), "zhaomin").args(["case", "list", "--queue", "registered", "--json"]));
    assert_eq!(code, 0, "{e}");
    let rows: Vec<serde_json::Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let r = rows.first().unwrap_or_else(|| panic!("a registered case: {o}{e}"));
    let number = r["registration_number"].as_str().unwrap().to_string();
    let serial = r["serial"].as_str().unwrap().to_string();

    // The acceptance notice: at the counter, not at the review desk.
    let notice = d.path().join("notice.pdf");
    let (code, o, e) =
        out(regdesk(d.path(), "wangli").args(["print", "acceptance-notice", &serial, "-o", notice.to_str().unwrap()]));
    assert_eq!(code, 0, "{o}{e}");
    assert!(std::fs::read(&notice).unwrap().starts_with(b"%PDF"));
    let (code, _, e) =
        out(regdesk(d.path(), "liwen").args(["print", "acceptance-notice", &serial, "-o", notice.to_str().unwrap()]));
    assert_eq!(code, 1);
    assert!(e.contains("打印受理通知书"), "{e}");

    // A pickup before the e-invoice was sent is refused with the reason.
    let receipt = d.path().join("receipt.pdf");
    let (code, _, e) = out(regdesk(d.path(), "liuyang").args([
        "certificate",
        "handover",
        "--collector",
        "self",
        "--name",
        "周明",
        "--id-number",
        "11010519491231002X",
        "--id-checked",
        "--notice-seen",
        "-o",
        receipt.to_str().unwrap(),
        &number,
    ]));
    assert_eq!(code, 1);
    assert!(e.contains("电子发票尚未发送"), "{e}");

    // Labels, then the waybill: a wrong one named, a good one ships.
    let labels = d.path().join("labels.pdf");
    let (code, o, e) =
        out(regdesk(d.path(), "liuyang").args(["print", "labels", &number, "-o", labels.to_str().unwrap()]));
    assert_eq!(code, 0, "{o}{e}");
    assert!(std::fs::read(&labels).unwrap().starts_with(b"%PDF"));
    let (code, _, e) =
        out(regdesk(d.path(), "liuyang").args(["certificate", "ship", "--waybill", "1234567890123", &number]));
    assert_eq!(code, 1);
    assert!(e.contains("请输入 SF1234567890123"), "{e}");
    let (code, o, e) =
        out(regdesk(d.path(), "liuyang").args(["certificate", "ship", "--waybill", "SF1234567890123", &number]));
    assert_eq!(code, 0, "{o}{e}");
    assert!(o.contains("运单号 SF1234567890123"), "{o}");
    let (_, o, _) = out(regdesk(d.path(), "liuyang").args(["case", "show", &serial, "--json"]));
    assert!(o.contains("mailed"), "{o}");
    // The counter may not ship.
    let (code, _, e) =
        out(regdesk(d.path(), "wangli").args(["certificate", "ship", "--waybill", "SF1234567890124", &number]));
    assert_eq!(code, 1);
    assert!(e.contains("制证发证"), "{e}");
}
