//! Certificates (证书): the check code the electronic certificate's QR code
//! carries, which numbers may be printed (and reprinted), spoiled sheets,
//! the printers' offsets, and when the category-letter table may change.
//! docs/DOMAIN.md §8–9.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::FieldError;
use crate::staff::{require, Permission, PermissionDenied, Role};

/// Length of the check code (查验码).
pub const CHECK_CODE_LEN: usize = 10;
/// Letters of the check code: Crockford's base 32 (no I, L, O, U), easy to read aloud and type.
const CHECK_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 查验码：the check code kept with a registered case and carried by the
/// certificate's QR code, made from random bytes the caller supplies
/// (5 bits of each byte; 50 random bits in all).
pub fn check_code(random: &[u8; CHECK_CODE_LEN]) -> String {
    random
        .iter()
        .map(|b| char::from(CHECK_ALPHABET[usize::from(b & 0x1f)]))
        .collect()
}

/// The state of a registration number in the ledger, as far as printing cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberState {
    /// 已使用：registered, in force.
    Used,
    /// 已作废
    Voided,
    /// 已撤销：the registration was revoked, the certificate recalled.
    Revoked,
}

/// What a print of a certificate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PrintKind {
    /// 首次打印
    First,
    /// 重印（需原因）
    Reprint,
}

/// Why a certificate may not be printed (证书不能打印).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("登记号 {0} 已撤销，证书已收回，不能再打印")]
    Revoked(String),
    #[error("登记号 {0} 已作废，不能打印证书")]
    Voided(String),
    #[error("登记号 {0} 的证书已打印过：重印请填写重印原因")]
    ReprintReasonRequired(String),
}

impl CertificateError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Revoked(_) => "certificate_revoked",
            Self::Voided(_) => "number_voided",
            Self::ReprintReasonRequired(_) => "reprint_reason_required",
        }
    }
}

/// 可否打印证书：a revoked or voided number is never printed; a number whose
/// certificate was printed before (and not every sheet voided) is a reprint,
/// which needs a reason.
pub fn may_print(
    number: &str,
    state: NumberState,
    printed_before: bool,
    reprint_reason: &str,
) -> Result<PrintKind, CertificateError> {
    match state {
        NumberState::Revoked => Err(CertificateError::Revoked(number.to_string())),
        NumberState::Voided => Err(CertificateError::Voided(number.to_string())),
        NumberState::Used if !printed_before => Ok(PrintKind::First),
        NumberState::Used if reprint_reason.trim().is_empty() => {
            Err(CertificateError::ReprintReasonRequired(number.to_string()))
        }
        NumberState::Used => Ok(PrintKind::Reprint),
    }
}

/// 作废证书纸的原因：required, trimmed.
pub fn void_reason(reason: &str) -> Result<String, FieldError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(FieldError::new(
            "reason",
            "required",
            "请填写作废原因，如“卡纸”“套打错位”",
        ));
    }
    Ok(r.to_string())
}

/// 预印证书纸编号：optional; printable, at most 32 characters, no spaces.
pub fn sheet_number(value: &str) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > 32 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(
            "sheet_number",
            "bad_sheet_number",
            "预印证书纸编号最多 32 个字符，不能含空格，请照纸上印的编号填写",
        ));
    }
    Ok(Some(v.to_string()))
}

/// 连续的预印证书纸编号：`first` and the numbers after it, counting up in
/// its last run of digits with the width kept ("No.0099" → "No.0100").
/// Empty `first`: no numbers.
pub fn sheet_numbers(first: &str, count: usize) -> Result<Vec<Option<String>>, FieldError> {
    let Some(first) = sheet_number(first)? else {
        return Ok(vec![None; count]);
    };
    let end = first.rfind(|c: char| c.is_ascii_digit()).map(|i| i + 1);
    let Some(end) = end else {
        return Err(FieldError::new(
            "sheet_number",
            "sheet_number_not_counting",
            "预印证书纸起始编号中没有数字，无法为后续各张连续编号：请照纸上印的编号填写",
        ));
    };
    let start = first[..end].rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
    let digits = &first[start..end];
    let n: u64 = digits
        .parse()
        .map_err(|_| FieldError::new("sheet_number", "bad_sheet_number", "预印证书纸编号中的数字过长，请核对"))?;
    (0..count as u64)
        .map(|i| {
            let value = n.checked_add(i).ok_or_else(|| {
                FieldError::new("sheet_number", "bad_sheet_number", "预印证书纸编号中的数字过长，请核对")
            })?;
            Ok(Some(format!(
                "{}{:0width$}{}",
                &first[..start],
                value,
                &first[end..],
                width = digits.len()
            )))
        })
        .collect()
}

