//! 制证（docs/DOMAIN.md §8–§9）：the electronic certificate of a registered
//! case, the desk's queue 待制证, printing certificates in batches (full or
//! overprinted on pre-printed blanks, with each printer's offset), every
//! sheet printed recorded and spoiled sheets voided, the verification address
//! the QR code carries, the printers' offsets, and the category-letter tables.
//!
//! Each change is one command (`Store::run`): one transaction, one journal
//! entry, one audit entry. Who may do what and whether a certificate may be
//! printed are the domain's rules (`certificate`, `Permission::PrintCertificates`).

use chrono::{DateTime, NaiveDate, Utc};
use regdesk_domain::category::WorkCategory;
use regdesk_domain::certificate::{self as rules, NumberState, PrintKind};
use regdesk_domain::filing::{parse_partial_date, Delivery};
use regdesk_domain::regno::{confirmed_letter, CategoryLetters};
use regdesk_domain::staff::{require, Permission};
use regdesk_domain::work::PublicationStatus;
use regdesk_domain::FieldError;
use regdesk_print::{Certificate, CertificateMode, SheetLayout};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::cases::{load, Row};
use crate::codes::{code, from_code};
use crate::error::{Result, StoreError};
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::{office_date, Store};

// ---------------------------------------------------------------- inputs and views

/// 待制证的筛选条件（都可不填）。
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct CertificateQueueFilter {
    /// 登记日期自（含）
    pub registered_from: Option<NaiveDate>,
    /// 登记日期至（含）
    pub registered_to: Option<NaiveDate>,
    pub category: Option<WorkCategory>,
    pub delivery: Option<Delivery>,
    /// 申请人或代理机构名称中的文字
    pub party: String,
    /// 也列出证书已打印过的（重印用）
    pub include_printed: bool,
    /// 翻页位置：上一次结果的 `next` 或 `previous`，原样交回；不给时为第一页。
    /// 筛选条件须与那一次相同。
    #[serde(default)]
    #[ts(optional)]
    pub cursor: Option<String>,
    /// 每页条数（默认 [`CERTIFICATE_PAGE`]，至多 [`CERTIFICATE_PAGE_MAX`]）
    #[serde(default)]
    #[ts(optional)]
    pub page_size: Option<u32>,
}

/// Rows a page of 待制证 holds unless the filter asks for another size.
pub const CERTIFICATE_PAGE: u32 = 50;
/// The most rows one page of 待制证 holds.
pub const CERTIFICATE_PAGE_MAX: u32 = 500;
/// How far a filtered 待制证 list (or the list with the printed) counts before
/// it says "more than": the unfiltered list of the unprinted is counted whole.
pub const CERTIFICATE_COUNT_CAP: u32 = 1000;

/// 待制证的一页。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificatePage {
    pub rows: Vec<CertificateRow>,
    /// 符合条件的件数；筛选或含已打印时只数到 [`CERTIFICATE_COUNT_CAP`] 为止（见 `more`）
    pub total: u32,
    /// 符合条件的多于 `total`（不再往下数）
    pub more: bool,
    /// 下一页的翻页位置（交回 `CertificateQueueFilter.cursor`）；没有下一页时为空
    pub next: Option<String>,
    /// 上一页的翻页位置；第一页时为空
    pub previous: Option<String>,
}

/// A statement's values: `first`, then `last`.
fn values<'a>(first: &[&'a dyn rusqlite::ToSql], last: &[&'a dyn rusqlite::ToSql]) -> Vec<&'a dyn rusqlite::ToSql> {
    first.iter().chain(last).copied().collect()
}

/// One row of 待制证 as the query reads it.
struct Listed {
    case_id: String,
    number: String,
    issued_at: DateTime<Utc>,
    serial: String,
    title: String,
    category: Option<String>,
    applicant_name: String,
    delivery: Option<String>,
}

/// Where a page of 待制证 starts: after or before a registration number.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PageCursor {
    After(String),
    Before(String),
}

impl PageCursor {
    fn parse(text: &str) -> Result<Self> {
        let bad = || {
            StoreError::Invalid(vec![FieldError::new(
                "cursor",
                "invalid",
                "翻页位置无法识别，请回到第一页重新翻页",
            )])
        };
        let (side, number) = text.split_once(':').ok_or_else(bad)?;
        if number.is_empty() {
            return Err(bad());
        }
        match side {
            "after" => Ok(PageCursor::After(number.to_string())),
            "before" => Ok(PageCursor::Before(number.to_string())),
            _ => Err(bad()),
        }
    }

    fn number(&self) -> &str {
        match self {
            PageCursor::After(n) | PageCursor::Before(n) => n,
        }
    }
}

impl std::fmt::Display for PageCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageCursor::After(n) => write!(f, "after:{n}"),
            PageCursor::Before(n) => write!(f, "before:{n}"),
        }
    }
}

/// 待制证队列的一行。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificateRow {
    pub case_id: String,
    pub serial: String,
    pub registration_number: String,
    pub title: String,
    pub category: Option<WorkCategory>,
    pub applicant_name: String,
    pub delivery: Option<Delivery>,
    pub registered_on: NaiveDate,
    /// 已打印且未作废的证书纸张数；大于 0 时再打印即为重印，须填原因
    pub printed_sheets: u32,
}

/// 打印证书：哪些登记号（按登记号排序后打印）、方式、打印机、重印原因、预印纸起始编号。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct PrintCertificatesInput {
    pub numbers: Vec<String>,
    pub mode: CertificateModeInput,
    /// 打印机名称；空：在看图程序中打开（不加偏移）
    pub printer: String,
    /// 重印原因（有证书已打印过时必填）
    pub reprint_reason: String,
    /// 第一张预印证书纸的编号（套打时），后续各张依次加一；空：不记录
    pub first_sheet_number: String,
}

/// 打印方式。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CertificateModeInput {
    /// 整页打印（白纸）
    #[default]
    Full,
    /// 套打（预印证书纸，仅打印数据）
    Overprint,
}

