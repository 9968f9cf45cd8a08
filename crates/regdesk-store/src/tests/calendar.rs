//! The work calendar (calendar.rs): built-in and loaded years.

use super::fixtures::*;
use crate::*;

#[test]
fn loaded_calendar_years_persist_and_are_journaled() {
    let (f, admin) = office();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert!(f
        .store
        .work_calendar()
        .unwrap()
        .is_working_day(d("2027-01-04"))
        .is_err());
    let text = "year 2027\nsource 测试通知\noff 2027-01-01 元旦\nwork 2027-01-09 调休\n";
    let r = f.store.load_calendar_year(&admin, text).unwrap();
    assert_eq!(
        (r.year, r.holidays, r.make_up_workdays, r.replaced),
        (2027, 1, 1, false)
    );
    let cal = f.store.work_calendar().unwrap();
    assert!(!cal.is_working_day(d("2027-01-01")).unwrap());
    assert!(cal.is_working_day(d("2027-01-09")).unwrap());
    assert!(f.store.load_calendar_year(&admin, text).unwrap().replaced);
    let e = f
        .store
        .load_calendar_year(&admin, "year 2027\noff 2028-01-01\n")
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields[0].field, "calendar");
    assert_eq!(journal_count(&f), 3);
}

#[test]
fn calendar_years_list_the_built_in_and_loaded_ones_and_load_from_a_file() {
    let (f, admin) = office();
    let years = f.store.calendar_years(&admin).unwrap();
    assert_eq!(
        years.iter().map(|y| (y.year, y.builtin)).collect::<Vec<_>>(),
        [(2025, true), (2026, true)]
    );
    assert!(years[1].source.contains("2026"), "{:?}", years[1]);
    let path = f.dir.path().join("2027.txt");
    std::fs::write(&path, "year 2027\nsource 测试用日历\noff 2027-01-01 元旦\n").unwrap();
    let missing = LoadCalendarInput {
        text: String::new(),
        path: Some(f.dir.path().join("无此文件.txt").display().to_string()),
    };
    assert_eq!(
        f.store.load_calendar(&admin, &missing).unwrap_err().to_api().fields[0].field,
        "path"
    );
    let loaded = f
        .store
        .load_calendar(
            &admin,
            &LoadCalendarInput {
                text: String::new(),
                path: Some(path.display().to_string()),
            },
        )
        .unwrap();
    assert_eq!((loaded.year, loaded.holidays, loaded.replaced), (2027, 1, false));
    let years = f.store.calendar_years(&admin).unwrap();
    assert_eq!(years.last().map(|y| (y.year, y.builtin)), Some((2027, false)));
}