/// The largest printer offset, in mm: more means the wrong paper or tray.
pub const MAX_OFFSET_MM: f64 = 20.0;

/// 打印机偏移：a printer's offset in one direction, in mm, to 0.1 mm.
pub fn printer_offset(field: &str, mm: f64) -> Result<f64, FieldError> {
    if !mm.is_finite() || mm.abs() > MAX_OFFSET_MM {
        return Err(FieldError::new(
            field,
            "offset_range",
            format!("偏移应在 -{MAX_OFFSET_MM} 到 {MAX_OFFSET_MM} 毫米之间：请用校准页重新量取"),
        ));
    }
    Ok((mm * 10.0).round() / 10.0)
}

/// Who stores a printer's offsets (校准结果): the certificate desk, which prints
/// the calibration page and measures it on its own printer, and the admin.
pub fn may_calibrate_printer(roles: &[Role]) -> Result<(), PermissionDenied> {
    if require(roles, Permission::PrintCertificates).is_ok() || require(roles, Permission::ManageSettings).is_ok() {
        return Ok(());
    }
    Err(PermissionDenied {
        action: "保存打印机偏移".into(),
        needed: [Role::CertificateDesk, Role::Admin]
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("或"),
    })
}

/// 打印机名称：as the print service knows it, 1–64 characters.
pub fn printer_name(name: &str) -> Result<String, FieldError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 64 || n.chars().any(char::is_control) {
        return Err(FieldError::new(
            "printer",
            "bad_printer",
            "请填写打印机名称（1–64 个字符），与系统打印服务中的名称一致",
        ));
    }
    Ok(n.to_string())
}

