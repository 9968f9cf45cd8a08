//! 登记号 (registration numbers): `PREFIX-YEAR-LETTER-SERIAL`, e.g. `浙作登字-2026-F-00012345`
//! (docs/DOMAIN.md §8), the category-letter table, and the serial ledger.
//!
//! Serials are counted per prefix/year/letter and never reused. A station
//! holds leased blocks of serials ([`SerialBlock`]) so it can approve cases
//! while offline; the [`SerialLedger`] hands out the lowest free serial of the
//! held blocks and records every serial as used or voided (with a reason), so
//! that a number never skips without a record ([`SerialLedger::check_no_gap`]).
//! All types are plain data (serde) for the store to persist.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::category::WorkCategory;

/// Minimum number of digits of a serial (zero-padded).
pub const SERIAL_MIN_DIGITS: usize = 8;
/// Maximum length of a prefix, in characters.
pub const PREFIX_MAX_CHARS: usize = 16;

/// 登记号与号段错误。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegNoError {
    /// 登记号格式不对（缺少部分）。
    #[error("登记号“{0}”格式不对，应为 前缀-年份-类别字母-流水号，如 浙作登字-2026-F-00012345")]
    Shape(String),
    /// 前缀无效。
    #[error("登记号前缀“{0}”无效：应为 1 到 16 个字符，不能含“-”或空白，如 浙作登字")]
    BadPrefix(String),
    /// 年份无效。
    #[error("登记号年份“{0}”无效，应为四位数字，如 2026")]
    BadYear(String),
    /// 类别字母无效。
    #[error("登记号类别字母“{0}”无效，应为一个大写英文字母，如 F")]
    BadLetter(String),
    /// 流水号无效。
    #[error("登记号流水号“{0}”无效：应为至少 8 位数字（不足 8 位前面补 0，超过 8 位时不能以 0 开头），且不能全为 0")]
    BadSerial(String),
    /// 本站持有的号段已用完。
    #[error("本站持有的 {prefix}-{year}-{letter} 号段已用完，请联网同步领取新号段")]
    NoSerialLeft { prefix: String, year: i32, letter: char },
    /// 作废时未填写原因。
    #[error("作废登记号必须填写作废原因")]
    VoidReasonRequired,
    /// 该登记号不在本站持有的号段内。
    #[error("登记号 {0} 不在本站持有的号段内")]
    NotHeld(RegistrationNumber),
    /// 该登记号已作废。
    #[error("登记号 {0} 已经作废，不能再次作废或使用")]
    AlreadyVoided(RegistrationNumber),
    /// 该登记号已使用、作废或交还，不能交还。
    #[error("登记号 {0} 已经使用、作废或交还，只有未使用的号码可以交还")]
    NotFree(RegistrationNumber),
    /// 号段无效。
    #[error("号段 {first}–{last} 无效：起始号应不小于 1 且不大于结束号")]
    BadBlock { first: u64, last: u64 },
    /// 号段与已持有的号段重叠。
    #[error("号段 {prefix}-{year}-{letter} {first}–{last} 与本站已持有的号段重叠")]
    BlockOverlap {
        prefix: String,
        year: i32,
        letter: char,
        first: u64,
        last: u64,
    },
    /// 号段中有跳号（未使用也未作废的号码低于已使用的号码）。
    #[error("登记号 {first_missing} 既未使用也未作废，但其后的号码已经使用（共 {count} 个跳号），请补登作废记录")]
    Gap {
        first_missing: RegistrationNumber,
        count: u64,
    },
    /// 类别字母表有误。
    #[error("{}{message}", if *line == 0 { String::new() } else { format!("第 {line} 行：") })]
    LetterTable {
        line: usize,
        code: &'static str,
        message: String,
    },
}

impl RegNoError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            RegNoError::Shape(_) => "shape",
            RegNoError::BadPrefix(_) => "bad_prefix",
            RegNoError::BadYear(_) => "bad_year",
            RegNoError::BadLetter(_) => "bad_letter",
            RegNoError::BadSerial(_) => "bad_serial",
            RegNoError::NoSerialLeft { .. } => "no_serial_left",
            RegNoError::VoidReasonRequired => "void_reason_required",
            RegNoError::NotHeld(_) => "not_held",
            RegNoError::AlreadyVoided(_) => "already_voided",
            RegNoError::NotFree(_) => "not_free",
            RegNoError::BadBlock { .. } => "bad_block",
            RegNoError::BlockOverlap { .. } => "block_overlap",
            RegNoError::Gap { .. } => "gap",
            RegNoError::LetterTable { code, .. } => code,
        }
    }
}

fn check_prefix(prefix: &str) -> Result<(), RegNoError> {
    let n = prefix.chars().count();
    if n == 0 || n > PREFIX_MAX_CHARS || prefix.chars().any(|c| c == '-' || c.is_whitespace() || c.is_control()) {
        return Err(RegNoError::BadPrefix(prefix.to_string()));
    }
    Ok(())
}

fn check_year(year: i32) -> Result<(), RegNoError> {
    if (1000..=9999).contains(&year) {
        Ok(())
    } else {
        Err(RegNoError::BadYear(year.to_string()))
    }
}

fn check_letter(letter: char) -> Result<(), RegNoError> {
    if letter.is_ascii_uppercase() {
        Ok(())
    } else {
        Err(RegNoError::BadLetter(letter.to_string()))
    }
}

/// 登记号，如 浙作登字-2026-F-00012345。
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct RegistrationNumber {
    /// 前缀（地区），如 浙作登字
    pub prefix: String,
    /// 年份
    pub year: i32,
    /// 类别字母，如 F
    pub letter: char,
    /// 流水号（从 1 起）
    #[ts(type = "number")]
    pub serial: u64,
}

