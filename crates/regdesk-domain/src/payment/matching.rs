//! Statement matching (银行流水匹配): case serials in bank memos, names compared, each candidate
//! scored and a credit line matched only when exactly one candidate is exact.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A case awaiting payment matches lines dated from this many days before it started waiting…
pub const CASE_WINDOW_DAYS_BEFORE: i64 = 1;
/// …to this many days after.
pub const CASE_WINDOW_DAYS_AFTER: i64 = 60;
/// A recorded transfer matches lines dated within this many days of its receipt, either way.
pub const TRANSFER_WINDOW_DAYS: i64 = 3;

/// Weight of an identifier found ([`MatchReason::ReferenceEqual`], [`MatchReason::SerialInMemo`]):
/// the strongest single evidence, alone enough to list a candidate for a person.
pub const WEIGHT_IDENTIFIER: u32 = 50;
/// Weight of [`MatchReason::AmountEqual`]: strong with an identifier, weak alone (most cases owe
/// the same 150 yuan).
pub const WEIGHT_AMOUNT: u32 = 25;
/// Weight of [`MatchReason::PayerNameEqual`].
pub const WEIGHT_NAME_EQUAL: u32 = 15;
/// Weight of [`MatchReason::PayerNameSimilar`] (never together with an equal name).
pub const WEIGHT_NAME_SIMILAR: u32 = 8;
/// Weight of [`MatchReason::DateInWindow`].
pub const WEIGHT_DATE: u32 = 10;
/// A candidate that is not an exact match but scores at least this much is listed for a person
/// ([`MatchDecision::Ambiguous`]). Identifier alone (50) or amount + equal name (40) or amount +
/// similar name + date (43) reach it; amount + date (35), the everyday 150-yuan coincidence, does not.
pub const REVIEW_THRESHOLD: u32 = 40;

/// 银行流水中的一笔入账。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CreditLine {
    /// 入账日期
    pub date: NaiveDate,
    /// 付款人户名
    pub payer: String,
    /// 入账金额（分）
    #[ts(type = "number")]
    pub amount_fen: i64,
    /// 附言/摘要
    pub memo: String,
    /// 银行流水号
    pub reference: String,
}

/// 匹配候选：待缴费案件或已登记待核的转账。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Candidate {
    /// 待缴费的案件
    OpenCase {
        /// 案件流水号，如 ZJ-7F3A-20261120-0001
        serial: String,
        /// 尚欠金额（分）
        #[ts(type = "number")]
        owed_fen: i64,
        /// 申请人与著作权人的名称
        names: Vec<String>,
        /// 开始等待缴费的日期
        awaiting_since: NaiveDate,
    },
    /// 已登记、待核款的线下转账
    RecordedTransfer {
        id: String,
        /// 登记的转账流水号或凭证号
        reference: String,
        #[ts(type = "number")]
        amount_fen: i64,
        payer: String,
        received_on: NaiveDate,
    },
}

/// 匹配依据。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchReason {
    /// 流水号一致（已登记的转账）
    ReferenceEqual,
    /// 附言中有案件流水号
    SerialInMemo,
    /// 金额一致（案件：等于尚欠金额）
    AmountEqual,
    /// 付款人与申请人/著作权人名称一致
    PayerNameEqual,
    /// 付款人名称相近（截断、打码或简称）
    PayerNameSimilar,
    /// 日期在匹配期内
    DateInWindow,
}

impl MatchReason {
    pub fn label(self) -> &'static str {
        match self {
            MatchReason::ReferenceEqual => "流水号一致",
            MatchReason::SerialInMemo => "附言含案件流水号",
            MatchReason::AmountEqual => "金额一致",
            MatchReason::PayerNameEqual => "付款人一致",
            MatchReason::PayerNameSimilar => "付款人相近",
            MatchReason::DateInWindow => "日期相符",
        }
    }

    /// The points this reason adds to a score (see the `WEIGHT_*` constants; they sum to 100).
    pub fn weight(self) -> u32 {
        match self {
            MatchReason::ReferenceEqual | MatchReason::SerialInMemo => WEIGHT_IDENTIFIER,
            MatchReason::AmountEqual => WEIGHT_AMOUNT,
            MatchReason::PayerNameEqual => WEIGHT_NAME_EQUAL,
            MatchReason::PayerNameSimilar => WEIGHT_NAME_SIMILAR,
            MatchReason::DateInWindow => WEIGHT_DATE,
        }
    }
}

