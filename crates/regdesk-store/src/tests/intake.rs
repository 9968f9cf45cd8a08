//! Batch intake (intake.rs): an agency's sheet and its folder of files become drafts.

use std::collections::HashMap;
use std::path::PathBuf;

use regdesk_domain::applicant::{ApplicantCategory, ApplicantInput};
use regdesk_domain::identity::DocumentType;
use regdesk_domain::intake::{columns, SHEET_WORKS};
use regdesk_domain::lifecycle::CaseState;

use super::fixtures::*;
use crate::*;

fn agency() -> ApplicantInput {
    ApplicantInput {
        category: ApplicantCategory::Organisation,
        name: "杭州青山文化创意有限公司".into(),
        id_type: DocumentType::Uscc,
        id_number: "91350100m000100y43".into(),
        pen_name: "".into(),
        handler_name: "陈静".into(),
        handler_mobile: "13905710001".into(),
        region: "杭州市".into(),
        invoice_email: "finance@qingshan.cn".into(),
        recipient_name: "陈静".into(),
        recipient_phone: "13905710001".into(),
        postal_address: "浙江省杭州市拱墅区大关路 100 号".into(),
    }
}

/// A resident ID of Hangzhou (330106) born on `birth` (YYYYMMDD), with its check digit.
fn resident_id(birth: &str, seq: &str) -> String {
    let body = format!("330106{birth}{seq}");
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

/// One good row: a 个人作品 of a Hangzhou painter, with its sample and ID scan.
fn good(title: &str, painter: &str, seq: &str) -> HashMap<&'static str, String> {
    let mut m = HashMap::new();
    for (k, v) in [
        ("work.title", title.to_string()),
        ("work.category", "美术".into()),
        ("work.nature", "原创".into()),
        ("work.completed_on", "2026-03-01".into()),
        ("work.completed_place", "浙江省杭州市".into()),
        ("work.publication", "未发表".into()),
        ("work.attribution", "个人作品".into()),
        ("work.acquisition", "原始".into()),
        ("work.ownership", "全部".into()),
        ("owners[0].kind", "自然人".into()),
        ("owners[0].name", painter.into()),
        ("owners[0].id_type", "居民身份证".into()),
        ("owners[0].id_number", resident_id("19900101", seq)),
        ("owners[0].region", "浙江省杭州市".into()),
        ("owners[0].files.identity", format!("{painter}身份证.jpg")),
        ("authors.names", painter.into()),
        ("authors.kind", "自然人".into()),
        ("authors.signed_as", "本名".into()),
        ("samples", format!("{title}.jpg")),
        ("description", "以西湖为题的水彩画。".into()),
        ("creation_story", "写生三个月完成。".into()),
        ("delivery", "自领".into()),
        ("invoice_email", "finance@qingshan.cn".into()),
    ] {
        m.insert(k, v);
    }
    m
}

fn cells(row: &HashMap<&'static str, String>) -> Vec<String> {
    columns()
        .into_iter()
        .map(|c| row.get(c.key.as_str()).cloned().unwrap_or_default())
        .collect()
}

fn header() -> Vec<String> {
    columns().into_iter().map(|c| c.header).collect()
}