impl RegistrationNumber {
    /// Builds a number after checking every part.
    pub fn new(prefix: &str, year: i32, letter: char, serial: u64) -> Result<RegistrationNumber, RegNoError> {
        check_prefix(prefix)?;
        check_year(year)?;
        check_letter(letter)?;
        if serial == 0 {
            return Err(RegNoError::BadSerial(format!("{serial:08}")));
        }
        Ok(RegistrationNumber {
            prefix: prefix.to_string(),
            year,
            letter,
            serial,
        })
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{}-{:08}", self.prefix, self.year, self.letter, self.serial)
    }
}

impl FromStr for RegistrationNumber {
    type Err = RegNoError;

    /// Parses `PREFIX-YYYY-L-SERIAL`; surrounding white space is ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let mut parts = t.rsplitn(4, '-');
        let (Some(serial), Some(letter), Some(year), Some(prefix)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(RegNoError::Shape(t.to_string()));
        };
        check_prefix(prefix)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RegNoError::BadYear(year.to_string()));
        }
        let year_n: i32 = year.parse().map_err(|_| RegNoError::BadYear(year.to_string()))?;
        check_year(year_n)?;
        let mut lc = letter.chars();
        let l = match (lc.next(), lc.next()) {
            (Some(c), None) if c.is_ascii_uppercase() => c,
            _ => return Err(RegNoError::BadLetter(letter.to_string())),
        };
        let bad_serial = || RegNoError::BadSerial(serial.to_string());
        if serial.len() < SERIAL_MIN_DIGITS
            || !serial.bytes().all(|b| b.is_ascii_digit())
            || (serial.len() > SERIAL_MIN_DIGITS && serial.starts_with('0'))
        {
            return Err(bad_serial());
        }
        let n: u64 = serial.parse().map_err(|_| bad_serial())?;
        if n == 0 {
            return Err(bad_serial());
        }
        Ok(RegistrationNumber {
            prefix: prefix.to_string(),
            year: year_n,
            letter: l,
            serial: n,
        })
    }
}

/// 类别字母表中的一项。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CategoryLetter {
    pub category: WorkCategory,
    pub letter: char,
}

/// 作品类别字母表：登记号中每个作品类别使用的字母。
///
/// This is data an admin can change (the national authority sets the real
/// table). The default keeps the letters seen on real certificates — A 文字,
/// F 美术, I 视听作品 — and gives the other categories the remaining letters
/// in the order of the national table ([`WorkCategory::ALL`]): B 口述, C 音乐,
/// D 戏剧, E 曲艺, G 舞蹈, H 杂技艺术, J 建筑, K 摄影, L 工程设计图,
/// M 产品设计图, N 地图, O 示意图, P 模型, Q 其他. Check them against the
/// national table before issuing numbers.
///
/// Always valid (every category exactly once, letters unique A–Z); checked again when deserialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(try_from = "CategoryLettersData")]
pub struct CategoryLetters {
    /// One entry per category, in the order of [`WorkCategory::ALL`].
    entries: Vec<CategoryLetter>,
}

#[derive(Deserialize)]
struct CategoryLettersData {
    entries: Vec<CategoryLetter>,
}

impl TryFrom<CategoryLettersData> for CategoryLetters {
    type Error = RegNoError;
    fn try_from(d: CategoryLettersData) -> Result<Self, Self::Error> {
        CategoryLetters::new(d.entries.into_iter().map(|e| (0, e)).collect())
    }
}

/// 已确认的类别字母：letters seen on real certificates' numbers (docs/DOMAIN.md §9).
/// The default table carries every one; the other categories get the free
/// letters in list order, an assumption the admin sees as such.
pub const CONFIRMED_LETTERS: [(WorkCategory, char); 5] = [
    (WorkCategory::Text, 'A'),
    (WorkCategory::FineArt, 'F'),
    (WorkCategory::Photography, 'G'),
    (WorkCategory::Audiovisual, 'I'),
    (WorkCategory::Other, 'L'),
];

/// The letter real certificates confirm for a category, if any.
pub fn confirmed_letter(category: WorkCategory) -> Option<char> {
    CONFIRMED_LETTERS.iter().find(|(c, _)| *c == category).map(|(_, l)| *l)
}

impl Default for CategoryLetters {
    fn default() -> Self {
        let fixed = CONFIRMED_LETTERS;
        let mut free = ('A'..='Z').filter(|l| !fixed.iter().any(|(_, f)| f == l));
        let entries = WorkCategory::ALL
            .into_iter()
            .map(|category| {
                let letter = fixed
                    .iter()
                    .find(|(c, _)| *c == category)
                    .map(|(_, l)| *l)
                    .or_else(|| free.next())
                    .unwrap_or('Z');
                CategoryLetter { category, letter }
            })
            .collect();
        CategoryLetters { entries }
    }
}

fn table_error(line: usize, code: &'static str, message: String) -> RegNoError {
    RegNoError::LetterTable { line, code, message }
}