impl CertificateModeInput {
    fn print_mode(self) -> CertificateMode {
        match self {
            Self::Full => CertificateMode::Full,
            Self::Overprint => CertificateMode::Overprint,
        }
    }
    fn code(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Overprint => "overprint",
        }
    }
}

/// 未打印的一份证书及原因。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SkippedCertificate {
    pub registration_number: String,
    pub message: String,
}

/// 一张证书纸。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificateSheetView {
    pub id: String,
    pub print_id: String,
    pub registration_number: String,
    pub serial: String,
    pub kind: PrintKind,
    pub reprint_reason: String,
    pub sheet_number: Option<String>,
    /// printed 已打印 / voided 已作废 / recalled 已收回（登记已撤销）
    pub state: String,
    pub printed_at: DateTime<Utc>,
    pub printed_by: String,
    pub changed_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
}

/// 打印结果：打印了什么、跳过了什么及原因。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrintSummary {
    pub print_id: String,
    pub printed: u32,
    pub reprinted: u32,
    pub skipped: Vec<SkippedCertificate>,
    pub sheets: Vec<CertificateSheetView>,
}

/// 作废一张证书纸（废证）。
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct VoidSheetInput {
    pub sheet_id: String,
    pub reason: String,
}

/// 证书打印机及其偏移。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PrinterView {
    pub name: String,
    pub offset_x_mm: f64,
    pub offset_y_mm: f64,
    #[ts(type = "number")]
    pub version: i64,
}

/// 保存证书打印机的偏移（新打印机 version 填 0）。
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct PrinterInput {
    pub name: String,
    pub offset_x_mm: f64,
    pub offset_y_mm: f64,
    #[ts(type = "number")]
    pub version: i64,
}

/// 证书设置：查验地址与打印机。
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CertificateSettingsView {
    /// 证书二维码打开的查验地址（登记号与查验码附在其后）；空：未设置，不能出证
    pub verification_url: String,
    #[ts(type = "number")]
    pub version: i64,
    pub printers: Vec<PrinterView>,
}

/// 修改查验地址。
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct VerificationUrlInput {
    pub verification_url: String,
    #[ts(type = "number")]
    pub version: i64,
}

/// 类别字母表中的一行。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LetterEntryView {
    pub category: WorkCategory,
    pub label: String,
    pub letter: String,
    /// 真实证书上已确认的字母；None：未见实例，表中字母为推定
    pub confirmed_letter: Option<String>,
    /// 表中字母与已确认的字母相同
    pub confirmed: bool,
}

/// 一张类别字母表。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LetterTableView {
    /// 启用日期；None：内置默认表
    pub starts_on: Option<NaiveDate>,
    pub text: String,
    pub entries: Vec<LetterEntryView>,
}

/// 类别字母表：现行的、以后启用的，以及按现行表已分配的登记号。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LetterTablesView {
    pub in_force: LetterTableView,
    pub scheduled: Vec<LetterTableView>,
    /// 按现行表已分配的登记号数；大于 0 时修改须填写启用日期
    #[ts(type = "number")]
    pub numbers_issued: i64,
    pub last_issued_on: Option<NaiveDate>,
}

/// 修改类别字母表：文本（每行“字母 类别”）与启用日期。
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct SetLettersInput {
    pub text: String,
    pub starts_on: Option<NaiveDate>,
}

/// 打印结果与文件：the summary, where the PDF was written, and the printer it
/// was sent to ('' = opened in the system viewer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrintedCertificates {
    pub summary: PrintSummary,
    pub file: String,
    pub printer: String,
    /// What went wrong after the sheets were recorded (the viewer or the printer
    /// could not be reached); '' when nothing did. The file is kept either way.
    pub note: String,
}

/// 批量打印的进度（事件 `certificate-progress`）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CertificateProgress {
    pub done: u32,
    pub total: u32,
}

/// 打印校准页：打印机（空：看图程序）与方式。
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct CalibrationInput {
    pub printer: String,
    pub mode: CertificateModeInput,
}

/// 本机打印机：whether the system has a print service (CUPS `lp`) and the
/// printers it names. Without one, certificates open in the system viewer only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct SystemPrinters {
    pub service: bool,
    pub printers: Vec<String>,
}

/// Printer names from `lpstat -e` (one destination a line; blank lines ignored).
pub fn parse_printer_list(output: &str) -> Vec<String> {
    let mut names: Vec<String> = output
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().any(char::is_whitespace))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

// ---------------------------------------------------------------- helpers

fn refused(code: &str, message: impl Into<String>) -> StoreError {
    StoreError::Refused {
        code: code.to_string(),
        message: message.into(),
    }
}

fn print_failed(e: regdesk_print::PrintError) -> StoreError {
    match e {
        regdesk_print::PrintError::Cancelled => refused("cancelled", "已取消打印，未记录任何证书纸"),
        regdesk_print::PrintError::QrCode(_) => refused(e.code(), e.to_string()),
        e => StoreError::Corrupt(e.to_string()),
    }
}

/// 2026年03月07日 (the certificate's dates, zero-padded).
pub fn certificate_date(d: NaiveDate) -> String {
    d.format("%Y年%m月%d日").to_string()
}

/// A typed partial date as the certificate prints it; the text itself when it does not parse.
fn typed_certificate_date(typed: &str) -> String {
    match parse_partial_date("", "", typed) {
        Ok(d) => match (d.month, d.day) {
            (Some(m), Some(day)) => format!("{}年{m:02}月{day:02}日", d.year),
            (Some(m), None) => format!("{}年{m:02}月", d.year),
            _ => format!("{}年", d.year),
        },
        Err(_) => typed.trim().to_string(),
    }
}

/// The registration number's ledger entry: state, check code, issue time.
struct Ledger {
    case_id: String,
    state: NumberState,
    check_code: String,
    issued_at: DateTime<Utc>,
}

