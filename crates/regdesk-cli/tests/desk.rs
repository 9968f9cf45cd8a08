//! The desks' operations through the real `regdesk` binary: a walk-in case
//! from a fresh office to its registration number, and each command with its
//! refusals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const PASSWORD: &str = "Banquan2026";

/// The tests' key file: a fixed key, outside the data directories, written
/// once per run, whole.
fn key_file() -> PathBuf {
    use regdesk_store::keys::{KeyHome, StationKeys};
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join("regdesk-desk-tests.key");
        let code = StationKeys::from_secret([0x42; 32], KeyHome::KeyStore).recovery_code();
        let tmp = dir.join(format!("regdesk-desk-tests.key.{}", std::process::id()));
        std::fs::write(&tmp, code.as_bytes()).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        path
    })
    .clone()
}

fn regdesk(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_regdesk"));
    c.arg("--data-dir")
        .arg(dir)
        .env("REGDESK_KEY_FILE", key_file())
        .env_remove("REGDESK_RECOVERY_CODE")
        .env_remove("REGDESK_DATA_DIR")
        .env_remove("REGDESK_USER");
    c
}

/// `regdesk --user USER ARGS…`, signed in with the office's test password.
fn as_user(dir: &Path, user: &str, args: &[&str]) -> (i32, String, String) {
    let mut c = regdesk(dir);
    c.args(["--user", user]).args(args).env("REGDESK_PASSWORD", PASSWORD);
    run(&mut c)
}