impl CategoryLetters {
    /// Checks a table given as (line number or 0, entry): letters A–Z and unique, every category exactly once.
    fn new(items: Vec<(usize, CategoryLetter)>) -> Result<CategoryLetters, RegNoError> {
        let mut slots: Vec<Option<(usize, char)>> = vec![None; WorkCategory::ALL.len()];
        for (line, e) in &items {
            if !e.letter.is_ascii_uppercase() {
                return Err(table_error(
                    *line,
                    "bad_letter",
                    format!("{}的字母“{}”无效，应为一个大写英文字母", e.category.label(), e.letter),
                ));
            }
            let idx = WorkCategory::ALL.iter().position(|c| *c == e.category).unwrap_or(0);
            if let Some(Some((first_line, _))) = slots.get(idx) {
                return Err(table_error(
                    *line,
                    "duplicate_category",
                    format!(
                        "类别“{}”重复出现{}，请只保留一处",
                        e.category.label(),
                        seen_at(*first_line)
                    ),
                ));
            }
            if let Some((other, (first_line, _))) = WorkCategory::ALL
                .iter()
                .zip(&slots)
                .find_map(|(c, s)| s.filter(|(_, l)| *l == e.letter).map(|s| (c, s)))
            {
                return Err(table_error(
                    *line,
                    "duplicate_letter",
                    format!(
                        "字母 {} 已分给“{}”{}，每个类别的字母必须不同",
                        e.letter,
                        other.label(),
                        seen_at(first_line)
                    ),
                ));
            }
            if let Some(slot) = slots.get_mut(idx) {
                *slot = Some((*line, e.letter));
            }
        }
        let mut entries = Vec::with_capacity(slots.len());
        let mut missing = Vec::new();
        for (category, slot) in WorkCategory::ALL.into_iter().zip(slots) {
            match slot {
                Some((_, letter)) => entries.push(CategoryLetter { category, letter }),
                None => missing.push(category.label()),
            }
        }
        if !missing.is_empty() {
            return Err(table_error(
                0,
                "missing_category",
                format!("类别字母表缺少：{}，每个作品类别都要有字母", missing.join("、")),
            ));
        }
        Ok(CategoryLetters { entries })
    }

    /// Builds a table from entries (any order).
    pub fn from_entries(entries: &[CategoryLetter]) -> Result<CategoryLetters, RegNoError> {
        CategoryLetters::new(entries.iter().map(|e| (0, *e)).collect())
    }

    /// Parses the text form: one `LETTER CATEGORY` per line, the category by its Chinese label
    /// (文字, 美术作品, 视听作品, ...) or code (`fine_art`); blank lines and `#` lines are ignored.
    pub fn parse(text: &str) -> Result<CategoryLetters, RegNoError> {
        let mut items = Vec::new();
        for (idx, raw) in text.lines().enumerate() {
            let line = idx + 1;
            let l = raw.trim().trim_start_matches('\u{feff}');
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let Some((letter, cat)) = l.split_once(char::is_whitespace) else {
                return Err(table_error(line, "syntax", format!("“{l}”应写成 字母 类别，如 F 美术")));
            };
            let cat = cat.trim();
            let mut lc = letter.chars();
            let letter = match (lc.next(), lc.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(table_error(
                        line,
                        "bad_letter",
                        format!("“{letter}”不是一个字母，应写成 字母 类别，如 F 美术"),
                    ))
                }
            };
            let category = WorkCategory::from_label(cat)
                .or_else(|| WorkCategory::from_code(cat))
                .ok_or_else(|| table_error(line, "unknown_category", format!("无法识别作品类别“{cat}”")))?;
            items.push((line, CategoryLetter { category, letter }));
        }
        CategoryLetters::new(items)
    }

    /// The text form accepted by [`CategoryLetters::parse`].
    pub fn to_text(&self) -> String {
        self.entries
            .iter()
            .map(|e| format!("{} {}\n", e.letter, e.category.label()))
            .collect()
    }

    /// The entries, in the order of [`WorkCategory::ALL`].
    pub fn entries(&self) -> &[CategoryLetter] {
        &self.entries
    }

    /// The letter of a category. Always present in a valid table.
    pub fn letter_of(&self, category: WorkCategory) -> Option<char> {
        self.entries.iter().find(|e| e.category == category).map(|e| e.letter)
    }

    /// The category of a letter, if the table uses it.
    pub fn category_of(&self, letter: char) -> Option<WorkCategory> {
        self.entries.iter().find(|e| e.letter == letter).map(|e| e.category)
    }
}

fn seen_at(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!("（第 {line} 行）")
    }
}

/// 号段：本站租用的一段连续流水号（含首尾）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SerialBlock {
    pub prefix: String,
    pub year: i32,
    pub letter: char,
    #[ts(type = "number")]
    pub first: u64,
    #[ts(type = "number")]
    pub last: u64,
}

impl SerialBlock {
    /// A checked block: valid prefix, year and letter, `1 <= first <= last`.
    pub fn new(prefix: &str, year: i32, letter: char, first: u64, last: u64) -> Result<SerialBlock, RegNoError> {
        check_prefix(prefix)?;
        check_year(year)?;
        check_letter(letter)?;
        if first == 0 || first > last {
            return Err(RegNoError::BadBlock { first, last });
        }
        Ok(SerialBlock {
            prefix: prefix.to_string(),
            year,
            letter,
            first,
            last,
        })
    }

    /// The number of serials in the block.
    pub fn len(&self) -> u64 {
        self.last.saturating_sub(self.first).saturating_add(1)
    }

    /// Whether the block has no serial (never true for a checked block).
    pub fn is_empty(&self) -> bool {
        self.first > self.last
    }

    fn same_key(&self, prefix: &str, year: i32, letter: char) -> bool {
        self.prefix == prefix && self.year == year && self.letter == letter
    }

    fn contains(&self, n: &RegistrationNumber) -> bool {
        self.same_key(&n.prefix, n.year, n.letter) && (self.first..=self.last).contains(&n.serial)
    }

    fn number(&self, serial: u64) -> RegistrationNumber {
        RegistrationNumber {
            prefix: self.prefix.clone(),
            year: self.year,
            letter: self.letter,
            serial,
        }
    }
}

/// 流水号的去向。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SerialState {
    /// 已使用（已发给某个案件）
    Used,
    /// 已作废，附原因
    Voided { reason: String },
    /// 未使用，已交还服务器（服务器先把交还的号码再租出，号码序列保持连续）
    Returned,
}

