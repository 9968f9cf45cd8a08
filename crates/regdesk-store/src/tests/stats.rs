//! Statistics and reporting upward (stats.rs): every figure on a sample office
//! with known answers — a registration at 23:59:59 and one at 00:00:00 Beijing
//! time either side of the month's end, a revoked and a refused case, and a
//! correction that restarted the clock.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::lifecycle::{CaseState, PaymentMethod, RefusalGround, RevocationGround};
use regdesk_domain::office::SubordinateOfficeInput;
use regdesk_domain::payment::{TransferCommand, TransferInput};
use regdesk_domain::queue::Queue;
use regdesk_domain::signature::{SignatureMethod, SignerRef};
use regdesk_domain::stats::{FormColumn, Period};

use super::fixtures::*;
use crate::cases::{CaseRef, RecordSignatureInput};
use crate::*;

struct Sample {
    f: Fixture,
    /// The five paid cases by category: music, product drawing, photography, map, drama.
    ids: std::collections::HashMap<WorkCategory, String>,
}

fn sign_in(f: &Fixture, user: &str) -> Session {
    sample_login(f, user)
}

fn at(f: &Fixture, t: DateTime<Utc>) {
    f.clock.set(t);
}

fn detail(f: &Fixture, id: &str) -> CaseDetail {
    f.store.case_detail(&sign_in(f, "liwen"), id).unwrap()
}

fn first(f: &Fixture, id: &str, decision: ReviewDecision) {
    let d = detail(f, id);
    f.store
        .first_review(
            &sign_in(f, "liwen"),
            &ReviewDecisionInput {
                case_id: d.id,
                version: d.version,
                decision,
            },
        )
        .unwrap();
}

fn last(f: &Fixture, id: &str, decision: FinalDecision) {
    let d = detail(f, id);
    f.store
        .final_review(
            &sign_in(f, "zhangwei"),
            &FinalDecisionInput {
                case_id: d.id,
                version: d.version,
                decision,
            },
        )
        .unwrap();
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
}

