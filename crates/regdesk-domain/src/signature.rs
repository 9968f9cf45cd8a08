//! Signatures (签章) on the application form (docs/DOMAIN.md §5): the ordered
//! signer list, the status of each signer, in-order recording, and the content
//! fingerprint whose change voids every signature.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::party::{is_minor_on, Guardian, IdDocument};
use crate::work::{Filing, PartialDate};

/// 签章人在填报中的位置：第几位著作权人，或执笔者。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "role")]
pub enum SignerRef {
    /// 著作权人（`owners[index]`）
    Owner { index: usize },
    /// 执笔者
    Writer,
}

/// 签章人。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Signer {
    pub party: SignerRef,
    /// 当事人姓名或名称
    pub name: String,
    /// 签章所用证件号码（未成年人用监护人的证件号码）
    pub id_number: String,
    /// 代为签章的监护人姓名（未成年人）
    pub guardian_name: Option<String>,
}

/// 签章状态。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignerStatus {
    /// 待签章（轮到此人）
    Current,
    /// 准备签章（排在后面）
    Waiting,
    /// 已签章
    Signed,
}

impl SignerStatus {
    pub fn label(self) -> &'static str {
        match self {
            SignerStatus::Current => "待签章",
            SignerStatus::Waiting => "准备签章",
            SignerStatus::Signed => "已签章",
        }
    }
}

/// 签章方式。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SignatureMethod {
    /// 纸质签字后扫描（扫描件的内容地址）
    PaperScan { scan_ref: String },
    /// 在线电子签章（平台签章流水号）
    ESignature { reference: String },
}

impl SignatureMethod {
    pub fn label(&self) -> &'static str {
        match self {
            SignatureMethod::PaperScan { .. } => "纸质签字扫描",
            SignatureMethod::ESignature { .. } => "在线电子签章",
        }
    }

    fn reference(&self) -> &str {
        match self {
            SignatureMethod::PaperScan { scan_ref } => scan_ref,
            SignatureMethod::ESignature { reference } => reference,
        }
    }
}

/// 签章内容指纹：签章内容规范序列化后的 FNV-1a 64 位散列（16 位小写十六进制）。
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct ContentFingerprint(pub String);

/// 签章记录：谁、以何种方式、何时、对哪一版内容签章。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignatureRecord {
    pub signer: SignerRef,
    /// 签章人姓名或名称
    pub name: String,
    pub method: SignatureMethod,
    pub signed_at: DateTime<Utc>,
    /// 所签内容的指纹
    pub fingerprint: ContentFingerprint,
}

/// 签章表中的一行。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SignerLine {
    pub signer: Signer,
    pub status: SignerStatus,
    pub record: Option<SignatureRecord>,
}

/// 签章被拒的原因。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureRefusal {
    #[error("所有签章人都已签章，无需再签")]
    AllSigned,
    #[error("该当事人不在签章人名单中，请核对签章人")]
    NotASigner,
    #[error("“{name}”已经签章，不能重复签章")]
    AlreadySigned { name: String },
    #[error("请按顺序签章：现在应由“{expected}”签章，“{got}”请稍候")]
    OutOfOrder { expected: String, got: String },
    #[error("请填写签章凭据（纸质扫描件或电子签章流水号）")]
    MissingReference,
    #[error("填报内容在签章后已修改，原有签章已作废，请重新发起签章")]
    ContentChanged,
}

impl SignatureRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            SignatureRefusal::AllSigned => "all_signed",
            SignatureRefusal::NotASigner => "not_a_signer",
            SignatureRefusal::AlreadySigned { .. } => "already_signed",
            SignatureRefusal::OutOfOrder { .. } => "out_of_order",
            SignatureRefusal::MissingReference => "missing_reference",
            SignatureRefusal::ContentChanged => "content_changed",
        }
    }
}

fn signer_for(
    party: SignerRef,
    name: &str,
    id: &IdDocument,
    guardian: Option<&Guardian>,
    on: chrono::NaiveDate,
) -> Signer {
    let minor = id
        .facts
        .as_ref()
        .and_then(|f| f.birth_date)
        .is_some_and(|b| is_minor_on(b, on));
    match guardian {
        Some(g) if minor => Signer {
            party,
            name: name.trim().to_string(),
            id_number: g.id.number.trim().to_string(),
            guardian_name: Some(g.name.trim().to_string()),
        },
        _ => Signer {
            party,
            name: name.trim().to_string(),
            id_number: id.number.trim().to_string(),
            guardian_name: None,
        },
    }
}