/// 一个流水号的记录。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SerialRecord {
    #[ts(type = "number")]
    pub serial: u64,
    #[serde(flatten)]
    pub state: SerialState,
}

/// 本站持有的号段及其使用记录（记录按流水号排序）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HeldBlock {
    pub block: SerialBlock,
    pub records: Vec<SerialRecord>,
}

impl HeldBlock {
    fn record_index(&self, serial: u64) -> Result<usize, usize> {
        self.records.binary_search_by_key(&serial, |r| r.serial)
    }

    /// The lowest serial with no record.
    fn lowest_free(&self) -> Option<u64> {
        let mut expected = self.block.first;
        for r in &self.records {
            if r.serial > expected {
                break;
            }
            if r.serial == expected {
                expected = expected.checked_add(1)?;
            }
        }
        (expected <= self.block.last).then_some(expected)
    }

    /// Free serials below the highest used one.
    fn gaps(&self) -> Vec<u64> {
        let Some(highest_used) = self
            .records
            .iter()
            .rev()
            .find(|r| r.state == SerialState::Used)
            .map(|r| r.serial)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut expected = self.block.first;
        for r in &self.records {
            if r.serial > highest_used {
                break;
            }
            out.extend(expected..r.serial.max(expected));
            expected = r.serial.saturating_add(1).max(expected);
        }
        out
    }
}

/// 登记号台账：本站持有的号段和每个流水号的去向（已使用或已作废）。
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct SerialLedger {
    pub blocks: Vec<HeldBlock>,
}

impl SerialLedger {
    pub fn new() -> SerialLedger {
        SerialLedger::default()
    }

    /// Takes a leased block into the ledger; it may not overlap a block already held for the same prefix/year/letter.
    pub fn hold(&mut self, block: SerialBlock) -> Result<(), RegNoError> {
        let overlaps = self.blocks.iter().any(|h| {
            h.block.same_key(&block.prefix, block.year, block.letter)
                && h.block.first <= block.last
                && block.first <= h.block.last
        });
        if overlaps {
            return Err(RegNoError::BlockOverlap {
                prefix: block.prefix,
                year: block.year,
                letter: block.letter,
                first: block.first,
                last: block.last,
            });
        }
        let pos = self
            .blocks
            .iter()
            .position(|h| {
                (&h.block.prefix, h.block.year, h.block.letter, h.block.first)
                    > (&block.prefix, block.year, block.letter, block.first)
            })
            .unwrap_or(self.blocks.len());
        self.blocks.insert(
            pos,
            HeldBlock {
                block,
                records: Vec::new(),
            },
        );
        Ok(())
    }

    /// Gives the lowest free serial of the held blocks for prefix/year/letter and records it as used.
    pub fn allocate(&mut self, prefix: &str, year: i32, letter: char) -> Result<RegistrationNumber, RegNoError> {
        for h in self
            .blocks
            .iter_mut()
            .filter(|h| h.block.same_key(prefix, year, letter))
        {
            if let Some(serial) = h.lowest_free() {
                if let Err(i) = h.record_index(serial) {
                    h.records.insert(
                        i,
                        SerialRecord {
                            serial,
                            state: SerialState::Used,
                        },
                    );
                    return Ok(h.block.number(serial));
                }
            }
        }
        Err(RegNoError::NoSerialLeft {
            prefix: prefix.to_string(),
            year,
            letter,
        })
    }

    /// [`SerialLedger::allocate`] for a work category, through the letter table.
    pub fn allocate_for(
        &mut self,
        prefix: &str,
        year: i32,
        category: WorkCategory,
        letters: &CategoryLetters,
    ) -> Result<RegistrationNumber, RegNoError> {
        let letter = letters
            .letter_of(category)
            .ok_or_else(|| table_error(0, "missing_category", format!("类别字母表缺少“{}”", category.label())))?;
        self.allocate(prefix, year, letter)
    }