/// Fifteen filings of the sample office; the five waiting for payment are paid on
/// 25 Nov 2026 and then:
/// - 音乐 registered at 23:59:59 on 30 Nov Beijing time (November);
/// - 产品设计图 registered at 00:00:00 on 1 Dec Beijing time (December);
/// - 摄影 returned for correction, resubmitted on 27 Nov (the clock restarts), registered on 2 Dec;
/// - 地图 registered at 23:00 on 30 Nov and revoked on 2 Dec;
/// - 戏剧 refused.
fn sample() -> Sample {
    let f = sample_office(15);
    let admin = sign_in(&f, "admin");
    f.store
        .load_calendar_year(&admin, "year 2027\nsource 测试用\noff 2027-01-01 元旦\n")
        .unwrap();
    let chen = sign_in(&f, "chenxy");
    let open: Vec<PaymentCaseRow> = f
        .store
        .payment_cases(&chen, &PaymentCasesInput { search: None })
        .unwrap()
        .into_iter()
        .filter(|r| r.state == CaseState::AwaitingPayment)
        .collect();
    assert_eq!(open.len(), 5);
    let t = f
        .store
        .record_transfer(
            &chen,
            &RecordTransferInput {
                transfer: TransferInput {
                    method: PaymentMethod::BankTransfer,
                    payer: "林晓雨".into(),
                    payer_account: "6222 0202 0001 2345 678".into(),
                    payer_bank: "工商银行杭州分行".into(),
                    amount_fen: 15_000 * 5,
                    received_at: NaiveDate::from_ymd_opt(2026, 11, 25)
                        .unwrap()
                        .and_hms_opt(9, 5, 0)
                        .unwrap(),
                    reference: "ICBC20261125888".into(),
                    purpose: "作品登记费".into(),
                },
                receipt_file_id: None,
                shares: open
                    .iter()
                    .map(|r| ShareInput {
                        case_id: r.case_id.clone(),
                        amount_fen: 15_000,
                    })
                    .collect(),
            },
        )
        .unwrap();
    f.store
        .check_transfer(
            &sign_in(&f, "hejun"),
            &CheckTransferInput {
                id: t.id,
                version: t.version,
                command: TransferCommand::Confirm,
            },
        )
        .unwrap();
    let ids: std::collections::HashMap<WorkCategory, String> = open
        .iter()
        .map(|r| {
            let d = detail(&f, &r.case_id);
            (d.draft.work.category.unwrap(), d.id)
        })
        .collect();
    let id = |c: WorkCategory| ids[&c].clone();
    let (music, drawing, photo, map, drama) = (
        id(WorkCategory::Music),
        id(WorkCategory::ProductDrawing),
        id(WorkCategory::Photography),
        id(WorkCategory::Map),
        id(WorkCategory::Drama),
    );
    // 25 Nov: the first reviews; the refusal confirmed.
    for c in [&music, &drawing, &map] {
        first(&f, c, ReviewDecision::Pass);
    }
    first(
        &f,
        &photo,
        ReviewDecision::ReturnForCorrection {
            reasons: vec!["样本不清晰".into()],
        },
    );
    first(
        &f,
        &drama,
        ReviewDecision::ProposeRefusal {
            ground: RefusalGround::NotAWork,
            note: "不具独创性".into(),
        },
    );
    last(&f, &drama, FinalDecision::ConfirmRefusal);
    // 27 Nov: the photograph is signed again and resubmitted.
    at(&f, utc(2026, 11, 27, 2, 0, 0));
    let clerk = sign_in(&f, "wangli");
    let d = detail(&f, &photo);
    let mut d = f
        .store
        .submit_for_signing(
            &clerk,
            &CaseRef {
                case_id: d.id,
                version: d.version,
            },
        )
        .unwrap();
    let signers: Vec<SignerRef> = d.signing.iter().map(|l| l.signer.party).collect();
    for who in signers {
        d = f
            .store
            .record_signature(
                &clerk,
                &RecordSignatureInput {
                    case_id: d.id.clone(),
                    version: d.version,
                    signer: who,
                    method: SignatureMethod::PaperScan {
                        scan_ref: "补正签字".into(),
                    },
                },
            )
            .unwrap();
    }
    let back = f
        .store
        .resubmit(
            &clerk,
            &ResubmitInput {
                case_id: d.id.clone(),
                version: d.version,
            },
        )
        .unwrap();
    assert_eq!(back.accepted_on, NaiveDate::from_ymd_opt(2026, 11, 27));
    // 30 Nov 23:00, 23:59:59 and 1 Dec 00:00:00 Beijing time: three approvals.
    at(&f, utc(2026, 11, 30, 15, 0, 0));
    last(&f, &map, FinalDecision::Approve);
    at(&f, utc(2026, 11, 30, 15, 59, 59));
    last(&f, &music, FinalDecision::Approve);
    at(&f, utc(2026, 11, 30, 16, 0, 0));
    last(&f, &drawing, FinalDecision::Approve);
    // 2 Dec: the photograph through both reviews; the map revoked.
    at(&f, utc(2026, 12, 2, 2, 0, 0));
    first(&f, &photo, ReviewDecision::Pass);
    last(&f, &photo, FinalDecision::Approve);
    let m = detail(&f, &map);
    f.store
        .revoke_registration(
            &sign_in(&f, "admin"),
            &RevokeInput {
                case_id: m.id,
                version: m.version,
                ground: RevocationGround::DuplicateRegistration,
                note: "重复登记".into(),
            },
        )
        .unwrap();
    Sample { f, ids }
}

fn month(m: u32) -> StatsInput {
    StatsInput {
        period: Period::Month { year: 2026, month: m },
        office: None,
        own_only: false,
    }
}

fn column(form: &MonthlyFormView, row: &FormRow, label: &str) -> u64 {
    let i = form.columns.iter().position(|c| c.label == label).unwrap();
    row.counts[i]
}

