//! Records an office can trust: 管理 → 备份 (a backup made to a folder and
//! seen verified), 管理 → 查阅记录 (a reviewer's reveal of an ID number,
//! listed for the admin) and the screen of a damaged database with the way back.

use crate::support::office::{app, fresh_shots, pay_waiting, sample_office, sample_office_with_2027};
use crate::support::steps::{open_desk, open_row, sign_in_as, sign_in_at_desk, sign_out};
use crate::support::webdriver::Desk;

#[test]
fn a_reveal_is_listed_for_the_admin_and_a_backup_is_made_and_verified() {
    let (data, waiting) = sample_office_with_2027();
    let serials = pay_waiting(&data, &waiting);
    let serial = serials.first().expect("a case in first review").clone();
    let usb = data.folder("usb");
    let shots = fresh_shots("records");
    let mut d = Desk::start(&app(), &data, &shots);

    // 李雯 opens a case in first review: the numbers are masked until she asks.
    sign_in_as(&d, "liwen");
    open_desk(&d, "first_review");
    open_row(&d, "first_review", &serial);
    d.wait("[data-testid=review-workspace]");
    d.wait("[data-testid=review-masked]");
    d.shot("review-masked");
    d.click("[data-testid=review-reveal]");
    d.wait_gone("[data-testid=review-masked]");
    d.shot("review-revealed");
    sign_out(&d);

    // The admin sees who read which case's full numbers, and when.
    sign_in_at_desk(&d, "admin");
    open_desk(&d, "admin");
    d.click("[data-testid=admin-tab-access]");
    d.wait("[data-testid=access-log]");
    d.click("[data-testid=access-query]");
    d.wait_text(&serial);
    let row = d
        .js(
            "const tr=[...document.querySelectorAll('[data-testid=access-log] tbody tr')].find(r=>r.innerText.includes(arguments[0])); return tr ? tr.innerText : '';",
            serde_json::json!([serial]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(row.contains("李雯"), "{row}");
    d.wait_gone("[data-testid=access-query].ant-btn-loading");
    d.shot("access-log");

    // 管理 → 备份: no backup yet; a folder on the "USB disk", then 立即备份.
    d.click("[data-testid=admin-tab-backup]");
    d.wait("[data-testid=backup-last]");
    let never = d.text("[data-testid=backup-last]");
    assert!(never.contains("还没有做过备份"), "{never}");
    d.shot("backup-never");
    d.retype("[data-testid=backup-folder]", usb.to_str().unwrap());
    d.click("[data-testid=backup-save]");
    d.wait_text("已保存");
    d.click("[data-testid=backup-now]");
    d.wait_text("备份完成并已校验");
    let last = d.text("[data-testid=backup-last]");
    assert!(last.contains("上一次备份"), "{last}");
    // The generation is listed, verified, with the command that restores it.
    let generation = std::fs::read_dir(&usb)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("regdesk-") && !n.ends_with(".partial"))
        .expect("a generation in the folder");
    let tag = d.text(&format!("[data-testid=backup-verified-{generation}]"));
    assert_eq!(tag, "通过");
    d.wait_text("restore");
    // The notices gone, the last backup and the generations in view.
    d.wait_gone(".ant-message-notice");
    d.js(
        "document.querySelector('[data-testid=backup-last]').scrollIntoView({block: 'start'})",
        serde_json::json!([]),
    );
    d.shot("backup-verified");
}

#[test]
fn a_damaged_database_shows_the_way_back_and_the_restore_brings_the_desk_back() {
    let data = sample_office();
    let usb = data.folder("usb");
    // A verified backup, noted beside the database.
    let generation = {
        let store = data.open();
        let admin = store
            .login(&regdesk_store::LoginInput {
                username: "admin".into(),
                password: "Banquan2026".into(),
            })
            .unwrap();
        let r = store.backup_now(&admin, Some(&usb), &mut |_| {}).unwrap();
        assert!(r.ok, "{}", r.message);
        usb.join(r.generation)
    };
    // The disk damages the database while the app is closed.
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(data.path().join(regdesk_store::DB_FILE))
            .unwrap();
        let pages = f.metadata().unwrap().len() / 4096;
        assert!(pages > 4, "{pages} pages");
        for page in 1..pages.min(12) {
            f.seek(SeekFrom::Start(4096 * page + 200)).unwrap();
            f.write_all(&[0xA5; 256]).unwrap();
        }
    }
    let shots = fresh_shots("damaged");
    {
        let mut d = Desk::start(&app(), &data, &shots);
        d.wait("[data-testid=damaged-screen]");
        assert!(!d.visible("#login_username"), "no sign-in on a damaged database");
        let last = d.text("[data-testid=damaged-last-backup]");
        assert!(last.contains(generation.to_str().unwrap()), "{last}");
        let command = d.text("[data-testid=damaged-command]");
        assert!(
            command.contains("restore") && command.contains(generation.to_str().unwrap()),
            "{command}"
        );
        d.shot("damaged-screen");
    }
    // The way back, as the screen says (the app closed): the restore, then the desk again.
    regdesk_store::backup::restore(
        data.path(),
        &generation,
        false,
        std::sync::Arc::new(regdesk_store::SystemClock),
        &data.keys(),
    )
    .unwrap();
    let mut d = Desk::start(&app(), &data, &shots);
    sign_in_at_desk(&d, "wangli");
    d.shot("restored-desk");
}
