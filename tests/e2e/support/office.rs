//! The app, its data and its screenshots: what a test starts from.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use regdesk_store::keys::{KeyHome, StationKeys};

/// One office's data directory, its station key file and the home folder the
/// app runs with, all in one temporary folder that goes when the test ends:
/// the app finds its key through `REGDESK_KEY_FILE` and writes nothing under
/// the real home (no fallback key file, no prints, no caches).
pub struct Office {
    root: tempfile::TempDir,
    data: PathBuf,
}

/// The test offices' station secret (every office has its own key file).
const SECRET: [u8; 32] = [0x5e; 32];

impl Office {
    /// An empty data directory (the app's first start), with its key file.
    pub fn empty() -> Office {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let office = Office { root, data };
        std::fs::create_dir_all(office.path()).unwrap();
        // The caches the desktop libraries expect (they make no parents).
        std::fs::create_dir_all(office.home().join(".cache")).unwrap();
        let code = office.keys().recovery_code();
        std::fs::write(office.key_file(), format!("{}\n", code.as_str())).unwrap();
        office
    }

    /// The data directory.
    pub fn path(&self) -> &Path {
        &self.data
    }

    /// The station key file (`REGDESK_KEY_FILE`).
    pub fn key_file(&self) -> PathBuf {
        self.root.path().join("station.key")
    }

    /// The home folder the app runs with.
    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// A folder of its own beside the data directory (a USB disk, a share), made.
    pub fn folder(&self, name: &str) -> PathBuf {
        let p = self.root.path().join(name);
        std::fs::create_dir_all(&p).unwrap();
        p
    }

    /// The station keys in the key file.
    pub fn keys(&self) -> StationKeys {
        StationKeys::from_secret(SECRET, KeyHome::EnvFile(self.key_file()))
    }

    /// The store on this data directory, opened with its key.
    pub fn open(&self) -> regdesk_store::Store {
        regdesk_store::Store::open_with_keys(self.path(), Arc::new(regdesk_store::SystemClock), self.keys()).unwrap()
    }
}

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
pub fn sample_office() -> Office {
    let office = Office::empty();
    regdesk_store::demo::fill(&office.open(), 6).unwrap();
    office
}

/// The sample office, with a 2027 working-day calendar loaded (test data: 元旦 only), so that
/// deadlines of cases accepted in late 2026 can be counted.
pub fn sample_office_with_2027() -> (Office, Vec<regdesk_store::PaymentCaseRow>) {
    let data = sample_office();
    let store = data.open();
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

/// Pays the sample cases waiting for payment (recorded by 陈晓燕, confirmed by 何军): they enter 待初审.
pub fn pay_waiting(data: &Office, waiting: &[regdesk_store::PaymentCaseRow]) -> Vec<String> {
    use regdesk_domain::payment::{TransferCommand, TransferInput};
    let store = data.open();
    let login = |u: &str| {
        store
            .login(&regdesk_store::LoginInput {
                username: u.into(),
                password: "Banquan2026".into(),
            })
            .unwrap()
    };
    let (chen, he) = (login("chenxy"), login("hejun"));
    let mut serials = Vec::new();
    for (i, row) in waiting
        .iter()
        .filter(|r| r.state == regdesk_domain::lifecycle::CaseState::AwaitingPayment)
        .enumerate()
    {
        let t = store
            .record_transfer(
                &chen,
                &regdesk_store::RecordTransferInput {
                    transfer: TransferInput {
                        method: regdesk_domain::lifecycle::PaymentMethod::BankTransfer,
                        payer: row.applicant_name.clone(),
                        payer_account: String::new(),
                        payer_bank: String::new(),
                        amount_fen: row.owed_fen,
                        received_at: chrono::Local::now().naive_local() - chrono::Duration::hours(1),
                        reference: format!("E2E-REVIEW-{i}"),
                        purpose: String::new(),
                    },
                    receipt_file_id: None,
                    shares: vec![regdesk_store::ShareInput {
                        case_id: row.case_id.clone(),
                        amount_fen: row.owed_fen,
                    }],
                },
            )
            .unwrap();
        store
            .check_transfer(
                &he,
                &regdesk_store::CheckTransferInput {
                    id: t.id,
                    version: t.version,
                    command: TransferCommand::Confirm,
                },
            )
            .unwrap();
        serials.push(row.serial.clone());
    }
    serials
}
