//! A workstation in the test process: its own data directory and store,
//! enrolled with the server through a given address (the server's, or a
//! proxy's), with its people signed in once and desk work done through the
//! store's commands as a person would.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regdesk_domain::applicant::{ApplicantCategory, ApplicantInput};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::filing::{AuthorDraft, Delivery, FilingDraft, OwnerDraft, PartyFile, WorkDraft};
use regdesk_domain::identity::{gb11643_check_char, DocumentType};
use regdesk_domain::lifecycle::PaymentMethod;
use regdesk_domain::party::{AttachmentKind, PartyKind, SignedAs};
use regdesk_domain::payment::{TransferCommand, TransferInput};
use regdesk_domain::signature::SignatureMethod;
use regdesk_domain::staff::FilePurpose;
use regdesk_domain::work::{Acquisition, Attribution, CreationNature, Ownership, PublicationStatus};
use regdesk_store::{
    CaseDetail, CaseRef, CheckTransferInput, ChooseMethodInput, LoginInput, RecordSignatureInput, RecordTransferInput,
    SaveDraftInput, Session, ShareInput, Store, StoreError, SystemClock,
};
use regdesk_sync::client::SyncClient;
use regdesk_sync::station::SyncOutcome;

use crate::{add_code, key_file, PASSWORD};

/// One workstation.
pub struct Station {
    pub name: String,
    pub dir: PathBuf,
    pub store: Store,
    sessions: HashMap<String, Session>,
    /// The station's own applicant (an ID number no other station uses).
    own: Option<String>,
    /// The applicant its next filings name: its own, or a walk-in's.
    applicant: Option<String>,
    made: u32,
}

impl Station {
    /// A new data directory `root/dir_name` joins the office as station
    /// `name` through `url`, pinning `fingerprint`, and takes the office's rows.
    pub async fn join(
        root: &Path,
        dir_name: &str,
        name: &str,
        server_dir: &Path,
        url: &str,
        fingerprint: &str,
    ) -> Station {
        let code = add_code(server_dir, name);
        Self::join_with_code(root, dir_name, &code, url, fingerprint).await
    }

