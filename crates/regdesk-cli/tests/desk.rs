//! The desks' operations through the real `regdesk` binary: a walk-in case
//! from a fresh office to its registration number, and each command with its
//! refusals.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/icons")
        .join(name)
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
        ("zhaoyi", "赵毅", "admin,counter_clerk"),
    ] {
        let mut c = regdesk(dir);
        c.args([
            "--user",
            "admin",
            "staff",
            "add",
            "--username",
            user,
            "--name",
            name,
            "--role",
            roles,
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
    let serial = submitted_case(dir, title);
    let scan = icon("32x32.png").display().to_string();
    let signed = ok_json(
        dir,
        "wangli",
        &[
            "filing", "sign", &serial, "--signer", "1", "--method", "paper", "--scan", &scan, "--json",
        ],
    );
    assert_eq!(signed["state"], "awaiting_payment", "{signed}");
    serial
}

/// A profile and a filing submitted for signing (待签章); its serial.
fn submitted_case(dir: &Path, title: &str) -> String {
    let applicant = match as_user(dir, "wangli", &["applicant", "find", OWNER_ID, "--json"]) {
        (0, o, _) if !o.trim().is_empty() => serde_json::from_str::<Value>(o.lines().next().unwrap()).unwrap(),
        _ => ok_json(
            dir,
            "wangli",
            &[
                "applicant",
                "add",
                "--json",
                &write_json(dir, "applicant.json", &applicant_json()),
            ],
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
        &filing_json(applicant["id"].as_str().unwrap(), proof["id"].as_str().unwrap(), title),
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
        &[
            "applicant",
            "add",
            "--json",
            &write_json(dir, "applicant.json", &applicant_json()),
        ],
    );
    assert_eq!(a["id_number"], OWNER_ID, "the counter's own save shows the full number");
    shown(dir, "wangli", &["applicant", "find", "林晓雨"]);
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
        &[
            "filing",
            "attach",
            &serial,
            icon("128x128.png").to_str().unwrap(),
            "--kind",
            "sample",
        ],
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
    shown(
        dir,
        "wangli",
        &["payment", "choose-method", &serial, "--method", "bank_transfer"],
    );
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
    assert!(
        v["registration_number"].as_str().unwrap().starts_with("浙作登字-"),
        "{v}"
    );
    assert_eq!(v["first_reviewers"], json!(["李雯"]));
    assert_eq!(v["final_reviewers"], json!(["张伟"]));

    // Every step is in the audit chain.
    let (code, o, e) = run(regdesk(dir).args(["audit", "verify"]));
    assert_eq!(code, 0, "{o}{e}");
}

/// Lines of JSON objects.
fn objects(o: &str) -> Vec<Value> {
    o.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn applicant_commands_name_each_field_and_refuse_who_may_not() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    fresh_office(dir);
    let good = write_json(dir, "a.json", &applicant_json());
    // Finance does not keep profiles.
    let e = refused(dir, "chenxy", &["applicant", "add", "--json", &good]);
    assert!(e.contains("权限"), "{e}");
    // A bad ID number is named by its field.
    let mut bad = applicant_json();
    bad["id_number"] = json!("330106198810100124");
    let e = refused(
        dir,
        "wangli",
        &["applicant", "add", "--json", &write_json(dir, "b.json", &bad)],
    );
    assert!(e.contains("id_number："), "{e}");
    // A wrong type and an unknown key are named by their path, never dropped.
    let mut typed = applicant_json();
    typed["category"] = json!(5);
    let e = refused(
        dir,
        "wangli",
        &["applicant", "add", "--json", &write_json(dir, "c.json", &typed)],
    );
    assert!(e.contains("category："), "{e}");
    let mut extra = applicant_json();
    extra["nmae"] = json!("林晓雨");
    let e = refused(
        dir,
        "wangli",
        &["applicant", "add", "--json", &write_json(dir, "e.json", &extra)],
    );
    assert!(e.contains("nmae：未知字段"), "{e}");
    let e = refused(dir, "wangli", &["applicant", "add", "--json", "/nonexistent/a.json"]);
    assert!(e.contains("无法读取"), "{e}");

    let a = ok_json(dir, "wangli", &["applicant", "add", "--json", &good]);
    let id = a["id"].as_str().unwrap().to_string();
    // The same number twice is refused.
    let e = refused(dir, "wangli", &["applicant", "add", "--json", &good]);
    assert!(!e.is_empty());
    let (code, o, _) = as_user(dir, "wangli", &["applicant", "find", "1380571", "--json"]);
    assert_eq!(code, 0);
    let found = objects(&o);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id_number"], "330106********0123", "masked in lists");
    let o = shown(dir, "wangli", &["applicant", "show", &id]);
    assert!(o.contains("330106********0123") && !o.contains(OWNER_ID), "{o}");
    let full = ok_json(dir, "wangli", &["applicant", "show", &id, "--full", "--json"]);
    assert_eq!(full["id_number"], OWNER_ID);

    let mut changed = applicant_json();
    changed["handler_mobile"] = json!("13905710009");
    let u = ok_json(
        dir,
        "wangli",
        &[
            "applicant",
            "update",
            &id,
            "--json",
            &write_json(dir, "u.json", &changed),
        ],
    );
    assert_eq!(
        (u["handler_mobile"].as_str(), u["version"].as_i64()),
        (Some("13905710009"), Some(2))
    );
    // A masked number sent back would overwrite the real one: refused.
    let mut masked = applicant_json();
    masked["id_number"] = json!("330106********0123");
    let e = refused(
        dir,
        "wangli",
        &[
            "applicant",
            "update",
            &id,
            "--json",
            &write_json(dir, "m.json", &masked),
        ],
    );
    assert!(e.contains("id_number"), "{e}");

    // The category: an admin's, with a reason.
    let e = refused(
        dir,
        "wangli",
        &[
            "applicant",
            "change-category",
            &id,
            "--category",
            "lawyer",
            "--reason",
            "已核实律师执业证",
        ],
    );
    assert!(!e.is_empty());
    let (code, _, e) = as_user(
        dir,
        "admin",
        &[
            "applicant",
            "change-category",
            &id,
            "--category",
            "boss",
            "--reason",
            "x",
        ],
    );
    assert_eq!(code, 2, "{e}");
    // As in the app, where it is done from the counter's profile drawer: an admin who works the counter.
    refused(
        dir,
        "admin",
        &[
            "applicant",
            "change-category",
            &id,
            "--category",
            "lawyer",
            "--reason",
            "已核实律师执业证",
        ],
    );
    let (code, o, e) = as_user(
        dir,
        "zhaoyi",
        &[
            "applicant",
            "change-category",
            &id,
            "--category",
            "lawyer",
            "--reason",
            "已核实律师执业证",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{o}{e}");
    assert_eq!(objects(&o)[0]["category"], "lawyer");
}

#[test]
fn filing_commands_name_each_path_and_usage_errors_exit_2() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    fresh_office(dir);
    let a = ok_json(
        dir,
        "wangli",
        &[
            "applicant",
            "add",
            "--json",
            &write_json(dir, "a.json", &applicant_json()),
        ],
    );
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
    let shown_file = shown(dir, "wangli", &["file", "show", proof["id"].as_str().unwrap()]);
    assert!(
        shown_file.contains("32x32.png") && shown_file.contains("身份证明材料"),
        "{shown_file}"
    );
    let (code, _, e) = as_user(dir, "wangli", &["file", "add", "x.png", "--purpose", "poster"]);
    assert_eq!(code, 2, "{e}");
    let good = filing_json(a["id"].as_str().unwrap(), proof["id"].as_str().unwrap(), "西湖晨雾");

    // Errors name each path: an unknown key, a value of the wrong kind.
    let mut typo = good.clone();
    typo["draft"]["work"]["titel"] = json!("错字");
    typo["draft"]["owners"][0]["nmae"] = json!("错字");
    let e = refused(
        dir,
        "wangli",
        &["filing", "new", "--json", &write_json(dir, "t.json", &typo)],
    );
    assert!(e.contains("draft.work.titel：未知字段"), "{e}");
    assert!(e.contains("draft.owners[0].nmae：未知字段"), "{e}");
    let mut wrong = good.clone();
    wrong["draft"]["owners"][0]["kind"] = json!("person");
    let e = refused(
        dir,
        "wangli",
        &["filing", "new", "--json", &write_json(dir, "w.json", &wrong)],
    );
    assert!(e.contains("draft.owners[0].kind："), "{e}");
    // The filing alone (without the wrapper) is read too; finance may not make one.
    let bare = write_json(dir, "bare.json", &good["draft"]);
    let e = refused(dir, "chenxy", &["filing", "new", "--json", &bare]);
    assert!(e.contains("权限"), "{e}");
    let (code, _, e) = as_user(
        dir,
        "wangli",
        &["filing", "new", "--json", &bare, "--applicant", "x", "--bogus"],
    );
    assert_eq!(code, 2, "{e}");

    let v = ok_json(
        dir,
        "wangli",
        &[
            "filing",
            "new",
            "--json",
            &bare,
            "--applicant",
            a["id"].as_str().unwrap(),
        ],
    );
    let serial = v["serial"].as_str().unwrap().to_string();
    assert_eq!(
        (v["applicant"].as_str(), v["state"].as_str()),
        (Some("林晓雨"), Some("draft"))
    );
    // Submitting names every missing field by its path.
    let mut thin = good.clone();
    thin["draft"]["owners"][0]["id_number"] = json!("");
    let u = ok_json(
        dir,
        "wangli",
        &[
            "filing",
            "update",
            &serial,
            "--json",
            &write_json(dir, "thin.json", &thin),
        ],
    );
    assert_eq!(u["version"], 2);
    let e = refused(dir, "wangli", &["filing", "submit", &serial]);
    assert!(e.contains("owners[0].id_number：") && e.contains("samples："), "{e}");

    let mut renamed = good.clone();
    renamed["draft"]["work"]["title"] = json!("西湖晨雾（二）");
    let u = ok_json(
        dir,
        "wangli",
        &[
            "filing",
            "update",
            &serial,
            "--json",
            &write_json(dir, "r.json", &renamed),
        ],
    );
    assert_eq!(u["title"], "西湖晨雾（二）");
    let o = shown(
        dir,
        "wangli",
        &[
            "filing",
            "attach",
            &serial,
            icon("128x128.png").to_str().unwrap(),
            "--kind",
            "attachment",
            "--json",
        ],
    );
    let v: Value = serde_json::from_str(o.trim()).unwrap();
    assert_eq!(v["state"], "draft");
    let e = refused(
        dir,
        "chenxy",
        &[
            "filing",
            "attach",
            &serial,
            icon("128x128.png").to_str().unwrap(),
            "--kind",
            "sample",
        ],
    );
    assert!(!e.is_empty());
    let (code, _, e) = as_user(
        dir,
        "wangli",
        &[
            "filing",
            "attach",
            &serial,
            icon("128x128.png").to_str().unwrap(),
            "--kind",
            "poster",
        ],
    );
    assert_eq!(code, 2, "{e}");
    shown(
        dir,
        "wangli",
        &[
            "filing",
            "attach",
            &serial,
            icon("128x128.png").to_str().unwrap(),
            "--kind",
            "sample",
        ],
    );
    shown(dir, "wangli", &["filing", "submit", &serial]);
    // A signer not on the list, a paper signature without its scan: usage.
    let (code, _, e) = as_user(
        dir,
        "wangli",
        &["filing", "sign", &serial, "--signer", "2", "--scan", "x.png"],
    );
    assert_eq!(code, 2, "{e}");
    assert!(e.contains("1–1"), "{e}");
    let (code, _, e) = as_user(dir, "wangli", &["filing", "sign", &serial, "--signer", "1"]);
    assert_eq!(code, 2, "{e}");
    assert!(e.contains("--scan"), "{e}");
    let e = refused(
        dir,
        "wangli",
        &["filing", "sign", &serial, "--signer", "1", "--scan", "/nonexistent.png"],
    );
    assert!(!e.is_empty());
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
            "e-signature",
            "--reference",
            "ESIGN-2026-0001",
        ],
    );
    assert!(o.contains("待缴费"), "{o}");
    // Once signed and submitted, the filing is no longer a draft to change.
    let e = refused(
        dir,
        "wangli",
        &[
            "filing",
            "attach",
            &serial,
            icon("128x128.png").to_str().unwrap(),
            "--kind",
            "sample",
        ],
    );
    assert!(e.contains("不能再修改"), "{e}");
}

#[test]
fn one_transfer_for_several_cases_rejected_then_confirmed_and_online_payment_checked_by_another() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    fresh_office(dir);
    let s1 = signed_case(dir, "西湖晨雾");
    let s2 = signed_case(dir, "断桥残雪");
    let s3 = signed_case(dir, "三潭印月");
    let (code, _, e) = as_user(dir, "wangli", &["payment", "choose-method", &s1, "--method", "cash"]);
    assert_eq!(code, 2, "{e}");
    let fee = owed(dir, &s1);
    let record = |user: &str, extra: &[&str]| {
        let mut args = vec!["payment", "record-transfer", "--payer", "林晓雨", "--received-at"];
        let at = now_office();
        args.push(&at);
        args.extend_from_slice(extra);
        as_user(dir, user, &args)
    };
    // Several cases need each one's amount.
    let both = (2 * fee).to_string();
    let (code, _, e) = record(
        "chenxy",
        &[
            "--amount-fen",
            &both,
            "--reference",
            "ICBC1",
            "--case",
            &s1,
            "--case",
            &s2,
        ],
    );
    assert_eq!(code, 2, "{e}");
    // The counter does not record payments.
    let (c1, c2) = (format!("{s1}={fee}"), format!("{s2}={fee}"));
    let (code, _, e) = record(
        "wangli",
        &[
            "--amount-fen",
            &both,
            "--reference",
            "ICBC1",
            "--case",
            &c1,
            "--case",
            &c2,
        ],
    );
    assert_eq!(code, 1, "{e}");
    // A bad field is named by its path.
    let (code, _, e) = record(
        "chenxy",
        &["--amount-fen", &both, "--reference", "", "--case", &c1, "--case", &c2],
    );
    assert_eq!(code, 1, "{e}");
    assert!(e.contains("transfer.reference"), "{e}");
    let (code, o, e) = record(
        "chenxy",
        &[
            "--amount-fen",
            &both,
            "--reference",
            "ICBC1",
            "--case",
            &c1,
            "--case",
            &c2,
            "--json",
        ],
    );
    assert_eq!(code, 0, "{e}");
    let t = &objects(&o)[0];
    assert_eq!(t["allocations"].as_array().unwrap().len(), 2, "{t}");
    let id = t["id"].as_str().unwrap().to_string();
    let (code, _, e) = as_user(dir, "hejun", &["payment", "check", &id]);
    assert_eq!(code, 2, "{e}");
    let o = shown(dir, "hejun", &["payment", "check", &id, "--reject", "款项未到账"]);
    assert!(o.contains("已退回") && o.contains("退回原因：款项未到账"), "{o}");
    let e = refused(dir, "hejun", &["payment", "check", &id, "--confirm"]);
    assert!(e.contains("已退回"), "{e}");
    let (code, o, e) = record(
        "chenxy",
        &[
            "--amount-fen",
            &both,
            "--reference",
            "ICBC2",
            "--case",
            &c1,
            "--case",
            &c2,
            "--json",
        ],
    );
    assert_eq!(code, 0, "{e}");
    let id = objects(&o)[0]["id"].as_str().unwrap().to_string();
    let e = refused(dir, "chenxy", &["payment", "check", &id, "--confirm"]);
    assert!(e.contains("另一位核款人员"), "{e}");
    let checked = ok_json(dir, "hejun", &["payment", "check", &id, "--confirm", "--json"]);
    assert_eq!(checked["state"], "confirmed");
    for s in [&s1, &s2] {
        let v = ok_json(dir, "wangli", &["case", "show", s, "--json"]);
        assert_eq!(v["state"], "awaiting_first_review", "{s}");
    }

    // Online: chosen at the counter, recorded by finance with the platform's number, checked by another.
    shown(dir, "wangli", &["payment", "choose-method", &s3, "--method", "online"]);
    let e = refused(
        dir,
        "wangli",
        &["payment", "choose-method", &s3, "--method", "bank_transfer"],
    );
    assert!(!e.is_empty());
    let fee3 = fee.to_string();
    let (code, _, e) = record(
        "chenxy",
        &[
            "--method",
            "bank_transfer",
            "--amount-fen",
            &fee3,
            "--reference",
            "ICBC3",
            "--case",
            &s3,
        ],
    );
    assert_eq!(code, 1, "a bank transfer for a case paid online: {e}");
    let (code, o, e) = record(
        "chenxy",
        &[
            "--method",
            "online",
            "--amount-fen",
            &fee3,
            "--reference",
            "4200001234202612060001",
            "--case",
            &s3,
            "--json",
        ],
    );
    assert_eq!(code, 0, "{e}");
    let t = &objects(&o)[0];
    assert_eq!(
        (t["method"].as_str(), t["state"].as_str()),
        (Some("online"), Some("recorded"))
    );
    let id = t["id"].as_str().unwrap().to_string();
    refused(dir, "chenxy", &["payment", "check", &id, "--confirm"]);
    let checked = ok_json(dir, "hejun", &["payment", "check", &id, "--confirm", "--json"]);
    assert_eq!(checked["state"], "confirmed");
    let (code, o, _) = as_user(
        dir,
        "hejun",
        &["payment", "transfers", "--state", "confirmed", "--json"],
    );
    assert_eq!(code, 0);
    assert_eq!(objects(&o).len(), 2);
    let (code, _, _) = as_user(dir, "hejun", &["payment", "transfers", "--state", "lost"]);
    assert_eq!(code, 2);
}

/// A case paid (recorded by 陈晓燕, confirmed by 何军): 待初审.
fn paid_case(dir: &Path, title: &str) -> String {
    let s = signed_case(dir, title);
    let fee = owed(dir, &s);
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
            &format!("ICBC-{}", s.rsplit('-').next().unwrap()),
            "--case",
            &s,
            "--json",
        ],
    );
    ok_json(
        dir,
        "hejun",
        &["payment", "check", t["id"].as_str().unwrap(), "--confirm", "--json"],
    );
    s
}