#[test]
fn the_monthly_forms_count_by_column_either_side_of_midnight_beijing_time() {
    let s = sample();
    let boss = sign_in(&s.f, "zhaomin");
    let nov = s.f.store.monthly_form(&boss, &month(11)).unwrap();
    assert_eq!(nov.title, "作品登记情况月度统计表");
    assert_eq!((nov.period_label.as_str(), nov.unit.as_str()), ("2026年11月", "件"));
    assert_eq!(nov.columns.len(), 14);
    // 23:59:59 on 30 Nov is November's; the map, registered that night, was revoked since.
    assert_eq!((nov.total.total, nov.revoked), (1, 1));
    assert_eq!(column(&nov, &nov.total, "音乐"), 1);
    assert_eq!(column(&nov, &nov.total, "图形"), 0);
    let dec = s.f.store.monthly_form(&boss, &month(12)).unwrap();
    // 00:00:00 on 1 Dec is December's: the product drawing (图形) and the photograph.
    assert_eq!((dec.total.total, dec.revoked), (2, 0));
    assert_eq!(column(&dec, &dec.total, "图形"), 1);
    assert_eq!(column(&dec, &dec.total, "摄影"), 1);
    for form in [&nov, &dec] {
        for row in form.rows.iter().chain([&form.total]) {
            assert_eq!(row.counts.iter().sum::<u64>(), row.total, "{}", row.label);
        }
        assert_eq!(form.rows.iter().map(|r| r.total).sum::<u64>(), form.total.total);
    }
    // October has nothing; the year has all three standing registrations.
    assert_eq!(s.f.store.monthly_form(&boss, &month(10)).unwrap().total.total, 0);
    let year = StatsInput {
        period: Period::Year { year: 2026 },
        ..month(1)
    };
    let y = s.f.store.monthly_form(&boss, &year).unwrap();
    assert_eq!((y.total.total, y.revoked), (3, 1));

    // The form agrees with the queues: the 已登记 queue holds exactly the standing registrations.
    let registered =
        s.f.store
            .list_queue(&boss, &QueueInput::first(Queue::Registered, 50))
            .unwrap()
            .total;
    assert_eq!(u64::from(registered), y.total.total);

    // A clerk may not see the reports; a bad period or office is named.
    let clerk = sign_in(&s.f, "wangli");
    assert_eq!(
        s.f.store.monthly_form(&clerk, &month(11)).unwrap_err().kind(),
        ErrorKind::Permission
    );
    let e = s.f.store.monthly_form(&boss, &month(13)).unwrap_err().to_api();
    assert_eq!(e.fields[0].field, "period");
    let e =
        s.f.store
            .monthly_form(
                &boss,
                &StatsInput {
                    office: Some("XX".into()),
                    ..month(11)
                },
            )
            .unwrap_err()
            .to_api();
    assert_eq!(e.fields[0].field, "office");
}

#[test]
fn rows_follow_the_office_tree_and_one_office_or_its_subtree_is_reported() {
    let s = sample();
    let admin = sign_in(&s.f, "admin");
    for (code, name, parent) in [
        ("ZJHZ", "杭州市版权局", "ZJ"),
        ("ZJNB", "宁波市版权局", "ZJ"),
        ("ZJHZXH", "西湖区登记点", "ZJHZ"),
    ] {
        s.f.store
            .add_subordinate_office(
                &admin,
                &SubordinateOfficeInput {
                    code: code.into(),
                    name: name.into(),
                    parent_code: parent.into(),
                },
            )
            .unwrap();
    }
    // The product drawing was registered at 西湖区 (a case that arrived by sync).
    s.f.store
        .conn()
        .execute(
            "UPDATE cases SET office_code = 'ZJHZXH' WHERE id = ?1",
            [&s.ids[&WorkCategory::ProductDrawing]],
        )
        .unwrap();
    let boss = sign_in(&s.f, "zhaomin");
    let dec = s.f.store.monthly_form(&boss, &month(12)).unwrap();
    let rows: Vec<(&str, u64)> = dec.rows.iter().map(|r| (r.label.as_str(), r.total)).collect();
    assert_eq!(
        rows,
        [("浙江省版权局（本级）", 1), ("杭州市版权局", 1), ("宁波市版权局", 0)]
    );
    assert_eq!(dec.total.total, 2);
    let hz = StatsInput {
        office: Some("zjhz".into()),
        ..month(12)
    };
    let hz = s.f.store.monthly_form(&boss, &hz).unwrap();
    let rows: Vec<(&str, u64)> = hz.rows.iter().map(|r| (r.label.as_str(), r.total)).collect();
    assert_eq!(rows, [("杭州市版权局（本级）", 0), ("西湖区登记点", 1)]);
    assert_eq!((hz.office_code.as_str(), hz.total.total), ("ZJHZ", 1));
    let own = StatsInput {
        own_only: true,
        ..month(12)
    };
    let own = s.f.store.monthly_form(&boss, &own).unwrap();
    assert_eq!((own.rows.len(), own.total.total), (1, 1));
    assert_eq!(own.rows[0].label, "浙江省版权局");
}