/// 类别字母表的变更：from which day a new letter table applies.
///
/// - No number was issued under the table in force (`last_issued_on` is
///   `None`): the change applies from `start` if given, else from `today`.
/// - Numbers were issued under it: the admin must state the start date,
///   which must come after the day of the last number issued and not before
///   today, so no issued number ever changes its meaning.
pub fn letter_table_start(
    today: NaiveDate,
    last_issued_on: Option<NaiveDate>,
    start: Option<NaiveDate>,
) -> Result<NaiveDate, FieldError> {
    match (last_issued_on, start) {
        (None, None) => Ok(today),
        (_, Some(s)) if s < today => Err(FieldError::new(
            "start",
            "start_in_past",
            format!("启用日期 {s} 早于今天（{today}），请填写今天或以后的日期"),
        )),
        (None, Some(s)) => Ok(s),
        (Some(last), None) => Err(FieldError::new(
            "start",
            "start_required",
            format!(
                "现行字母表已用于分配登记号（最近一次在 {last}）：请填写新字母表的启用日期（{last} 之后），已分配的登记号不受影响"
            ),
        )),
        (Some(last), Some(s)) if s <= last => Err(FieldError::new(
            "start",
            "start_before_issued",
            format!("启用日期 {s} 不晚于最近一次按现行字母表分配登记号的日期 {last}，请填写 {last} 之后的日期"),
        )),
        (Some(_), Some(s)) => Ok(s),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn check_codes_use_the_readable_alphabet() {
        let code = check_code(&[0, 1, 31, 32, 255, 18, 21, 24, 27, 30]);
        assert_eq!(code, "01Z0ZJNRVY");
        assert_eq!(code.len(), CHECK_CODE_LEN);
        for b in 0..=255u8 {
            let c = check_code(&[b; CHECK_CODE_LEN]);
            assert!(!c.contains(['I', 'L', 'O', 'U']), "{c}");
        }
    }

    #[test]
    fn printing_follows_the_numbers_state() {
        let n = "浙作登字-2026-F-00000001";
        let table: [(NumberState, bool, &str, Result<PrintKind, &str>); 7] = [
            (NumberState::Used, false, "", Ok(PrintKind::First)),
            (NumberState::Used, false, "卡纸", Ok(PrintKind::First)),
            (NumberState::Used, true, "", Err("reprint_reason_required")),
            (NumberState::Used, true, "  ", Err("reprint_reason_required")),
            (NumberState::Used, true, "卡纸重印", Ok(PrintKind::Reprint)),
            (NumberState::Revoked, false, "", Err("certificate_revoked")),
            (NumberState::Revoked, true, "申请人要求", Err("certificate_revoked")),
        ];
        for (state, before, reason, expected) in table {
            let got = may_print(n, state, before, reason).map_err(|e| e.code());
            assert_eq!(got, expected, "{state:?} {before} {reason:?}");
        }
        assert_eq!(
            may_print(n, NumberState::Voided, false, "").map_err(|e| e.code()),
            Err("number_voided")
        );
        assert!(may_print(n, NumberState::Revoked, false, "")
            .unwrap_err()
            .to_string()
            .contains("已撤销"));
    }

    #[test]
    fn reasons_sheet_numbers_offsets_and_printers_are_checked() {
        assert_eq!(void_reason("  卡纸 ").unwrap(), "卡纸");
        assert_eq!(void_reason(" ").unwrap_err().field, "reason");
        assert_eq!(sheet_number(" ").unwrap(), None);
        assert_eq!(sheet_number("No.0012345").unwrap().as_deref(), Some("No.0012345"));
        assert_eq!(sheet_number("A 1").unwrap_err().code, "bad_sheet_number");
        assert_eq!(printer_offset("offset_x_mm", 1.26).unwrap(), 1.3);
        assert_eq!(printer_offset("offset_y_mm", -20.0).unwrap(), -20.0);
        assert_eq!(printer_offset("offset_y_mm", 20.5).unwrap_err().field, "offset_y_mm");
        assert!(printer_offset("offset_x_mm", f64::NAN).is_err());
        assert_eq!(printer_name(" HP-M404 ").unwrap(), "HP-M404");
        assert!(printer_name("").is_err());
    }

    #[test]
    fn the_certificate_desk_and_the_admin_store_a_printers_offsets() {
        assert!(may_calibrate_printer(&[Role::CertificateDesk]).is_ok());
        assert!(may_calibrate_printer(&[Role::Admin]).is_ok());
        let e = may_calibrate_printer(&[Role::CounterClerk, Role::FinalReviewer]).unwrap_err();
        assert!(e.to_string().contains("保存打印机偏移"), "{e}");
        assert!(e.to_string().contains(Role::CertificateDesk.label()), "{e}");
    }

    #[test]
    fn pre_printed_sheet_numbers_count_up_in_their_last_digits() {
        let got = sheet_numbers("No.0099", 3).unwrap();
        assert_eq!(
            got,
            vec![Some("No.0099".into()), Some("No.0100".into()), Some("No.0101".into())]
        );
        assert_eq!(
            sheet_numbers("ZJ2026-0998A", 2).unwrap()[1].as_deref(),
            Some("ZJ2026-0999A")
        );
        assert_eq!(sheet_numbers("", 2).unwrap(), vec![None, None]);
        assert_eq!(sheet_numbers("ABC", 1).unwrap_err().code, "sheet_number_not_counting");
    }

    #[test]
    fn a_letter_table_used_for_numbers_changes_only_from_a_stated_later_day() {
        let today = d("2026-11-25");
        /// (last issued on, stated start, the start or the error's code)
        type Case<'a> = (Option<&'a str>, Option<&'a str>, Result<&'a str, &'a str>);
        let cases: [Case<'_>; 7] = [
            (None, None, Ok("2026-11-25")),
            (None, Some("2026-12-01"), Ok("2026-12-01")),
            (None, Some("2026-11-24"), Err("start_in_past")),
            (Some("2026-11-20"), None, Err("start_required")),
            (Some("2026-11-25"), Some("2026-11-25"), Err("start_before_issued")),
            (Some("2026-11-25"), Some("2026-11-26"), Ok("2026-11-26")),
            (Some("2026-11-20"), Some("2026-11-25"), Ok("2026-11-25")),
        ];
        for (last, start, expected) in cases {
            let got = letter_table_start(today, last.map(d), start.map(d));
            let got = got.map(|s| s.to_string()).map_err(|e| e.code);
            assert_eq!(
                got,
                expected.map(str::to_string).map_err(str::to_string),
                "{last:?} {start:?}"
            );
        }
    }
}
