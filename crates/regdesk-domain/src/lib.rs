//! The office's rules (作品自愿登记的业务规则), in the words of `docs/DOMAIN.md`.
//!
//! Pure: no I/O, no clock, no SQL. Every function that depends on the time
//! takes it as an argument. Types are named after `docs/DOMAIN.md` (its
//! glossary is §13), with the Chinese term in their doc comment.

pub mod admission;
pub mod applicant;
pub mod calendar;
pub mod category;
pub mod certificate;
pub mod error;
pub mod fee;
pub mod filing;
pub mod historic;
pub mod identity;
pub mod intake;
pub mod lifecycle;
pub mod office;
pub mod party;
pub mod payment;
pub mod privacy;
pub mod queue;
pub mod regno;
pub mod shipping;
pub mod signature;
pub mod staff;
pub mod stored;
pub mod work;

pub use error::{DomainError, FieldError};