/// 一人一表 headless: the admin allows it, the counter lists the batch's
/// signers, prints one signer's form and records its scan against every case.
#[test]
fn a_batch_is_signed_on_one_form_per_signer_once_the_office_allows_it() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    fresh_office(dir);
    let a = submitted_case(dir, "西湖春晓");
    let b = submitted_case(dir, "平湖秋月");
    let scan = icon("32x32.png").display().to_string();
    // Off by default: refused with the reason.
    let e = refused(dir, "wangli", &["filing", "sign-batch", &a, &b]);
    assert!(e.contains("未开启"), "{e}");
    // The signer without a scan is a usage error.
    let (code, _, e) = as_user(dir, "wangli", &["filing", "sign-batch", &a, &b, "--signer", "1"]);
    assert_eq!(code, 2, "{e}");
    refused(dir, "wangli", &["settings", "set", "--batch-signing-form", "true"]);
    let (code, o, e) = as_user(dir, "admin", &["settings", "set", "--batch-signing-form", "true"]);
    assert_eq!(code, 0, "{o}{e}");
    assert!(e.contains("已开启"), "{e}");
    assert!(o.contains("一人一表签章：开启"), "{o}");

    let o = shown(dir, "wangli", &["filing", "sign-batch", &a, &b]);
    let lines: Vec<&str> = o.lines().collect();
    assert_eq!(lines.len(), 1, "one signer signs both: {o}");
    assert!(lines[0].starts_with("1\t") && lines[0].contains("可签章"), "{o}");
    assert!(lines[0].contains(&a) && lines[0].contains(&b), "{o}");

    let form = dir.join("签章表.pdf");
    let o = shown(
        dir,
        "wangli",
        &[
            "print",
            "batch-signing-form",
            &a,
            &b,
            "--signer",
            "1",
            "-o",
            form.to_str().unwrap(),
        ],
    );
    assert!(o.contains("已生成"), "{o}");
    assert!(std::fs::read(&form).unwrap().starts_with(b"%PDF"));
    let e = refused(
        dir,
        "wangli",
        &[
            "print",
            "batch-signing-form",
            &a,
            &b,
            "--signer",
            "2",
            "-o",
            form.to_str().unwrap(),
        ],
    );
    assert!(e.contains("第 2 位"), "{e}");

    let (code, o, e) = as_user(
        dir,
        "wangli",
        &[
            "filing",
            "sign-batch",
            &a,
            &b,
            "--signer",
            "1",
            "--scan",
            &scan,
            "--json",
        ],
    );
    assert_eq!(code, 0, "{o}{e}");
    let done: Vec<Value> = o.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(done.len(), 2, "{o}");
    assert!(done.iter().all(|c| c["state"] == "awaiting_payment"), "{o}");
    // Again: both cases left 待签章.
    let e = refused(
        dir,
        "wangli",
        &["filing", "sign-batch", &a, &b, "--signer", "1", "--scan", &scan],
    );
    assert!(e.contains("待签章"), "{e}");
}

