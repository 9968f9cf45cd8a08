//! Printed documents (forms.rs): the application form, dates the Chinese way.

use chrono::{TimeZone, Utc};

use super::fixtures::*;
use crate::*;

#[test]
fn the_application_form_names_the_work_and_every_party() {
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);
    let d = new_draft(&f, &c, corporate(&f, &c, true));
    let (serial, pdf) = f.store.application_form_pdf(&c, &d.serial).unwrap();
    assert_eq!(serial, d.serial);
    assert!(pdf.starts_with(b"%PDF"));
    let path = f.dir.path().join("form.pdf");
    std::fs::write(&path, &pdf).unwrap();
    match std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout).replace(char::is_whitespace, "");
            for needle in [
                "作品登记申请表",
                "西湖十景之断桥残雪",
                "杭州湖光影像文化传媒有限公司",
                "宁波海曙文化发展有限公司",
                "陈思远",
                "2026年1月12日",
                serial.as_str(),
            ] {
                assert!(text.contains(&needle.replace(' ', "")), "{needle} not in the PDF text");
            }
        }
        _ => eprintln!("pdftotext is not installed; the PDF text was not checked (bash .ci/setup --test installs it)"),
    }
}

#[test]
fn dates_in_documents_read_the_chinese_way() {
    use regdesk_domain::work::PartialDate;
    assert_eq!(
        chinese_date(&PartialDate::new(2026, Some(1), Some(12)).unwrap()),
        "2026年1月12日"
    );
    assert_eq!(
        chinese_date(&PartialDate::new(2026, Some(11), None).unwrap()),
        "2026年11月"
    );
    assert_eq!(chinese_date(&PartialDate::new(2026, None, None).unwrap()), "2026年");
    // 23:30 UTC is already the next day in the office.
    let t = Utc.with_ymd_and_hms(2026, 11, 24, 23, 30, 0).unwrap();
    assert_eq!(office_date(t), chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
}
