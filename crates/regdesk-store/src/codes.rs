//! Stored codes (代码) of enums: an enum value is stored as its serde name
//! (`awaiting_payment`, `bank_transfer`), the same word the UI and the journal
//! see, and read back through serde. One pair for the whole store.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Result, StoreError};

/// The stored code of an enum value: its serde name. Empty for a value that
/// does not serialize to a string (no enum the store keeps does that).
pub(crate) fn code<T: Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The enum value stored as `c`. `what` names the kind of value in the
/// message when the code is not one of its values (a database written by a
/// newer version, or damaged): e.g. "案件状态".
pub(crate) fn from_code<T: DeserializeOwned>(what: &str, c: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(c.to_string())).map_err(|_| {
        StoreError::Corrupt(format!(
            "{what}代码“{c}”无法识别（不是本版本的取值；数据库可能来自更新的版本或已损坏）"
        ))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use regdesk_domain::lifecycle::{CaseState, PaymentMethod};

    use super::*;

    #[test]
    fn codes_are_serde_names_and_read_back() {
        assert_eq!(code(CaseState::AwaitingPayment), "awaiting_payment");
        assert_eq!(code(PaymentMethod::BankTransfer), "bank_transfer");
        assert_eq!(
            from_code::<PaymentMethod>("缴费方式", "alipay_transfer").unwrap(),
            PaymentMethod::AlipayTransfer
        );
        let e = from_code::<CaseState>("案件状态", "lost").unwrap_err();
        assert!(matches!(e, StoreError::Corrupt(_)), "{e:?}");
        assert!(e.to_string().contains("案件状态代码“lost”无法识别"), "{e}");
        assert_eq!(code(42), "");
    }
}