#[test]
fn review_decisions_refusal_refund_correction_resubmit_and_withdrawal() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    fresh_office(dir);
    let refused_case = paid_case(dir, "西湖晨雾");
    let corrected = paid_case(dir, "断桥残雪");
    let sent_back = paid_case(dir, "三潭印月");
    let withdrawn = signed_case(dir, "雷峰夕照");

    // Usage: one decision, and a refusal needs its ground and note.
    let (code, _, e) = as_user(dir, "liwen", &["review", "first", &refused_case]);
    assert_eq!(code, 2, "{e}");
    let (code, _, e) = as_user(
        dir,
        "liwen",
        &["review", "first", &refused_case, "--pass", "--return", "x"],
    );
    assert_eq!(code, 2, "{e}");
    let (code, _, e) = as_user(
        dir,
        "liwen",
        &["review", "first", &refused_case, "--propose-refusal", "not_a_work"],
    );
    assert_eq!(code, 2, "{e}");
    let (code, _, e) = as_user(
        dir,
        "liwen",
        &[
            "review",
            "first",
            &refused_case,
            "--propose-refusal",
            "ugly",
            "--note",
            "x",
        ],
    );
    assert_eq!(code, 2, "{e}");
    // The counter does not review.
    refused(dir, "wangli", &["review", "first", &refused_case, "--pass"]);
    shown(
        dir,
        "liwen",
        &[
            "review",
            "first",
            &refused_case,
            "--propose-refusal",
            "not_a_work",
            "--note",
            "仅为创意构思，未形成作品",
        ],
    );
    let e = refused(dir, "liwen", &["review", "final", &refused_case, "--confirm-refusal"]);
    assert!(e.contains("初审"), "{e}");
    let o = shown(
        dir,
        "zhangwei",
        &["review", "final", &refused_case, "--confirm-refusal"],
    );
    assert!(o.contains("不予登记"), "{o}");
    let notice = dir.join("notice.pdf");
    shown(
        dir,
        "wangli",
        &["print", "notice", &refused_case, "-o", notice.to_str().unwrap()],
    );
    assert!(std::fs::read(&notice).unwrap().starts_with(b"%PDF"));
    // The fee comes back: the amount owed, once.
    let (code, o, _) = as_user(dir, "chenxy", &["payment", "refunds-due", "--json"]);
    assert_eq!(code, 0);
    let due = objects(&o);
    assert_eq!(due.len(), 1, "{o}");
    let owed = due[0]["owed_fen"].as_i64().unwrap().to_string();
    let today = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    let e = refused(
        dir,
        "chenxy",
        &[
            "payment",
            "refund",
            &refused_case,
            "--method",
            "online",
            "--amount-fen",
            &owed,
            "--reference",
            "R1",
            "--on",
            &today,
        ],
    );
    assert!(e.contains("method"), "原路退回 only for online payments: {e}");
    let (code, _, _) = as_user(
        dir,
        "chenxy",
        &[
            "payment",
            "refund",
            &refused_case,
            "--method",
            "cheque",
            "--amount-fen",
            &owed,
            "--reference",
            "R1",
            "--on",
            &today,
        ],
    );
    assert_eq!(code, 2);
    let o = shown(
        dir,
        "chenxy",
        &[
            "payment",
            "refund",
            &refused_case,
            "--method",
            "bank_transfer",
            "--amount-fen",
            &owed,
            "--reference",
            "R1",
            "--on",
            &today,
        ],
    );
    assert!(o.contains("已登记退费"), "{o}");
    refused(
        dir,
        "chenxy",
        &[
            "payment",
            "refund",
            &refused_case,
            "--method",
            "bank_transfer",
            "--amount-fen",
            &owed,
            "--reference",
            "R2",
            "--on",
            &today,
        ],
    );

    // Returned for correction: signed again, then resubmitted without a new payment.
    let o = shown(
        dir,
        "liwen",
        &["review", "first", &corrected, "--return", "样本图片不清晰，请重新提交"],
    );
    assert!(o.contains("补正"), "{o}");
    shown(dir, "wangli", &["filing", "submit", &corrected]);
    let e = refused(dir, "wangli", &["case", "resubmit", &corrected]);
    assert!(e.contains("签章"), "{e}");
    let scan = icon("32x32.png").display().to_string();
    shown(
        dir,
        "wangli",
        &["filing", "sign", &corrected, "--signer", "1", "--scan", &scan],
    );
    let v = ok_json(dir, "wangli", &["case", "resubmit", &corrected, "--json"]);
    assert_eq!(v["state"], "awaiting_first_review");

    // Sent back from final to first review, with the note.
    shown(dir, "liwen", &["review", "first", &sent_back, "--pass"]);
    let (code, _, e) = as_user(
        dir,
        "zhangwei",
        &["review", "final", &sent_back, "--approve", "--confirm-refusal"],
    );
    assert_eq!(code, 2, "{e}");
    let v = ok_json(
        dir,
        "zhangwei",
        &["review", "final", &sent_back, "--send-back", "请核对作者署名", "--json"],
    );
    assert_eq!(v["state"], "awaiting_first_review");
    let o = shown(dir, "zhangwei", &["review", "history", &sent_back]);
    assert!(o.contains("请核对作者署名"), "{o}");
    let (code, o, _) = as_user(dir, "liwen", &["review", "duplicates", &sent_back, "--json"]);
    assert_eq!(code, 0, "{o}");

    // Withdrawn at the applicant's request, at the counter only.
    refused(
        dir,
        "chenxy",
        &["case", "withdraw", &withdrawn, "--reason", "申请人书面申请撤回"],
    );
    // The reason is required: without it a usage error, blank it is refused by name.
    let (code, _, e) = as_user(dir, "wangli", &["case", "withdraw", &withdrawn]);
    assert_eq!(code, 2, "{e}");
    let e = refused(dir, "wangli", &["case", "withdraw", &withdrawn, "--reason", " "]);
    assert!(e.contains("撤回原因"), "{e}");
    let o = shown(
        dir,
        "wangli",
        &["case", "withdraw", &withdrawn, "--reason", "申请人书面申请撤回"],
    );
    assert!(o.contains("已撤回"), "{o}");
    let o = shown(dir, "wangli", &["review", "history", &withdrawn]);
    assert!(o.contains("申请人书面申请撤回"), "{o}");
    refused(dir, "wangli", &["case", "withdraw", &withdrawn, "--reason", "再次撤回"]);
    // No correction is past its deadline yet.
    let o = shown(dir, "wangli", &["case", "expire-corrections"]);
    assert!(o.contains("没有逾期未补正的案件"), "{o}");
    let (code, o, _) = as_user(dir, "wangli", &["case", "expire-corrections", "--json"]);
    assert_eq!((code, o.as_str()), (0, ""));
}