fn run(c: &mut Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs and expects exit 0; the output's one JSON object.
fn ok_json(dir: &Path, user: &str, args: &[&str]) -> Value {
    let (code, o, e) = as_user(dir, user, args);
    assert_eq!(code, 0, "{args:?}: {o}{e}");
    serde_json::from_str(o.trim()).unwrap_or_else(|err| panic!("{args:?}: {err}: {o}"))
}

/// Runs and expects exit 0; prints and returns what the clerk sees.
fn shown(dir: &Path, user: &str, args: &[&str]) -> String {
    let (code, o, e) = as_user(dir, user, args);
    assert_eq!(code, 0, "{args:?}: {o}{e}");
    println!("$ regdesk --user {user} {}\n{o}", args.join(" "));
    o
}

/// Runs and expects the refusal (exit 1); prints and returns the core's message.
fn refused(dir: &Path, user: &str, args: &[&str]) -> String {
    let (code, o, e) = as_user(dir, user, args);
    assert_eq!(code, 1, "{args:?} should be refused: {o}{e}");
    println!("$ regdesk --user {user} {}\n（拒绝）{e}", args.join(" "));
    e
}

fn icon(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/icons").join(name)
}

fn write_json(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p.display().to_string()
}

/// A resident ID of Hangzhou (GB 11643 check character computed).
const OWNER_ID: &str = "330106198810100123";

fn applicant_json() -> Value {
    json!({
        "category": "individual",
        "name": "林晓雨",
        "id_type": "resident_id",
        "id_number": OWNER_ID,
        "pen_name": "",
        "handler_name": "林晓雨",
        "handler_mobile": "13805710001",
        "region": "浙江省杭州市",
        "invoice_email": "lin@example.cn",
        "recipient_name": "林晓雨",
        "recipient_phone": "13805710001",
        "postal_address": "浙江省杭州市西湖区文三路 100 号"
    })
}

/// The filing as the wizard saves it: a photograph by its owner, who signs.
fn filing_json(applicant_id: &str, proof_id: &str, title: &str) -> Value {
    json!({
        "applicant_id": applicant_id,
        "draft": {
            "work": {
                "title": title,
                "category": "photography",
                "nature": "original",
                "completed_on": "2026-3",
                "completed_place": "浙江省杭州市",
                "publication": "unpublished",
                "attribution": "individual",
                "acquisition": "original",
                "ownership": "full"
            },
            "owners": [{
                "kind": "natural_person",
                "name": "林晓雨",
                "id_type": "resident_id",
                "id_number": OWNER_ID,
                "region": "浙江省杭州市",
                "files": [{ "file_id": proof_id, "kind": "identity_proof" }]
            }],
            "authors": [{ "kind": "natural_person", "name": "林晓雨", "signed_as": "real_name" }],
            "description": "作品以西湖为题材，构图简洁。",
            "creation_story": "作者实地采风后独立完成。",
            "delivery": "mail",
            "recipient_name": "林晓雨",
            "recipient_phone": "13805710001",
            "postal_address": "浙江省杭州市西湖区文三路 100 号",
            "invoice_email": "lin@example.cn"
        }
    })
}

/// A fresh office: `init`, the staff, next year's calendar.
fn fresh_office(dir: &Path) {
    let (code, o, e) = run(regdesk(dir)
        .args([
            "init",
            "--office-name",
            "浙江省版权局",
            "--office-code",
            "ZJ",
            "--admin-name",
            "周建国",
        ])
        .env("REGDESK_ADMIN_PASSWORD", PASSWORD));
    assert_eq!(code, 0, "{o}{e}");
    for (user, name, roles) in [
        ("wangli", "王丽", "counter_clerk"),
        ("chenxy", "陈晓燕", "finance"),
        ("hejun", "何军", "finance"),
        ("liwen", "李雯", "first_reviewer,final_reviewer"),
        ("zhangwei", "张伟", "final_reviewer"),
    ] {
        let mut c = regdesk(dir);
        c.args([
            "--user", "admin", "staff", "add", "--username", user, "--name", name, "--role", roles,
        ])
        .env("REGDESK_PASSWORD", PASSWORD)
        .env("REGDESK_NEW_PASSWORD", PASSWORD);
        let (code, o, e) = run(&mut c);
        assert_eq!(code, 0, "{o}{e}");
    }
    // Deadlines of a late-year case run into the next year.
    let next = dir.join("next-year.txt");
    let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap() + 1;
    std::fs::write(&next, format!("year {year}\nsource 测试\noff {year}-01-01 元旦\n")).unwrap();
    let (code, o, e) = as_user(dir, "admin", &["calendar", "load", next.to_str().unwrap()]);
    assert_eq!(code, 0, "{o}{e}");
}

/// A profile and a submitted, fully signed filing awaiting payment; its serial.
fn signed_case(dir: &Path, title: &str) -> String {
    let applicant = match as_user(dir, "wangli", &["applicant", "find", OWNER_ID, "--json"]) {
        (0, o, _) if !o.trim().is_empty() => serde_json::from_str::<Value>(o.lines().next().unwrap()).unwrap(),
        _ => ok_json(
            dir,
            "wangli",
            &["applicant", "add", "--json", &write_json(dir, "applicant.json", &applicant_json())],
        ),
    };
    let proof = ok_json(
        dir,
        "wangli",
        &[
            "file",
            "add",
            icon("32x32.png").to_str().unwrap(),
            "--purpose",
            "identity_proof",
            "--json",
        ],
    );
    let f = write_json(
        dir,
        "filing.json",
        &filing_json(
            applicant["id"].as_str().unwrap(),
            proof["id"].as_str().unwrap(),
            title,
        ),
    );
    let serial = ok_json(dir, "wangli", &["filing", "new", "--json", &f])["serial"]
        .as_str()
        .unwrap()
        .to_string();
    let sample = icon("128x128.png").display().to_string();
    ok_json(
        dir,
        "wangli",
        &["filing", "attach", &serial, &sample, "--kind", "sample", "--json"],
    );
    ok_json(dir, "wangli", &["filing", "submit", &serial, "--json"]);
    let scan = icon("32x32.png").display().to_string();
    let signed = ok_json(
        dir,
        "wangli",
        &["filing", "sign", &serial, "--signer", "1", "--method", "paper", "--scan", &scan, "--json"],
    );
    assert_eq!(signed["state"], "awaiting_payment", "{signed}");
    serial
}

fn owed(dir: &Path, serial: &str) -> i64 {
    let (code, o, e) = as_user(dir, "chenxy", &["payment", "cases", "--search", serial, "--json"]);
    assert_eq!(code, 0, "{e}");
    let row: Value = serde_json::from_str(o.lines().next().unwrap()).unwrap();
    row["owed_fen"].as_i64().unwrap()
}

fn now_office() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::minutes(5))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[test]
fn a_walk_in_case_from_init_to_its_registration_number_headless() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    fresh_office(dir);

    // 受理台: the profile, the proof of identity, the draft from JSON, the sample.
    let a = ok_json(
        dir,
        "wangli",
        &["applicant", "add", "--json", &write_json(dir, "applicant.json", &applicant_json())],
    );
    assert_eq!(a["id_number"], OWNER_ID, "the counter's own save shows the full number");
    shown(dir, "wangli", &["applicant", "find", "林晓雨"]);
    let proof = ok_json(
        dir,
        "wangli",
        &["file", "add", icon("32x32.png").to_str().unwrap(), "--purpose", "identity_proof", "--json"],
    );
    let f = write_json(
        dir,
        "filing.json",
        &filing_json(a["id"].as_str().unwrap(), proof["id"].as_str().unwrap(), "西湖晨雾"),
    );
    let draft = ok_json(dir, "wangli", &["filing", "new", "--json", &f]);
    assert_eq!(draft["state"], "draft");
    let serial = draft["serial"].as_str().unwrap().to_string();
    // Submitting without a sample names the field.
    let e = refused(dir, "wangli", &["filing", "submit", &serial]);
    assert!(e.contains("samples：请上传作品样本"), "{e}");
    shown(
        dir,
        "wangli",
        &["filing", "attach", &serial, icon("128x128.png").to_str().unwrap(), "--kind", "sample"],
    );
    let o = shown(dir, "wangli", &["filing", "submit", &serial]);
    assert!(o.contains("签章 1：林晓雨（待签章）"), "{o}");
    let o = shown(
        dir,
        "wangli",
        &[
            "filing",
            "sign",
            &serial,
            "--signer",
            "1",
            "--method",
            "paper",
            "--scan",
            icon("32x32.png").to_str().unwrap(),
        ],
    );
    assert!(o.contains("待缴费"), "{o}");
    assert!(o.contains("签章 1：林晓雨（已签章）"), "{o}");

    // 核款台: the method, one person records the transfer, another checks it.
    shown(dir, "wangli", &["payment", "choose-method", &serial, "--method", "bank_transfer"]);
    let fee = owed(dir, &serial);
    assert!(fee > 0);
    let t = ok_json(
        dir,
        "chenxy",
        &[
            "payment",
            "record-transfer",
            "--payer",
            "林晓雨",
            "--amount-fen",
            &fee.to_string(),
            "--received-at",
            &now_office(),
            "--reference",
            "ICBC20261206001",
            "--case",
            &serial,
            "--json",
        ],
    );
    assert_eq!(t["state"], "recorded");
    let id = t["id"].as_str().unwrap().to_string();
    shown(dir, "chenxy", &["payment", "transfers", "--state", "recorded"]);
    // Maker-checker: the recorder may not confirm.
    let e = refused(dir, "chenxy", &["payment", "check", &id, "--confirm"]);
    assert!(e.contains("登记") && e.contains("确认"), "{e}");
    let o = shown(dir, "hejun", &["payment", "check", &id, "--confirm"]);
    assert!(o.contains("已确认") && o.contains("待初审"), "{o}");

    // 初审台 and 终审台: four eyes.
    shown(dir, "liwen", &["review", "first", &serial, "--pass"]);
    let e = refused(dir, "liwen", &["review", "final", &serial, "--approve"]);
    assert!(e.contains("初审"), "{e}");
    let o = shown(dir, "zhangwei", &["review", "final", &serial, "--approve"]);
    assert!(o.contains("登记号：浙作登字-"), "{o}");
    shown(dir, "zhangwei", &["review", "history", &serial]);
    let o = shown(dir, "wangli", &["case", "show", &serial]);
    assert!(o.contains("已登记"), "{o}");
    let v = ok_json(dir, "wangli", &["case", "show", &serial, "--json"]);
    assert!(v["registration_number"].as_str().unwrap().starts_with("浙作登字-"), "{v}");
    assert_eq!(v["first_reviewers"], json!(["李雯"]));
    assert_eq!(v["final_reviewers"], json!(["张伟"]));

    // Every step is in the audit chain.
    let (code, o, e) = run(regdesk(dir).args(["audit", "verify"]));
    assert_eq!(code, 0, "{o}{e}");
}