/// 一个候选的得分。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScoredCandidate {
    /// 候选在输入列表中的位置
    pub index: usize,
    /// 0..=100：各依据权重之和
    pub score: u32,
    pub reasons: Vec<MatchReason>,
    /// 是否精确匹配：转账 = 流水号一致且金额一致；案件 = 附言含流水号、金额一致且日期相符
    pub exact: bool,
}

/// 匹配结论。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchDecision {
    /// 唯一精确匹配
    Matched(usize),
    /// 需人工确认：多个精确匹配，或没有精确匹配但有得分达到阈值的候选（按得分排序）
    Ambiguous(Vec<usize>),
    /// 未匹配
    Unmatched,
}

/// 一笔入账的匹配结果。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatchResult {
    pub decision: MatchDecision,
    /// 得分大于 0 的候选，得分从高到低（同分按输入顺序）
    pub scored: Vec<ScoredCandidate>,
}

/// Full-width ASCII (U+FF01–U+FF5E, including （）－) to half-width, ideographic space to space.
fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Hyphens and dashes people type between the parts of a serial.
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}')
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || is_hyphen(c)
}

/// Crockford base-32, the alphabet of station codes (hex digits are a subset).
fn is_station_char(c: char) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, 'I' | 'L' | 'O' | 'U'))
}

/// A character of a memo after folding, and whether a separator stood before it.
#[derive(Debug, Clone, Copy)]
struct Unit {
    c: char,
    gap_before: bool,
}