/// The ordered signer list: every owner in order, then the writer where there is one. A minor
/// signs with the guardian's ID number (`on` is the filing date).
pub fn signers(filing: &Filing, on: chrono::NaiveDate) -> Vec<Signer> {
    let mut out: Vec<Signer> = filing
        .owners
        .iter()
        .enumerate()
        .map(|(i, o)| signer_for(SignerRef::Owner { index: i }, &o.name, &o.id, o.guardian.as_ref(), on))
        .collect();
    if let Some(w) = &filing.writer {
        out.push(signer_for(SignerRef::Writer, &w.name, &w.id, w.guardian.as_ref(), on));
    }
    out
}

/// The signing sheet: signed lines, then the current signer, then those waiting.
/// `records` are in signing order, as [`record_signature`] produces them.
pub fn signing_sheet(signers: &[Signer], records: &[SignatureRecord]) -> Vec<SignerLine> {
    signers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let record = records.iter().find(|r| r.signer == s.party).cloned();
            let status = if record.is_some() {
                SignerStatus::Signed
            } else if i == records.len() {
                SignerStatus::Current
            } else {
                SignerStatus::Waiting
            };
            SignerLine {
                signer: s.clone(),
                status,
                record,
            }
        })
        .collect()
}

/// Whether every signer has signed.
pub fn all_signed(signers: &[Signer], records: &[SignatureRecord]) -> bool {
    !signers.is_empty() && signers.iter().all(|s| records.iter().any(|r| r.signer == s.party))
}

/// Records the signature of `who`, who must be the current signer, over the content whose
/// fingerprint is `current` (which must match what the earlier signers signed).
pub fn record_signature(
    signers: &[Signer],
    records: &[SignatureRecord],
    who: SignerRef,
    method: SignatureMethod,
    at: DateTime<Utc>,
    current: &ContentFingerprint,
) -> Result<SignatureRecord, SignatureRefusal> {
    if records.iter().any(|r| &r.fingerprint != current) {
        return Err(SignatureRefusal::ContentChanged);
    }
    if records.len() >= signers.len() {
        return Err(SignatureRefusal::AllSigned);
    }
    let Some(signer) = signers.iter().find(|s| s.party == who) else {
        return Err(SignatureRefusal::NotASigner);
    };
    if records.iter().any(|r| r.signer == who) {
        return Err(SignatureRefusal::AlreadySigned {
            name: signer.name.clone(),
        });
    }
    let expected = &signers[records.len()];
    if expected.party != who {
        return Err(SignatureRefusal::OutOfOrder {
            expected: expected.name.clone(),
            got: signer.name.clone(),
        });
    }
    if method.reference().trim().is_empty() {
        return Err(SignatureRefusal::MissingReference);
    }
    Ok(SignatureRecord {
        signer: who,
        name: signer.name.clone(),
        method,
        signed_at: at,
        fingerprint: current.clone(),
    })
}

/// 一人一表：one case of a batch as the batch's signing form sees it
/// (docs/DOMAIN.md §5, "One form per signer for a batch").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchCase {
    pub serial: String,
    /// The case's applicant profile.
    pub applicant_id: Option<String>,
    /// The case is 待签章.
    pub awaiting_signatures: bool,
    pub signers: Vec<Signer>,
    /// In signing order.
    pub signatures: Vec<SignatureRecord>,
}

/// A signer of a batch: the same name and signing ID number (the guardian's for
/// a minor) wherever they sign, with their place in each case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSigner {
    pub name: String,
    pub id_number: String,
    pub guardian_name: Option<String>,
    /// For each case of the batch, in the batch's order: where this person signs, if at all.
    pub places: Vec<Option<SignerRef>>,
}