    /// A new data directory `root/dir_name` joins with a one-time `code`.
    pub async fn join_with_code(root: &Path, dir_name: &str, code: &str, url: &str, fingerprint: &str) -> Station {
        key_file();
        let dir = root.join(dir_name);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir, Arc::new(SystemClock)).unwrap();
        let enrolment = SyncClient::enrol(url, code, fingerprint, store.station_id())
            .await
            .unwrap();
        store.join_office(&enrolment).unwrap();
        let name = enrolment.station_name.clone();
        let s = Station {
            name: name.clone(),
            dir,
            store,
            sessions: HashMap::new(),
            own: None,
            applicant: None,
            made: 0,
        };
        let out = s.sync().await;
        assert_eq!(out.error, None, "{name}: {out:?}");
        s
    }

    /// One sync round (push, then pull).
    pub async fn sync(&self) -> SyncOutcome {
        let enrolment = self.store.enrolment().unwrap().unwrap();
        let client = SyncClient::new(&enrolment).unwrap();
        regdesk_sync::run::sync_once(&self.store, &client).await
    }

    /// `username` signed in at this station (once; the session is kept).
    pub fn session(&mut self, username: &str) -> Session {
        if let Some(s) = self.sessions.get(username) {
            return s.clone();
        }
        let s = self
            .store
            .login(&LoginInput {
                username: username.into(),
                password: PASSWORD.into(),
            })
            .unwrap_or_else(|e| panic!("{}: {username} cannot sign in: {e}", self.name));
        self.sessions.insert(username.to_string(), s.clone());
        s
    }

    /// The case as this station sees it.
    pub fn case(&mut self, case_id: &str) -> Option<CaseDetail> {
        let s = self.session("admin");
        self.store.case_detail(&s, case_id).ok()
    }

    /// A filing taken at the counter (王丽): drafted, submitted, signed by
    /// every signer, bank transfer chosen; the case waits for payment. Its id.
    pub fn intake(&mut self) -> Result<String, StoreError> {
        let clerk = self.session("wangli");
        // An applicant the server refused (a clash) is gone from this
        // station: its filings go back to the station's own applicant.
        let current = self
            .applicant
            .clone()
            .filter(|a| self.store.applicant(&clerk, a).is_ok());
        let applicant = match current {
            Some(a) => a,
            None => {
                let own = match self.own.clone().filter(|a| self.store.applicant(&clerk, a).is_ok()) {
                    Some(a) => a,
                    None => {
                        let a = self
                            .store
                            .create_applicant(&clerk, &applicant(self.store.station_id()))?;
                        self.own = Some(a.id.clone());
                        a.id
                    }
                };
                self.applicant = Some(own.clone());
                own
            }
        };
        let files = self.dir.join("desk-files");
        std::fs::create_dir_all(&files)?;
        let sample_path = files.join("样本.png");
        let proof_path = files.join("身份证明.png");
        if !sample_path.exists() {
            std::fs::write(&sample_path, include_bytes!("../../../assets/icons/128x128.png"))?;
            std::fs::write(&proof_path, include_bytes!("../../../assets/icons/32x32.png"))?;
        }
        let sample = self.store.add_file(&clerk, &sample_path, FilePurpose::Sample)?;
        let proof = self.store.add_file(&clerk, &proof_path, FilePurpose::IdentityProof)?;
        self.made += 1;
        let draft = filing(&self.name, self.made, &sample.id, &proof.id);
        let mut d = self.store.save_draft(
            &clerk,
            &SaveDraftInput {
                case_id: None,
                version: None,
                applicant_id: Some(applicant),
                draft,
            },
        )?;
        d = self.store.submit_for_signing(
            &clerk,
            &CaseRef {
                case_id: d.id.clone(),
                version: d.version,
            },
        )?;
        let signers: Vec<_> = d.signing.iter().map(|l| l.signer.party).collect();
        for who in signers {
            d = self.store.record_signature(
                &clerk,
                &RecordSignatureInput {
                    case_id: d.id.clone(),
                    version: d.version,
                    signer: who,
                    method: SignatureMethod::PaperScan {
                        scan_ref: sample.id.clone(),
                    },
                },
            )?;
        }
        d = self.store.choose_payment_method(
            &clerk,
            &ChooseMethodInput {
                case_id: d.id.clone(),
                version: d.version,
                method: PaymentMethod::BankTransfer,
            },
        )?;
        Ok(d.id)
    }

    /// A walk-in applicant made at the counter (王丽) with the ID number
    /// `walk_in_id(n)`, the same at every station: one person filing at two
    /// offices that are both offline makes the same applicant twice, and the
    /// server keeps the first. The station's next filings name them. Their id.
    pub fn walk_in(&mut self, n: u32) -> Result<String, StoreError> {
        let clerk = self.session("wangli");
        let mut input = applicant(self.store.station_id());
        input.name = format!("周到{n}");
        input.id_number = walk_in_id(n);
        let a = self.store.create_applicant(&clerk, &input)?;
        self.applicant = Some(a.id.clone());
        Ok(a.id)
    }

    /// The fee of `case` recorded by `recorder` and, when `checker` is
    /// given, confirmed by them.
    pub fn pay(&mut self, case: &CaseDetail, recorder: &str, checker: Option<&str>) -> Result<(), StoreError> {
        let rec = self.session(recorder);
        let row = self
            .store
            .payment_cases(&rec, &regdesk_store::PaymentCasesInput { search: None })?
            .into_iter()
            .find(|r| r.case_id == case.id);
        let Some(row) = row else { return Ok(()) };
        if row.owed_fen <= 0 {
            return Ok(());
        }
        let received_at = (self.store.now() + chrono::Duration::hours(8) - chrono::Duration::minutes(5)).naive_utc();
        let t = self.store.record_transfer(
            &rec,
            &RecordTransferInput {
                transfer: TransferInput {
                    method: PaymentMethod::BankTransfer,
                    payer: row.applicant_name.clone(),
                    payer_account: "6222 0202 0000 1234 567".into(),
                    payer_bank: "中国工商银行杭州分行".into(),
                    amount_fen: row.owed_fen,
                    received_at,
                    reference: format!("ICBC-{}-{}", row.serial, uuid::Uuid::now_v7().simple()),
                    purpose: format!("{} 作品登记费", row.serial),
                },
                receipt_file_id: None,
                shares: vec![ShareInput {
                    case_id: case.id.clone(),
                    amount_fen: row.owed_fen,
                }],
            },
        )?;
        if let Some(checker) = checker {
            let chk = self.session(checker);
            self.store.check_transfer(
                &chk,
                &CheckTransferInput {
                    id: t.id,
                    version: t.version,
                    command: TransferCommand::Confirm,
                },
            )?;
        }
        Ok(())
    }
}