/// Splits folded text into runs of ASCII letters and digits, separators allowed inside a run;
/// any other character (Chinese, punctuation) ends a run.
fn runs(text: &str) -> Vec<Vec<Unit>> {
    let mut out = Vec::new();
    let mut cur: Vec<Unit> = Vec::new();
    let mut gap = false;
    for c in text.chars().map(|c| half_width(c).to_ascii_uppercase()) {
        if c.is_ascii_alphanumeric() {
            cur.push(Unit { c, gap_before: gap });
            gap = false;
        } else if is_separator(c) {
            gap = true;
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            gap = false;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn digits_value(units: &[Unit]) -> Option<u32> {
    units.iter().try_fold(0u32, |acc, u| Some(acc * 10 + u.c.to_digit(10)?))
}

/// A serial starting at `units[s]`: office (2–8 letters/digits, at least one letter), station
/// (4 Crockford base-32), date (YYYYMMDD, 2000–2099, a real day), sequence (4 digits, not followed
/// by a fifth digit). Separators may stand between the parts, never inside one.
fn serial_at(units: &[Unit], s: usize) -> Option<(String, usize)> {
    for office_len in 2..=8 {
        let end = s + office_len + 16;
        let Some(span) = units.get(s..end) else {
            break;
        };
        let (office, rest) = span.split_at(office_len);
        let (station, rest) = rest.split_at(4);
        let (date, seq) = rest.split_at(8);
        if [office, station, date, seq]
            .iter()
            .any(|part| part.iter().skip(1).any(|u| u.gap_before))
        {
            continue;
        }
        if !office.iter().any(|u| u.c.is_ascii_alphabetic())
            || !station.iter().all(|u| is_station_char(u.c))
            || !date.iter().chain(seq).all(|u| u.c.is_ascii_digit())
        {
            continue;
        }
        let (Some(y), Some(m), Some(d)) = (
            digits_value(&date[..4]),
            digits_value(&date[4..6]),
            digits_value(&date[6..]),
        ) else {
            continue;
        };
        if !(2000..=2099).contains(&y)
            || i32::try_from(y)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
                .is_none()
        {
            continue;
        }
        if units.get(end).is_some_and(|u| !u.gap_before && u.c.is_ascii_digit()) {
            continue;
        }
        let text = |part: &[Unit]| part.iter().map(|u| u.c).collect::<String>();
        let serial = format!("{}-{}-{}-{}", text(office), text(station), text(date), text(seq));
        return Some((serial, end));
    }
    None
}

/// The case serials (`OFFICE-STAT-YYYYMMDD-NNNN`, e.g. `ZJ-7F3A-20261120-0001`) found in free
/// text such as a bank memo, normalized to upper case with hyphens, each once, in order.
///
/// Tolerates lower case, full-width characters (ＺＪ－７Ｆ３Ａ…), and spaces, hyphens or dashes
/// (or nothing) between the parts. A serial must start a word: at the start of the text, after a
/// separator, or after any other non-letter non-digit character (Chinese, punctuation); letters
/// glued before it would be read as part of the office code. The office code must contain a
/// letter, so ID-card and account numbers (all digits) are never taken for serials.
pub fn serials_in_text(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for run in runs(text) {
        let mut i = 0;
        let mut after_serial = false;
        while i < run.len() {
            let starts_word = i == 0 || after_serial || run.get(i).is_some_and(|u| u.gap_before);
            after_serial = false;
            if starts_word {
                if let Some((serial, end)) = serial_at(&run, i) {
                    if !found.contains(&serial) {
                        found.push(serial);
                    }
                    i = end;
                    after_serial = true;
                    continue;
                }
            }
            i += 1;
        }
    }
    found
}

/// Letters and digits only, half-width, upper case: `zj－7f3a 2026` → `ZJ7F3A2026`.
fn compact(text: &str) -> String {
    text.chars()
        .map(|c| half_width(c).to_ascii_uppercase())
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A transfer reference as compared: half-width, upper case, without spaces and hyphens.
fn reference_key(text: &str) -> String {
    text.chars()
        .map(|c| half_width(c).to_ascii_uppercase())
        .filter(|c| !is_separator(*c))
        .collect()
}

/// Does `memo` name the case `serial`? Either [`serials_in_text`] finds it, or its letters and
/// digits appear in the memo's letters and digits, not followed by another digit (this also
/// catches a serial glued to the word before it).
fn serial_in_memo(serial: &str, memo: &LineKeys) -> bool {
    let canonical = serials_in_text(serial).into_iter().next();
    if let Some(c) = &canonical {
        if memo.memo_serials.contains(c) {
            return true;
        }
    }
    let needle = compact(serial);
    if needle.len() < 18 {
        return false;
    }
    let hay = &memo.memo_compact;
    hay.match_indices(&needle).any(|(at, _)| {
        !hay.get(at + needle.len()..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// A name as compared: half-width (（）→()), without white space, ASCII upper case, and
/// 有限责任公司 written 有限公司.
pub fn normalize_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    s.replace("有限责任公司", "有限公司")
}

/// Similar names (both normalized, not equal): one contains the other and the shorter has at least
/// two characters and half the longer's length (a truncated 户名 or a short form); or they have the
/// same length and agree wherever neither has `*` (Alipay masks names: `*小明`, `张*明`).
fn names_similar(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la == 0 || lb == 0 {
        return false;
    }
    let masked = la == lb
        && (a.contains('*') || b.contains('*'))
        && a.chars().zip(b.chars()).any(|(x, y)| x != '*' && y != '*')
        && a.chars().zip(b.chars()).all(|(x, y)| x == '*' || y == '*' || x == y);
    let (short, long, ls, ll) = if la <= lb { (a, b, la, lb) } else { (b, a, lb, la) };
    let contained = ls >= 2 && ls * 2 >= ll && long.contains(short);
    masked || contained
}

fn name_reason(p: &str, names: &[&str]) -> Option<MatchReason> {
    if p.is_empty() {
        return None;
    }
    let normalized: Vec<String> = names
        .iter()
        .map(|n| normalize_name(n))
        .filter(|n| !n.is_empty())
        .collect();
    if normalized.iter().any(|n| n == p) {
        Some(MatchReason::PayerNameEqual)
    } else if normalized.iter().any(|n| names_similar(p, n)) {
        Some(MatchReason::PayerNameSimilar)
    } else {
        None
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

/// What a line is compared by, worked out once for all the candidates.
struct LineKeys {
    reference: String,
    memo_serials: Vec<String>,
    memo_compact: String,
    payer: String,
}

impl LineKeys {
    fn of(line: &CreditLine) -> LineKeys {
        LineKeys {
            reference: reference_key(&line.reference),
            memo_serials: serials_in_text(&line.memo),
            memo_compact: compact(&line.memo),
            payer: normalize_name(&line.payer),
        }
    }
}

/// Scores one candidate against a line: the reasons found, their weights summed, and whether it is
/// an exact match.
pub fn score_candidate(line: &CreditLine, index: usize, candidate: &Candidate) -> ScoredCandidate {
    score_with(line, &LineKeys::of(line), index, candidate)
}

fn score_with(line: &CreditLine, keys: &LineKeys, index: usize, candidate: &Candidate) -> ScoredCandidate {
    let mut reasons = Vec::new();
    let exact = match candidate {
        Candidate::RecordedTransfer {
            reference,
            amount_fen,
            payer,
            received_on,
            ..
        } => {
            let key = reference_key(reference);
            let reference_equal = !key.is_empty() && key == keys.reference;
            let amount_equal = *amount_fen > 0 && *amount_fen == line.amount_fen;
            if reference_equal {
                reasons.push(MatchReason::ReferenceEqual);
            }
            if amount_equal {
                reasons.push(MatchReason::AmountEqual);
            }
            reasons.extend(name_reason(&keys.payer, &[payer.as_str()]));
            if days_between(*received_on, line.date).abs() <= TRANSFER_WINDOW_DAYS {
                reasons.push(MatchReason::DateInWindow);
            }
            reference_equal && amount_equal
        }
        Candidate::OpenCase {
            serial,
            owed_fen,
            names,
            awaiting_since,
        } => {
            let in_memo = serial_in_memo(serial, keys);
            let amount_equal = *owed_fen > 0 && *owed_fen == line.amount_fen;
            let offset = days_between(*awaiting_since, line.date);
            let in_window = (-CASE_WINDOW_DAYS_BEFORE..=CASE_WINDOW_DAYS_AFTER).contains(&offset);
            if in_memo {
                reasons.push(MatchReason::SerialInMemo);
            }
            if amount_equal {
                reasons.push(MatchReason::AmountEqual);
            }
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            reasons.extend(name_reason(&keys.payer, &names));
            if in_window {
                reasons.push(MatchReason::DateInWindow);
            }
            in_memo && amount_equal && in_window
        }
    };
    let score = reasons.iter().map(|r| r.weight()).sum::<u32>().min(100);
    ScoredCandidate {
        index,
        score,
        reasons,
        exact,
    }
}

/// Matches one credit line of a bank statement against the candidates.
///
/// [`MatchDecision::Matched`] only when exactly one candidate is exact (see
/// [`ScoredCandidate::exact`]); two or more exact → [`MatchDecision::Ambiguous`] with those;
/// none exact but some scoring at least [`REVIEW_THRESHOLD`] → `Ambiguous` with those, for a
/// person to choose; otherwise [`MatchDecision::Unmatched`]. `scored` lists every candidate with a
/// score above 0, best first.
pub fn match_line(line: &CreditLine, candidates: &[Candidate]) -> MatchResult {
    let keys = LineKeys::of(line);
    let mut scored: Vec<ScoredCandidate> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| score_with(line, &keys, i, c))
        .filter(|s| s.score > 0)
        .collect();
    scored.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
    let exact: Vec<usize> = scored.iter().filter(|s| s.exact).map(|s| s.index).collect();
    let decision = match exact.as_slice() {
        [one] => MatchDecision::Matched(*one),
        [] => {
            let strong: Vec<usize> = scored
                .iter()
                .filter(|s| s.score >= REVIEW_THRESHOLD)
                .map(|s| s.index)
                .collect();
            if strong.is_empty() {
                MatchDecision::Unmatched
            } else {
                MatchDecision::Ambiguous(strong)
            }
        }
        _ => MatchDecision::Ambiguous(exact),
    };
    MatchResult { decision, scored }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use chrono::Days;
    use proptest::prelude::*;

    use crate::payment::test_support::day;

    #[test]
    fn serials_in_text_table() {
        let s = "ZJ-7F3A-20261120-0001";
        let table: Vec<(&str, Vec<&str>)> = vec![
            ("ZJ-7F3A-20261120-0001", vec![s]),
            ("登记费zj-7f3a-20261120-0001号", vec![s]),
            ("ＺＪ－７Ｆ３Ａ－２０２６１１２０－０００１", vec![s]),
            ("ｚｊ－７ｆ３ａ－２０２６１１２０－０００１", vec![s]),
            ("付款 ZJ 7F3A 20261120 0001 谢谢", vec![s]),
            ("ZJ7F3A202611200001", vec![s]),
            ("ZJ—7F3A—20261120—0001", vec![s]),
            ("ZJ - 7F3A - 20261120 - 0001", vec![s]),
            ("ZJ\u{3000}7F3A\u{3000}20261120\u{3000}0001", vec![s]),
            ("（ZJ-7F3A-20261120-0001）", vec![s]),
            ("作品ZJ-7F3A-20261120-0001 150元", vec![s]),
            ("ZJ-7F3A-20261120-0001 23", vec![s]),
            (
                "ZJ-7F3A-20261120-0001，zj-7f3a-20261120-0002；ZJ-7F3A-20261120-0001",
                vec![s, "ZJ-7F3A-20261120-0002"],
            ),
            (
                "ZJ-7F3A-20261120-0001ZJ-7F3A-20261120-0002",
                vec![s, "ZJ-7F3A-20261120-0002"],
            ),
            ("ZJHZ01-KQ7M-20261120-0001", vec!["ZJHZ01-KQ7M-20261120-0001"]),
            ("33ZJ-7F3A-20260229-0001", vec![]),
            ("33ZJ-7F3A-20280229-0001", vec!["33ZJ-7F3A-20280229-0001"]),
            ("ZJ-7F3A-20261120-00012", vec![]),
            ("ZJ-7F3A-20261320-0001", vec![]),
            ("ZJ-7F3A-19991120-0001", vec![]),
            ("ZJ-7F3-A20261120-0001", vec![]),
            ("ZJ-7FIA-20261120-0001", vec![]),
            ("Z-7F3A-20261120-0001", vec![]),
            ("ZJ-7F3A-20261120-001", vec![]),
            ("330106200501011234", vec![]),
            ("33010620050101123X", vec![]),
            ("6222 0212 3456 7890 1234", vec![]),
            ("", vec![]),
            ("货款", vec![]),
        ];
        for (text, want) in table {
            assert_eq!(serials_in_text(text), want, "{text}");
        }
    }

    #[test]
    fn name_normalization() {
        let table = [
            ("杭州某某文化有限责任公司", "杭州某某文化有限公司"),
            ("（杭州）某某 科技有限公司", "(杭州)某某科技有限公司"),
            ("abc Studio", "ABCSTUDIO"),
            ("张\u{3000}三", "张三"),
        ];
        for (raw, want) in table {
            assert_eq!(normalize_name(raw), want, "{raw}");
        }
        // (payer, names, reason)
        let reasons: Vec<(&str, Vec<&str>, Option<MatchReason>)> = vec![
            (
                "杭州某某文化有限责任公司",
                vec!["杭州某某文化有限公司"],
                Some(MatchReason::PayerNameEqual),
            ),
            (
                "(杭州)某某",
                vec!["张三", "（杭州）某某"],
                Some(MatchReason::PayerNameEqual),
            ),
            (
                "杭州某某文化传媒有限公",
                vec!["杭州某某文化传媒有限公司"],
                Some(MatchReason::PayerNameSimilar),
            ),
            ("*小明", vec!["王小明"], Some(MatchReason::PayerNameSimilar)),
            ("王*明", vec!["王小明"], Some(MatchReason::PayerNameSimilar)),
            ("**", vec!["王明"], None),
            ("李*明", vec!["王小明"], None),
            ("张三", vec!["张三工作室有限公司"], None),
            ("杭州", vec!["杭州某某文化传媒有限公司"], None),
            ("", vec![""], None),
            ("张三", vec![], None),
        ];
        for (payer, names, want) in reasons {
            assert_eq!(name_reason(&normalize_name(payer), &names), want, "{payer} {names:?}");
        }
    }

    fn line() -> CreditLine {
        CreditLine {
            date: day(2026, 11, 22),
            payer: "杭州某某文化有限责任公司".into(),
            amount_fen: 15_000,
            memo: "登记费 zj－7f3a－20261120－0001".into(),
            reference: "BK 2026 1122 0001".into(),
        }
    }

    fn open_case(serial: &str, owed: i64, names: &[&str], since: NaiveDate) -> Candidate {
        Candidate::OpenCase {
            serial: serial.into(),
            owed_fen: owed,
            names: names.iter().map(|n| n.to_string()).collect(),
            awaiting_since: since,
        }
    }

    fn recorded(id: &str, reference: &str, amount: i64, payer: &str, on: NaiveDate) -> Candidate {
        Candidate::RecordedTransfer {
            id: id.into(),
            reference: reference.into(),
            amount_fen: amount,
            payer: payer.into(),
            received_on: on,
        }
    }

    #[test]
    fn scoring_table() {
        use MatchReason as R;
        let since = day(2026, 11, 20);
        let company = "杭州某某文化有限公司";
        // (candidate, reasons, score, exact)
        let table: Vec<(Candidate, Vec<MatchReason>, u32, bool)> = vec![
            (
                open_case("ZJ-7F3A-20261120-0001", 15_000, &[company], since),
                vec![R::SerialInMemo, R::AmountEqual, R::PayerNameEqual, R::DateInWindow],
                100,
                true,
            ),
            (
                open_case("ZJ-7F3A-20261120-0001", 15_000, &["别人"], since),
                vec![R::SerialInMemo, R::AmountEqual, R::DateInWindow],
                85,
                true,
            ),
            (
                open_case("ZJ-7F3A-20261120-0001", 30_000, &["别人"], since),
                vec![R::SerialInMemo, R::DateInWindow],
                60,
                false,
            ),
            (
                open_case("ZJ-7F3A-20261120-0001", 15_000, &["别人"], day(2026, 9, 1)),
                vec![R::SerialInMemo, R::AmountEqual],
                75,
                false,
            ),
            (
                open_case("ZJ-7F3A-20261120-0002", 15_000, &["别人"], since),
                vec![R::AmountEqual, R::DateInWindow],
                35,
                false,
            ),
            (
                open_case("ZJ-7F3A-20261120-0002", 15_000, &["杭州某某文化"], since),
                vec![R::AmountEqual, R::PayerNameSimilar, R::DateInWindow],
                43,
                false,
            ),
            (
                recorded("T1", "bk-2026-1122-0001", 15_000, company, day(2026, 11, 21)),
                vec![R::ReferenceEqual, R::AmountEqual, R::PayerNameEqual, R::DateInWindow],
                100,
                true,
            ),
            (
                recorded("T1", "BK202611220001", 15_000, "别人", day(2026, 12, 1)),
                vec![R::ReferenceEqual, R::AmountEqual],
                75,
                true,
            ),
            (
                recorded("T1", "BK202611220001", 14_999, "别人", day(2026, 11, 22)),
                vec![R::ReferenceEqual, R::DateInWindow],
                60,
                false,
            ),
            (
                recorded("T1", "", 15_000, company, day(2026, 11, 22)),
                vec![R::AmountEqual, R::PayerNameEqual, R::DateInWindow],
                50,
                false,
            ),
            (recorded("T1", "X", 1, "别人", day(2027, 1, 1)), vec![], 0, false),
        ];
        for (c, reasons, score, exact) in table {
            let s = score_candidate(&line(), 7, &c);
            assert_eq!(
                (s.index, &s.reasons, s.score, s.exact),
                (7, &reasons, score, exact),
                "{c:?}"
            );
        }
        let weights: u32 = [R::SerialInMemo, R::AmountEqual, R::PayerNameEqual, R::DateInWindow]
            .iter()
            .map(|r| r.weight())
            .sum();
        assert_eq!(weights, 100);
        assert_eq!(R::PayerNameSimilar.label(), "付款人相近");
    }

    #[test]
    fn date_windows() {
        let since = day(2026, 11, 20);
        let case = open_case("ZJ-0000-20000101-0000", 1, &[], since);
        let table = [(-2, false), (-1, true), (0, true), (60, true), (61, false)];
        for (offset, want) in table {
            let l = CreditLine {
                date: since + chrono::Duration::days(offset),
                ..line()
            };
            let s = score_candidate(&l, 0, &case);
            assert_eq!(s.reasons.contains(&MatchReason::DateInWindow), want, "case {offset}");
        }
        let received = day(2026, 11, 20);
        let t = recorded("T", "Z", 1, "", received);
        for (offset, want) in [(-4, false), (-3, true), (0, true), (3, true), (4, false)] {
            let l = CreditLine {
                date: received + chrono::Duration::days(offset),
                ..line()
            };
            let s = score_candidate(&l, 0, &t);
            assert_eq!(
                s.reasons.contains(&MatchReason::DateInWindow),
                want,
                "transfer {offset}"
            );
        }
    }

    #[test]
    fn match_decisions() {
        let since = day(2026, 11, 20);
        let exact_case = open_case("ZJ-7F3A-20261120-0001", 15_000, &["别人"], since);
        let exact_transfer = recorded("T1", "BK202611220001", 15_000, "别人", since);
        let weak = open_case("ZJ-7F3A-20261120-0009", 15_000, &["别人"], since);
        let named = open_case("ZJ-7F3A-20261120-0008", 15_000, &["杭州某某文化有限公司"], since);
        let nothing = recorded("T9", "ZZZ", 1, "", day(2020, 1, 1));
        let table: Vec<(Vec<Candidate>, MatchDecision)> = vec![
            (vec![], MatchDecision::Unmatched),
            (vec![nothing.clone()], MatchDecision::Unmatched),
            (vec![weak.clone(), weak.clone()], MatchDecision::Unmatched),
            (vec![weak.clone(), exact_case.clone()], MatchDecision::Matched(1)),
            (
                vec![exact_transfer.clone(), weak.clone(), named.clone()],
                MatchDecision::Matched(0),
            ),
            (
                vec![weak.clone(), exact_case.clone(), exact_transfer.clone()],
                MatchDecision::Ambiguous(vec![1, 2]),
            ),
            (vec![weak.clone(), named.clone()], MatchDecision::Ambiguous(vec![1])),
            (
                vec![nothing.clone(), exact_case.clone(), exact_case.clone()],
                MatchDecision::Ambiguous(vec![1, 2]),
            ),
        ];
        for (candidates, want) in table {
            let r = match_line(&line(), &candidates);
            assert_eq!(r.decision, want, "{candidates:?}");
            assert!(r.scored.windows(2).all(|w| w[0].score >= w[1].score));
            assert!(r.scored.iter().all(|s| s.score > 0 && s.score <= 100));
        }
        // One transfer for two works: both cases named in the memo, neither amount equal.
        let two = CreditLine {
            amount_fen: 30_000,
            memo: "ZJ-7F3A-20261120-0001、ZJ-7F3A-20261120-0002 登记费".into(),
            ..line()
        };
        let cases = vec![
            open_case("ZJ-7F3A-20261120-0002", 15_000, &["别人"], since),
            weak.clone(),
            open_case("ZJ-7F3A-20261120-0001", 15_000, &["别人"], since),
        ];
        let r = match_line(&two, &cases);
        assert_eq!(r.decision, MatchDecision::Ambiguous(vec![0, 2]));
        assert_eq!(r.scored.iter().map(|s| s.index).collect::<Vec<_>>(), vec![0, 2, 1]);
        // A serial glued to the word before it is still found for a known case.
        let glued = CreditLine {
            memo: "NO.ZJ7F3A202611200001".into(),
            ..line()
        };
        assert_eq!(
            match_line(&glued, std::slice::from_ref(&exact_case)).decision,
            MatchDecision::Matched(0)
        );
        let glued = CreditLine {
            memo: "NOZJ7F3A202611200001".into(),
            ..line()
        };
        assert_eq!(
            match_line(&glued, std::slice::from_ref(&exact_case)).decision,
            MatchDecision::Matched(0)
        );
        let longer = CreditLine {
            memo: "ZJ-7F3A-20261120-00012".into(),
            ..line()
        };
        assert_eq!(match_line(&longer, &[exact_case]).decision, MatchDecision::Unmatched);
        let json = serde_json::to_string(&MatchDecision::Ambiguous(vec![1, 2])).unwrap();
        assert_eq!(json, r#"{"ambiguous":[1,2]}"#);
        assert_eq!(
            serde_json::to_string(&MatchDecision::Unmatched).unwrap(),
            r#""unmatched""#
        );
    }

    // ---- properties -------------------------------------------------------------------------

    const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const SEPARATORS: [&str; 9] = ["-", "", " ", "－", "—", " - ", "\u{2010}", "\u{3000}", "--"];
    const BOUNDARIES: [&str; 8] = ["，", "：", "付", "(", "#", "。", "（", "/"];

    /// (office, station, date, sequence) of a serial; the station ends with a letter so that the
    /// parts of a serial written without separators cannot be read another way.
    fn serial_strategy() -> impl Strategy<Value = (String, String, String, String)> {
        (
            "[A-Z][A-Z0-9]{1,7}",
            prop::collection::vec(0..CROCKFORD.len(), 3),
            10..CROCKFORD.len(),
            0u64..36_500,
            0u32..10_000,
        )
            .prop_map(|(office, station, last, days, seq)| {
                let mut st: String = station.iter().map(|i| CROCKFORD[*i] as char).collect();
                st.push(CROCKFORD[last] as char);
                let date = day(2000, 1, 1).checked_add_days(Days::new(days)).unwrap();
                (office, st, date.format("%Y%m%d").to_string(), format!("{seq:04}"))
            })
    }

    /// Writes `s` with each character lower-cased and/or full-width as the flags say.
    fn vary(s: &str, flags: &[(bool, bool)]) -> String {
        s.chars()
            .zip(flags.iter().cycle())
            .map(|(c, (lower, wide))| {
                let c = if *lower { c.to_ascii_lowercase() } else { c };
                if *wide && ('!'..='~').contains(&c) {
                    char::from_u32(u32::from(c) + 0xFEE0).unwrap()
                } else {
                    c
                }
            })
            .collect()
    }

    fn candidates_strategy() -> impl Strategy<Value = Vec<Candidate>> {
        let case =
            (serial_strategy(), 0i64..40_000, 0u64..120).prop_map(|((o, s, d, q), owed, back)| Candidate::OpenCase {
                serial: format!("{o}-{s}-{d}-{q}"),
                owed_fen: owed,
                names: vec!["某某".into()],
                awaiting_since: day(2026, 11, 22).checked_sub_days(Days::new(back)).unwrap(),
            });
        let transfer =
            ("[A-Z0-9]{0,8}", 0i64..40_000, 0u64..10).prop_map(|(r, amount, back)| Candidate::RecordedTransfer {
                id: format!("T-{r}"),
                reference: r,
                amount_fen: amount,
                payer: "某某".into(),
                received_on: day(2026, 11, 22).checked_sub_days(Days::new(back)).unwrap(),
            });
        prop::collection::vec(prop_oneof![case, transfer], 0..6)
    }

    proptest! {
        #[test]
        fn serials_are_found_however_embedded(
            (office, station, date, seq) in serial_strategy(),
            seps in prop::collection::vec(0..SEPARATORS.len(), 3),
            flags in prop::collection::vec((any::<bool>(), any::<bool>()), 1..24),
            prefix in "[a-zA-Z0-9付款登记费号 ]{0,10}",
            before in 0..BOUNDARIES.len(),
            suffix in "[a-zA-Z0-9元款 ]{0,10}",
            after in 0..BOUNDARIES.len(),
            wrap in 0u8..4,
        ) {
            let written = format!(
                "{}{}{}{}{}{}{}",
                office,
                SEPARATORS[seps[0]],
                station,
                SEPARATORS[seps[1]],
                date,
                SEPARATORS[seps[2]],
                seq
            );
            let written = vary(&written, &flags);
            let head = if wrap & 1 == 1 { format!("{prefix}{}", BOUNDARIES[before]) } else { String::new() };
            let tail = if wrap & 2 == 2 { format!("{}{suffix}", BOUNDARIES[after]) } else { String::new() };
            let text = format!("{head}{written}{tail}");
            let want = format!("{office}-{station}-{date}-{seq}");
            prop_assert_eq!(serials_in_text(&text), vec![want.clone()], "{}", text);
            // Each serial found is in normal form and finds itself.
            prop_assert_eq!(serials_in_text(&want), vec![want]);
        }

        #[test]
        fn two_exact_candidates_are_never_matched(
            others in candidates_strategy(),
            amount in 1i64..=100_000,
            reference in "[A-Z0-9]{6,12}",
            (o, s, d, q) in serial_strategy(),
            kinds in (any::<bool>(), any::<bool>()),
            at in (0usize..8, 0usize..8),
            lower in any::<bool>(),
        ) {
            let serial = format!("{o}-{s}-{d}-{q}");
            let l = CreditLine {
                date: day(2026, 11, 22),
                payer: "付款人".into(),
                amount_fen: amount,
                memo: format!("登记费 {}", if lower { serial.to_lowercase() } else { serial.clone() }),
                reference: reference.clone(),
            };
            let exact = |transfer: bool| if transfer {
                recorded("TX", &reference.to_lowercase(), amount, "x", day(2026, 1, 1))
            } else {
                open_case(&serial, amount, &[], day(2026, 11, 1))
            };
            let mut candidates = others;
            let i = at.0.min(candidates.len());
            candidates.insert(i, exact(kinds.0));
            let j = at.1.min(candidates.len());
            candidates.insert(j, exact(kinds.1));
            let r = match_line(&l, &candidates);
            let exact_count = r.scored.iter().filter(|s| s.exact).count();
            prop_assert!(exact_count >= 2);
            match &r.decision {
                MatchDecision::Ambiguous(list) => {
                    prop_assert_eq!(list.len(), exact_count);
                    prop_assert!(list.iter().all(|k| r.scored.iter().any(|s| s.index == *k && s.exact)));
                }
                other => prop_assert!(false, "expected ambiguous, got {:?}", other),
            }
        }

        #[test]
        fn matched_means_exactly_one_exact(
            candidates in candidates_strategy(),
            amount in 0i64..40_000,
            memo in "[a-zA-Z0-9 -]{0,30}",
            reference in "[A-Z0-9]{0,8}",
        ) {
            let l = CreditLine { date: day(2026, 11, 22), payer: "某某".into(), amount_fen: amount, memo, reference };
            let r = match_line(&l, &candidates);
            let exact: Vec<usize> = r.scored.iter().filter(|s| s.exact).map(|s| s.index).collect();
            match r.decision {
                MatchDecision::Matched(i) => prop_assert_eq!(exact, vec![i]),
                MatchDecision::Ambiguous(list) => {
                    prop_assert!(!list.is_empty());
                    let strong = |k: &usize| r.scored.iter().any(|s| s.index == *k && s.score >= REVIEW_THRESHOLD);
                    prop_assert!(exact.len() >= 2 || list.iter().all(strong));
                }
                MatchDecision::Unmatched => {
                    prop_assert!(exact.is_empty());
                    prop_assert!(r.scored.iter().all(|s| s.score < REVIEW_THRESHOLD));
                }
            }
        }
    }
}