    /// Voids a held serial, used or not yet used, with a required reason (trimmed).
    /// A voided serial is never given out again.
    pub fn void(&mut self, number: &RegistrationNumber, reason: &str) -> Result<(), RegNoError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(RegNoError::VoidReasonRequired);
        }
        let h = self
            .blocks
            .iter_mut()
            .find(|h| h.block.contains(number))
            .ok_or_else(|| RegNoError::NotHeld(number.clone()))?;
        let state = SerialState::Voided {
            reason: reason.to_string(),
        };
        match h.record_index(number.serial) {
            Ok(i) => match h.records.get_mut(i) {
                Some(r) if r.state == SerialState::Used => r.state = state,
                _ => return Err(RegNoError::AlreadyVoided(number.clone())),
            },
            Err(i) => h.records.insert(
                i,
                SerialRecord {
                    serial: number.serial,
                    state,
                },
            ),
        }
        Ok(())
    }

    /// Gives a held serial back unused (the station returns it to the server,
    /// which leases it again first). Only a free serial can be returned.
    pub fn give_back(&mut self, number: &RegistrationNumber) -> Result<(), RegNoError> {
        let h = self
            .blocks
            .iter_mut()
            .find(|h| h.block.contains(number))
            .ok_or_else(|| RegNoError::NotHeld(number.clone()))?;
        match h.record_index(number.serial) {
            Ok(_) => Err(RegNoError::NotFree(number.clone())),
            Err(i) => {
                h.records.insert(
                    i,
                    SerialRecord {
                        serial: number.serial,
                        state: SerialState::Returned,
                    },
                );
                Ok(())
            }
        }
    }

    /// Every free serial of the held blocks (what a station gives back on leaving).
    pub fn free(&self) -> Vec<RegistrationNumber> {
        let mut out = Vec::new();
        for h in &self.blocks {
            let mut next = h.records.iter().map(|r| r.serial).peekable();
            for s in h.block.first..=h.block.last {
                if next.peek() == Some(&s) {
                    next.next();
                } else {
                    out.push(h.block.number(s));
                }
            }
        }
        out
    }

    /// The state of a held serial: `None` if free or not held.
    pub fn state_of(&self, number: &RegistrationNumber) -> Option<&SerialState> {
        let h = self.blocks.iter().find(|h| h.block.contains(number))?;
        let i = h.record_index(number.serial).ok()?;
        h.records.get(i).map(|r| &r.state)
    }

    /// How many serials are still free for prefix/year/letter.
    pub fn remaining(&self, prefix: &str, year: i32, letter: char) -> u64 {
        self.blocks
            .iter()
            .filter(|h| h.block.same_key(prefix, year, letter))
            .map(|h| h.block.len().saturating_sub(h.records.len() as u64))
            .sum()
    }

    /// Every serial with no record that lies below the highest used serial of its block.
    pub fn gaps(&self) -> Vec<RegistrationNumber> {
        self.blocks
            .iter()
            .flat_map(|h| h.gaps().into_iter().map(|s| h.block.number(s)))
            .collect()
    }

    /// Refuses a ledger in which a block has a gap: every serial up to the highest used one
    /// must be used or voided.
    pub fn check_no_gap(&self) -> Result<(), RegNoError> {
        let gaps = self.gaps();
        match gaps.first() {
            None => Ok(()),
            Some(first) => Err(RegNoError::Gap {
                first_missing: first.clone(),
                count: gaps.len() as u64,
            }),
        }
    }
}

/// 一段连续的流水号（含首尾）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SerialRun {
    #[ts(type = "number")]
    pub first: u64,
    #[ts(type = "number")]
    pub last: u64,
}

impl SerialRun {
    /// The number of serials in the run.
    pub fn len(&self) -> u64 {
        self.last.saturating_sub(self.first).saturating_add(1)
    }

    /// Whether the run has no serial (never true for a run made by [`serial_runs`]).
    pub fn is_empty(&self) -> bool {
        self.first > self.last
    }
}

/// Serials (any order, repeats ignored) as the fewest runs, in order.
pub fn serial_runs(serials: impl IntoIterator<Item = u64>) -> Vec<SerialRun> {
    let mut all: Vec<u64> = serials.into_iter().collect();
    all.sort_unstable();
    all.dedup();
    let mut out: Vec<SerialRun> = Vec::new();
    for s in all {
        match out.last_mut() {
            Some(r) if r.last.checked_add(1) == Some(s) => r.last = s,
            _ => out.push(SerialRun { first: s, last: s }),
        }
    }
    out
}

/// 一个已发出的流水号的去向，按某一份记录（登记号台账或号段租用记录）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SerialFate {
    /// 已用于案件（含其后撤销登记的）
    Used,
    /// 已作废（附原因）
    Voided,
    /// 工作站未使用、已交还，待再次租出
    Returned,
    /// 租给工作站、尚未使用
    Outstanding,
}

/// 号码核对：一个 前缀/年份/字母 下发出的流水号（1 至最高号）及其去向；
/// 平衡时 已发出 = 已使用 + 已作废 + 已交还 + 在外未用，且没有去向不明的号码。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NumberAuditLine {
    pub prefix: String,
    pub year: i32,
    pub letter: char,
    /// 已发出（流水号 1 至最高号）
    #[ts(type = "number")]
    pub issued: u64,
    #[ts(type = "number")]
    pub used: u64,
    #[ts(type = "number")]
    pub voided: u64,
    #[ts(type = "number")]
    pub returned: u64,
    #[ts(type = "number")]
    pub outstanding: u64,
    /// 去向不明的流水号（没有任何记录，或两份记录说法不一，或超出最高号）
    pub unknown: Vec<SerialRun>,
}

impl NumberAuditLine {
    /// Every issued serial has exactly one known fate.
    pub fn balanced(&self) -> bool {
        self.unknown.is_empty() && self.issued == self.used + self.voided + self.returned + self.outstanding
    }

    /// How many serials have no known fate.
    pub fn unknown_count(&self) -> u64 {
        self.unknown.iter().map(SerialRun::len).sum()
    }

    /// The unknown serials as numbers' text, runs as `FIRST–LAST`.
    pub fn unknown_text(&self) -> Vec<String> {
        runs_text(&self.prefix, self.year, self.letter, &self.unknown)
    }
}

/// Runs of one series as numbers' text: `浙作登字-2026-F-00000002` or
/// `浙作登字-2026-F-00000002–00000005`.
pub fn runs_text(prefix: &str, year: i32, letter: char, runs: &[SerialRun]) -> Vec<String> {
    let n = |serial| RegistrationNumber {
        prefix: prefix.to_string(),
        year,
        letter,
        serial,
    };
    runs.iter()
        .map(|r| {
            if r.first == r.last {
                n(r.first).to_string()
            } else {
                format!("{}–{:08}", n(r.first), r.last)
            }
        })
        .collect()
}

