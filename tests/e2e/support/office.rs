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
    /// The station secret in the key file.
    secret: [u8; 32],
}

/// The printer the stand-in print service knows ([`Office::with_print_service`]).
pub const PRINTER: &str = "Cert_Printer_1";

/// The test offices' station secret (every office has its own key file).
const SECRET: [u8; 32] = [0x5e; 32];

impl Office {
    /// An empty data directory (the app's first start), with its key file.
    pub fn empty() -> Office {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let office = Office {
            root,
            data,
            secret: SECRET,
        };
        std::fs::create_dir_all(office.path()).unwrap();
        office.settle()
    }

    /// A copy of the data directory `source` (an office built elsewhere, e.g. by
    /// `regdesk demo --cases 1000000 --data-dir …`), so that the original is never
    /// written to. Its key: the recovery code in the file `key_file` when given, else
    /// the station key the store finds for `source` (`REGDESK_KEY_FILE`, the fallback
    /// key file, the key store).
    pub fn copy_of(source: &Path, key_file: Option<&Path>) -> Office {
        let keys = match key_file {
            Some(f) => {
                let code = std::fs::read_to_string(f).unwrap();
                let secret = regdesk_store::keys::parse_recovery_code(code.trim()).unwrap();
                StationKeys::from_secret(secret, KeyHome::EnvFile(f.to_path_buf()))
            }
            None => regdesk_store::keys::station_keys(source, regdesk_store::keys::KeyUse::Existing).unwrap(),
        };
        let secret = regdesk_store::keys::parse_recovery_code(keys.recovery_code().as_str()).unwrap();
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let copied = std::process::Command::new("cp")
            .arg("-a")
            .arg(source)
            .arg(&data)
            .status()
            .unwrap();
        assert!(copied.success(), "copying {} failed", source.display());
        Office { root, data, secret }.settle()
    }

    /// The home folder's caches and the key file, for a data directory in place.
    fn settle(self) -> Office {
        // The caches the desktop libraries expect (they make no parents).
        std::fs::create_dir_all(self.home().join(".cache")).unwrap();
        let code = self.keys().recovery_code();
        std::fs::write(self.key_file(), format!("{}\n", code.as_str())).unwrap();
        self
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

    /// Stand-ins for the system programs the desk hands documents to, on the app's `PATH`
    /// ([`Office::tools`]): the print service (CUPS `lpstat -e` knows the printer [`PRINTER`],
    /// `lp -d PRINTER -- FILE` keeps each job in [`Office::printed`]) and the file viewer
    /// (`xdg-open FILE` notes the file in [`Office::opened`]).
    pub fn with_print_service(self) -> Office {
        let bin = self.tools();
        std::fs::create_dir_all(&bin).unwrap();
        let printed = self.folder("printed");
        let scripts = [
            (
                "lpstat",
                format!("#!/bin/sh\n[ \"$1\" = \"-e\" ] && echo '{PRINTER}'\nexit 0\n"),
            ),
            (
                "lp",
                format!(
                    "#!/bin/sh\nprinter=''\nwhile [ $# -gt 0 ]; do case \"$1\" in -d) printer=\"$2\"; shift 2;; --) shift; break;; *) shift;; esac; done\n\
                     n=$(ls '{dir}' | wc -l)\ncp \"$1\" '{dir}'/\"$n-$printer-$(basename \"$1\")\"\necho \"request id is $printer-$n (1 file(s))\"\n",
                    dir = printed.display()
                ),
            ),
            (
                "xdg-open",
                format!("#!/bin/sh\necho \"$1\" >> '{}'\n", self.opened().display()),
            ),
        ];
        for (name, body) in scripts {
            let p = bin.join(name);
            std::fs::write(&p, body).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        self
    }

    /// The folder of system programs put first on the app's `PATH` (none unless
    /// [`Office::with_print_service`] made them).
    pub fn tools(&self) -> PathBuf {
        self.root.path().join("bin")
    }

    /// The jobs the print service received, oldest first.
    pub fn printed(&self) -> Vec<PathBuf> {
        let mut jobs: Vec<PathBuf> = std::fs::read_dir(self.root.path().join("printed"))
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        jobs.sort_by_key(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.split('-').next())
                .and_then(|n| n.parse::<u32>().ok())
        });
        jobs
    }

    /// The note of the files the viewer was asked to open, one path a line.
    pub fn opened(&self) -> PathBuf {
        self.root.path().join("opened.txt")
    }

    /// The files the viewer was asked to open, in order.
    pub fn opened_files(&self) -> Vec<PathBuf> {
        std::fs::read_to_string(self.opened())
            .unwrap_or_default()
            .lines()
            .map(PathBuf::from)
            .collect()
    }

