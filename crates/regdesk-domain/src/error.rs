//! Errors of the rules. Every variant carries a stable machine code and a
//! Chinese message that names the field and the fix.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// 字段校验错误：哪个字段、稳定的机器代码、给窗口人员看的中文提示。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldError {
    /// The form field, in the transport's camel-less snake_case (`office_code`).
    pub field: String,
    /// Stable machine code (`too_short`, `checksum`, ...).
    pub code: String,
    /// Plain Chinese naming the field and the fix.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// 业务规则拒绝。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// 输入不合规：指明字段与改法。
    #[error("{0}")]
    Invalid(FieldError),
    /// 无权操作：缺少所需岗位。
    #[error("{0}")]
    Forbidden(crate::staff::PermissionDenied),
    /// 登录被拒（密码错误、账号停用、锁定中）。
    #[error("{0}")]
    Login(crate::staff::LoginRefusal),
}

impl From<FieldError> for DomainError {
    fn from(e: FieldError) -> Self {
        DomainError::Invalid(e)
    }
}
impl From<crate::staff::PermissionDenied> for DomainError {
    fn from(e: crate::staff::PermissionDenied) -> Self {
        DomainError::Forbidden(e)
    }
}
impl From<crate::staff::LoginRefusal> for DomainError {
    fn from(e: crate::staff::LoginRefusal) -> Self {
        DomainError::Login(e)
    }
}

/// Trims a text field and bounds its length (in characters).
pub fn required_text(field: &str, label: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, "required", format!("请填写{label}")));
    }
    let n = v.chars().count();
    if n > max_chars {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("{label}最多 {max_chars} 个字，现在是 {n} 个"),
        ));
    }
    Ok(v.to_string())
}
