//! Delivery of the paper certificate (证书发放, docs/DOMAIN.md §9): mailing by SF Express
//! freight collect (邮寄，顺丰到付) and pickup at the desk (自领).
//!
//! - the label sizes of SF's thermal stock ([`LabelSize`]);
//! - SF's waybill number (运单号) as scanned or typed ([`parse_waybill`]);
//! - one shipment per recipient: certificates to the same name, phone and
//!   address go in one envelope ([`recipient_key`]);
//! - the mailing address a case must carry to be shipped ([`check_recipient`]);
//! - pickup: only after the e-invoice was sent ([`check_pickup_ready`]), and what the
//!   collector must show ([`HandoverInput::check`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;
use crate::identity::DocumentType;
use crate::staff::{PermissionDenied, Role};

/// 面单规格（顺丰热敏纸，宽×高，毫米）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LabelSize {
    /// 100×150 mm（默认）
    #[default]
    Mm100x150,
    /// 100×180 mm
    Mm100x180,
    /// 100×210 mm
    Mm100x210,
    /// 76×130 mm
    Mm76x130,
}

impl LabelSize {
    pub const ALL: [LabelSize; 4] = [
        LabelSize::Mm100x150,
        LabelSize::Mm100x180,
        LabelSize::Mm100x210,
        LabelSize::Mm76x130,
    ];

    /// Width and height in millimetres.
    pub fn mm(self) -> (f32, f32) {
        match self {
            LabelSize::Mm100x150 => (100.0, 150.0),
            LabelSize::Mm100x180 => (100.0, 180.0),
            LabelSize::Mm100x210 => (100.0, 210.0),
            LabelSize::Mm76x130 => (76.0, 130.0),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LabelSize::Mm100x150 => "100×150 毫米",
            LabelSize::Mm100x180 => "100×180 毫米",
            LabelSize::Mm100x210 => "100×210 毫米",
            LabelSize::Mm76x130 => "76×130 毫米",
        }
    }

    /// Stable code in storage and on the command line (`100x150`).
    pub fn code(self) -> &'static str {
        match self {
            LabelSize::Mm100x150 => "100x150",
            LabelSize::Mm100x180 => "100x180",
            LabelSize::Mm100x210 => "100x210",
            LabelSize::Mm76x130 => "76x130",
        }
    }

    pub fn from_code(code: &str) -> Option<LabelSize> {
        let c = code.trim().to_ascii_lowercase().replace(['×', '*'], "x");
        LabelSize::ALL.into_iter().find(|s| s.code() == c)
    }
}

/// Reads SF Express's waybill number (顺丰运单号) as a scanner or a person gives it:
/// `SF` and 13 digits, or 12 digits on older waybills. Surrounding blanks, and blanks or
/// hyphens typed between digit groups, are dropped; `sf` is taken as `SF`. Anything else is
/// refused under `field` with a message naming what is wrong and the fix.
pub fn parse_waybill(field: &str, typed: &str) -> Result<String, FieldError> {
    let compact: String = typed
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .collect();
    if compact.is_empty() {
        return Err(FieldError::new(
            field,
            "required",
            "请扫描或输入顺丰运单号（SF 加 13 位数字，旧运单为 12 位数字）",
        ));
    }
    let upper = compact.to_ascii_uppercase();
    let (prefix, digits) = match upper.strip_prefix("SF") {
        Some(rest) => ("SF", rest),
        None => ("", upper.as_str()),
    };
    if let Some((i, ch)) = digits.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        let position = prefix.len() + i + 1;
        return Err(FieldError::new(
            field,
            "waybill_char",
            format!(
                "运单号第 {position} 个字符「{ch}」不是数字：顺丰运单号为 SF 加 13 位数字（旧运单为 12 位数字），请重新扫描或核对后输入"
            ),
        ));
    }
    let n = digits.chars().count();
    match (prefix, n) {
        ("SF", 13) | ("", 12) => Ok(format!("{prefix}{digits}")),
        ("SF", _) => Err(FieldError::new(
            field,
            "waybill_length",
            format!("运单号 SF 后应为 13 位数字，现为 {n} 位，请核对后重新输入"),
        )),
        ("", 13) => Err(FieldError::new(
            field,
            "waybill_prefix",
            format!("13 位数字的运单号前应加 SF：请输入 SF{digits}"),
        )),
        _ => Err(FieldError::new(
            field,
            "waybill_length",
            format!("运单号应为 SF 加 13 位数字，或 12 位数字（旧运单），现为 {n} 位数字，请核对后重新输入"),
        )),
    }
}

