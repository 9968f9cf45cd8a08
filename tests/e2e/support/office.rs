//! The app, its data and its screenshots: what a test starts from.

use std::path::PathBuf;

/// The app binary under test.
pub fn app() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_regdesk-app"))
}

/// The screenshot folder of one test, `target/e2e-screenshots/<test>/`, emptied of a previous run.
pub fn fresh_shots(test: &str) -> PathBuf {
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/e2e-screenshots")
        .join(test);
    let _ = std::fs::remove_dir_all(&shots);
    shots
}

/// A sample office made through the store's own commands, as `regdesk demo --cases 6` makes it.
pub fn sample_office() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let store = regdesk_store::Store::open(data.path(), std::sync::Arc::new(regdesk_store::SystemClock)).unwrap();
    regdesk_store::demo::fill(&store, 6).unwrap();
    data
}

/// The sample office, with a 2027 working-day calendar loaded (test data: 元旦 only), so that
/// deadlines of cases accepted in late 2026 can be counted.
pub fn sample_office_with_2027() -> (tempfile::TempDir, Vec<regdesk_store::PaymentCaseRow>) {
    let data = sample_office();
    let store = regdesk_store::Store::open(data.path(), std::sync::Arc::new(regdesk_store::SystemClock)).unwrap();
    let login = |u: &str| {
        store
            .login(&regdesk_store::LoginInput {
                username: u.into(),
                password: "Banquan2026".into(),
            })
            .unwrap()
    };
    store
        .load_calendar_year(&login("admin"), "year 2027\nsource 测试用日历\noff 2027-01-01 元旦\n")
        .unwrap();
    store
        .add_subordinate_office(
            &login("admin"),
            &regdesk_domain::office::SubordinateOfficeInput {
                code: "ZJHZ".into(),
                name: "杭州市版权局".into(),
                parent_code: "ZJ".into(),
            },
        )
        .unwrap();
    let waiting = store
        .payment_cases(&login("chenxy"), &regdesk_store::PaymentCasesInput { search: None })
        .unwrap();
    (data, waiting)
}

/// A copy of the app icon under a telling name, standing in for a scan or a sample.
pub fn scan(dir: &std::path::Path, name: &str) -> String {
    let p = dir.join(name);
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/icons/icon.png"),
        &p,
    )
    .unwrap();
    p.to_str().unwrap().to_string()
}