fn resident_id(birth: &str, seq: u32) -> String {
    let body = format!("330106{birth}{:03}", seq % 1000);
    format!("{body}{}", gb11643_check_char(&body).unwrap_or('0'))
}

/// The ID number of walk-in applicant `n` (see [`Station::walk_in`]).
pub fn walk_in_id(n: u32) -> String {
    resident_id("19751120", 500 + n % 400)
}

/// The station's own applicant: an ID number of its own (walk-ins, who
/// clash across stations, are [`Station::walk_in`]).
fn applicant(station_id: &str) -> ApplicantInput {
    // Birth date and sequence from the station's id (FNV-1a): ten million
    // numbers, so stations of one run do not meet by chance.
    let h = station_id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |a, b| {
        (a ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let seq = (h % 1000) as u32;
    let born = chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or_default()
        + chrono::Duration::days(((h / 1000) % 10_000) as i64);
    ApplicantInput {
        category: ApplicantCategory::Individual,
        name: format!("林晓雨{seq}"),
        id_type: DocumentType::ResidentId,
        id_number: resident_id(&born.format("%Y%m%d").to_string(), seq),
        pen_name: String::new(),
        handler_name: "林晓雨".into(),
        handler_mobile: "13805710001".into(),
        region: "浙江省杭州市".into(),
        invoice_email: "lin@example.cn".into(),
        recipient_name: "林晓雨".into(),
        recipient_phone: "13805710001".into(),
        postal_address: "浙江省杭州市西湖区文三路 100 号".into(),
    }
}

fn filing(station: &str, n: u32, sample: &str, proof: &str) -> FilingDraft {
    FilingDraft {
        work: WorkDraft {
            title: format!("西湖十景之断桥残雪（{station}-{n}）"),
            category: Some(WorkCategory::Photography),
            nature: Some(CreationNature::Original),
            completed_on: "2026-3".into(),
            completed_place: "浙江省杭州市".into(),
            publication: Some(PublicationStatus::Unpublished),
            attribution: Some(Attribution::Individual),
            acquisition: Some(Acquisition::Original),
            ownership: Some(Ownership::Full),
            ..WorkDraft::default()
        },
        owners: vec![OwnerDraft {
            kind: Some(PartyKind::NaturalPerson),
            name: "林晓雨".into(),
            id_type: Some(DocumentType::ResidentId),
            id_number: resident_id("19881010", 100 + n),
            region: "浙江省杭州市".into(),
            files: vec![PartyFile {
                file_id: proof.into(),
                kind: AttachmentKind::IdentityProof,
            }],
            ..OwnerDraft::default()
        }],
        authors: vec![AuthorDraft {
            kind: Some(PartyKind::NaturalPerson),
            name: "林晓雨".into(),
            signed_as: Some(SignedAs::RealName),
            signed_name: String::new(),
        }],
        samples: vec![sample.into()],
        description: "作品以西湖为题材，构图简洁。".into(),
        creation_story: "作者实地采风后独立完成。".into(),
        delivery: Some(Delivery::Mail),
        recipient_name: "林晓雨".into(),
        recipient_phone: "13805710001".into(),
        postal_address: "浙江省杭州市西湖区文三路 100 号".into(),
        invoice_email: "lin@example.cn".into(),
        ..FilingDraft::default()
    }
}