fn ledger(conn: &Connection, number: &str) -> Result<Ledger> {
    /// case_id, state, check_code, issued_at as stored.
    type LedgerRow = (Option<String>, String, Option<String>, DateTime<Utc>);
    let row: Option<LedgerRow> = conn
        .query_row(
            "SELECT case_id, state, check_code, issued_at FROM registration_numbers WHERE number = ?1",
            [number],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((case_id, state, check, issued_at)) = row else {
        return Err(StoreError::NotFound {
            what: "登记号",
            id: number.to_string(),
        });
    };
    let state = match state.as_str() {
        "used" => NumberState::Used,
        "voided" => NumberState::Voided,
        "revoked" => NumberState::Revoked,
        other => return Err(StoreError::Corrupt(format!("登记号 {number} 的状态“{other}”无法识别"))),
    };
    Ok(Ledger {
        case_id: case_id.ok_or_else(|| StoreError::Corrupt(format!("登记号 {number} 没有对应的案件")))?,
        state,
        check_code: check.unwrap_or_default(),
        issued_at,
    })
}

fn printed_sheets(conn: &Connection, number: &str) -> Result<u32> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM certificate_sheets WHERE registration_number = ?1 AND state = 'printed'")?
        .query_row([number], |r| r.get(0))?)
}