#[test]
fn the_announcement_lists_the_months_registrations_by_number_and_the_revoked_apart() {
    let s = sample();
    let boss = sign_in(&s.f, "zhaomin");
    let nov = s.f.store.announcement(&boss, &month(11)).unwrap();
    assert_eq!(nov.title, "作品登记公告");
    assert_eq!(nov.rows.len(), 1);
    let r = &nov.rows[0];
    assert!(r.number.starts_with("浙作登字-2026-"), "{}", r.number);
    assert_eq!(r.registered_on, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    assert_eq!((r.category_label.as_str(), r.owners.as_str()), ("音乐", "林晓雨"));
    assert_eq!((r.completed_on.as_str(), r.published_on.as_str()), ("2026-3", ""));
    assert_eq!(nov.revoked.len(), 1);
    assert_eq!(nov.revoked[0].category_label, "地图");
    assert_eq!(nov.revoked[0].owners, "杭州湖光影像文化传媒有限公司");
    let dec = s.f.store.announcement(&boss, &month(12)).unwrap();
    let numbers: Vec<&str> = dec.rows.iter().map(|r| r.number.as_str()).collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers.len(), 2);
    assert_eq!(numbers, sorted);
    assert_eq!(
        dec.rows[0].registered_on.min(dec.rows[1].registered_on),
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    );
}

#[test]
fn the_summary_and_the_supervisors_picture_have_known_answers() {
    let s = sample();
    let boss = sign_in(&s.f, "zhaomin");
    let q4 = StatsInput {
        period: Period::Quarter { year: 2026, quarter: 4 },
        ..month(1)
    };
    let sum = s.f.store.stats_summary(&boss, &q4).unwrap();
    assert_eq!((sum.total, sum.previous_total, sum.change_percent), (3, 0, None));
    assert_eq!(sum.previous_period_label, "2025年第四季度");
    let share = |label: &str| sum.by_category.iter().find(|r| r.label == label).unwrap().clone();
    assert_eq!((share("图形").count, share("图形").percent), (1, Some(33.3)));
    assert_eq!((share("摄影").count, share("文字").percent), (1, Some(0.0)));
    assert_eq!(sum.by_office[0].percent, Some(100.0));

    let v = s.f.store.supervisor_stats(&boss, &q4).unwrap();
    assert_eq!(v.year, 2026);
    assert_eq!(
        v.monthly[10],
        MonthCompare {
            month: 11,
            this_year: 1,
            last_year: 0
        }
    );
    assert_eq!(
        v.monthly[11],
        MonthCompare {
            month: 12,
            this_year: 2,
            last_year: 0
        }
    );
    assert_eq!(v.monthly.iter().map(|m| m.this_year).sum::<u64>(), 3);
    // Now: ten filings at the counter (5 drafts, 5 partly signed), three registered, the
    // refused and the revoked under 其他; nothing overdue.
    let stage = |k: &str| v.backlog_now.iter().find(|s| s.key == k).unwrap().count;
    assert_eq!(
        (
            stage("counter"),
            stage("registered"),
            stage("other"),
            stage("first_review")
        ),
        (10, 3, 2, 0)
    );
    assert_eq!(v.overdue_now, 0);
    // At the end of November the product drawing and the photograph were still in review.
    let backlog: Vec<u64> = v.backlog_by_month.iter().map(|b| b.in_review).collect();
    assert_eq!(backlog, [0, 2, 0]);
    // Working days to registration: November 25 → 30 (the music, and the map revoked since)
    // is 3; December: 25 Nov → 1 Dec is 4, and the photograph from its resubmission on
    // 27 Nov → 2 Dec is 3 (not 5: the correction restarted the clock).
    let nov = &v.durations[1];
    assert_eq!((nov.registered, nov.median, nov.p90), (2, Some(3), Some(3)));
    let dec = &v.durations[2];
    assert_eq!((dec.registered, dec.median, dec.p90), (2, Some(3), Some(4)));
    assert_eq!(
        (dec.within_limit, dec.within_percent, v.limit_working_days),
        (2, Some(100.0), 30)
    );
    assert_eq!(v.durations[0].median, None);
    // Each reviewer's decisions per week (weeks start on Monday).
    let w = v.workload.clone().unwrap();
    let week = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let of = |name: &str, wk: NaiveDate| {
        w.iter()
            .find(|r| r.staff_name == name && r.week == wk)
            .map(|r| (r.first_review, r.final_review))
    };
    assert_eq!(of("李雯", week(23)), Some((5, 0)));
    assert_eq!(of("李雯", week(30)), Some((1, 0)));
    assert_eq!(of("张伟", week(23)), Some((0, 1)));
    assert_eq!(of("张伟", week(30)), Some((0, 4)));
    // Finance opens the reports desk too, but each reviewer's workload is the supervisor's.
    let finance = sign_in(&s.f, "chenxy");
    let f = s.f.store.supervisor_stats(&finance, &q4).unwrap();
    assert_eq!((f.workload, f.summary.total), (None, 3));
    let clerk = sign_in(&s.f, "liwen");
    assert_eq!(
        s.f.store.supervisor_stats(&clerk, &q4).unwrap_err().kind(),
        ErrorKind::Permission
    );
}