/// The recipient's name, phone and address with blanks collapsed: certificates whose
/// recipients have the same key go to one address in one envelope (一个收件人一个邮件).
pub fn recipient_key(name: &str, phone: &str, address: &str) -> String {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}\u{1f}{}\u{1f}{}", norm(name), norm(phone), norm(address))
}

/// A case is mailed to the recipient of its filing: the name, phone and full postal address
/// must be there. `serial` names the case in the message.
pub fn check_recipient(serial: &str, name: &str, phone: &str, address: &str) -> Result<(), FieldError> {
    let missing: Vec<&str> = [("收件人", name), ("收件手机", phone), ("邮寄地址", address)]
        .into_iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(l, _)| l)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(FieldError::new(
        "case_ids",
        "recipient_missing",
        format!(
            "案件 {serial} 缺少{}，不能邮寄：请在受理台补全收件信息，或改为自领",
            missing.join("、")
        ),
    ))
}

/// Pickup (自领) only after the e-invoice was sent (docs/DOMAIN.md §4, §9).
pub fn check_pickup_ready(serial: &str, invoice_sent: bool) -> Result<(), FieldError> {
    if invoice_sent {
        return Ok(());
    }
    Err(FieldError::new(
        "case_ids",
        "invoice_not_sent",
        format!("案件 {serial} 的电子发票尚未发送，暂不能领取证书：请先由核款台开具并发送电子发票"),
    ))
}

/// A phone number as lists show it: the first three and last four digits (138****1234).
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    let n = chars.len();
    if n <= 7 {
        return "*".repeat(n);
    }
    let head: String = chars.iter().take(3).collect();
    let tail: String = chars.iter().skip(n - 4).collect();
    format!("{head}{}{tail}", "*".repeat(n - 7))
}

/// Who prints the acceptance notice (受理通知书): the counter and finance, where a case is
/// accepted, and the certificate desk, which takes it back at pickup.
pub fn may_print_acceptance_notice(roles: &[Role]) -> Result<(), PermissionDenied> {
    const ROLES: [Role; 3] = [Role::CounterClerk, Role::Finance, Role::CertificateDesk];
    if roles.iter().any(|r| ROLES.contains(r)) {
        return Ok(());
    }
    Err(PermissionDenied {
        action: "打印受理通知书".into(),
        needed: ROLES.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
    })
}

/// 领取人：本人或代理人。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CollectorKind {
    /// 本人（申请人或其经办人）
    Own,
    /// 代理人（凭授权委托书）
    Agent,
}

impl CollectorKind {
    pub fn label(self) -> &'static str {
        match self {
            CollectorKind::Own => "本人",
            CollectorKind::Agent => "代理人",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CollectorKind::Own => "own",
            CollectorKind::Agent => "agent",
        }
    }

    pub fn from_code(code: &str) -> Option<CollectorKind> {
        [CollectorKind::Own, CollectorKind::Agent]
            .into_iter()
            .find(|k| k.code() == code.trim())
    }
}

/// 领取登记：who collects, with which ID, and what they showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HandoverInput {
    pub collector: CollectorKind,
    /// 领取人姓名
    pub name: String,
    pub id_type: DocumentType,
    /// 领取人证件号码
    pub id_number: String,
    /// 已核对证件原件（证件核验面板）
    pub id_checked: bool,
    /// 已查验受理通知书
    pub notice_seen: bool,
    /// 遗失说明扫描件（附件库中的文件，用途 loss_statement）；未带受理通知书时必须有
    pub loss_statement_file: Option<String>,
    /// 授权委托书扫描件（用途 power_of_attorney）；代理人领取时必须有
    pub power_of_attorney_file: Option<String>,
}