/// 一人一表被拒的原因。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchSigningRefusal {
    #[error("本机构未开启“一人一表”签章（一张签章表签多件作品）：请逐件签章，或请系统管理员在系统设置中开启")]
    NotAllowed,
    #[error("请选择要一并签章的作品")]
    Empty,
    #[error("一人一表只用于同一申请人一并提交的作品：{serial} 的申请人与第一件不同，请分开签章")]
    MixedApplicants { serial: String },
    #[error("{serial} 不在待签章状态，不能列入签章表：请先提交签章或从这批中去掉")]
    NotAwaitingSignatures { serial: String },
    #[error("{serial} 在这批中出现了两次，请去掉重复的一件")]
    Duplicate { serial: String },
    #[error("这批作品没有第 {position} 位签章人（共 {count} 位），请核对签章人")]
    NoSuchSigner { position: usize, count: usize },
    #[error("“{name}”已在这批作品上签章，不能重复签章")]
    AlreadySigned { name: String },
    #[error("请按顺序签章：{serial} 现在应由“{expected}”签章，“{got}”请稍候")]
    OutOfOrder {
        serial: String,
        expected: String,
        got: String,
    },
}

impl BatchSigningRefusal {
    pub fn code(&self) -> &'static str {
        match self {
            BatchSigningRefusal::NotAllowed => "batch_form_not_allowed",
            BatchSigningRefusal::Empty => "batch_empty",
            BatchSigningRefusal::MixedApplicants { .. } => "batch_mixed_applicants",
            BatchSigningRefusal::NotAwaitingSignatures { .. } => "batch_not_awaiting_signatures",
            BatchSigningRefusal::Duplicate { .. } => "batch_duplicate",
            BatchSigningRefusal::NoSuchSigner { .. } => "batch_no_such_signer",
            BatchSigningRefusal::AlreadySigned { .. } => "already_signed",
            BatchSigningRefusal::OutOfOrder { .. } => "out_of_order",
        }
    }
}

/// 一人一表的签章人：where the office allows it (`allowed`), the cases of one
/// applicant, all 待签章, are signed with one paper form per signer covering
/// every case they sign. Signers are the same person when name and signing ID
/// number match; they are listed in the order they first sign.
pub fn batch_signers(allowed: bool, cases: &[BatchCase]) -> Result<Vec<BatchSigner>, BatchSigningRefusal> {
    if !allowed {
        return Err(BatchSigningRefusal::NotAllowed);
    }
    let Some(first) = cases.first() else {
        return Err(BatchSigningRefusal::Empty);
    };
    let mut out: Vec<BatchSigner> = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        if cases[..i].iter().any(|o| o.serial == c.serial) {
            return Err(BatchSigningRefusal::Duplicate {
                serial: c.serial.clone(),
            });
        }
        if c.applicant_id.is_none() || c.applicant_id != first.applicant_id {
            return Err(BatchSigningRefusal::MixedApplicants {
                serial: c.serial.clone(),
            });
        }
        if !c.awaiting_signatures {
            return Err(BatchSigningRefusal::NotAwaitingSignatures {
                serial: c.serial.clone(),
            });
        }
        for s in &c.signers {
            let (name, id) = (s.name.trim(), s.id_number.trim());
            let at = match out.iter().position(|b| b.name == name && b.id_number == id) {
                Some(at) => at,
                None => {
                    out.push(BatchSigner {
                        name: name.to_string(),
                        id_number: id.to_string(),
                        guardian_name: s.guardian_name.clone(),
                        places: vec![None; cases.len()],
                    });
                    out.len() - 1
                }
            };
            // The same person twice in one case (two owner lines): the first line is theirs.
            out[at].places[i].get_or_insert(s.party);
        }
    }
    Ok(out)
}

/// The signatures one signed form records now: the `position`-th signer of
/// the batch (from 1) signs every case where they sign and have not signed
/// yet, and must be each such case's current signer. Gives, per case index,
/// the signer's place.
pub fn batch_signature_places(
    signers: &[BatchSigner],
    position: usize,
    cases: &[BatchCase],
) -> Result<Vec<(usize, SignerRef)>, BatchSigningRefusal> {
    let Some(signer) = position.checked_sub(1).and_then(|i| signers.get(i)) else {
        return Err(BatchSigningRefusal::NoSuchSigner {
            position,
            count: signers.len(),
        });
    };
    let mut out = Vec::new();
    for (i, place) in signer.places.iter().enumerate() {
        let (Some(place), Some(case)) = (place, cases.get(i)) else {
            continue;
        };
        if case.signatures.iter().any(|r| r.signer == *place) {
            continue;
        }
        match case.signers.get(case.signatures.len()) {
            Some(expected) if expected.party == *place => out.push((i, *place)),
            Some(expected) => {
                return Err(BatchSigningRefusal::OutOfOrder {
                    serial: case.serial.clone(),
                    expected: expected.name.clone(),
                    got: signer.name.clone(),
                })
            }
            None => {}
        }
    }
    if out.is_empty() {
        return Err(BatchSigningRefusal::AlreadySigned {
            name: signer.name.clone(),
        });
    }
    Ok(out)
}