fn pdf_text(pdf: &[u8]) -> Option<String> {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(pdf).ok()?;
    let out = child.wait_with_output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_forms_export_as_xlsx_in_the_national_layout_and_as_pdf() {
    use calamine::{Data, Reader};
    let s = sample();
    let boss = sign_in(&s.f, "zhaomin");
    let export = |kind, format, m: u32| {
        s.f.store
            .report_document(
                &boss,
                &ReportExportInput {
                    kind,
                    format,
                    stats: month(m),
                },
            )
            .unwrap()
    };
    let (name, xlsx) = export(ReportKind::MonthlyForm, ReportFormat::Xlsx, 12);
    assert_eq!(name, "作品登记情况月度统计表-2026年12月-ZJ.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let range = wb.worksheet_range("作品登记情况月度统计表").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let text = |r: usize| rows[r][0].to_string();
    assert_eq!(text(0), "作品登记情况月度统计表");
    assert_eq!(
        (text(1).as_str(), text(2).as_str(), text(3).as_str()),
        ("填报单位：浙江省版权局", "统计期间：2026年12月", "单位：件")
    );
    let header: Vec<String> = rows[4].iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[..4], ["填报单位", "合计", "文字", "口述"]);
    assert_eq!(header.len(), 16);
    let number = |c: &Data| match c {
        Data::Float(x) => *x,
        Data::Int(x) => *x as f64,
        other => panic!("not a number: {other:?}"),
    };
    // Every row's categories sum to its 合计; the 合计 row is the sum of the rows.
    let body = &rows[5..];
    assert_eq!(body.last().unwrap()[0].to_string(), "合计");
    for r in body {
        let sum: f64 = r[2..].iter().map(number).sum();
        assert_eq!(sum, number(&r[1]), "{}", r[0]);
    }
    let rows_total: f64 = body[..body.len() - 1].iter().map(|r| number(&r[1])).sum();
    assert_eq!(rows_total, number(&body.last().unwrap()[1]));
    assert_eq!(number(&body.last().unwrap()[1]), 2.0);

    // The announcement: the month's registrations, the revoked on a sheet of their own.
    let (_, xlsx) = export(ReportKind::Announcement, ReportFormat::Xlsx, 11);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let main = wb.worksheet_range("作品登记公告").unwrap();
    assert!(main
        .rows()
        .any(|r| r.iter().any(|c| matches!(c, Data::String(s) if s == "音乐"))));
    let revoked = wb.worksheet_range("已撤销").unwrap();
    assert!(revoked
        .rows()
        .any(|r| r.iter().any(|c| matches!(c, Data::String(s) if s == "地图"))));

    // PDFs read back through pdftotext (when the machine has it).
    let (name, pdf) = export(ReportKind::MonthlyForm, ReportFormat::Pdf, 11);
    assert!(name.ends_with(".pdf") && pdf.starts_with(b"%PDF"));
    if let Some(text) = pdf_text(&pdf) {
        for want in [
            "作品登记情况月度统计表",
            "统计期间：2026年11月",
            "单位：件",
            "合计",
            "本期登记后已撤销 1 件",
        ] {
            assert!(text.contains(want), "{want} not in the PDF:\n{text}");
        }
    }
    let (_, pdf) = export(ReportKind::Announcement, ReportFormat::Pdf, 11);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("作品登记公告") && text.contains("林晓雨"), "{text}");
        assert!(text.contains("已撤销"), "{text}");
    }
    let (_, xlsx) = export(ReportKind::Supervisor, ReportFormat::Xlsx, 12);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    for sheet in [
        "逐月登记",
        "汇总",
        "按作品类别",
        "按登记机构",
        "当前积压",
        "积压走势",
        "办理时长",
        "审查工作量",
    ] {
        assert!(wb.worksheet_range(sheet).is_ok(), "{sheet}");
    }
}