impl HandoverInput {
    /// Every problem with the collector and the documents, each under its field. The ID
    /// number itself is checked by [`crate::identity::check`] (the store passes today).
    pub fn check(&self, today: chrono::NaiveDate) -> Result<HandoverInput, Vec<FieldError>> {
        let mut errs = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errs.push(FieldError::new("name", "required", "请填写领取人姓名"));
        } else if name.chars().count() > 60 {
            errs.push(FieldError::new("name", "too_long", "领取人姓名最多 60 个字，请核对"));
        }
        let id_number = match crate::identity::check(self.id_type, &self.id_number, today) {
            Ok(doc) => doc.number,
            Err(e) => {
                errs.push(e.to_field_error("id_number"));
                self.id_number.trim().to_string()
            }
        };
        if !self.id_checked {
            errs.push(FieldError::new(
                "id_checked",
                "required",
                "请先核对领取人的证件原件，并勾选“已核对证件”",
            ));
        }
        let file = |f: &Option<String>| f.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let loss = file(&self.loss_statement_file);
        if !self.notice_seen && loss.is_none() {
            errs.push(FieldError::new(
                "notice_seen",
                "required",
                "请查验受理通知书；通知书遗失的，请扫描领取人写明作品名称和流水号的遗失说明",
            ));
        }
        let poa = file(&self.power_of_attorney_file);
        if self.collector == CollectorKind::Agent && poa.is_none() {
            errs.push(FieldError::new(
                "power_of_attorney_file",
                "required",
                "代理人领取须扫描申请人签署的授权委托书",
            ));
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(HandoverInput {
            collector: self.collector,
            name,
            id_type: self.id_type,
            id_number,
            id_checked: true,
            notice_seen: self.notice_seen,
            loss_statement_file: loss,
            power_of_attorney_file: if self.collector == CollectorKind::Agent {
                poa
            } else {
                None
            },
        })
    }

    /// The documents seen, as printed on the receipt: "身份证件、受理通知书、授权委托书".
    pub fn documents_seen(&self) -> Vec<&'static str> {
        let mut out = vec!["身份证件"];
        if self.notice_seen {
            out.push("受理通知书");
        }
        if self.loss_statement_file.is_some() {
            out.push("遗失说明");
        }
        if self.power_of_attorney_file.is_some() {
            out.push("授权委托书");
        }
        out
    }
}

/// A field of a shipment that goes into a column of SF's bulk-order sheet (批量下单).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SfField {
    /// 我方邮件编号（客户订单号）
    OrderRef,
    RecipientName,
    RecipientPhone,
    RecipientAddress,
    SenderName,
    SenderPhone,
    SenderAddress,
    /// 托寄物内容：作品登记证书
    Contents,
    /// 件数（证书本数）
    Quantity,
    /// 付款方式：到付
    Payment,
    /// 备注：登记号
    Remark,
}

impl SfField {
    pub const ALL: [SfField; 11] = [
        SfField::OrderRef,
        SfField::RecipientName,
        SfField::RecipientPhone,
        SfField::RecipientAddress,
        SfField::SenderName,
        SfField::SenderPhone,
        SfField::SenderAddress,
        SfField::Contents,
        SfField::Quantity,
        SfField::Payment,
        SfField::Remark,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SfField::OrderRef => "邮件编号",
            SfField::RecipientName => "收件人",
            SfField::RecipientPhone => "收件电话",
            SfField::RecipientAddress => "收件地址",
            SfField::SenderName => "寄件单位",
            SfField::SenderPhone => "寄件电话",
            SfField::SenderAddress => "寄件地址",
            SfField::Contents => "托寄物",
            SfField::Quantity => "件数",
            SfField::Payment => "付款方式（到付）",
            SfField::Remark => "备注（登记号）",
        }
    }
}

/// One column of SF's bulk-order sheet: the header SF's template expects and what goes in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SfColumn {
    pub header: String,
    pub field: SfField,
}

/// The columns of SF's merchant bulk-order template as shipped; the admin edits them when
/// SF's template changes.
pub fn default_sf_columns() -> Vec<SfColumn> {
    [
        ("用户订单号", SfField::OrderRef),
        ("寄件公司", SfField::SenderName),
        ("寄件人电话", SfField::SenderPhone),
        ("寄件详细地址", SfField::SenderAddress),
        ("收件人", SfField::RecipientName),
        ("收件人电话", SfField::RecipientPhone),
        ("收件详细地址", SfField::RecipientAddress),
        ("托寄物内容", SfField::Contents),
        ("件数", SfField::Quantity),
        ("付款方式", SfField::Payment),
        ("备注", SfField::Remark),
    ]
    .into_iter()
    .map(|(h, f)| SfColumn {
        header: h.to_string(),
        field: f,
    })
    .collect()
}