    /// The station keys in the key file.
    pub fn keys(&self) -> StationKeys {
        StationKeys::from_secret(self.secret, KeyHome::EnvFile(self.key_file()))
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
    sample_office_with_2027_of(6)
}

/// [`sample_office_with_2027`] with `filings` filings (a third of them drafts, a third signed in part).
pub fn sample_office_with_2027_of(filings: u32) -> (Office, Vec<regdesk_store::PaymentCaseRow>) {
    let data = Office::empty();
    regdesk_store::demo::fill(&data.open(), filings).unwrap();
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

/// The sample office with `filings` filings ([`sample_office_with_2027_of`]), every one
/// signed, paid, passed and approved; the e-invoice of every pickup case sent; the office's
/// certificate verification address set. Returns the registered cases.
pub fn registered_office(filings: u32) -> (Office, Vec<regdesk_store::CaseDetail>) {
    use regdesk_domain::lifecycle::{CaseState, PaymentMethod};
    use regdesk_domain::payment::{TransferCommand, TransferInput};
    use regdesk_domain::signature::SignatureMethod;
    use regdesk_store::*;
    let (data, _) = sample_office_with_2027_of(filings);
    let store = data.open();
    let login = |u: &str| {
        store
            .login(&LoginInput {
                username: u.into(),
                password: "Banquan2026".into(),
            })
            .unwrap()
    };
    let ids = |states: &str| -> Vec<String> {
        let c = regdesk_store::connect(&data.path().join(DB_FILE), &store.keys().database()).unwrap();
        let mut stmt = c
            .prepare(&format!("SELECT id FROM cases WHERE state IN ({states})"))
            .unwrap();
        let out = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        out
    };
    let clerk = login("wangli");
    let signed = store
        .add_file(
            &clerk,
            std::path::Path::new(&scan(data.path(), "签章页.png")),
            regdesk_domain::staff::FilePurpose::SignedForm,
        )
        .unwrap();
    for id in ids("'draft', 'awaiting_signatures'") {
        let mut d = store.case_detail(&clerk, &id).unwrap();
        if d.state == CaseState::Draft {
            d = store
                .submit_for_signing(
                    &clerk,
                    &CaseRef {
                        case_id: d.id.clone(),
                        version: d.version,
                    },
                )
                .unwrap();
        }
        let waiting: Vec<_> = d
            .signing
            .iter()
            .filter(|l| l.record.is_none())
            .map(|l| l.signer.party)
            .collect();
        for who in waiting {
            d = store
                .record_signature(
                    &clerk,
                    &RecordSignatureInput {
                        case_id: d.id.clone(),
                        version: d.version,
                        signer: who,
                        method: SignatureMethod::PaperScan {
                            scan_ref: signed.id.clone(),
                        },
                    },
                )
                .unwrap();
        }
    }
    let chen = login("chenxy");
    let open = ids("'awaiting_payment'");
    let t = store
        .record_transfer(
            &chen,
            &RecordTransferInput {
                transfer: TransferInput {
                    method: PaymentMethod::BankTransfer,
                    payer: "杭州某某版权代理有限公司".into(),
                    payer_account: "6222020200012345678".into(),
                    payer_bank: "工商银行杭州分行".into(),
                    amount_fen: 15_000 * open.len() as i64,
                    received_at: chrono::Utc::now().naive_utc(),
                    reference: "ICBC-E2E-DELIVERY".into(),
                    purpose: "作品登记费".into(),
                },
                receipt_file_id: None,
                shares: open
                    .iter()
                    .map(|id| ShareInput {
                        case_id: id.clone(),
                        amount_fen: 15_000,
                    })
                    .collect(),
            },
        )
        .unwrap();
    store
        .check_transfer(
            &login("hejun"),
            &CheckTransferInput {
                id: t.id,
                version: t.version,
                command: TransferCommand::Confirm,
            },
        )
        .unwrap();
    let li = login("liwen");
    let zhang = login("zhangwei");
    for id in ids("'awaiting_first_review', 'awaiting_final_review'") {
        let mut d = store.case_detail(&li, &id).unwrap();
        if d.state == CaseState::AwaitingFirstReview {
            d = store
                .first_review(
                    &li,
                    &ReviewDecisionInput {
                        case_id: d.id.clone(),
                        version: d.version,
                        decision: ReviewDecision::Pass,
                    },
                )
                .unwrap();
        }
        store
            .final_review(
                &zhang,
                &FinalDecisionInput {
                    case_id: d.id.clone(),
                    version: d.version,
                    decision: FinalDecision::Approve,
                },
            )
            .unwrap();
    }
    // The office's verification address, as the app's sample office has it: certificates can be made.
    let admin = login("admin");
    let cert = store.certificate_settings(&admin).unwrap();
    store
        .update_verification_url(
            &admin,
            &VerificationUrlInput {
                verification_url: regdesk_store::demo::DEMO_VERIFICATION_URL.into(),
                version: cert.version,
            },
        )
        .unwrap();
    let registered: Vec<CaseDetail> = ids("'registered'")
        .iter()
        .map(|id| store.case_detail(&li, id).unwrap())
        .collect();
    let due: Vec<String> = store
        .invoices_due(&chen)
        .unwrap()
        .into_iter()
        .map(|r| r.case_id)
        .collect();
    store
        .mark_invoices_issued(
            &chen,
            &MarkInvoicesInput {
                case_ids: due,
                invoice_number: "FP-E2E-0001".into(),
            },
        )
        .unwrap();
    (data, registered)
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