/// The rows as an xlsx workbook with the works sheet (after an instructions sheet, as the template has it).
fn xlsx(rows: &[HashMap<&'static str, String>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("填写说明")
        .unwrap()
        .write(0, 0, "说明")
        .unwrap();
    let ws = wb.add_worksheet().set_name(SHEET_WORKS).unwrap();
    for (c, h) in header().iter().enumerate() {
        ws.write(0, c as u16, h.as_str()).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in cells(row).iter().enumerate() {
            if !v.is_empty() {
                ws.write(r as u32 + 1, c as u16, v.as_str()).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The rows as CSV text.
fn csv(rows: &[HashMap<&'static str, String>]) -> String {
    let mut w = csv_line(&header());
    for r in rows {
        w.push_str(&csv_line(&cells(r)));
    }
    w
}

fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
        .collect();
    format!("{}\n", quoted.join(","))
}

struct Desk {
    f: Fixture,
    admin: Session,
    clerk: Session,
    applicant: String,
    folder: PathBuf,
}

fn desk() -> Desk {
    let (f, admin) = office();
    let clerk = signed_in(&f, &admin, &CLERK);
    let applicant = f.store.create_applicant(&clerk, &agency()).unwrap().id;
    let folder = f.dir.path().join("样本");
    std::fs::create_dir(&folder).unwrap();
    Desk {
        f,
        admin,
        clerk,
        applicant,
        folder,
    }
}

impl Desk {
    fn put(&self, name: &str) {
        std::fs::write(self.folder.join(name), format!("\u{ff}\u{d8} {name}")).unwrap();
    }

    fn sheet(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.f.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    }

    fn import(&self, path: &str, dry_run: bool) -> FilingImportView {
        self.f
            .store
            .import_filings(
                &self.clerk,
                &ImportFilingsInput {
                    path: path.into(),
                    files_dir: self.folder.to_string_lossy().into_owned(),
                    applicant_id: self.applicant.clone(),
                    dry_run,
                },
                &|_| true,
            )
            .unwrap()
    }
}

fn all_files(d: &Desk, painters: &[(&str, &str)]) {
    for (title, painter) in painters {
        d.put(&format!("{title}.jpg"));
        d.put(&format!("{painter}身份证.jpg"));
    }
}

#[test]
fn a_good_sheet_previews_then_becomes_one_draft_per_row() {
    let d = desk();
    let works = [("西湖春晓", "张伟"), ("断桥残雪", "李娜"), ("平湖秋月", "王芳")];
    all_files(&d, &works);
    let rows: Vec<_> = works
        .iter()
        .enumerate()
        .map(|(i, (t, p))| good(t, p, &format!("10{i}")))
        .collect();
    let path = d.sheet("批量.xlsx", &xlsx(&rows));

    let before = journal_count(&d.f);
    let preview = d.import(&path, true);
    assert_eq!(journal_count(&d.f), before, "a preview records nothing");
    assert_eq!(preview.good, 3, "{:?}", preview.rows);
    assert_eq!(preview.rows[0].line, 2);
    assert_eq!(preview.rows[1].title, "断桥残雪");
    assert_eq!(preview.rows[1].files, vec!["李娜身份证.jpg", "断桥残雪.jpg"]);
    assert!(preview.rows.iter().all(|r| r.case_id.is_none()));

    let done = d.import(&path, false);
    assert_eq!((done.created, done.cancelled), (3, false));
    assert_eq!(journal_count(&d.f), before + 3, "one command per row");
    for r in &done.rows {
        let case = d.f.store.case_detail(&d.clerk, r.case_id.as_deref().unwrap()).unwrap();
        assert_eq!(case.state, CaseState::Draft);
        assert_eq!(case.applicant_name, "杭州青山文化创意有限公司");
        assert_eq!(Some(case.serial.clone()), r.serial);
        assert_eq!(case.draft.samples.len(), 1);
        let sample = d.f.store.file(&d.clerk, &case.draft.samples[0]).unwrap();
        assert_eq!(sample.original_name, format!("{}.jpg", r.title));
        assert_eq!(sample.purpose, Some(FilePurpose::Sample));
        let id_scan =
            d.f.store
                .file(&d.clerk, &case.draft.owners[0].files[0].file_id)
                .unwrap();
        assert_eq!(id_scan.purpose, Some(FilePurpose::IdentityProof));
    }
    // The batch is submitted for signing together: each draft passes the wizard's check as it stands.
    let before = journal_count(&d.f);
    let ids: Vec<String> = done.rows.iter().map(|r| r.case_id.clone().unwrap()).collect();
    let submitted =
        d.f.store
            .submit_many_for_signing(&d.clerk, &SubmitManyInput { case_ids: ids.clone() })
            .unwrap();
    assert!(submitted.iter().all(|s| s.submitted), "{submitted:?}");
    assert_eq!(journal_count(&d.f), before + 3, "one command per case");
    for id in &ids {
        assert_eq!(
            d.f.store.case_detail(&d.clerk, id).unwrap().state,
            CaseState::AwaitingSignatures
        );
    }
    // Submitted again, each is refused by its state and named; nothing changes.
    let again =
        d.f.store
            .submit_many_for_signing(&d.clerk, &SubmitManyInput { case_ids: ids })
            .unwrap();
    assert!(again.iter().all(|s| !s.submitted && !s.message.is_empty()), "{again:?}");
    assert_eq!(journal_count(&d.f), before + 3);
    assert!(d.f.store.verify_audit().unwrap().ok);
}

/// 一人一表: where the office allows it, the batch is signed with one form per
/// signer, its one scan recorded against each case the signer signs.
#[test]
fn a_batch_is_signed_with_one_form_per_signer_where_the_office_allows_it() {
    let d = desk();
    let works = [("西湖春晓", "张伟"), ("断桥残雪", "李娜"), ("平湖秋月", "张伟")];
    all_files(&d, &works);
    // 张伟 paints two of the three: the same person (same ID number) in both.
    let rows = vec![
        good("西湖春晓", "张伟", "100"),
        good("断桥残雪", "李娜", "101"),
        good("平湖秋月", "张伟", "100"),
    ];
    let path = d.sheet("批量.xlsx", &xlsx(&rows));
    let done = d.import(&path, false);
    let ids: Vec<String> = done.rows.iter().map(|r| r.case_id.clone().unwrap()).collect();
    d.f.store
        .submit_many_for_signing(&d.clerk, &SubmitManyInput { case_ids: ids.clone() })
        .unwrap();
    let scan_path = d.f.dir.path().join("签章表.png");
    std::fs::write(&scan_path, include_bytes!("../../../../assets/icons/32x32.png")).unwrap();
    let scan =
        d.f.store
            .add_file(&d.clerk, &scan_path, FilePurpose::SignedForm)
            .unwrap()
            .id;
    let input = |signer: u32| BatchSignatureInput {
        case_ids: ids.clone(),
        signer,
        scan_ref: scan.clone(),
    };

    // Off by default: the view says why, and recording is refused.
    let v =
        d.f.store
            .batch_signing(&d.clerk, &BatchCasesInput { case_ids: ids.clone() })
            .unwrap();
    assert!(!v.allowed);
    assert!(v.problem.as_deref().unwrap_or("").contains("未开启"), "{v:?}");
    let e = d.f.store.record_batch_signature(&d.clerk, &input(1)).unwrap_err();
    assert!(e.to_string().contains("未开启"), "{e}");

    // The admin allows it (the counter may not).
    let version = d.f.store.settings(&d.admin).unwrap().version;
    let allow = BatchSigningSettingInput { version, allowed: true };
    assert!(d.f.store.set_batch_signing_form(&d.clerk, &allow).is_err());
    assert!(!d.f.store.settings(&d.admin).unwrap().batch_signing_form);
    assert!(d.f.store.set_batch_signing_form(&d.admin, &allow).unwrap());
    assert!(d.f.store.settings(&d.clerk).unwrap().batch_signing_form);

    let v =
        d.f.store
            .batch_signing(&d.clerk, &BatchCasesInput { case_ids: ids.clone() })
            .unwrap();
    assert_eq!(v.problem, None);
    let names: Vec<(&str, usize, bool)> = v
        .signers
        .iter()
        .map(|s| (s.name.as_str(), s.cases.len(), s.may_sign_now))
        .collect();
    assert_eq!(names, [("张伟", 2, true), ("李娜", 1, true)]);
    assert!(
        v.signers[0].id_number.contains('*'),
        "masked: {}",
        v.signers[0].id_number
    );

    // 张伟's form lists both of his works, and no other.
    let (name, pdf) = d.f.store.batch_signing_form_pdf(&d.clerk, &input(1)).unwrap();
    assert!(name.contains("张伟"), "{name}");
    let t = pdf_text(&pdf);
    let serial = |i: usize| done.rows[i].serial.clone().unwrap();
    assert!(
        t.contains(&serial(0)) && t.contains(&serial(2)) && !t.contains(&serial(1)),
        "{t}"
    );
    assert!(t.contains("西湖春晓") && t.contains("平湖秋月"), "{t}");

    // Recording his signed form: one command, the one scan on both cases.
    let before = journal_count(&d.f);
    let after = d.f.store.record_batch_signature(&d.clerk, &input(1)).unwrap();
    assert_eq!(journal_count(&d.f), before + 1, "one command");
    assert_eq!(after.len(), 2);
    for c in &after {
        // One owner each: signed in full, the case goes on to 待缴费.
        assert_eq!(c.state, CaseState::AwaitingPayment, "{}", c.serial);
        let rec = c.signing[0].record.as_ref().unwrap();
        assert_eq!(
            rec.method,
            regdesk_domain::signature::SignatureMethod::PaperScan { scan_ref: scan.clone() }
        );
    }
    assert_eq!(
        d.f.store.case_detail(&d.clerk, &ids[1]).unwrap().state,
        CaseState::AwaitingSignatures,
        "李娜's work waits for her form"
    );
    // Again: nothing left for him; the batch now has a case no longer 待签章.
    let e = d.f.store.record_batch_signature(&d.clerk, &input(1)).unwrap_err();
    assert!(e.to_string().contains("待签章"), "{e}");
    // 李娜 signs hers on her own form, over the one case left.
    let rest = BatchSignatureInput {
        case_ids: vec![ids[1].clone()],
        signer: 1,
        scan_ref: scan.clone(),
    };
    let e =
        d.f.store
            .record_batch_signature(
                &d.clerk,
                &BatchSignatureInput {
                    signer: 2,
                    ..rest.clone()
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("第 2 位"), "{e}");
    let e =
        d.f.store
            .record_batch_signature(
                &d.clerk,
                &BatchSignatureInput {
                    scan_ref: done.rows[1].case_id.clone().unwrap(),
                    ..rest.clone()
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("签章页扫描件"), "{e}");
    let last = d.f.store.record_batch_signature(&d.clerk, &rest).unwrap();
    assert_eq!(last[0].state, CaseState::AwaitingPayment);
    assert!(d.f.store.verify_audit().unwrap().ok);
}

#[test]
fn every_bad_row_is_named_and_only_the_good_ones_are_made() {
    let d = desk();
    all_files(&d, &[("西湖春晓", "张伟"), ("断桥残雪", "李娜"), ("平湖秋月", "王芳")]);
    let mut bad_category = good("断桥残雪", "李娜", "101");
    bad_category.insert("work.category", "油画".into());
    let mut bad_id = good("平湖秋月", "王芳", "102");
    bad_id.insert("owners[0].id_number", "330106199013011234".into());
    bad_id.insert("invoice_email", "不是邮箱".into());
    let mut published_no_date = good("苏堤春晓", "张伟", "103");
    published_no_date.insert("work.publication", "已发表".into());
    d.put("苏堤春晓.jpg");
    let rows = vec![good("西湖春晓", "张伟", "100"), bad_category, bad_id, published_no_date];
    let path = d.sheet("有错.xlsx", &xlsx(&rows));

    let before = journal_count(&d.f);
    let done = d.import(&path, false);
    assert_eq!(done.created, 1);
    assert_eq!(journal_count(&d.f), before + 1);
    let named: Vec<(u32, &str, &str)> = done
        .rows
        .iter()
        .flat_map(|r| r.problems.iter().map(|p| (p.line, p.column.as_str(), p.code.as_str())))
        .collect();
    assert!(done.rows[0].problems.is_empty() && done.rows[0].case_id.is_some());
    assert!(named.contains(&(3, "作品类别", "not_allowed")), "{named:?}");
    assert_eq!(named.iter().filter(|(l, _, _)| *l == 3).count(), 1, "{named:?}");
    assert!(
        named.iter().any(|(l, c, _)| *l == 4 && *c == "著作权人1证件号码"),
        "{named:?}"
    );
    assert!(
        named.iter().any(|(l, c, _)| *l == 4 && *c == "电子发票邮箱"),
        "{named:?}"
    );
    assert!(named.contains(&(5, "首次发表日期", "required")), "{named:?}");
    for r in &done.rows[1..] {
        assert!(r.case_id.is_none(), "no draft for the bad row {}", r.line);
        assert!(r.problems.iter().all(|p| !p.message.is_empty() && p.line == r.line));
    }
    let cases: i64 =
        d.f.store
            .conn()
            .query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))
            .unwrap();
    assert_eq!(cases, 1, "never a half filing");
}

#[test]
fn a_missing_sample_file_is_named_with_its_row_and_column() {
    let d = desk();
    d.put("张伟身份证.jpg");
    let path = d.sheet("缺文件.xlsx", &xlsx(&[good("西湖春晓", "张伟", "100")]));
    let preview = d.import(&path, true);
    assert_eq!(preview.good, 0);
    let p = &preview.rows[0].problems;
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        (p[0].line, p[0].column.as_str(), p[0].code.as_str()),
        (2, "作品样本", "missing_file")
    );
    assert!(p[0].message.contains("西湖春晓.jpg"), "{}", p[0].message);
    let done = d.import(&path, false);
    assert_eq!(done.created, 0);
}

#[test]
fn a_gbk_csv_of_the_same_columns_imports() {
    let d = desk();
    all_files(&d, &[("西湖春晓", "张伟")]);
    let text = csv(&[good("西湖春晓", "张伟", "100")]);
    let (gbk, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    let path = d.sheet("批量.csv", &gbk);
    let done = d.import(&path, false);
    assert_eq!(done.created, 1, "{:?}", done.rows);
    let case =
        d.f.store
            .case_detail(&d.clerk, done.rows[0].case_id.as_deref().unwrap())
            .unwrap();
    assert_eq!(case.draft.work.title, "西湖春晓");
    assert_eq!(case.draft.owners[0].name, "张伟");
}

#[test]
fn a_foreign_header_refuses_the_sheet_and_the_import_stops_when_told() {
    let d = desk();
    all_files(&d, &[("西湖春晓", "张伟"), ("断桥残雪", "李娜")]);
    let mut text = csv(&[good("西湖春晓", "张伟", "100")]);
    text = text.replacen("\"作品名称\"", "\"作品名\"", 1);
    let path = d.sheet("改过表头.csv", text.as_bytes());
    let v = d.import(&path, false);
    assert!(v.rows.is_empty());
    assert!(v
        .sheet_problems
        .iter()
        .any(|p| p.code == "unknown_column" && p.column == "作品名"));

    let path = d.sheet(
        "两件.csv",
        csv(&[good("西湖春晓", "张伟", "100"), good("断桥残雪", "李娜", "101")]).as_bytes(),
    );
    let seen = std::cell::Cell::new(0);
    let v =
        d.f.store
            .import_filings(
                &d.clerk,
                &ImportFilingsInput {
                    path,
                    files_dir: d.folder.to_string_lossy().into_owned(),
                    applicant_id: d.applicant.clone(),
                    dry_run: false,
                },
                &|p| {
                    seen.set(seen.get() + 1);
                    p.done < 1
                },
            )
            .unwrap();
    assert!(v.cancelled);
    assert_eq!(v.created, 1);
    assert!(v.rows[1].case_id.is_none());
}

#[test]
fn the_template_has_every_column_and_reads_back() {
    let d = desk();
    let bytes = d.f.store.intake_template(&d.clerk).unwrap();
    let t = regdesk_statement::read_table(&bytes, "模板.xlsx", Some(SHEET_WORKS)).unwrap();
    assert_eq!(t.sheet.as_deref(), Some(SHEET_WORKS));
    let head: Vec<String> = t.rows[0].cells.clone();
    assert_eq!(head, header());
    let values = regdesk_statement::read_table(&bytes, "模板.xlsx", Some("可选值")).unwrap();
    assert!(values.rows[0].cells.contains(&"作品类别".to_string()));
    assert!(values.rows.iter().any(|r| r.cells.contains(&"美术".to_string())));
    // An empty template is refused for having no works, not for its header.
    let path = d.sheet("空模板.xlsx", &bytes);
    let v = d.import(&path, true);
    assert_eq!(v.sheet_problems[0].code, "no_rows");
    // Only the counter gets it.
    let admin = login(&d.f, "admin", "Banquan2026").unwrap();
    assert_eq!(
        d.f.store.intake_template(&admin).unwrap_err().kind(),
        ErrorKind::Permission
    );
}