/// What happens to the signatures when the content may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SignatureVerdict {
    /// 内容未变，签章有效
    Keep,
    /// 内容已变，全部签章作废
    VoidAll,
}

/// Any change to the signed content voids every signature.
pub fn void_if_changed(old: &ContentFingerprint, new: &ContentFingerprint) -> SignatureVerdict {
    if old == new {
        SignatureVerdict::Keep
    } else {
        SignatureVerdict::VoidAll
    }
}

/// FNV-1a, 64 bits.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a64(u64);

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a64 {
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}

/// A canonical serialisation streamed into the hash: each field is its name, a unit separator,
/// the value's byte length (8 bytes, little-endian) and the value, so no two contents collide
/// by shifting text between fields.
struct Canon(Fnv1a64);

impl Canon {
    fn field(&mut self, name: &str, value: &str) {
        self.0.write(name.as_bytes());
        self.0.write(&[0x1f]);
        self.0.write(&(value.len() as u64).to_le_bytes());
        self.0.write(value.as_bytes());
    }

    fn text(&mut self, name: &str, value: &str) {
        self.field(name, value.trim());
    }

    fn opt(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(v) => self.field(name, &format!("1{}", v.trim())),
            None => self.field(name, "0"),
        }
    }

    fn code<T: Serialize>(&mut self, name: &str, value: &T) {
        self.field(name, &serde_json::to_string(value).unwrap_or_default());
    }

    fn date(&mut self, name: &str, d: &PartialDate) {
        let part = |v: Option<u32>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
        self.field(name, &format!("{}/{}/{}", d.year, part(d.month), part(d.day)));
    }

    fn id(&mut self, prefix: &str, id: &IdDocument) {
        self.text(&format!("{prefix}.id_type"), &id.type_label);
        self.text(&format!("{prefix}.id_number"), &id.number);
    }

    fn guardian(&mut self, prefix: &str, g: Option<&Guardian>) {
        self.opt(&format!("{prefix}.guardian"), g.map(|g| g.name.as_str()));
        if let Some(g) = g {
            self.id(&format!("{prefix}.guardian"), &g.id);
        }
    }
}

