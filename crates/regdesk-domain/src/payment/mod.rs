//! 缴费与核款 (fee payment and its checking, docs/DOMAIN.md §6): payments recorded at the desk
//! (offline transfers and online payments from the platform's record) and their maker-checker, allocation of one transfer to several works, the applicant's balance,
//! bank-statement matching, refunds, the e-invoice rule and the finance day report.
//!
//! Pure: no I/O, no clock. "Today" is always an argument. Amounts are integer fen.
//!
//! Decisions taken here (each tested next to the code that makes it):
//! - **Maker-checker (四眼原则).** Only 缴费核对 (finance) may record a payment, online or
//!   offline, and only finance may confirm or reject a recorded one. Whoever recorded it may never confirm it, but may reject it: rejecting one's own
//!   record corrects a mistake and moves no money. Only a transfer waiting for checking (待核款)
//!   can change. Checks run in the order roles → state → four eyes → reason, as in
//!   [`crate::lifecycle::decide`].
//! - **Allocation.** A case never receives more than it still owes; whatever is left of the
//!   transfer is over payment (多付) and goes to the applicant's balance. A share may be smaller
//!   than what the case owes (the case stays short and is not checked until it is covered).
//! - **Balance.** Over payment counts only once its transfer is confirmed.
//! - **Refunds.** A refund equals the refund owed: the office does not make partial refunds.
//!   Only an online payment can be refunded along its original route.
//! - **Day report.** Money events carry the transfer id; a transfer received on a day is pending
//!   when no confirmation or rejection of it is among the events given.
//!
//! One file per subject; every item is re-exported here, so `payment::X` is the path to use:
//! - `transfer.rs` — transfer state, the finance commands and [`decide_transfer`] (maker-checker),
//!   and [`TransferInput`] with its validation ([`MAX_TRANSFER_FEN`], [`BANK_ACCOUNT_DIGITS`],
//!   the online payment's platform reference, [`normalize_platform_reference`]).
//! - `allocation.rs` — [`Due`], [`Share`], [`Allocation`] and [`allocate`].
//! - `balance.rs` — [`BalanceEntry`] and [`balance()`].
//! - `matching.rs` — bank-statement matching: [`CreditLine`], [`Candidate`], the weights and date
//!   windows, [`serials_in_text`], [`normalize_name`], [`score_candidate`] and [`match_line`].
//! - `refund.rs` — [`RefundMethod`] and [`RefundInput`].
//! - `invoice.rs` — [`invoice_due`].
//! - `day_report.rs` — [`MoneyEvent`], [`day_report()`] and [`day_report_totals`].
//! - `test_support.rs` — helpers shared by the tests (test builds only).

mod allocation;
mod balance;
mod day_report;
mod invoice;
mod matching;
mod refund;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod test_support;
mod transfer;

pub use allocation::{allocate, Allocation, Due, Share, ShareOutcome};
pub use balance::{balance, BalanceEntry};
pub use day_report::{day_report, day_report_totals, DayReportRow, DayReportTotals, MoneyEvent};
pub use invoice::invoice_due;
pub use matching::{
    match_line, normalize_name, score_candidate, serials_in_text, Candidate, CreditLine, MatchDecision, MatchReason,
    MatchResult, ScoredCandidate, CASE_WINDOW_DAYS_AFTER, CASE_WINDOW_DAYS_BEFORE, REVIEW_THRESHOLD,
    TRANSFER_WINDOW_DAYS, WEIGHT_AMOUNT, WEIGHT_DATE, WEIGHT_IDENTIFIER, WEIGHT_NAME_EQUAL, WEIGHT_NAME_SIMILAR,
};
pub use refund::{RefundInput, RefundMethod};
pub use transfer::{
    decide_transfer, normalize_platform_reference, TransferCommand, TransferInput, TransferRefusal, TransferState,
    BANK_ACCOUNT_DIGITS, MAX_TRANSFER_FEN,
};