/// Audits one prefix/year/letter: serials `1..=high` are issued; `fates` are
/// what each record says of a serial (the ledger and the leases may both
/// speak of one). A serial with no fate, with fates that disagree, or above
/// `high` is unknown.
pub fn audit_serials(prefix: &str, year: i32, letter: char, high: u64, fates: &[(u64, SerialFate)]) -> NumberAuditLine {
    let mut sorted: Vec<(u64, SerialFate)> = fates.to_vec();
    sorted.sort_unstable_by_key(|(s, f)| (*s, *f as u8));
    sorted.dedup();
    let mut line = NumberAuditLine {
        prefix: prefix.to_string(),
        year,
        letter,
        issued: high,
        used: 0,
        voided: 0,
        returned: 0,
        outstanding: 0,
        unknown: Vec::new(),
    };
    let mut unknown: Vec<u64> = Vec::new();
    let mut i = 0;
    let mut expected = 1u64;
    while i < sorted.len() {
        let serial = sorted[i].0;
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == serial {
            j += 1;
        }
        // Serials below this one with no record at all.
        let upto = serial.min(high.saturating_add(1));
        if upto > expected {
            unknown.extend(expected..upto);
        }
        if serial == 0 || serial > high || j - i > 1 {
            unknown.push(serial);
        } else {
            match sorted[i].1 {
                SerialFate::Used => line.used += 1,
                SerialFate::Voided => line.voided += 1,
                SerialFate::Returned => line.returned += 1,
                SerialFate::Outstanding => line.outstanding += 1,
            }
        }
        expected = expected.max(upto).max(serial.min(high).saturating_add(1));
        i = j;
    }
    if expected <= high {
        unknown.extend(expected..=high);
    }
    line.unknown = serial_runs(unknown);
    line
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const P: &str = "浙作登字";

    fn num(s: &str) -> RegistrationNumber {
        s.parse().unwrap()
    }

    #[test]
    fn format_and_parse() {
        let n = RegistrationNumber::new(P, 2026, 'F', 12345).unwrap();
        assert_eq!(n.to_string(), "浙作登字-2026-F-00012345");
        assert_eq!(num("浙作登字-2026-F-00012345"), n);
        assert_eq!(num(" 浙作登字-2026-F-123456789 ").serial, 123_456_789);
        assert_eq!(num("国作登字-2015-F-00230629").prefix, "国作登字");
    }

    #[test]
    fn parse_errors() {
        let table = [
            ("", "shape"),
            ("浙作登字-2026-F", "shape"),
            ("-2026-F-00000001", "bad_prefix"),
            ("浙作 登字-2026-F-00000001", "bad_prefix"),
            ("浙作登字-26-F-00000001", "bad_year"),
            ("浙作登字-２０２６-F-00000001", "bad_year"),
            ("浙作登字-0999-F-00000001", "bad_year"),
            ("浙作登字-2026-f-00000001", "bad_letter"),
            ("浙作登字-2026-FF-00000001", "bad_letter"),
            ("浙作登字-2026--00000001", "bad_letter"),
            ("浙作登字-2026-F-0012345", "bad_serial"),
            ("浙作登字-2026-F-000123456", "bad_serial"),
            ("浙作登字-2026-F-00000000", "bad_serial"),
            ("浙作登字-2026-F-0001234a", "bad_serial"),
            ("浙作登字-2026-F-99999999999999999999999", "bad_serial"),
        ];
        for (s, code) in table {
            let e = s.parse::<RegistrationNumber>().unwrap_err();
            assert_eq!(e.code(), code, "{s}: {e}");
        }
        let e = "浙作登字-2026-F-0012345".parse::<RegistrationNumber>().unwrap_err();
        assert!(e.to_string().contains("流水号“0012345”无效"), "{e}");
        assert_eq!(
            RegistrationNumber::new(P, 2026, 'F', 0).unwrap_err().code(),
            "bad_serial"
        );
        assert_eq!(
            RegistrationNumber::new("浙-作", 2026, 'F', 1).unwrap_err().code(),
            "bad_prefix"
        );
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(
            prefix in "[\u{4e00}-\u{9fa5}A-Za-z0-9]{1,16}",
            year in 1000i32..=9999,
            letter in proptest::char::range('A', 'Z'),
            serial in 1u64..=u64::MAX,
        ) {
            let n = RegistrationNumber::new(&prefix, year, letter, serial).unwrap();
            let s = n.to_string();
            prop_assert!(s.rsplit('-').next().unwrap().len() >= SERIAL_MIN_DIGITS);
            prop_assert_eq!(s.parse::<RegistrationNumber>(), Ok(n));
        }
    }

    #[test]
    fn default_letters() {
        let t = CategoryLetters::default();
        let table = [
            (WorkCategory::Text, 'A'),
            (WorkCategory::Oral, 'B'),
            (WorkCategory::Quyi, 'E'),
            (WorkCategory::FineArt, 'F'),
            (WorkCategory::Photography, 'G'),
            (WorkCategory::Dance, 'H'),
            (WorkCategory::Audiovisual, 'I'),
            (WorkCategory::Acrobatics, 'J'),
            (WorkCategory::Architecture, 'K'),
            (WorkCategory::Other, 'L'),
            (WorkCategory::EngineeringDrawing, 'M'),
            (WorkCategory::Model, 'Q'),
        ];
        // Every confirmed letter is in the default; no other category has a confirmed letter.
        for (c, l) in CONFIRMED_LETTERS {
            assert_eq!(t.letter_of(c), Some(l), "{c}");
            assert_eq!(confirmed_letter(c), Some(l));
        }
        assert_eq!(confirmed_letter(WorkCategory::Dance), None);
        for (c, l) in table {
            assert_eq!(t.letter_of(c), Some(l), "{c}");
            assert_eq!(t.category_of(l), Some(c));
        }
        // The default is itself a valid table, and its text form parses back.
        assert_eq!(CategoryLetters::from_entries(t.entries()), Ok(t.clone()));
        assert_eq!(CategoryLetters::parse(&t.to_text()), Ok(t.clone()));
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<CategoryLetters>(&json).unwrap(), t);
    }

    #[test]
    fn letter_table_errors() {
        let default = CategoryLetters::default().to_text();
        let table = [
            (default.replace("B 口述\n", ""), "missing_category", "缺少：口述"),
            (
                default.replace("B 口述", "F 口述"),
                "duplicate_letter",
                "第 8 行：字母 F 已分给“口述”（第 2 行）",
            ),
            (
                default.replace("B 口述", "B 文字"),
                "duplicate_category",
                "第 2 行：类别“文字”重复出现（第 1 行）",
            ),
            (
                default.replace("B 口述", "b 口述"),
                "bad_letter",
                "第 2 行：口述的字母“b”无效",
            ),
            (default.replace("B 口述", "BB 口述"), "bad_letter", "第 2 行"),
            (
                default.replace("B 口述", "B 软件"),
                "unknown_category",
                "第 2 行：无法识别作品类别“软件”",
            ),
            (default.replace("B 口述", "B"), "syntax", "第 2 行"),
        ];
        for (text, code, msg) in table {
            let e = CategoryLetters::parse(&text).unwrap_err();
            assert_eq!(e.code(), code, "{e}");
            assert!(e.to_string().contains(msg), "{e}");
        }
        // Codes, labels with 作品 and comments are accepted; order does not matter.
        let shuffled: String = format!("# 本省字母表\n{}", default.lines().rev().collect::<Vec<_>>().join("\n"))
            .replace("F 美术", "F 美术作品")
            .replace("A 文字", "A text");
        assert_eq!(CategoryLetters::parse(&shuffled), Ok(CategoryLetters::default()));
        let bad = r#"{"entries":[{"category":"text","letter":"A"}]}"#;
        assert!(serde_json::from_str::<CategoryLetters>(bad).is_err());
    }

    fn ledger(first: u64, last: u64) -> SerialLedger {
        let mut l = SerialLedger::new();
        l.hold(SerialBlock::new(P, 2026, 'F', first, last).unwrap()).unwrap();
        l
    }

    #[test]
    fn allocation_order_and_exhaustion() {
        let mut l = ledger(101, 103);
        // A second, earlier block is used first; another letter is counted apart.
        l.hold(SerialBlock::new(P, 2026, 'F', 1, 2).unwrap()).unwrap();
        l.hold(SerialBlock::new(P, 2026, 'A', 1, 1).unwrap()).unwrap();
        let got: Vec<u64> = (0..5).map(|_| l.allocate(P, 2026, 'F').unwrap().serial).collect();
        assert_eq!(got, vec![1, 2, 101, 102, 103]);
        assert_eq!(l.remaining(P, 2026, 'F'), 0);
        let e = l.allocate(P, 2026, 'F').unwrap_err();
        assert_eq!(e.code(), "no_serial_left");
        assert_eq!(
            e.to_string(),
            "本站持有的 浙作登字-2026-F 号段已用完，请联网同步领取新号段"
        );
        assert_eq!(
            l.allocate(P, 2026, 'A').unwrap().to_string(),
            "浙作登字-2026-A-00000001"
        );
        assert_eq!(l.allocate(P, 2025, 'F').unwrap_err().code(), "no_serial_left");
        let by_cat = l.allocate_for(P, 2026, WorkCategory::Text, &CategoryLetters::default());
        assert_eq!(by_cat.unwrap_err().code(), "no_serial_left");
        l.check_no_gap().unwrap();
    }

    #[test]
    fn block_rules() {
        assert_eq!(SerialBlock::new(P, 2026, 'F', 0, 5).unwrap_err().code(), "bad_block");
        assert_eq!(SerialBlock::new(P, 2026, 'F', 6, 5).unwrap_err().code(), "bad_block");
        assert_eq!(SerialBlock::new(P, 2026, '1', 1, 5).unwrap_err().code(), "bad_letter");
        assert_eq!(SerialBlock::new(P, 2026, 'F', 5, 5).unwrap().len(), 1);
        let mut l = ledger(10, 20);
        assert_eq!(
            l.hold(SerialBlock::new(P, 2026, 'F', 20, 30).unwrap())
                .unwrap_err()
                .code(),
            "block_overlap"
        );
        assert_eq!(
            l.hold(SerialBlock::new(P, 2026, 'F', 1, 10).unwrap())
                .unwrap_err()
                .code(),
            "block_overlap"
        );
        l.hold(SerialBlock::new(P, 2026, 'F', 21, 30).unwrap()).unwrap();
        l.hold(SerialBlock::new(P, 2027, 'F', 10, 20).unwrap()).unwrap();
        assert_eq!(l.remaining(P, 2026, 'F'), 21);
    }

    #[test]
    fn voiding() {
        let mut l = ledger(1, 5);
        let first = l.allocate(P, 2026, 'F').unwrap();
        // Without a reason: refused, nothing changes.
        for reason in ["", "   "] {
            assert_eq!(l.void(&first, reason), Err(RegNoError::VoidReasonRequired));
        }
        assert_eq!(l.state_of(&first), Some(&SerialState::Used));
        // Void a used serial and a free one ahead; neither is given out again.
        l.void(&first, " 终审撤回，证书未打印 ").unwrap();
        assert_eq!(
            l.state_of(&first),
            Some(&SerialState::Voided {
                reason: "终审撤回，证书未打印".to_string()
            })
        );
        l.void(&num("浙作登字-2026-F-00000002"), "号码登记错误").unwrap();
        let got: Vec<u64> = (0..3).map(|_| l.allocate(P, 2026, 'F').unwrap().serial).collect();
        assert_eq!(got, vec![3, 4, 5]);
        assert_eq!(l.allocate(P, 2026, 'F').unwrap_err().code(), "no_serial_left");
        assert_eq!(l.void(&first, "再次作废").unwrap_err().code(), "already_voided");
        assert_eq!(
            l.void(&num("浙作登字-2026-F-00000009"), "x").unwrap_err().code(),
            "not_held"
        );
        assert_eq!(
            l.void(&num("浙作登字-2026-A-00000001"), "x").unwrap_err().code(),
            "not_held"
        );
        l.check_no_gap().unwrap();
    }

    #[test]
    fn gap_detection() {
        let mut l = ledger(1, 10);
        for _ in 0..3 {
            l.allocate(P, 2026, 'F').unwrap();
        }
        // Voiding ahead of the used ones is not a gap (allocation fills 4 and 5 first).
        l.void(&num("浙作登字-2026-F-00000006"), "纸张损坏").unwrap();
        assert_eq!(l.gaps(), vec![]);
        // A stored ledger whose records skip serials 4 and 5 below a used 7 is refused.
        let mut stored = l.clone();
        stored.blocks[0].records.push(SerialRecord {
            serial: 7,
            state: SerialState::Used,
        });
        let gaps: Vec<u64> = stored.gaps().iter().map(|n| n.serial).collect();
        assert_eq!(gaps, vec![4, 5]);
        let e = stored.check_no_gap().unwrap_err();
        assert_eq!(e.code(), "gap");
        assert!(e.to_string().contains("浙作登字-2026-F-00000004"), "{e}");
        assert!(e.to_string().contains("共 2 个跳号"), "{e}");
        // Recording the missing ones as voided closes the gap.
        stored.void(&num("浙作登字-2026-F-00000004"), "补登作废").unwrap();
        stored.void(&num("浙作登字-2026-F-00000005"), "补登作废").unwrap();
        stored.check_no_gap().unwrap();
        let json = serde_json::to_string(&stored).unwrap();
        assert!(json.contains(r#""state":"voided","reason":"补登作废""#), "{json}");
        assert_eq!(serde_json::from_str::<SerialLedger>(&json).unwrap(), stored);
    }

    #[test]
    fn giving_back_and_free_serials() {
        let mut l = ledger(1, 6);
        let first = l.allocate(P, 2026, 'F').unwrap();
        l.void(&num("浙作登字-2026-F-00000003"), "打印错误").unwrap();
        let free: Vec<u64> = l.free().iter().map(|n| n.serial).collect();
        assert_eq!(free, vec![2, 4, 5, 6]);
        // A used or voided serial cannot be given back; a free one can, once.
        assert_eq!(l.give_back(&first).unwrap_err().code(), "not_free");
        assert_eq!(
            l.give_back(&num("浙作登字-2026-F-00000003")).unwrap_err().code(),
            "not_free"
        );
        l.give_back(&num("浙作登字-2026-F-00000002")).unwrap();
        assert_eq!(
            l.give_back(&num("浙作登字-2026-F-00000002")).unwrap_err().code(),
            "not_free"
        );
        assert_eq!(
            l.give_back(&num("浙作登字-2026-F-00000009")).unwrap_err().code(),
            "not_held"
        );
        assert_eq!(
            l.state_of(&num("浙作登字-2026-F-00000002")),
            Some(&SerialState::Returned)
        );
        // A returned serial is never given out by this station again.
        assert_eq!(l.allocate(P, 2026, 'F').unwrap().serial, 4);
        assert_eq!(l.remaining(P, 2026, 'F'), 2);
        l.check_no_gap().unwrap();
    }

    #[test]
    fn runs_of_serials() {
        assert_eq!(serial_runs([]), vec![]);
        assert_eq!(
            serial_runs([7, 3, 4, 5, 9, 4, 10]),
            vec![
                SerialRun { first: 3, last: 5 },
                SerialRun { first: 7, last: 7 },
                SerialRun { first: 9, last: 10 }
            ]
        );
        assert_eq!(serial_runs([u64::MAX, u64::MAX - 1]).len(), 1);
    }

    #[test]
    fn audit_balances_and_names_unknown_serials() {
        use SerialFate::*;
        // 1–3 used (the ledger and the lease agree on 2), 4 voided, 5 returned, 6–7 outstanding.
        let fates = [
            (1, Used),
            (2, Used),
            (2, Used),
            (3, Used),
            (4, Voided),
            (5, Returned),
            (6, Outstanding),
            (7, Outstanding),
        ];
        let line = audit_serials(P, 2026, 'F', 7, &fates);
        assert_eq!(
            (line.issued, line.used, line.voided, line.returned, line.outstanding),
            (7, 3, 1, 1, 2)
        );
        assert!(line.balanced(), "{line:?}");
        // Serials with no record, with records that disagree, or above the highest are named.
        let fates = [(1, Used), (3, Used), (3, Outstanding), (4, Voided), (9, Used)];
        let line = audit_serials(P, 2026, 'F', 6, &fates);
        assert!(!line.balanced());
        assert_eq!(
            line.unknown,
            vec![
                SerialRun { first: 2, last: 3 },
                SerialRun { first: 5, last: 6 },
                SerialRun { first: 9, last: 9 }
            ]
        );
        assert_eq!(line.unknown_count(), 5);
        assert_eq!((line.used, line.voided), (1, 1));
        assert_eq!(
            line.unknown_text(),
            vec![
                "浙作登字-2026-F-00000002–00000003",
                "浙作登字-2026-F-00000005–00000006",
                "浙作登字-2026-F-00000009"
            ]
        );
        // Nothing issued, nothing known: balanced.
        assert!(audit_serials(P, 2026, 'F', 0, &[]).balanced());
        assert_eq!(
            audit_serials(P, 2026, 'F', 2, &[]).unknown,
            vec![SerialRun { first: 1, last: 2 }]
        );
    }
}