#[test]
fn help_is_in_chinese_and_english_for_every_command() {
    let d = tempfile::tempdir().unwrap();
    let (code, o, _) = run(regdesk(d.path()).arg("help"));
    assert_eq!(code, 0);
    assert!(o.contains("退出码") && o.contains("Exit codes"), "{o}");
    let commands: &[&[&str]] = &[
        &["applicant", "add"],
        &["applicant", "update"],
        &["applicant", "find"],
        &["applicant", "show"],
        &["applicant", "change-category"],
        &["filing", "new"],
        &["filing", "update"],
        &["filing", "attach"],
        &["filing", "submit"],
        &["filing", "sign"],
        &["file", "add"],
        &["file", "show"],
        &["payment", "cases"],
        &["payment", "choose-method"],
        &["payment", "record-transfer"],
        &["payment", "check"],
        &["payment", "transfers"],
        &["payment", "refunds-due"],
        &["payment", "refund"],
        &["payment", "change-method"],
        &["payment", "statement-lines"],
        &["payment", "resolve-line"],
        &["payment", "dismiss-line"],
        &["payment", "invoices-due"],
        &["payment", "mark-invoiced"],
        &["payment", "day-report"],
        &["payment", "export"],
        &["applicant", "add-proof"],
        &["applicant", "proofs"],
        &["applicant", "check-proof"],
        &["applicant", "remove-proof"],
        &["applicant", "check-id"],
        &["review", "first"],
        &["review", "final"],
        &["review", "history"],
        &["review", "duplicates"],
        &["case", "resubmit"],
        &["case", "withdraw"],
        &["filing", "sign-batch"],
        &["print", "batch-signing-form"],
        &["case", "expire-corrections"],
        &["print", "notice"],
        &["settings", "show"],
        &["settings", "set"],
        &["office", "tree"],
        &["office", "add"],
        &["staff", "update"],
        &["staff", "enable"],
        &["staff", "reset-password"],
        &["init"],
        &["staff", "add"],
        &["staff", "list"],
        &["staff", "disable"],
        &["audit", "verify"],
        &["audit", "reset-anchor"],
        &["audit", "access"],
        &["id", "check"],
        &["calendar", "due"],
        &["calendar", "between"],
        &["calendar", "load"],
        &["case", "list"],
        &["case", "find"],
        &["case", "show"],
        &["case", "revoke"],
        &["case", "transfer"],
        &["print", "application-form"],
        &["payment", "import-statement"],
        &["key", "export"],
        &["key", "import"],
        &["backup"],
        &["backup", "list"],
        &["backup", "verify"],
        &["restore"],
        &["demo"],
        &["status"],
        &["desk", "overview"],
        &["calendar", "years"],
        &["audit", "recent"],
        &["backup", "status"],
        &["backup", "settings"],
        &["staff", "change-password"],
        &["filing", "check-attribution"],
        &["report", "monthly"],
        &["report", "announcement"],
        &["report", "yearly"],
    ];
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for c in commands {
        let (code, o, e) = run(regdesk(d.path()).args(*c).arg("--help"));
        assert_eq!(code, 0, "{c:?}: {e}");
        let about = o.lines().next().unwrap_or("");
        assert!(cjk(&o), "{c:?} has Chinese: {o}");
        let english = o.lines().take_while(|l| !l.starts_with("Usage:")).any(|l| {
            l.split_whitespace()
                .filter(|w| w.chars().all(|ch| ch.is_ascii_alphabetic()))
                .count()
                >= 3
        });
        assert!(english, "{c:?} has English help: {about}\n{o}");
    }
    // Without a decision, or with an unknown subcommand: usage, exit 2.
    let (code, _, _) = run(regdesk(d.path()).args(["payment", "confirm-online"]));
    assert_eq!(code, 2);
}