/// Checks the admin's column mapping: at least the recipient's name, phone and address, every
/// header filled in and different.
pub fn check_sf_columns(cols: &[SfColumn]) -> Result<Vec<SfColumn>, Vec<FieldError>> {
    let mut errs = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        let h = c.header.trim().to_string();
        if h.is_empty() {
            errs.push(FieldError::new(
                format!("sf_columns[{i}].header"),
                "required",
                format!("第 {} 列的表头为空：请填写顺丰批量下单模板中的列名", i + 1),
            ));
        } else if seen.contains(&h) {
            errs.push(FieldError::new(
                format!("sf_columns[{i}].header"),
                "duplicate",
                format!("表头「{h}」重复：每列的表头须不同"),
            ));
        }
        seen.push(h.clone());
        out.push(SfColumn {
            header: h,
            field: c.field,
        });
    }
    for need in [
        SfField::RecipientName,
        SfField::RecipientPhone,
        SfField::RecipientAddress,
    ] {
        if !cols.iter().any(|c| c.field == need) {
            errs.push(FieldError::new(
                "sf_columns",
                "missing_field",
                format!("顺丰下单表缺少「{}」列：请添加一列并选择该内容", need.label()),
            ));
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    #[test]
    fn waybills_are_read_or_named_with_the_fix() {
        let ok = [
            ("SF1234567890123", "SF1234567890123"),
            (" sf1234567890123\n", "SF1234567890123"),
            ("SF 1234 5678 90123", "SF1234567890123"),
            ("123456789012", "123456789012"),
            ("1234-5678-9012", "123456789012"),
        ];
        for (typed, want) in ok {
            assert_eq!(parse_waybill("waybill", typed).unwrap(), want, "{typed}");
        }
        let bad = [
            ("", "required", "请扫描或输入"),
            ("SF123456789012", "waybill_length", "SF 后应为 13 位数字，现为 12 位"),
            ("SF12345678901234", "waybill_length", "现为 14 位"),
            ("1234567890123", "waybill_prefix", "请输入 SF1234567890123"),
            ("12345678901", "waybill_length", "现为 11 位数字"),
            ("SF12345O7890123", "waybill_char", "第 8 个字符「O」不是数字"),
            ("JD0012345678", "waybill_char", "第 1 个字符「J」"),
        ];
        for (typed, code, text) in bad {
            let e = parse_waybill("waybill", typed).unwrap_err();
            assert_eq!(e.code, code, "{typed}");
            assert_eq!(e.field, "waybill");
            assert!(e.message.contains(text), "{typed}: {}", e.message);
        }
    }

    proptest! {
        #[test]
        fn any_sf_waybill_reads_back(d in "[0-9]{13}", old in "[0-9]{12}") {
            prop_assert_eq!(parse_waybill("w", &format!("SF{d}")).unwrap(), format!("SF{d}"));
            prop_assert_eq!(parse_waybill("w", &format!(" sf{d} ")).unwrap(), format!("SF{d}"));
            prop_assert_eq!(parse_waybill("w", &old).unwrap(), old);
        }

        #[test]
        fn other_lengths_are_refused(d in "[0-9]{0,20}") {
            let sf = parse_waybill("w", &format!("SF{d}"));
            prop_assert_eq!(sf.is_ok(), d.len() == 13);
            prop_assert_eq!(parse_waybill("w", &d).is_ok(), d.len() == 12);
        }

        #[test]
        fn arbitrary_input_never_panics_and_ok_is_canonical(s in "\\PC{0,30}") {
            if let Ok(w) = parse_waybill("w", &s) {
                prop_assert!(
                    (w.len() == 15 && w.starts_with("SF") && w[2..].bytes().all(|b| b.is_ascii_digit()))
                        || (w.len() == 12 && w.bytes().all(|b| b.is_ascii_digit()))
                );
                prop_assert_eq!(parse_waybill("w", &w).unwrap(), w);
            }
        }
    }

    #[test]
    fn label_sizes_round_trip() {
        for s in LabelSize::ALL {
            assert_eq!(LabelSize::from_code(s.code()), Some(s));
        }
        assert_eq!(LabelSize::from_code("100×150"), Some(LabelSize::Mm100x150));
        assert_eq!(LabelSize::default().mm(), (100.0, 150.0));
        assert_eq!(LabelSize::from_code("A4"), None);
    }

    #[test]
    fn same_recipient_same_envelope() {
        assert_eq!(
            recipient_key("周明", "13800000000", "浙江省杭州市 西湖区  文三路 1 号"),
            recipient_key(" 周明", "13800000000 ", "浙江省杭州市 西湖区 文三路 1 号")
        );
        assert_ne!(
            recipient_key("周明", "13800000000", "文三路 1 号"),
            recipient_key("周明", "13800000000", "文三路 2 号")
        );
        let e = check_recipient("ZJ-01", "周明", "", " ").unwrap_err();
        assert!(e.message.contains("缺少收件手机、邮寄地址"), "{}", e.message);
        assert!(check_recipient("ZJ-01", "周明", "138", "x").is_ok());
    }

    #[test]
    fn phones_are_masked_and_the_notice_is_for_three_desks() {
        assert_eq!(mask_phone(" 13805711234 "), "138****1234");
        assert_eq!(mask_phone("0571-85100000"), "057******0000");
        assert_eq!(mask_phone("12345"), "*****");
        assert!(may_print_acceptance_notice(&[Role::Finance]).is_ok());
        assert!(may_print_acceptance_notice(&[Role::CertificateDesk]).is_ok());
        let e = may_print_acceptance_notice(&[Role::FirstReviewer, Role::Admin]).unwrap_err();
        assert_eq!(e.needed, "窗口受理、缴费核对、制证发证");
    }

    #[test]
    fn pickup_waits_for_the_invoice() {
        let e = check_pickup_ready("ZJ-01", false).unwrap_err();
        assert_eq!(e.code, "invoice_not_sent");
        assert!(e.message.contains("电子发票尚未发送"));
        assert!(check_pickup_ready("ZJ-01", true).is_ok());
    }

    #[test]
    fn the_sf_mapping_needs_the_recipient_and_distinct_headers() {
        assert_eq!(check_sf_columns(&default_sf_columns()).unwrap(), default_sf_columns());
        let mut cols = default_sf_columns();
        cols.retain(|c| c.field != SfField::RecipientPhone);
        cols[0].header = " ".into();
        cols[2].header = cols[1].header.clone();
        let errs = check_sf_columns(&cols).unwrap_err();
        let codes: Vec<&str> = errs.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, vec!["required", "duplicate", "missing_field"]);
        assert!(errs[2].message.contains("收件电话"));
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn collector(kind: CollectorKind) -> HandoverInput {
        HandoverInput {
            collector: kind,
            name: " 王小明 ".into(),
            id_type: DocumentType::ResidentId,
            id_number: "11010519491231002X".into(),
            id_checked: true,
            notice_seen: true,
            loss_statement_file: None,
            power_of_attorney_file: Some("f1".into()),
        }
    }

    #[test]
    fn handover_needs_id_notice_or_loss_statement_and_an_agents_power_of_attorney() {
        let own = collector(CollectorKind::Own).check(today()).unwrap();
        assert_eq!(own.name, "王小明");
        assert_eq!(own.power_of_attorney_file, None, "only an agent's letter is kept");
        assert_eq!(own.documents_seen(), vec!["身份证件", "受理通知书"]);

        let agent = collector(CollectorKind::Agent).check(today()).unwrap();
        assert_eq!(agent.documents_seen(), vec!["身份证件", "受理通知书", "授权委托书"]);

        let mut h = collector(CollectorKind::Agent);
        h.power_of_attorney_file = Some("  ".into());
        h.notice_seen = false;
        h.id_checked = false;
        h.id_number = "110105194912310021".into();
        let fields: Vec<String> = h.check(today()).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec!["id_number", "id_checked", "notice_seen", "power_of_attorney_file"]
        );

        let mut lost = collector(CollectorKind::Own);
        lost.notice_seen = false;
        lost.loss_statement_file = Some("f2".into());
        let ok = lost.check(today()).unwrap();
        assert_eq!(ok.documents_seen(), vec!["身份证件", "遗失说明"]);
    }
}