/// The verification address and its version; ('', 0) before an admin set one.
fn verification_url(conn: &Connection) -> Result<(String, i64)> {
    Ok(conn
        .query_row(
            "SELECT verification_url, version FROM certificate_settings WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((String::new(), 0)))
}

/// The address the QR code carries: the office's verification address with
/// the number and the check code as query parameters.
fn verification_link(base: &str, number: &str, check: &str) -> Result<String> {
    if base.trim().is_empty() {
        return Err(refused(
            "no_verification_url",
            "尚未设置证书查验地址：请管理员在 管理 → 证书 中填写后再出证",
        ));
    }
    let mut url = url::Url::parse(base.trim())
        .map_err(|e| refused("bad_verification_url", format!("证书查验地址无效（{e}），请管理员改正")))?;
    url.query_pairs_mut()
        .append_pair("no", number)
        .append_pair("code", check);
    Ok(url.to_string())
}

/// Checks an address an admin typed: absolute http(s).
fn parse_verification_url(value: &str) -> std::result::Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    let bad = |why: &str| {
        FieldError::new(
            "verification_url",
            "bad_url",
            format!("证书查验地址{why}，应写成完整网址，如 https://bq.example.cn/zsyz"),
        )
    };
    let url = url::Url::parse(v).map_err(|_| bad("无法识别"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad("须以 http:// 或 https:// 开头并含有域名"));
    }
    Ok(v.to_string())
}

/// Everything the certificate of a registered case prints.
fn certificate_of(row: &Row, number: &str, registered_on: NaiveDate, link: String, office: &str) -> Certificate {
    let d = &row.draft;
    let w = &d.work;
    let published = match w.publication {
        Some(PublicationStatus::Published) => Some(typed_certificate_date(&w.first_published_on)),
        _ => None,
    };
    let category = w
        .category
        .map(|c| {
            let l = c.label();
            if l.ends_with("作品") {
                l.to_string()
            } else {
                format!("{l}作品")
            }
        })
        .unwrap_or_default();
    Certificate {
        office_name: office.to_string(),
        registration_number: number.to_string(),
        work_title: w.title.trim().to_string(),
        category,
        authors: d.authors.iter().map(|a| a.name.trim().to_string()).collect(),
        owners: d.owners.iter().map(|o| o.name.trim().to_string()).collect(),
        completed_on: typed_certificate_date(&w.completed_on),
        published_on: published,
        applicant: row.applicant_name.trim().to_string(),
        registered_on: certificate_date(registered_on),
        verification_link: link,
    }
}

fn office_name(conn: &Connection) -> Result<String> {
    conn.query_row("SELECT name FROM office WHERE id = 1", [], |r| r.get(0))
        .optional()?
        .ok_or(StoreError::NotSetUp)
}

fn sheet_view(r: &rusqlite::Row<'_>) -> rusqlite::Result<(CertificateSheetView, String)> {
    let kind: String = r.get(4)?;
    Ok((
        CertificateSheetView {
            id: r.get(0)?,
            print_id: r.get(1)?,
            registration_number: r.get(2)?,
            serial: r.get(3)?,
            kind: if kind == "reprint" {
                PrintKind::Reprint
            } else {
                PrintKind::First
            },
            reprint_reason: r.get(5)?,
            sheet_number: r.get(6)?,
            state: r.get(7)?,
            printed_at: r.get(8)?,
            printed_by: r.get(9)?,
            changed_at: r.get(10)?,
            reason: r.get(11)?,
        },
        kind,
    ))
}

const SHEET_SELECT: &str = "SELECT s.id, s.print_id, s.registration_number, c.serial, s.kind, s.reprint_reason,
        s.sheet_number, s.state, s.printed_at, st.display_name, s.changed_at, s.reason
     FROM certificate_sheets s JOIN cases c ON c.id = s.case_id JOIN staff st ON st.id = s.printed_by";

fn sheets_where(conn: &Connection, cond: &str, param: &str) -> Result<Vec<CertificateSheetView>> {
    let mut stmt = conn.prepare(&format!("{SHEET_SELECT} WHERE {cond} ORDER BY s.printed_at, s.rowid"))?;
    let rows = stmt
        .query_map([param], |r| sheet_view(r).map(|(v, _)| v))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The letter table in force on `day`: the latest stored start on or before
/// it, else the built-in default; with its start.
pub(crate) fn letters_on(conn: &Connection, day: NaiveDate) -> Result<(Option<NaiveDate>, CategoryLetters)> {
    let row: Option<(NaiveDate, String)> = conn
        .query_row(
            "SELECT starts_on, letters FROM category_letter_tables WHERE starts_on <= ?1
             ORDER BY starts_on DESC LIMIT 1",
            [day],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok((None, CategoryLetters::default())),
        Some((start, text)) => {
            let t = CategoryLetters::parse(&text)
                .map_err(|e| StoreError::Corrupt(format!("{start} 起的类别字母表无法读取：{e}")))?;
            Ok((Some(start), t))
        }
    }
}

fn table_view(starts_on: Option<NaiveDate>, t: &CategoryLetters) -> LetterTableView {
    LetterTableView {
        starts_on,
        text: t.to_text(),
        entries: t
            .entries()
            .iter()
            .map(|e| {
                let confirmed = confirmed_letter(e.category);
                LetterEntryView {
                    category: e.category,
                    label: e.category.label().to_string(),
                    letter: e.letter.to_string(),
                    confirmed_letter: confirmed.map(|c| c.to_string()),
                    confirmed: confirmed == Some(e.letter),
                }
            })
            .collect(),
    }
}

/// Numbers issued under the table in force on `today` (from its start on), and the day of the last.
fn issued_under(conn: &Connection, start: Option<NaiveDate>) -> Result<(i64, Option<NaiveDate>)> {
    // Starts are office dates; issue times are UTC: compare by the office date of each.
    let mut stmt = conn.prepare("SELECT issued_at FROM registration_numbers")?;
    let mut count = 0i64;
    let mut last: Option<NaiveDate> = None;
    for t in stmt.query_map([], |r| r.get::<_, DateTime<Utc>>(0))? {
        let day = office_date(t?);
        if start.is_none_or(|s| day >= s) {
            count += 1;
            last = last.max(Some(day));
        }
    }
    Ok((count, last))
}

// ---------------------------------------------------------------- the commands

/// A certificate ready to render, with what the record needs.
struct Prepared {
    number: String,
    case_id: String,
    kind: PrintKind,
    certificate: Certificate,
    sort: (String, i64, String, i64),
}

impl Store {
    fn certificate_actor(&self, session: &Session) -> Result<regdesk_domain::lifecycle::Actor> {
        actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::PrintCertificates),
        )
    }

    /// 待制证（制证发证岗位）：已登记、证书未打印的案件，按登记号排序，一页一页地列出；
    /// 可按登记日期、类别、领取方式、申请人或代理机构筛选；`include_printed` 也列出已打印的
    /// （重印用）。The unprinted come from `certificate_waiting` (migration 032) and the
    /// others from the cases' registration-number index, both walked in the list's order
    /// from the page's cursor, so a page reads its own rows and no more.
    pub fn certificate_queue(&self, session: &Session, filter: &CertificateQueueFilter) -> Result<CertificatePage> {
        self.certificate_actor(session)?;
        let conn = self.conn();
        let size = filter
            .page_size
            .unwrap_or(CERTIFICATE_PAGE)
            .clamp(1, CERTIFICATE_PAGE_MAX) as usize;
        // CROSS JOIN keeps the walk in the list's order (the number's index), each
        // row's case and ledger row looked up from it: left to itself SQLite read
        // the whole ledger and sorted it.
        let (from, key) = if filter.include_printed {
            (
                "cases c",
                "c.registration_number IS NOT NULL AND +c.state IN ('registered', 'mailed', 'picked_up')",
            )
        } else {
            ("certificate_waiting w CROSS JOIN cases c", "c.id = w.case_id")
        };
        let number = if filter.include_printed {
            "c.registration_number"
        } else {
            "w.registration_number"
        };
        let party = filter.party.trim();
        let category = filter.category.map(code);
        let delivery = filter.delivery.map(code);
        let filtered = filter.registered_from.is_some()
            || filter.registered_to.is_some()
            || category.is_some()
            || delivery.is_some()
            || !party.is_empty();
        // ?1 category, ?2 party, ?3 delivery, ?4 from, ?5 to (office dates), ?6 the cursor's number.
        // The unprinted are filtered on the list's own columns (its rows are small and in
        // order, so a filter that few rows match reads the list alone); the printed on the
        // case's and the ledger's.
        let filters = if filter.include_printed {
            format!(
                "(?1 IS NULL OR c.category = ?1)
                 AND (?2 = '' OR instr(c.applicant_name, ?2) > 0)
                 AND (?3 IS NULL OR json_extract(c.draft, '$.delivery') = ?3)
                 AND (?4 IS NULL OR date(n.issued_at, '+{h} hours') >= ?4)
                 AND (?5 IS NULL OR date(n.issued_at, '+{h} hours') <= ?5)",
                h = crate::OFFICE_UTC_OFFSET_HOURS
            )
        } else {
            "(?1 IS NULL OR w.category = ?1)
             AND (?2 = '' OR instr(w.applicant_name, ?2) > 0)
             AND (?3 IS NULL OR w.delivery = ?3)
             AND (?4 IS NULL OR w.registered_on >= ?4)
             AND (?5 IS NULL OR w.registered_on <= ?5)"
                .to_string()
        };
        let conditions = format!("{key} AND n.number = {number} AND n.state = 'used' AND {filters}");
        // What a filtered count reads: the list alone for the unprinted.
        let counted = if filter.include_printed {
            format!("{from} CROSS JOIN registration_numbers n WHERE {conditions}")
        } else {
            format!("certificate_waiting w WHERE {filters}")
        };
        let from = format!("{from} CROSS JOIN registration_numbers n");
        let cursor = match filter.cursor.as_deref() {
            None => None,
            Some(c) => Some(PageCursor::parse(c)?),
        };
        let (op, order) = match &cursor {
            Some(PageCursor::Before(_)) => ("<", "DESC"),
            _ => (">", ""),
        };
        // The first page starts after '' (before every number), so the walk is
        // always a range of the index from the cursor.
        let after = cursor.as_ref().map(PageCursor::number).unwrap_or("");
        // A row is read from the case's own columns (what its queue rows show),
        // the delivery from its filing: no case is opened whole.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT c.id, {number}, n.issued_at, c.serial, c.title, c.category, c.applicant_name,
                    json_extract(c.draft, '$.delivery')
             FROM {from}
             WHERE {conditions} AND {number} {op} ?6
             ORDER BY {number} {order} LIMIT ?7"
        ))?;
        // ?1–?5, the filter's values, for the page and for its count.
        let filter_values: [&dyn rusqlite::ToSql; 5] = [
            &category,
            &party,
            &delivery,
            &filter.registered_from,
            &filter.registered_to,
        ];
        let limit = (size + 1) as i64;
        let mut found = stmt
            .query_map(values(&filter_values, &[&after, &limit]).as_slice(), |r| {
                Ok(Listed {
                    case_id: r.get(0)?,
                    number: r.get(1)?,
                    issued_at: r.get(2)?,
                    serial: r.get(3)?,
                    title: r.get(4)?,
                    category: r.get(5)?,
                    applicant_name: r.get(6)?,
                    delivery: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        let beyond = found.len() > size;
        found.truncate(size);
        let backwards = matches!(cursor, Some(PageCursor::Before(_)));
        if backwards {
            found.reverse();
        }
        let first = found.first().map(|f| f.number.clone());
        let last = found.last().map(|f| f.number.clone());
        let (next, previous) = if backwards {
            (
                last.map(PageCursor::After),
                first.filter(|_| beyond).map(PageCursor::Before),
            )
        } else {
            (
                last.filter(|_| beyond).map(PageCursor::After),
                first.filter(|_| cursor.is_some()).map(PageCursor::Before),
            )
        };

        // The unfiltered list of the unprinted is counted whole (one small table);
        // any other is counted up to the cap, as the search boxes are.
        let (total, more) = if !filtered && !filter.include_printed {
            let n: i64 = conn
                .prepare_cached("SELECT count(*) FROM certificate_waiting")?
                .query_row([], |r| r.get(0))?;
            (u32::try_from(n).unwrap_or(u32::MAX), false)
        } else {
            let n: i64 = conn
                .prepare_cached(&format!("SELECT count(*) FROM (SELECT 1 FROM {counted} LIMIT ?6)"))?
                .query_row(
                    values(&filter_values, &[&(i64::from(CERTIFICATE_COUNT_CAP) + 1)]).as_slice(),
                    |r| r.get(0),
                )?;
            let more = n > i64::from(CERTIFICATE_COUNT_CAP);
            (
                u32::try_from(n.min(i64::from(CERTIFICATE_COUNT_CAP))).unwrap_or(CERTIFICATE_COUNT_CAP),
                more,
            )
        };

        let mut rows = Vec::with_capacity(found.len());
        for f in found {
            rows.push(CertificateRow {
                printed_sheets: printed_sheets(&conn, &f.number)?,
                case_id: f.case_id,
                serial: f.serial,
                registration_number: f.number,
                title: f.title.trim().to_string(),
                category: f.category.as_deref().and_then(WorkCategory::from_code),
                applicant_name: f.applicant_name,
                delivery: f.delivery.as_deref().map(|d| from_code("领取方式", d)).transpose()?,
                registered_on: office_date(f.issued_at),
            });
        }
        Ok(CertificatePage {
            rows,
            total,
            more,
            next: next.map(|c| c.to_string()),
            previous: previous.map(|c| c.to_string()),
        })
    }

    /// 电子证书（制证发证岗位）：登记号或流水号对应案件的证书 PDF（整页，无偏移），
    /// 文件名与内容。已撤销或作废的登记号不出证。
    pub fn certificate_pdf(&self, session: &Session, key: &str) -> Result<(String, Vec<u8>)> {
        self.certificate_actor(session)?;
        let conn = self.conn();
        let number = number_of(&conn, key)?;
        let l = ledger(&conn, &number)?;
        rules::may_print(&number, l.state, false, "").map_err(|e| refused(e.code(), e.to_string()))?;
        let row = load(&conn, &l.case_id)?;
        let (base, _) = verification_url(&conn)?;
        let link = verification_link(&base, &number, &l.check_code)?;
        let c = certificate_of(&row, &number, office_date(l.issued_at), link, &office_name(&conn)?);
        drop(conn);
        let pdf = regdesk_print::certificate(&c).map_err(print_failed)?;
        Ok((format!("{number}-作品登记证书.pdf"), pdf))
    }

    /// 打印证书（制证发证岗位）：the numbers sorted by registration number into one PDF,
    /// full or overprinted with the chosen printer's offset, `progress(done, total)` after
    /// each page (returning `false` cancels: nothing is recorded). Numbers that may not be
    /// printed (revoked, or printed before with no reprint reason) are skipped and named in
    /// the summary; the others' sheets are recorded in one command.
    pub fn print_certificates(
        &self,
        session: &Session,
        input: &PrintCertificatesInput,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<(PrintSummary, Vec<u8>)> {
        let who = self.certificate_actor(session)?;
        let mut numbers: Vec<String> = input.numbers.iter().map(|n| n.trim().to_string()).collect();
        numbers.retain(|n| !n.is_empty());
        numbers.sort();
        numbers.dedup();
        if numbers.is_empty() {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "numbers",
                "required",
                "请先在待制证列表中选择要打印的证书",
            )]));
        }
        let printer = input.printer.trim().to_string();
        let layout_offsets = if printer.is_empty() {
            (0.0, 0.0)
        } else {
            rules::printer_name(&printer).map_err(|e| StoreError::Invalid(vec![e]))?;
            self.printer_offsets(&printer)?
        };
        let (prepared, skipped) = {
            let conn = self.conn();
            let (base, _) = verification_url(&conn)?;
            let office = office_name(&conn)?;
            let mut prepared = Vec::new();
            let mut skipped = Vec::new();
            for number in &numbers {
                let l = match ledger(&conn, number) {
                    Ok(l) => l,
                    Err(StoreError::NotFound { .. }) => {
                        skipped.push(SkippedCertificate {
                            registration_number: number.clone(),
                            message: format!("找不到登记号 {number}"),
                        });
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                let before = printed_sheets(&conn, number)? > 0;
                let kind = match rules::may_print(number, l.state, before, &input.reprint_reason) {
                    Ok(k) => k,
                    Err(e) => {
                        skipped.push(SkippedCertificate {
                            registration_number: number.clone(),
                            message: e.to_string(),
                        });
                        continue;
                    }
                };
                let row = load(&conn, &l.case_id)?;
                let link = verification_link(&base, number, &l.check_code)?;
                let sort: (String, i64, String, i64) = conn.query_row(
                    "SELECT prefix, year, letter, serial FROM registration_numbers WHERE number = ?1",
                    [number],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?;
                prepared.push(Prepared {
                    number: number.clone(),
                    case_id: l.case_id.clone(),
                    kind,
                    certificate: certificate_of(&row, number, office_date(l.issued_at), link, &office),
                    sort,
                });
            }
            (prepared, skipped)
        };
        let mut prepared = prepared;
        prepared.sort_by(|a, b| a.sort.cmp(&b.sort));
        if prepared.is_empty() {
            let why: Vec<String> = skipped.iter().map(|s| s.message.clone()).collect();
            return Err(refused(
                "nothing_to_print",
                format!("没有可打印的证书：{}", why.join("；")),
            ));
        }
        let sheet_numbers = rules::sheet_numbers(&input.first_sheet_number, prepared.len())
            .map_err(|e| StoreError::Invalid(vec![e]))?;
        let layout = SheetLayout {
            mode: input.mode.print_mode(),
            offset_x_mm: layout_offsets.0 as f32,
            offset_y_mm: layout_offsets.1 as f32,
        };
        let items: Vec<Certificate> = prepared.iter().map(|p| p.certificate.clone()).collect();
        let pdf = regdesk_print::certificate_batch(&items, &layout, progress).map_err(print_failed)?;

        let reason = input.reprint_reason.trim().to_string();
        let summary = self.run(Some(who.id()), "print_certificates", |tx, now| {
            let print_id = uuid_v7(now).to_string();
            tx.execute(
                "INSERT INTO certificate_prints (id, at, staff_id, mode, printer, offset_x_mm, offset_y_mm, sheets)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    print_id,
                    now,
                    who.id(),
                    input.mode.code(),
                    printer,
                    layout_offsets.0,
                    layout_offsets.1,
                    prepared.len() as i64
                ],
            )?;
            let mut ids = Vec::new();
            let mut payload = Vec::new();
            for (p, sheet_number) in prepared.iter().zip(sheet_numbers.iter()) {
                // Checked again inside the command: a revocation or another print in between wins.
                let l = ledger(tx, &p.number)?;
                let before = printed_sheets(tx, &p.number)? > 0;
                let kind = rules::may_print(&p.number, l.state, before, &reason)
                    .map_err(|e| refused(e.code(), e.to_string()))?;
                if kind != p.kind {
                    return Err(refused(
                        "printed_meanwhile",
                        format!("登记号 {} 的证书刚刚已由他人打印，请刷新待制证列表后重新打印", p.number),
                    ));
                }
                if let Some(sn) = sheet_number {
                    let taken: Option<String> = tx
                        .query_row(
                            "SELECT registration_number FROM certificate_sheets WHERE sheet_number = ?1",
                            [sn],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if let Some(other) = taken {
                        return Err(StoreError::Invalid(vec![FieldError::new(
                            "first_sheet_number",
                            "sheet_number_used",
                            format!("预印证书纸 {sn} 已记录用于登记号 {other}，请核对起始编号"),
                        )]));
                    }
                }
                let id = uuid_v7(now).to_string();
                let kind_code = match kind {
                    PrintKind::First => "first",
                    PrintKind::Reprint => "reprint",
                };
                let sheet_reason = if kind == PrintKind::Reprint {
                    reason.as_str()
                } else {
                    ""
                };
                tx.execute(
                    "INSERT INTO certificate_sheets (id, print_id, registration_number, case_id, kind, reprint_reason,
                        sheet_number, state, printed_at, printed_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'printed', ?8, ?9)",
                    params![
                        id,
                        print_id,
                        p.number,
                        p.case_id,
                        kind_code,
                        sheet_reason,
                        sheet_number,
                        now,
                        who.id()
                    ],
                )?;
                payload.push(json!({
                    "sheet_id": id, "registration_number": p.number, "kind": kind_code,
                    "reprint_reason": sheet_reason, "sheet_number": sheet_number,
                }));
                ids.push(id);
            }
            let sheets = sheets_where(tx, "s.print_id = ?1", &print_id)?;
            let summary = PrintSummary {
                print_id: print_id.clone(),
                printed: prepared.iter().filter(|p| p.kind == PrintKind::First).count() as u32,
                reprinted: prepared.iter().filter(|p| p.kind == PrintKind::Reprint).count() as u32,
                skipped: skipped.clone(),
                sheets,
            };
            let change = Change {
                entity: "certificate_print",
                entity_id: print_id,
                version: 1,
                payload: json!({
                    "mode": input.mode.code(), "printer": printer,
                    "offset_x_mm": layout_offsets.0, "offset_y_mm": layout_offsets.1,
                    "sheets": payload,
                }),
            };
            Ok((change, summary))
        })?;
        Ok((summary, pdf))
    }

    /// 作废证书纸（制证发证岗位）：打印坏了的一张（卡纸、错位……），须填原因；
    /// 作废后该证书回到待制证（没有其他有效纸张时）。
    pub fn void_certificate_sheet(&self, session: &Session, input: &VoidSheetInput) -> Result<CertificateSheetView> {
        let who = self.certificate_actor(session)?;
        let reason = rules::void_reason(&input.reason).map_err(|e| StoreError::Invalid(vec![e]))?;
        self.run(Some(who.id()), "void_certificate_sheet", |tx, now| {
            let state: Option<String> = tx
                .query_row(
                    "SELECT state FROM certificate_sheets WHERE id = ?1",
                    [&input.sheet_id],
                    |r| r.get(0),
                )
                .optional()?;
            match state.as_deref() {
                None => {
                    return Err(StoreError::NotFound {
                        what: "证书纸",
                        id: input.sheet_id.clone(),
                    })
                }
                Some("printed") => {}
                Some(s) => {
                    let label = if s == "voided" { "已作废" } else { "已收回" };
                    return Err(refused("sheet_not_printed", format!("这张证书纸{label}，不能再作废")));
                }
            }
            tx.execute(
                "UPDATE certificate_sheets SET state = 'voided', changed_at = ?2, changed_by = ?3, reason = ?4
                 WHERE id = ?1",
                params![input.sheet_id, now, who.id(), reason],
            )?;
            let v = sheets_where(tx, "s.id = ?1", &input.sheet_id)?
                .pop()
                .ok_or_else(|| StoreError::Corrupt("作废后找不到证书纸".into()))?;
            let change = Change {
                entity: "certificate_sheet",
                entity_id: v.id.clone(),
                version: 2,
                payload: json!({ "state": "voided", "reason": reason, "registration_number": v.registration_number }),
            };
            Ok((change, v))
        })
    }

    /// 一份证书的全部纸张（打印、重印、作废、收回），按时间先后。
    pub fn certificate_sheets(&self, session: &Session, key: &str) -> Result<Vec<CertificateSheetView>> {
        self.certificate_actor(session)?;
        let conn = self.conn();
        let number = number_of(&conn, key)?;
        sheets_where(&conn, "s.registration_number = ?1", &number)
    }

    /// 校准页（制证发证岗位）：the printer's calibration page with its offset.
    pub fn calibration_pdf(&self, session: &Session, printer: &str, mode: CertificateModeInput) -> Result<Vec<u8>> {
        self.certificate_actor(session)?;
        let name = printer.trim();
        let offsets = if name.is_empty() {
            (0.0, 0.0)
        } else {
            self.printer_offsets(name)?
        };
        let layout = SheetLayout {
            mode: mode.print_mode(),
            offset_x_mm: offsets.0 as f32,
            offset_y_mm: offsets.1 as f32,
        };
        regdesk_print::calibration_page(&layout, if name.is_empty() { "（看图程序）" } else { name })
            .map_err(print_failed)
    }

    fn printer_offsets(&self, name: &str) -> Result<(f64, f64)> {
        Ok(self
            .conn()
            .query_row(
                "SELECT offset_x_mm, offset_y_mm FROM certificate_printers WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or((0.0, 0.0)))
    }

    /// 证书设置（制证发证岗位或管理员可读）：查验地址与各打印机的偏移。
    pub fn certificate_settings(&self, session: &Session) -> Result<CertificateSettingsView> {
        let who = actor(&self.conn(), self.now(), Some(session), None)?;
        if require(&who.roles, Permission::PrintCertificates).is_err() {
            require(&who.roles, Permission::ManageSettings)?;
        }
        let conn = self.conn();
        let (url, version) = verification_url(&conn)?;
        let mut stmt =
            conn.prepare("SELECT name, offset_x_mm, offset_y_mm, version FROM certificate_printers ORDER BY name")?;
        let printers = stmt
            .query_map([], |r| {
                Ok(PrinterView {
                    name: r.get(0)?,
                    offset_x_mm: r.get(1)?,
                    offset_y_mm: r.get(2)?,
                    version: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(CertificateSettingsView {
            verification_url: url,
            version,
            printers,
        })
    }

    /// 修改证书查验地址（管理员）。
    pub fn update_verification_url(
        &self,
        session: &Session,
        input: &VerificationUrlInput,
    ) -> Result<CertificateSettingsView> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let url = parse_verification_url(&input.verification_url).map_err(|e| StoreError::Invalid(vec![e]))?;
        self.run(Some(admin.id()), "update_verification_url", |tx, _now| {
            let (_, current) = verification_url(tx)?;
            StoreError::check_version("证书设置", input.version, current)?;
            tx.execute(
                "INSERT INTO certificate_settings (id, verification_url, version) VALUES (1, ?1, 1)
                 ON CONFLICT (id) DO UPDATE SET verification_url = ?1, version = version + 1",
                [&url],
            )?;
            let change = Change {
                entity: "certificate_settings",
                entity_id: "office".into(),
                version: current + 1,
                payload: json!({ "verification_url": url }),
            };
            Ok((change, ()))
        })?;
        self.certificate_settings(session)
    }

    /// 保存证书打印机的偏移（制证发证岗位量取校准页后，或管理员）：新打印机 version 为 0。
    pub fn save_certificate_printer(&self, session: &Session, input: &PrinterInput) -> Result<PrinterView> {
        let admin = actor(&self.conn(), self.now(), Some(session), None)?;
        rules::may_calibrate_printer(&admin.roles)?;
        let mut errs = Vec::new();
        let name = rules::printer_name(&input.name).map_err(|e| errs.push(e)).ok();
        let x = rules::printer_offset("offset_x_mm", input.offset_x_mm)
            .map_err(|e| errs.push(e))
            .ok();
        let y = rules::printer_offset("offset_y_mm", input.offset_y_mm)
            .map_err(|e| errs.push(e))
            .ok();
        let (Some(name), Some(x), Some(y)) = (name, x, y) else {
            return Err(StoreError::Invalid(errs));
        };
        self.run(Some(admin.id()), "save_certificate_printer", |tx, now| {
            let current: i64 = tx
                .query_row(
                    "SELECT version FROM certificate_printers WHERE name = ?1",
                    [&name],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0);
            StoreError::check_version("证书打印机", input.version, current)?;
            tx.execute(
                "INSERT INTO certificate_printers (name, offset_x_mm, offset_y_mm, version, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, 1, ?4, ?5)
                 ON CONFLICT (name) DO UPDATE SET offset_x_mm = ?2, offset_y_mm = ?3, version = version + 1,
                    updated_at = ?4, updated_by = ?5",
                params![name, x, y, now, admin.id()],
            )?;
            let v = PrinterView {
                name: name.clone(),
                offset_x_mm: x,
                offset_y_mm: y,
                version: current + 1,
            };
            let change = Change {
                entity: "certificate_printer",
                entity_id: name.clone(),
                version: v.version,
                payload: json!(v),
            };
            Ok((change, v))
        })
    }

    /// 类别字母表（任何已登录的人可读）：现行表（各字母是否已确认）、以后启用的表、
    /// 按现行表已分配的登记号。
    pub fn category_letters(&self, session: &Session) -> Result<LetterTablesView> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        let today = self.office_today();
        let (start, table) = letters_on(&conn, today)?;
        let (numbers_issued, last_issued_on) = issued_under(&conn, start)?;
        let mut stmt = conn
            .prepare("SELECT starts_on, letters FROM category_letter_tables WHERE starts_on > ?1 ORDER BY starts_on")?;
        let scheduled = stmt
            .query_map([today], |r| Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|(s, text)| {
                CategoryLetters::parse(&text)
                    .map(|t| table_view(Some(s), &t))
                    .map_err(|e| StoreError::Corrupt(format!("{s} 起的类别字母表无法读取：{e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(LetterTablesView {
            in_force: table_view(start, &table),
            scheduled,
            numbers_issued,
            last_issued_on,
        })
    }

    /// 修改类别字母表（管理员）：现行表已用于分配登记号时须填写启用日期（最近一次分配之后，
    /// 不早于今天），已分配的登记号不受影响。
    pub fn set_category_letters(&self, session: &Session, input: &SetLettersInput) -> Result<LetterTablesView> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let table = CategoryLetters::parse(&input.text)
            .map_err(|e| StoreError::Invalid(vec![FieldError::new("text", e.code(), e.to_string())]))?;
        self.run(Some(admin.id()), "set_category_letters", |tx, now| {
            let today = office_date(now);
            let (start, _) = letters_on(tx, today)?;
            let (_, last) = issued_under(tx, start)?;
            let starts_on =
                rules::letter_table_start(today, last, input.starts_on).map_err(|e| StoreError::Invalid(vec![e]))?;
            let text = table.to_text();
            tx.execute(
                "INSERT INTO category_letter_tables (starts_on, letters, set_at, set_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (starts_on) DO UPDATE SET letters = ?2, set_at = ?3, set_by = ?4",
                params![starts_on, text, now, admin.id()],
            )?;
            let change = Change {
                entity: "category_letters",
                entity_id: starts_on.to_string(),
                version: 1,
                payload: json!({ "starts_on": starts_on, "letters": text }),
            };
            Ok((change, ()))
        })?;
        self.category_letters(session)
    }
}

impl Store {
    /// 保留原类别字母表：the table a database issued numbers under before the
    /// default gained the confirmed letters, kept by migration 017, is recorded
    /// in the audit chain once, by the rules (no person), on the first open.
    pub(crate) fn keep_category_letters(&self) -> Result<()> {
        let pending: bool = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM category_letter_tables t WHERE t.set_by IS NULL
                AND NOT EXISTS (SELECT 1 FROM audit_rows a WHERE a.tbl = 'category_letter_tables'
                                AND a.key = json_array(t.starts_on)))",
            [],
            |r| r.get(0),
        )?;
        if !pending {
            return Ok(());
        }
        self.run(None, "keep_category_letters", |tx, _now| {
            // Touching the rows lets the command record them.
            tx.execute(
                "UPDATE category_letter_tables SET letters = letters WHERE set_by IS NULL",
                [],
            )?;
            let kept: Vec<(String, String)> = tx
                .prepare("SELECT starts_on, letters FROM category_letter_tables WHERE set_by IS NULL")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let change = Change {
                entity: "category_letters",
                entity_id: "kept".into(),
                version: 1,
                payload: json!({ "kept": kept }),
            };
            Ok((change, ()))
        })
    }
}

/// The registration number a key names: a registration number, or the serial
/// or id of a registered case.
fn number_of(conn: &Connection, key: &str) -> Result<String> {
    let key = key.trim();
    let found: Option<String> = conn
        .query_row(
            "SELECT number FROM registration_numbers WHERE number = ?1
             UNION ALL
             SELECT registration_number FROM cases WHERE (serial = ?1 OR id = ?1) AND registration_number IS NOT NULL
             LIMIT 1",
            [key],
            |r| r.get(0),
        )
        .optional()?;
    if found.is_none() {
        let pending: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM cases WHERE (serial = ?1 OR id = ?1) AND registration_number IS NULL
                 AND state IN ('registered', 'mailed', 'picked_up'))",
            [key],
            |r| r.get(0),
        )?;
        if pending {
            return Err(refused(
                "number_pending",
                format!("案件 {key} 已登记，登记号待编号（由中心服务器分配）：同步取得登记号后才能出证，请稍后再试"),
            ));
        }
    }
    found.ok_or_else(|| StoreError::NotFound {
        what: "登记号",
        id: key.to_string(),
    })
}

/// 撤销登记时收回证书：该登记号所有有效的证书纸标为已收回（在撤销的事务中调用）。
pub(crate) fn recall_sheets(
    tx: &Connection,
    number: &str,
    staff_id: &str,
    now: DateTime<Utc>,
    reason: &str,
) -> Result<usize> {
    Ok(tx.execute(
        "UPDATE certificate_sheets SET state = 'recalled', changed_at = ?2, changed_by = ?3, reason = ?4
         WHERE registration_number = ?1 AND state = 'printed'",
        params![number, now, staff_id, reason],
    )?)
}

/// The check code given with a new registration number (在终审通过的事务中调用).
pub(crate) fn new_check_code() -> String {
    use rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; rules::CHECK_CODE_LEN];
    OsRng.fill_bytes(&mut bytes);
    rules::check_code(&bytes)
}
