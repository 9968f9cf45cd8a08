//! Batch intake and saving a filing in a large office.
//!
//! * `intake/import 1,000 rows`: an agency's workbook (xlsx, the template's
//!   works sheet) of 1,000 works, each with its sample and the owner's ID scan
//!   in the folder, imported for real: every row checked by the filing rules,
//!   then one command per row (files, case, search entry, journal, audit with
//!   row digests, signed head). The first import is timed on its own and
//!   printed; criterion then takes 10 more (flat sampling: one import a sample).
//! * `intake/save one filing at N cases`: `save_draft` of a whole filing (a
//!   法人作品 with two owners, a writer and their files) as a new case, in an
//!   office of N cases grown by `demo::grow_office` as the `queues` bench does
//!   (N from `REGDESK_BENCH_CASES`, default 1,000,000;
//!   `REGDESK_BENCH_OFFICE=<folder>` reuses the office the `queues` and
//!   `stats` benches built there). The bench also prints the p50/p95/p99 of
//!   300 single saves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use regdesk_store::keys::{KeyHome, StationKeys};
use regdesk_store::{
    demo, FindApplicantsInput, ImportFilingsInput, LoginInput, SaveDraftInput, Session, Store, SystemClock,
};

/// The same key as the `queues` and `stats` benches, so an office they built can be reused.
fn keys() -> StationKeys {
    StationKeys::from_secret([0x24; 32], KeyHome::EnvFile("bench.key".into()))
}

fn sign_in(store: &Store, user: &str) -> Session {
    store
        .login(&LoginInput {
            username: user.into(),
            password: demo::DEMO_PASSWORD.into(),
        })
        .unwrap()
}

fn resident_id(n: u32) -> String {
    let body = format!("330106199001{:02}{:03}", n % 28 + 1, n % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

/// The agency's workbook of `n` works (the works sheet after an
/// instructions sheet, as the template has it) and its folder of files.
fn agency_sheet(dir: &std::path::Path, n: u32) -> (String, String) {
    let folder = dir.join("样本");
    std::fs::create_dir_all(&folder).unwrap();
    let columns = regdesk_domain::intake::columns();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("填写说明")
        .unwrap()
        .write(0, 0, "说明")
        .unwrap();
    let ws = wb
        .add_worksheet()
        .set_name(regdesk_domain::intake::SHEET_WORKS)
        .unwrap();
    for (c, column) in columns.iter().enumerate() {
        ws.write(0, c as u16, column.header.as_str()).unwrap();
    }
    for i in 0..n {
        let title = format!("西湖写生第{i}号");
        let owner = format!("画家{i}");
        std::fs::write(folder.join(format!("{title}.jpg")), format!("\u{ff}\u{d8} sample {i}")).unwrap();
        std::fs::write(folder.join(format!("{owner}.jpg")), format!("\u{ff}\u{d8} id {i}")).unwrap();
        for (c, column) in columns.iter().enumerate() {
            let cell: String = match column.key.as_str() {
                "work.title" => title.clone(),
                "work.category" => "美术".into(),
                "work.nature" => "原创".into(),
                "work.completed_on" => "2026-03-01".into(),
                "work.completed_place" => "浙江省杭州市".into(),
                "work.publication" => "未发表".into(),
                "work.attribution" => "个人作品".into(),
                "work.acquisition" => "原始".into(),
                "work.ownership" => "全部".into(),
                "owners[0].kind" | "authors.kind" => "自然人".into(),
                "owners[0].name" | "authors.names" => owner.clone(),
                "owners[0].id_type" => "居民身份证".into(),
                "owners[0].id_number" => resident_id(i),
                "owners[0].region" => "浙江省杭州市".into(),
                "owners[0].files.identity" => format!("{owner}.jpg"),
                "authors.signed_as" => "本名".into(),
                "samples" => format!("{title}.jpg"),
                "description" => "水彩写生。".into(),
                "creation_story" => "在西湖边写生完成。".into(),
                "delivery" => "自领".into(),
                "invoice_email" => "agency@example.cn".into(),
                _ => String::new(),
            };
            if !cell.is_empty() {
                ws.write(i + 1, c as u16, cell.as_str()).unwrap();
            }
        }
    }
    let sheet = dir.join("批量.xlsx");
    wb.save(&sheet).unwrap();
    (
        sheet.to_string_lossy().into_owned(),
        folder.to_string_lossy().into_owned(),
    )
}

fn import(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with_keys(dir.path(), Arc::new(SystemClock), keys()).unwrap();
    demo::fill_office(&store, 1).unwrap();
    let clerk = sign_in(&store, "wangli");
    let applicant = store
        .find_applicants(
            &clerk,
            &FindApplicantsInput {
                query: "林晓雨".into(),
                limit: 1,
            },
        )
        .unwrap()[0]
        .id
        .clone();
    let (path, files_dir) = agency_sheet(dir.path(), 1_000);
    let input = ImportFilingsInput {
        path,
        files_dir,
        applicant_id: applicant,
        dry_run: false,
    };
    let started = Instant::now();
    let first = store.import_filings(&clerk, &input, &|_| true).unwrap();
    assert_eq!(first.created, 1_000);
    println!("import 1,000 rows (xlsx, 2,000 files): {:.2?}", started.elapsed());
    let mut g = c.benchmark_group("intake");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(1));
    g.bench_function("import 1,000 rows", |b| {
        b.iter(|| {
            let v = store.import_filings(&clerk, &input, &|_| true).unwrap();
            assert_eq!(v.created, 1_000);
        })
    });
    g.finish();
}

fn save(c: &mut Criterion) {
    let cases: u64 = std::env::var("REGDESK_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("REGDESK_BENCH_OFFICE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let built = Instant::now();
    let store = Store::open_with_keys(&dir, Arc::new(SystemClock), keys()).unwrap();
    if store.office().unwrap().is_none() {
        demo::fill_office(&store, 24).unwrap();
    }
    let total = demo::grow_office(&store, cases, |n| {
        eprint!("\roffice of {n} cases ({:.0?})", built.elapsed())
    })
    .unwrap();
    eprintln!();
    println!("office of {total} cases ready in {:.0?}", built.elapsed());
    let clerk = sign_in(&store, "wangli");
    // A whole filing of the sample office (full numbers, as the counter's edit form has it).
    let first = store
        .search_cases(
            &clerk,
            &regdesk_store::CaseSearchInput {
                text: "湖光影像".into(),
                limit: Some(1),
            },
        )
        .unwrap();
    let source = store.reveal_case(&clerk, &first.hits[0].case.id).unwrap();
    let input = SaveDraftInput {
        case_id: None,
        version: None,
        applicant_id: source.applicant_id.clone(),
        draft: source.draft.clone(),
    };
    let mut times: Vec<Duration> = (0..300)
        .map(|_| {
            let t = Instant::now();
            store.save_draft(&clerk, &input).unwrap();
            t.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "save one filing at {total} cases, 300 saves: p50 {:.2?}, p95 {:.2?}, p99 {:.2?}",
        at(0.5),
        at(0.95),
        at(0.99)
    );
    let mut g = c.benchmark_group("intake");
    g.sample_size(50);
    g.bench_function(format!("save one filing at {total} cases"), |b| {
        b.iter(|| store.save_draft(&clerk, &input).unwrap())
    });
    g.finish();
}

criterion_group!(benches, import, save);
criterion_main!(benches);