/// The reports count registrations from counts kept by triggers (migration
/// 026). Numbers given (either side of midnight Beijing time), revoked,
/// voided, moved and deleted, and registered cases changing office, category
/// and clock start — written behind the store's back, as a pull from the
/// server or a repair would — leave the counts equal to a full count of the
/// ledger after every step, and each month's form equal to a count of the
/// ledger one number at a time.
#[test]
fn kept_registration_counts_equal_the_ledger_after_random_changes() {
    use regdesk_domain::stats::column_of;
    let s = sample();
    let boss = sign_in(&s.f, "zhaomin");
    let conn = raw_db(s.f.store.path()).unwrap();
    let cases: Vec<String> = conn
        .prepare("SELECT id FROM cases ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let admin: String = conn
        .query_row("SELECT id FROM staff WHERE username = 'admin'", [], |r| r.get(0))
        .unwrap();
    let categories = ["music", "photography", "drama", "", "fine_art", "map"];
    let offices: [Option<&str>; 3] = [None, Some("ZJHZ"), Some("ZJNB")];
    let mut seed: u64 = 0x2026_1130;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let instant = |day: u64, second: u64| {
        // Around 16:00 UTC (midnight in Beijing) on a day from 30 Oct 2026 to 2 Jan 2027.
        (utc(2026, 10, 30, 15, 0, 0) + chrono::Duration::days(day as i64) + chrono::Duration::seconds(second as i64))
            .format("%Y-%m-%d %H:%M:%S+00:00")
            .to_string()
    };
    let mut numbers = 0u64;
    for step in 0..400 {
        let number = |i: u64| format!("测试-{i}");
        let (op, rarely) = (next(6), next(3) == 0);
        match op {
            0 | 1 => {
                numbers += 1;
                let case = (next(8) > 0).then(|| cases[next(cases.len() as u64) as usize].clone());
                let state = ["used", "used", "revoked", "voided"][next(4) as usize];
                conn.execute(
                    "INSERT INTO registration_numbers (number, prefix, year, letter, serial, case_id, state, issued_at,
                         issued_by) VALUES (?1, '测试', 2026, 'Z', ?2, ?3, ?4, ?5, ?6)",
                    rusqlite::params![
                        number(numbers),
                        numbers,
                        case,
                        state,
                        instant(next(65), next(7200)),
                        admin
                    ],
                )
                .unwrap();
            }
            2 if numbers > 0 => {
                let state = ["used", "revoked", "voided"][next(3) as usize];
                conn.execute(
                    "UPDATE registration_numbers SET state = ?2 WHERE number = ?1",
                    rusqlite::params![number(1 + next(numbers)), state],
                )
                .unwrap();
            }
            3 if numbers > 0 => {
                conn.execute(
                    "UPDATE registration_numbers SET issued_at = ?2 WHERE number = ?1",
                    rusqlite::params![number(1 + next(numbers)), instant(next(65), next(7200))],
                )
                .unwrap();
            }
            4 if numbers > 0 && rarely => {
                conn.execute(
                    "DELETE FROM registration_numbers WHERE number = ?1",
                    [number(1 + next(numbers))],
                )
                .unwrap();
            }
            _ => {
                let accepted = (next(4) > 0).then(|| format!("2026-11-{:02}", 1 + next(28)));
                conn.execute(
                    "UPDATE cases SET category = ?2, office_code = ?3, accepted_on = ?4 WHERE id = ?1",
                    rusqlite::params![
                        cases[next(cases.len() as u64) as usize],
                        categories[next(categories.len() as u64) as usize],
                        offices[next(3) as usize],
                        accepted
                    ],
                )
                .unwrap();
            }
        }
        assert_eq!(
            crate::audit::registration_count_problems(&conn).unwrap(),
            Vec::new(),
            "after step {step}"
        );
    }
    // Each month's form against the ledger read one number at a time.
    let ledger: Vec<(DateTime<Utc>, String, String)> = conn
        .prepare(
            "SELECT r.issued_at, r.state, c.category FROM registration_numbers r JOIN cases c ON c.id = r.case_id
             WHERE r.state IN ('used', 'revoked')",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut seen = 0;
    for (year, m) in [(2026, 10), (2026, 11), (2026, 12), (2027, 1)] {
        let input = StatsInput {
            period: Period::Month { year, month: m },
            ..month(1)
        };
        let form = s.f.store.monthly_form(&boss, &input).unwrap();
        let of_month: Vec<_> = ledger
            .iter()
            .filter(|(at, _, _)| {
                let d = crate::office_date(*at);
                (d.year(), d.month()) == (year, m)
            })
            .collect();
        let revoked = of_month.iter().filter(|(_, state, _)| state == "revoked").count() as u64;
        assert_eq!(form.revoked, revoked, "{year}-{m}");
        assert_eq!(form.total.total, of_month.len() as u64 - revoked, "{year}-{m}");
        for c in &form.columns {
            let counted = of_month
                .iter()
                .filter(|(_, state, category)| {
                    state == "used"
                        && WorkCategory::from_code(category).map_or(FormColumn::Other, column_of) == c.column
                })
                .count() as u64;
            assert_eq!(column(&form, &form.total, &c.label), counted, "{year}-{m} {}", c.label);
        }
        seen += of_month.len();
    }
    assert!(seen > 50, "{seen}");
    // The supervisor's months agree with the forms.
    let v = s.f.store.supervisor_stats(&boss, &month(12)).unwrap();
    assert_eq!(
        v.monthly[10].this_year,
        s.f.store.monthly_form(&boss, &month(11)).unwrap().total.total
    );
    // A period reads the kept counts of its days by their key, nothing else.
    let plan: Vec<String> = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {}", crate::stats::COUNTED_SQL))
        .unwrap()
        .query_map(["2026-11-01", "2026-11-30"], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        plan,
        vec!["SEARCH registration_counts USING PRIMARY KEY (day>? AND day<?)".to_string()]
    );
    // A count changed behind the store's back is named by `audit verify`.
    conn.execute(
        "UPDATE registration_counts SET n = n + 1 WHERE day = (SELECT MIN(day) FROM registration_counts)",
        [],
    )
    .unwrap();
    let problems = crate::audit::registration_count_problems(&conn).unwrap();
    assert!(!problems.is_empty());
    assert!(problems[0].message.contains("登记计数"), "{}", problems[0].message);
}

/// The backlog reads the decisions made since the period began (the review
/// log by its time) and the undecided cases from an index that holds what is
/// read: never every case of the office.
#[test]
fn the_backlog_reads_recent_decisions_and_undecided_cases_by_their_indexes() {
    let f = sample_office(3);
    let conn = f.store.conn();
    let plan = |sql: &str, n: usize| -> String {
        let values: Vec<String> = vec!["2026-11-01".into(); n];
        let rows: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(rusqlite::params_from_iter(values.iter()), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.join(" | ")
    };
    // Undecided: every state no final decision (登记, 不予登记, 撤回) has ended.
    for state in CaseState::ALL {
        let decided = matches!(
            state,
            CaseState::Registered
                | CaseState::Mailed
                | CaseState::PickedUp
                | CaseState::Refused
                | CaseState::Withdrawn
                | CaseState::Revoked
        );
        let listed = crate::stats::UNDECIDED.contains(&format!("'{}'", crate::codes::code(state)));
        assert_eq!(listed, !decided, "{state:?}");
    }
    let [decided, undecided] = crate::stats::backlog_sql();
    let p = plan(&decided, 2);
    assert!(p.contains("SEARCH l USING INDEX review_log_at (at>?)"), "{p}");
    assert!(p.contains("SEARCH c USING INDEX"), "{p}");
    assert!(!p.contains("SCAN"), "{p}");
    let p = plan(&undecided, 1);
    assert!(
        p.contains("USING COVERING INDEX cases_state_accepted (state=? AND accepted_on<?)"),
        "{p}"
    );
    assert!(!p.contains("SCAN"), "{p}");
}