#[test]
fn statement_lines_invoices_day_report_exports_and_the_admins_method_change() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    fresh_office(dir);
    let unmatched = signed_case(dir, "西湖晨雾");
    let dismissed_for = signed_case(dir, "断桥残雪");
    let fee = owed(dir, &unmatched);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    let csv = dir.join("statement.csv");
    std::fs::write(
        &csv,
        format!(
            "交易日期,对方户名,对方账号,借方发生额,贷方发生额（收入）,摘要,交易流水号\n\
             {today},林某某,6222020200012345678,,{yuan}.00,登记费,B-1\n\
             {today},某某单位,6222020200099999999,,1350.00,服务费,B-2\n",
            yuan = fee / 100
        ),
    )
    .unwrap();
    shown(dir, "chenxy", &["payment", "import-statement", csv.to_str().unwrap()]);
    let (code, o, e) = as_user(dir, "chenxy", &["payment", "statement-lines", "--json"]);
    assert_eq!(code, 0, "{e}");
    let lines = objects(&o);
    assert_eq!(lines.len(), 2, "{o}");
    let id_of = |reference: &str| {
        lines.iter().find(|l| l["reference"] == reference).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (b1, b2) = (id_of("B-1"), id_of("B-2"));
    shown(dir, "chenxy", &["payment", "statement-lines"]);
    // A line is allotted with its amounts; without them it is a usage error.
    let (code, _, e) = as_user(dir, "chenxy", &["payment", "resolve-line", &b1, "--case", &unmatched]);
    assert_eq!(code, 2, "{e}");
    let share = format!("{unmatched}={fee}");
    refused(dir, "wangli", &["payment", "resolve-line", &b1, "--case", &share]);
    let t = ok_json(
        dir,
        "chenxy",
        &["payment", "resolve-line", &b1, "--case", &share, "--json"],
    );
    assert_eq!(t["state"], "recorded");
    let id = t["id"].as_str().unwrap().to_string();
    refused(dir, "chenxy", &["payment", "check", &id, "--confirm"]);
    shown(dir, "hejun", &["payment", "check", &id, "--confirm"]);
    let e = refused(dir, "chenxy", &["payment", "dismiss-line", &b2, "--note", ""]);
    assert!(e.contains("note"), "{e}");
    shown(
        dir,
        "chenxy",
        &["payment", "dismiss-line", &b2, "--note", "服务费，非登记费"],
    );
    let (code, o, _) = as_user(dir, "chenxy", &["payment", "statement-lines", "--json"]);
    assert_eq!((code, o.as_str()), (0, ""));

    // The e-invoice of the paid case, then marked issued.
    let (code, o, e) = as_user(dir, "chenxy", &["payment", "invoices-due", "--json"]);
    assert_eq!(code, 0, "{e}");
    let due = objects(&o);
    assert_eq!(due.len(), 1, "{o}");
    assert_eq!(due[0]["serial"], unmatched.as_str());
    let xlsx = dir.join("invoices.xlsx");
    shown(
        dir,
        "chenxy",
        &["payment", "export", "invoice_list_xlsx", "-o", xlsx.to_str().unwrap()],
    );
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let (code, _, _) = as_user(dir, "chenxy", &["payment", "export", "ledger", "-o", "x"]);
    assert_eq!(code, 2);
    let o = shown(
        dir,
        "chenxy",
        &[
            "payment",
            "mark-invoiced",
            "--invoice-number",
            "24332000000012345678",
            "--case",
            &unmatched,
        ],
    );
    assert!(o.contains("已标记 1 件"), "{o}");
    let (code, o, _) = as_user(dir, "chenxy", &["payment", "invoices-due", "--json"]);
    assert_eq!((code, o.as_str()), (0, ""));

    // The day report: today's receipt, confirmed.
    let o = shown(dir, "chenxy", &["payment", "day-report"]);
    assert!(o.contains("合计"), "{o}");
    let (code, o, _) = as_user(dir, "chenxy", &["payment", "day-report", "--json"]);
    assert_eq!(code, 0);
    let rows = objects(&o);
    let totals = &rows.last().unwrap()["totals"];
    assert_eq!(totals["confirmed_fen"].as_i64(), Some(fee), "{o}");
    let pdf = dir.join("day.pdf");
    shown(
        dir,
        "chenxy",
        &[
            "payment",
            "export",
            "day_report_pdf",
            "-o",
            pdf.to_str().unwrap(),
            "--from",
            &today,
        ],
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    // Only an admin changes a chosen method, with a reason.
    shown(
        dir,
        "wangli",
        &["payment", "choose-method", &dismissed_for, "--method", "online"],
    );
    refused(
        dir,
        "wangli",
        &[
            "payment",
            "change-method",
            &dismissed_for,
            "--method",
            "bank_transfer",
            "--reason",
            "申请人改为对公转账",
        ],
    );
    let v = ok_json(
        dir,
        "admin",
        &[
            "payment",
            "change-method",
            &dismissed_for,
            "--method",
            "bank_transfer",
            "--reason",
            "申请人改为对公转账",
            "--json",
        ],
    );
    assert_eq!(v["state"], "awaiting_payment");
}

#[test]
fn identity_proofs_are_added_checked_listed_and_removed() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    fresh_office(dir);
    let a = ok_json(
        dir,
        "wangli",
        &[
            "applicant",
            "add",
            "--json",
            &write_json(dir, "a.json", &applicant_json()),
        ],
    );
    let id = a["id"].as_str().unwrap().to_string();
    let scan = icon("32x32.png").display().to_string();
    let (code, _, _) = as_user(
        dir,
        "wangli",
        &["applicant", "add-proof", &id, &scan, "--kind", "selfie"],
    );
    assert_eq!(code, 2);
    refused(
        dir,
        "chenxy",
        &["applicant", "add-proof", &id, &scan, "--kind", "id_front"],
    );
    let p = ok_json(
        dir,
        "wangli",
        &["applicant", "add-proof", &id, &scan, "--kind", "id_front", "--json"],
    );
    assert!(p["checked_by_name"].is_null(), "{p}");
    let proof = p["id"].as_str().unwrap().to_string();
    let o = shown(dir, "wangli", &["applicant", "proofs", &id]);
    assert!(o.contains("未核验"), "{o}");
    let p = ok_json(dir, "wangli", &["applicant", "check-proof", &proof, "--json"]);
    assert_eq!(p["checked_by_name"], "王丽");
    shown(dir, "wangli", &["applicant", "remove-proof", &proof]);
    let (code, o, _) = as_user(dir, "wangli", &["applicant", "proofs", &id, "--json"]);
    assert_eq!((code, o.as_str()), (0, ""));
    refused(dir, "wangli", &["applicant", "remove-proof", &proof]);

    // The counter's ID panel: the number checked, and the profile that has it.
    let o = shown(dir, "wangli", &["applicant", "check-id", OWNER_ID]);
    assert!(
        o.contains("居民身份证：有效") && o.contains("已有用户信息") && o.contains("林晓雨"),
        "{o}"
    );
    let (code, o, _) = as_user(dir, "wangli", &["applicant", "check-id", "330106198810100124"]);
    assert_eq!(code, 1, "{o}");
    assert!(o.contains("校验码"), "{o}");
    let (code, _, _) = as_user(dir, "wangli", &["applicant", "check-id", OWNER_ID, "--type", "visa"]);
    assert_eq!(code, 2);
}