/// The fingerprint of the signed content: every field printed on the application form (the
/// work, the owners, the authors, the writer). Attachments are not signed content. Surrounding
/// white space does not count.
pub fn fingerprint(filing: &Filing) -> ContentFingerprint {
    let mut c = Canon(Fnv1a64::default());
    c.field("format", "regdesk-signed-content-v1");
    let w = &filing.work;
    c.text("work.title", &w.title);
    c.code("work.category", &w.category);
    c.code("work.nature", &w.nature);
    c.opt("work.nature_note", w.nature_note.as_deref());
    c.date("work.completed_on", &w.completed_on);
    c.text("work.completed_place", &w.completed_place);
    c.code("work.publication", &w.publication);
    match &w.first_published_on {
        Some(d) => c.date("work.first_published_on", d),
        None => c.field("work.first_published_on", "none"),
    }
    c.opt("work.first_published_place", w.first_published_place.as_deref());
    c.code("work.attribution", &w.attribution);
    c.code("work.acquisition", &w.acquisition);
    c.code("work.ownership", &w.ownership);
    c.code("work.rights", &w.rights);
    c.opt("work.other_rights_note", w.other_rights_note.as_deref());
    c.field("owners", &filing.owners.len().to_string());
    for (i, o) in filing.owners.iter().enumerate() {
        let p = format!("owners[{i}]");
        c.code(&format!("{p}.kind"), &o.kind);
        c.text(&format!("{p}.name"), &o.name);
        c.id(&p, &o.id);
        c.opt(&format!("{p}.handling_person"), o.handling_person.as_deref());
        c.text(&format!("{p}.region"), &o.region);
        c.guardian(&p, o.guardian.as_ref());
    }
    c.field("authors", &filing.authors.len().to_string());
    for (i, a) in filing.authors.iter().enumerate() {
        let p = format!("authors[{i}]");
        c.code(&format!("{p}.kind"), &a.kind);
        c.text(&format!("{p}.name"), &a.name);
        c.code(&format!("{p}.signed_as"), &a.signed_as);
        c.opt(&format!("{p}.signed_name"), a.signed_name.as_deref());
    }
    match &filing.writer {
        None => c.field("writer", "none"),
        Some(wr) => {
            c.text("writer.name", &wr.name);
            c.id("writer", &wr.id);
            c.guardian("writer", wr.guardian.as_ref());
        }
    }
    ContentFingerprint(format!("{:016x}", c.0.finish()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::party::tests::{d, org, person_id};
    use crate::party::{AttachmentKind, PartyKind};
    use crate::work::tests::{author, filing, writer};
    use crate::work::Attribution;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 10, h, 0, 0).single().unwrap()
    }

    fn batch_case(serial: &str, names: &[&str], signed: usize) -> BatchCase {
        let signers: Vec<Signer> = names
            .iter()
            .enumerate()
            .map(|(i, n)| Signer {
                party: SignerRef::Owner { index: i },
                name: (*n).to_string(),
                id_number: format!("ID-{n}"),
                guardian_name: None,
            })
            .collect();
        let signatures = signers[..signed]
            .iter()
            .map(|s| SignatureRecord {
                signer: s.party,
                name: s.name.clone(),
                method: SignatureMethod::PaperScan { scan_ref: "f".into() },
                signed_at: at(9),
                fingerprint: ContentFingerprint("0".into()),
            })
            .collect();
        BatchCase {
            serial: serial.into(),
            applicant_id: Some("agency".into()),
            awaiting_signatures: true,
            signers,
            signatures,
        }
    }

    #[test]
    fn a_batch_is_signed_on_one_form_per_signer_where_the_office_allows_it() {
        // 林 signs all three (first in two, second in one), 王 only the third.
        let cases = vec![
            batch_case("S1", &["林晓雨"], 0),
            batch_case("S2", &["林晓雨"], 0),
            batch_case("S3", &["王芳", "林晓雨"], 0),
        ];
        assert_eq!(
            batch_signers(false, &cases).unwrap_err(),
            BatchSigningRefusal::NotAllowed
        );
        assert_eq!(batch_signers(true, &[]).unwrap_err(), BatchSigningRefusal::Empty);
        let signers = batch_signers(true, &cases).unwrap();
        assert_eq!(
            signers.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["林晓雨", "王芳"]
        );
        assert_eq!(
            signers[0].places,
            vec![
                Some(SignerRef::Owner { index: 0 }),
                Some(SignerRef::Owner { index: 0 }),
                Some(SignerRef::Owner { index: 1 })
            ]
        );
        assert_eq!(signers[1].places, vec![None, None, Some(SignerRef::Owner { index: 0 })]);
        // 林's form: S3 waits for 王 first, so the whole form is refused, naming the case.
        let e = batch_signature_places(&signers, 1, &cases).unwrap_err();
        assert_eq!(e.code(), "out_of_order");
        assert!(e.to_string().contains("S3") && e.to_string().contains("王芳"), "{e}");
        // 王 signs S3 on their form; then 林's one form signs all three.
        assert_eq!(
            batch_signature_places(&signers, 2, &cases).unwrap(),
            vec![(2, SignerRef::Owner { index: 0 })]
        );
        let after = vec![
            cases[0].clone(),
            cases[1].clone(),
            batch_case("S3", &["王芳", "林晓雨"], 1),
        ];
        assert_eq!(
            batch_signature_places(&signers, 1, &after).unwrap(),
            vec![
                (0, SignerRef::Owner { index: 0 }),
                (1, SignerRef::Owner { index: 0 }),
                (2, SignerRef::Owner { index: 1 })
            ]
        );
        // 王 again: nothing left to sign.
        assert_eq!(
            batch_signature_places(&signers, 2, &after).unwrap_err().code(),
            "already_signed"
        );
        assert_eq!(
            batch_signature_places(&signers, 3, &after).unwrap_err(),
            BatchSigningRefusal::NoSuchSigner { position: 3, count: 2 }
        );
    }

    #[test]
    fn a_batch_form_covers_one_applicants_cases_awaiting_signatures_once_each() {
        let mut other = batch_case("S2", &["林晓雨"], 0);
        other.applicant_id = Some("someone else".into());
        let e = batch_signers(true, &[batch_case("S1", &["林晓雨"], 0), other]).unwrap_err();
        assert_eq!(e, BatchSigningRefusal::MixedApplicants { serial: "S2".into() });
        let mut draft = batch_case("S2", &["林晓雨"], 0);
        draft.awaiting_signatures = false;
        let e = batch_signers(true, &[batch_case("S1", &["林晓雨"], 0), draft]).unwrap_err();
        assert!(e.to_string().contains("S2") && e.to_string().contains("待签章"), "{e}");
        let e = batch_signers(
            true,
            &[batch_case("S1", &["林晓雨"], 0), batch_case("S1", &["林晓雨"], 0)],
        );
        assert_eq!(e.unwrap_err().code(), "batch_duplicate");
        // Same name, another ID number: another person, another form.
        let mut namesake = batch_case("S2", &["林晓雨"], 0);
        namesake.signers[0].id_number = "ID-other".into();
        assert_eq!(
            batch_signers(true, &[batch_case("S1", &["林晓雨"], 0), namesake])
                .unwrap()
                .len(),
            2
        );
    }

    fn corporate_with_two_owners() -> Filing {
        let mut f = filing();
        f.work.attribution = Attribution::Corporate;
        f.owners = vec![org("甲公司"), org("乙公司")];
        f.authors = vec![author("甲公司", PartyKind::Organisation)];
        f.writer = Some(writer("王五"));
        f
    }

    fn paper(s: &str) -> SignatureMethod {
        SignatureMethod::PaperScan { scan_ref: s.into() }
    }

    #[test]
    fn fnv_reference_values() {
        let cases: [(&[u8], u64); 3] = [
            (b"", 0xcbf29ce484222325),
            (b"a", 0xaf63dc4c8601ec8c),
            (b"foobar", 0x85944171f73967e8),
        ];
        for (input, want) in cases {
            let mut h = Fnv1a64::default();
            h.write(input);
            assert_eq!(h.finish(), want, "{input:?}");
        }
    }

    #[test]
    fn signers_are_owners_in_order_then_the_writer() {
        let f = corporate_with_two_owners();
        let s = signers(&f, d(2026, 3, 10));
        let names: Vec<(&str, SignerRef)> = s.iter().map(|s| (s.name.as_str(), s.party)).collect();
        assert_eq!(
            names,
            vec![
                ("甲公司", SignerRef::Owner { index: 0 }),
                ("乙公司", SignerRef::Owner { index: 1 }),
                ("王五", SignerRef::Writer),
            ]
        );
        let mut minor = filing();
        minor.owners[0].id = person_id("330106201001011234", d(2010, 1, 1), "330106");
        minor.owners[0].guardian = Some(Guardian {
            name: "张大明".into(),
            id: person_id("330106198001015678", d(1980, 1, 1), "330106"),
        });
        let s = signers(&minor, d(2026, 3, 10));
        assert_eq!(s[0].id_number, "330106198001015678");
        assert_eq!(s[0].guardian_name.as_deref(), Some("张大明"));
        // Once of age, the person signs with their own number.
        let s = signers(&minor, d(2028, 1, 1));
        assert_eq!(s[0].id_number, "330106201001011234");
    }

    #[test]
    fn recording_in_order() {
        let f = corporate_with_two_owners();
        let s = signers(&f, d(2026, 3, 10));
        let fp = fingerprint(&f);
        let mut records = Vec::new();
        let statuses = |r: &[SignatureRecord]| -> Vec<SignerStatus> {
            signing_sheet(&s, r).into_iter().map(|l| l.status).collect()
        };
        use SignerStatus::*;
        assert_eq!(statuses(&records), vec![Current, Waiting, Waiting]);
        let out = record_signature(&s, &records, SignerRef::Writer, paper("sha256:1"), at(9), &fp).unwrap_err();
        assert_eq!(out.code(), "out_of_order");
        assert_eq!(out.to_string(), "请按顺序签章：现在应由“甲公司”签章，“王五”请稍候");
        let r = record_signature(
            &s,
            &records,
            SignerRef::Owner { index: 0 },
            paper("sha256:1"),
            at(9),
            &fp,
        )
        .unwrap();
        assert_eq!((r.name.as_str(), r.signed_at), ("甲公司", at(9)));
        records.push(r);
        assert_eq!(statuses(&records), vec![Signed, Current, Waiting]);
        let table: [(SignerRef, SignatureMethod, &ContentFingerprint, &str); 4] = [
            (SignerRef::Owner { index: 0 }, paper("x"), &fp, "already_signed"),
            (SignerRef::Owner { index: 7 }, paper("x"), &fp, "not_a_signer"),
            (
                SignerRef::Owner { index: 1 },
                SignatureMethod::ESignature { reference: " ".into() },
                &fp,
                "missing_reference",
            ),
            (
                SignerRef::Owner { index: 1 },
                paper("x"),
                &ContentFingerprint("0".into()),
                "content_changed",
            ),
        ];
        for (who, m, cfp, code) in table {
            assert_eq!(
                record_signature(&s, &records, who, m, at(10), cfp).unwrap_err().code(),
                code,
                "{who:?}"
            );
        }
        for who in [SignerRef::Owner { index: 1 }, SignerRef::Writer] {
            assert!(!all_signed(&s, &records));
            let e = SignatureMethod::ESignature {
                reference: "ES-1".into(),
            };
            records.push(record_signature(&s, &records, who, e, at(10), &fp).unwrap());
        }
        assert!(all_signed(&s, &records));
        assert_eq!(statuses(&records), vec![Signed, Signed, Signed]);
        assert_eq!(
            record_signature(&s, &records, SignerRef::Writer, paper("x"), at(11), &fp)
                .unwrap_err()
                .code(),
            "all_signed"
        );
        assert!(!all_signed(&[], &[]));
    }

    #[test]
    fn every_signed_field_changes_the_fingerprint_and_attachments_do_not() {
        let base = corporate_with_two_owners();
        let fp = fingerprint(&base);
        assert_eq!(fp.0.len(), 16);
        assert_eq!(fingerprint(&base.clone()), fp, "stable");
        type Edit = fn(&mut Filing);
        let changes: Vec<(&str, Edit)> = vec![
            ("title", |f| f.work.title.push('2')),
            ("category", |f| f.work.category = crate::category::WorkCategory::Text),
            ("completion month", |f| f.work.completed_on.month = Some(7)),
            ("owner id", |f| f.owners[1].id.number = "91330106MA2XXXXX1X".into()),
            ("owner order", |f| f.owners.swap(0, 1)),
            ("author signed as", |f| f.authors[0].signed_name = Some("".into())),
            ("writer", |f| f.writer = None),
            ("moved text between fields", |f| {
                f.owners[0].name = "甲公".into();
                f.owners[0].region = format!("司{}", f.owners[0].region);
            }),
        ];
        for (what, edit) in changes {
            let mut f = base.clone();
            edit(&mut f);
            let new = fingerprint(&f);
            assert_ne!(new, fp, "{what}");
            assert_eq!(void_if_changed(&fp, &new), SignatureVerdict::VoidAll, "{what}");
        }
        let mut same = base.clone();
        same.owners[0].attachments.push(AttachmentKind::IdentityProof);
        same.work.title = format!("  {}  ", same.work.title);
        assert_eq!(void_if_changed(&fp, &fingerprint(&same)), SignatureVerdict::Keep);
    }

    proptest! {
        #[test]
        fn different_titles_different_fingerprints(a in "\\PC{1,20}", b in "\\PC{1,20}") {
            let mut f1 = filing();
            f1.work.title = a.clone();
            let mut f2 = filing();
            f2.work.title = b.clone();
            prop_assert_eq!(fingerprint(&f1) == fingerprint(&f2), a.trim() == b.trim());
        }
    }

    #[test]
    fn labels() {
        assert_eq!(
            [SignerStatus::Current, SignerStatus::Waiting, SignerStatus::Signed].map(|s| s.label()),
            ["待签章", "准备签章", "已签章"]
        );
        assert_eq!(
            serde_json::to_string(&SignerRef::Owner { index: 1 }).unwrap(),
            r#"{"role":"owner","index":1}"#
        );
    }
}
