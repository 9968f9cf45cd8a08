//! E-invoice (电子发票): whether one is due and to which address.

use crate::applicant::parse_email;
use crate::error::FieldError;
use crate::fee::format_yuan;

/// Is an e-invoice (电子发票) due, and to which address? `paid_fen` is what the case has paid net
/// of refunds. Nothing paid → `Ok(None)`; paid → `Ok(Some(email))` (trimmed); paid but the
/// applicant has no valid invoice e-mail → an error under `invoice_email`.
pub fn invoice_due(paid_fen: i64, invoice_email: Option<&str>) -> Result<Option<String>, FieldError> {
    if paid_fen <= 0 {
        return Ok(None);
    }
    match invoice_email.map(str::trim).filter(|e| !e.is_empty()) {
        None => Err(FieldError::new(
            "invoice_email",
            "required",
            format!(
                "已缴费 {}，需开具电子发票：请在用户信息中填写电子发票接收邮箱",
                format_yuan(paid_fen)
            ),
        )),
        Some(e) => parse_email("invoice_email", "电子发票接收邮箱", e).map(Some),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn invoice_rule() {
        type Row<'a> = (i64, Option<&'a str>, Result<Option<&'a str>, &'a str>);
        let table: Vec<Row> = vec![
            (0, None, Ok(None)),
            (0, Some("bad"), Ok(None)),
            (-100, Some("a@b.cn"), Ok(None)),
            (15_000, Some(" fapiao@example.cn "), Ok(Some("fapiao@example.cn"))),
            (15_000, None, Err("required")),
            (15_000, Some("  "), Err("required")),
            (15_000, Some("not-an-email"), Err("format")),
        ];
        for (paid, email, want) in table {
            let got = invoice_due(paid, email);
            assert_eq!(
                got.as_ref().map(|o| o.as_deref()).map_err(|e| e.code.as_str()),
                want,
                "{paid} {email:?}"
            );
            if let Err(e) = got {
                assert_eq!(e.field, "invoice_email");
            }
        }
        assert_eq!(
            invoice_due(15_000, None).unwrap_err().message,
            "已缴费 ¥150.00，需开具电子发票：请在用户信息中填写电子发票接收邮箱"
        );
    }
}