#[test]
fn settings_offices_and_staff_changes_by_an_admin() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    fresh_office(dir);
    let before = ok_json(dir, "admin", &["settings", "show", "--json"]);
    refused(dir, "wangli", &["settings", "set", "--fee-per-work-fen", "20000"]);
    let e = refused(dir, "admin", &["settings", "set", "--review-working-days", "0"]);
    assert!(e.contains("review_working_days"), "{e}");
    let after = ok_json(
        dir,
        "admin",
        &["settings", "set", "--fee-per-work-fen", "20000", "--json"],
    );
    assert_eq!(after["fee_per_work_fen"], 20000);
    assert_eq!(
        after["review_working_days"], before["review_working_days"],
        "the rest stays"
    );
    let o = shown(dir, "admin", &["settings", "show"]);
    assert!(o.contains("¥200.00"), "{o}");
    // The new fee is what a case owes.
    let s = signed_case(dir, "西湖晨雾");
    assert_eq!(owed(dir, &s), 20000);

    let o = shown(dir, "admin", &["office", "tree"]);
    assert!(o.contains("ZJ 浙江省版权局"), "{o}");
    refused(
        dir,
        "wangli",
        &[
            "office",
            "add",
            "--code",
            "ZJHZ",
            "--name",
            "杭州市版权局",
            "--parent",
            "ZJ",
        ],
    );
    let e = refused(
        dir,
        "admin",
        &[
            "office",
            "add",
            "--code",
            "杭州",
            "--name",
            "杭州市版权局",
            "--parent",
            "ZJ",
        ],
    );
    assert!(e.contains("code"), "{e}");
    let o = shown(
        dir,
        "admin",
        &[
            "office",
            "add",
            "--code",
            "ZJHZ",
            "--name",
            "杭州市版权局",
            "--parent",
            "ZJ",
        ],
    );
    assert!(o.contains("  ZJHZ 杭州市版权局"), "{o}");
    let (code, o, _) = as_user(dir, "admin", &["office", "tree", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(objects(&o).len(), 2);

    let (code, _, _) = as_user(dir, "admin", &["staff", "update", "wangli", "--role", "boss"]);
    assert_eq!(code, 2);
    refused(dir, "wangli", &["staff", "update", "wangli", "--role", "admin"]);
    let o = shown(
        dir,
        "admin",
        &["staff", "update", "wangli", "--role", "counter_clerk,finance"],
    );
    assert!(o.contains("王丽") && o.contains("缴费核对"), "{o}");
    shown(dir, "admin", &["staff", "disable", "hejun"]);
    refused(dir, "hejun", &["payment", "transfers"]);
    shown(dir, "admin", &["staff", "enable", "hejun"]);
    let mut c = regdesk(dir);
    c.args(["--user", "admin", "staff", "reset-password", "hejun"])
        .env("REGDESK_PASSWORD", PASSWORD)
        .env("REGDESK_NEW_PASSWORD", "Hejun2026new");
    let (code, o, e) = run(&mut c);
    assert_eq!(code, 0, "{o}{e}");
    assert!(o.contains("下次登录须修改"), "{o}");
    refused(dir, "hejun", &["payment", "transfers"]);
    let mut c = regdesk(dir);
    c.args(["--user", "hejun", "payment", "transfers"])
        .env("REGDESK_PASSWORD", "Hejun2026new");
    let (code, _, e) = run(&mut c);
    assert_eq!(code, 0, "{e}");
}

#[test]
fn status_desk_overview_calendar_years_audit_backup_password_and_attribution() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let (code, o, _) = run(regdesk(dir).arg("status"));
    assert_eq!(code, 0);
    assert!(o.contains("尚未建立登记机构"), "{o}");
    fresh_office(dir);
    let s = signed_case(dir, "西湖晨雾");
    let o = shown(dir, "wangli", &["status"]);
    assert!(o.contains("浙江省版权局（ZJ）") && o.contains("王丽"), "{o}");
    let (code, o, _) = as_user(dir, "wangli", &["desk", "overview", "counter", "--json"]);
    assert_eq!(code, 0);
    assert!(
        objects(&o)
            .iter()
            .any(|q| q["queue"] == "awaiting_payment" && q["count"] == 1),
        "{o}"
    );
    refused(dir, "wangli", &["desk", "overview", "admin"]);
    let (code, _, _) = as_user(dir, "wangli", &["desk", "overview", "kitchen"]);
    assert_eq!(code, 2);
    let o = shown(dir, "admin", &["calendar", "years"]);
    assert!(o.contains("随软件提供") && o.contains("管理员载入"), "{o}");
    let o = shown(dir, "admin", &["audit", "recent", "--limit", "3"]);
    assert_eq!(o.lines().count(), 3, "{o}");
    refused(dir, "wangli", &["audit", "recent"]);

    let usb = tempfile::tempdir().unwrap();
    let folder = usb.path().join("备份");
    std::fs::create_dir_all(&folder).unwrap();
    // Not inside the data directory: the same disk would take both.
    let inside = dir.join("备份");
    std::fs::create_dir_all(&inside).unwrap();
    let e = refused(
        dir,
        "admin",
        &["backup", "settings", "--folder", inside.to_str().unwrap()],
    );
    assert!(e.contains("folder："), "{e}");
    refused(
        dir,
        "wangli",
        &["backup", "settings", "--folder", folder.to_str().unwrap()],
    );
    let o = shown(
        dir,
        "admin",
        &[
            "backup",
            "settings",
            "--folder",
            folder.to_str().unwrap(),
            "--keep",
            "5",
        ],
    );
    assert!(o.contains("保留 5 份"), "{o}");
    let v = ok_json(dir, "admin", &["backup", "status", "--json"]);
    assert_eq!(v["settings"]["keep"], 5);

    // The corporate attribution does not fit a natural-person owner and author.
    let o = shown(
        dir,
        "wangli",
        &["filing", "check-attribution", &s, "--attribution", "corporate"],
    );
    assert!(o.contains("owners[0]") && o.contains("authors[0]"), "{o}");
    let o = shown(
        dir,
        "wangli",
        &["filing", "check-attribution", &s, "--attribution", "individual"],
    );
    assert!(o.contains("各当事人均适合"), "{o}");

    // One's own password: the old from REGDESK_PASSWORD, the new from REGDESK_NEW_PASSWORD.
    let mut c = regdesk(dir);
    c.args(["--user", "wangli", "staff", "change-password"])
        .env("REGDESK_PASSWORD", PASSWORD)
        .env("REGDESK_NEW_PASSWORD", "short");
    let (code, _, e) = run(&mut c);
    assert_eq!(code, 1, "{e}");
    let mut c = regdesk(dir);
    c.args(["--user", "wangli", "staff", "change-password"])
        .env("REGDESK_PASSWORD", PASSWORD)
        .env("REGDESK_NEW_PASSWORD", "Wangli2026new");
    let (code, o, e) = run(&mut c);
    assert_eq!(code, 0, "{o}{e}");
    let mut c = regdesk(dir);
    c.args(["--user", "wangli", "status"])
        .env("REGDESK_PASSWORD", "Wangli2026new");
    let (code, _, e) = run(&mut c);
    assert_eq!(code, 0, "{e}");
}
