//! 证书发放（docs/DOMAIN.md §9）：邮寄（顺丰到付）与自领。
//!
//! - 邮寄：已登记、选择邮寄的案件按收件人（姓名、电话、地址）合为邮件（`prepare_shipments`），
//!   打印面单（`print_labels`），导出顺丰批量下单表（`export_sf_orders`，列由管理员设置），
//!   扫描顺丰运单号寄出（`scan_waybill`：案件经领域层 MarkMailed 变为已寄出，同一运单号不能用于
//!   两个邮件），当日邮寄清单（PDF 与 xlsx）。
//! - 自领：按流水号、登记号、姓名、证件号码或受理通知书条码查找（`pickup_find`），电子发票发送后
//!   才能领取；领取登记（`hand_over`：本人或代理人，证件已核对，受理通知书或遗失说明，代理人的
//!   授权委托书）使案件经 MarkPickedUp 变为已领取，并打印签收单。
//! - 受理通知书（`acceptance_notice_pdf`）：案件受理（付款核实、时限起算）后可在窗口、核款台与
//!   发证台打印。
//!
//! 每项改变状态的操作都是一条命令：一个事务、一条日志、一条审计记录。

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use regdesk_domain::filing::Delivery;
use regdesk_domain::identity::DocumentType;
use regdesk_domain::lifecycle::{CaseCommand, CaseState};
use regdesk_domain::privacy::{mask_address, mask_id};
use regdesk_domain::shipping::{
    self, check_sf_columns, default_sf_columns, mask_phone, parse_waybill, recipient_key, CollectorKind, HandoverInput,
    LabelSize, SfColumn, SfField,
};
use regdesk_domain::staff::{Desk, Permission};
use regdesk_domain::work::PartialDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::cases::{load, station_code, Row};
use crate::codes::{code, from_code};
use crate::error::{Result, StoreError};
use crate::forms::chinese_date;
use crate::journal::{uuid_v7, Change};
use crate::session::{actor, Session};
use crate::{office_date, Store};

// ---------------------------------------------------------------- views and inputs

/// 待邮寄：已登记、选择邮寄、尚未装入邮件的案件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailCaseRow {
    pub case_id: String,
    pub serial: String,
    pub registration_number: String,
    pub title: String,
    pub applicant_name: String,
    pub recipient_name: String,
    /// Masked (138****1234).
    pub recipient_phone: String,
    /// Masked.
    pub postal_address: String,
    /// Why it cannot be mailed yet (收件信息不全), if so.
    pub problem: Option<String>,
}

/// A certificate in a shipment or a handover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeliveredCase {
    pub case_id: String,
    pub serial: String,
    pub registration_number: String,
    pub title: String,
}

/// 邮件：one recipient, its certificates, its label and waybill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShipmentView {
    pub id: String,
    /// 邮件编号 (our Code 128 on the label)
    pub code: String,
    pub recipient_name: String,
    /// Masked.
    pub recipient_phone: String,
    /// Masked.
    pub postal_address: String,
    pub cases: Vec<DeliveredCase>,
    pub labels_printed: u32,
    /// 顺丰运单号, once scanned.
    pub waybill: Option<String>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub shipped_by: Option<String>,
    #[ts(type = "number")]
    pub version: i64,
}

/// 邮寄工作区：待装邮件的案件、待扫运单的邮件、今日已寄出的邮件。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailDesk {
    pub waiting: Vec<MailCaseRow>,
    pub open: Vec<ShipmentView>,
    pub shipped_today: Vec<ShipmentView>,
    pub label_size: LabelSize,
}

/// 装入邮件：the cases (ids, serials or registration numbers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrepareShipmentsInput {
    pub case_ids: Vec<String>,
}

/// Shipments by id or code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShipmentsInput {
    pub shipments: Vec<String>,
}

/// 扫描运单号：the shipment (id or our code, e.g. scanned from our label) and SF's waybill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScanWaybillInput {
    pub shipment: String,
    pub waybill: String,
}

/// 按案件寄出（命令行）：cases to one recipient and SF's waybill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShipCasesInput {
    pub cases: Vec<String>,
    pub waybill: String,
}

/// 自领查找的一行。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PickupRow {
    pub case_id: String,
    #[ts(type = "number")]
    pub version: i64,
    pub serial: String,
    pub registration_number: Option<String>,
    pub title: String,
    pub applicant_name: String,
    pub state: CaseState,
    pub state_label: String,
    pub delivery_label: String,
    pub invoice_sent: bool,
    /// The certificate may be handed over now.
    pub can_hand_over: bool,
    /// Why not, in plain Chinese, when not.
    pub blocked_reason: Option<String>,
}

/// 自领查找：流水号、登记号、姓名、证件号码，或扫描受理通知书的条码。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PickupFindInput {
    pub query: String,
}

/// 领取登记：which cases, who collects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HandOverInput {
    pub case_ids: Vec<String>,
    pub collector: HandoverInput,
}

/// 领取登记（已完成）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HandoverView {
    pub id: String,
    /// 领取登记号 (on the receipt)
    pub number: String,
    pub collector: CollectorKind,
    pub collector_label: String,
    pub collector_name: String,
    pub id_type_label: String,
    /// Masked.
    pub id_number: String,
    /// 查验材料
    pub documents: Vec<String>,
    pub at: DateTime<Utc>,
    pub clerk_name: String,
    pub cases: Vec<DeliveredCase>,
}

/// 当日邮寄清单：which day (default today) and whether as xlsx (else PDF).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ShippingListInput {
    pub day: Option<NaiveDate>,
    pub xlsx: bool,
}

/// 发证台设置（管理员）：面单规格、寄件人（本机构）、顺丰批量下单表的列。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DeliverySettingsView {
    #[ts(type = "number")]
    pub version: i64,
    pub label_size: LabelSize,
    /// '' = the office's name.
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_address: String,
    pub sf_columns: Vec<SfColumn>,
}

/// 修改发证台设置。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UpdateDeliverySettingsInput {
    #[ts(type = "number")]
    pub version: i64,
    pub label_size: LabelSize,
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_address: String,
    pub sf_columns: Vec<SfColumn>,
}

// ---------------------------------------------------------------- helpers

fn refused(code: &str, message: impl Into<String>) -> StoreError {
    StoreError::Refused {
        code: code.into(),
        message: message.into(),
    }
}

fn desk(store: &Store, session: &Session) -> Result<regdesk_domain::lifecycle::Actor> {
    actor(
        &store.conn(),
        store.now(),
        Some(session),
        Some(Permission::OpenDesk(Desk::Certificates)),
    )
}

fn day_text(d: NaiveDate) -> String {
    chinese_date(&PartialDate::full(d))
}

fn delivered(r: &Row) -> DeliveredCase {
    DeliveredCase {
        case_id: r.id.clone(),
        serial: r.serial.clone(),
        registration_number: r.registration_number.clone().unwrap_or_default(),
        title: r.draft.work.title.trim().to_string(),
    }
}

/// The next code of the day for this station: `{prefix}-{station}-{yymmdd}{NNN}`.
fn next_code(
    tx: &Connection,
    table: &str,
    column: &str,
    prefix: &str,
    station: &str,
    day: NaiveDate,
) -> Result<String> {
    let stem = format!("{prefix}-{station}-{}", day.format("%y%m%d"));
    let n: i64 = tx.query_row(
        &format!("SELECT COUNT(*) FROM {table} WHERE {column} LIKE ?1 || '%'"),
        [&stem],
        |r| r.get(0),
    )?;
    Ok(format!("{stem}{:03}", n + 1))
}

pub(crate) fn load_delivery_settings(conn: &Connection) -> Result<DeliverySettingsView> {
    let (version, size, name, phone, address, cols): (i64, String, String, String, String, String) = conn.query_row(
        "SELECT version, label_size, sender_name, sender_phone, sender_address, sf_columns FROM delivery_settings WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
    )?;
    let sf_columns = if cols.trim().is_empty() {
        default_sf_columns()
    } else {
        serde_json::from_str(&cols).map_err(|e| StoreError::Corrupt(format!("顺丰下单表的列设置无法读取：{e}")))?
    };
    Ok(DeliverySettingsView {
        version,
        label_size: LabelSize::from_code(&size).unwrap_or_default(),
        sender_name: name,
        sender_phone: phone,
        sender_address: address,
        sf_columns,
    })
}

/// The shipment's id from its id or code.
fn shipment_id(conn: &Connection, key: &str) -> Result<String> {
    let k = key.trim();
    conn.query_row(
        "SELECT id FROM shipments WHERE id = ?1 OR code = ?2",
        params![k, k.to_ascii_uppercase()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "邮件",
        id: k.to_string(),
    })
}

struct ShipmentRow {
    id: String,
    code: String,
    name: String,
    phone: String,
    address: String,
    labels_printed: u32,
    waybill: Option<String>,
    shipped_at: Option<DateTime<Utc>>,
    shipped_by: Option<String>,
    version: i64,
    cases: Vec<Row>,
}

fn shipment_row(conn: &Connection, id: &str) -> Result<ShipmentRow> {
    let mut s = conn.query_row(
        "SELECT s.id, s.code, s.recipient_name, s.recipient_phone, s.postal_address, s.labels_printed, s.waybill,
                s.shipped_at, st.display_name, s.version
         FROM shipments s LEFT JOIN staff st ON st.id = s.shipped_by WHERE s.id = ?1",
        [id],
        |r| {
            Ok(ShipmentRow {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                phone: r.get(3)?,
                address: r.get(4)?,
                labels_printed: r.get(5)?,
                waybill: r.get(6)?,
                shipped_at: r.get(7)?,
                shipped_by: r.get(8)?,
                version: r.get(9)?,
                cases: Vec::new(),
            })
        },
    )?;
    let ids: Vec<String> = conn
        .prepare("SELECT case_id FROM shipment_cases WHERE shipment_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for c in ids {
        s.cases.push(load(conn, &c)?);
    }
    s.cases.sort_by(|a, b| {
        (a.registration_number.as_deref(), &a.serial).cmp(&(b.registration_number.as_deref(), &b.serial))
    });
    Ok(s)
}

/// Shipments not yet handed to SF (no waybill scanned), read by the index on `shipped_at`.
pub(crate) const OPEN_SHIPMENTS: &str = "SELECT id FROM shipments WHERE shipped_at IS NULL ORDER BY code";

/// Shipments shipped in `[?1, ?2)`: a range of the index on `shipped_at`
/// (stored as the same UTC text as the bounds, so text order is time order).
pub(crate) const SHIPPED_BETWEEN: &str =
    "SELECT id FROM shipments WHERE shipped_at >= ?1 AND shipped_at < ?2 ORDER BY shipped_at, code";

/// An office day as the UTC instants `[start, next day's start)`.
pub(crate) fn office_day_range(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |d: NaiveDate| {
        d.and_time(chrono::NaiveTime::MIN).and_utc()
            - chrono::Duration::hours(i64::from(crate::OFFICE_UTC_OFFSET_HOURS))
    };
    (start(day), start(day + chrono::Days::new(1)))
}

fn shipment_ids(conn: &Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<String>> {
    Ok(conn
        .prepare(sql)?
        .query_map(params, |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

fn shipment_view(s: &ShipmentRow) -> ShipmentView {
    ShipmentView {
        id: s.id.clone(),
        code: s.code.clone(),
        recipient_name: s.name.clone(),
        recipient_phone: mask_phone(&s.phone),
        postal_address: mask_address(&s.address),
        cases: s.cases.iter().map(delivered).collect(),
        labels_printed: s.labels_printed,
        waybill: s.waybill.clone(),
        shipped_at: s.shipped_at,
        shipped_by: s.shipped_by.clone(),
        version: s.version,
    }
}

/// The case's shipment, if it is in one.
fn shipment_of(conn: &Connection, case_id: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT shipment_id FROM shipment_cases WHERE case_id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn invoice_sent(conn: &Connection, case_id: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM invoices WHERE case_id = ?1", [case_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A case that can go into an envelope: registered, mailed by choice, with a full address.
fn check_mailable(r: &Row) -> Result<()> {
    if r.state != CaseState::Registered {
        return Err(refused(
            "not_registered",
            format!(
                "案件 {} 当前状态为{}，只有已登记、尚未寄出或领取的证书才能邮寄",
                r.serial,
                r.state.label()
            ),
        ));
    }
    if r.draft.delivery != Some(Delivery::Mail) {
        return Err(refused(
            "not_mail",
            format!("案件 {} 选择的发放方式为自领，不能邮寄：请在自领处办理", r.serial),
        ));
    }
    shipping::check_recipient(
        &r.serial,
        &r.draft.recipient_name,
        &r.draft.recipient_phone,
        &r.draft.postal_address,
    )?;
    Ok(())
}

impl Store {
    fn station(&self) -> String {
        station_code(self.station_id())
    }

    /// Groups `rows` (not yet in a shipment) by recipient and writes one shipment per group.
    fn create_shipments(
        &self,
        tx: &Transaction<'_>,
        rows: Vec<Row>,
        who: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>> {
        let mut groups: BTreeMap<String, Vec<Row>> = BTreeMap::new();
        for r in rows {
            check_mailable(&r)?;
            if let Some(s) = shipment_of(tx, &r.id)? {
                let code: String = tx.query_row("SELECT code FROM shipments WHERE id = ?1", [&s], |x| x.get(0))?;
                return Err(refused(
                    "already_in_shipment",
                    format!("案件 {} 已装入邮件 {code}，不能重复装入", r.serial),
                ));
            }
            let key = recipient_key(
                &r.draft.recipient_name,
                &r.draft.recipient_phone,
                &r.draft.postal_address,
            );
            groups.entry(key).or_default().push(r);
        }
        let mut ids = Vec::new();
        let day = office_date(now);
        for rows in groups.into_values() {
            let Some(first) = rows.first() else { continue };
            let id = uuid_v7(now).to_string();
            let code = next_code(tx, "shipments", "code", "YJ", &self.station(), day)?;
            let d = &first.draft;
            tx.execute(
                "INSERT INTO shipments (id, code, recipient_name, recipient_phone, postal_address, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id,
                    code,
                    d.recipient_name.trim(),
                    d.recipient_phone.trim(),
                    d.postal_address.split_whitespace().collect::<Vec<_>>().join(" "),
                    now,
                    who
                ],
            )?;
            for r in &rows {
                tx.execute(
                    "INSERT INTO shipment_cases (shipment_id, case_id) VALUES (?1, ?2)",
                    params![id, r.id],
                )?;
            }
            ids.push(id);
        }
        Ok(ids)
    }

    /// 邮寄工作区。
    pub fn mail_desk(&self, session: &Session) -> Result<MailDesk> {
        desk(self, session)?;
        let conn = self.conn();
        let ids: Vec<String> = conn
            .prepare(
                "SELECT c.id FROM cases c WHERE c.state = 'registered'
                 AND NOT EXISTS (SELECT 1 FROM shipment_cases sc WHERE sc.case_id = c.id)
                 ORDER BY c.registration_number",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut waiting = Vec::new();
        for id in ids {
            let r = load(&conn, &id)?;
            if r.draft.delivery != Some(Delivery::Mail) {
                continue;
            }
            let problem = check_mailable(&r).err().map(|e| e.to_string());
            waiting.push(MailCaseRow {
                case_id: r.id.clone(),
                serial: r.serial.clone(),
                registration_number: r.registration_number.clone().unwrap_or_default(),
                title: r.draft.work.title.trim().to_string(),
                applicant_name: r.applicant_name.clone(),
                recipient_name: r.draft.recipient_name.trim().to_string(),
                recipient_phone: mask_phone(&r.draft.recipient_phone),
                postal_address: mask_address(&r.draft.postal_address),
                problem,
            });
        }
        let open = shipment_ids(&conn, OPEN_SHIPMENTS, &[])?
            .iter()
            .map(|id| shipment_row(&conn, id).map(|s| shipment_view(&s)))
            .collect::<Result<Vec<_>>>()?;
        let shipped_today = self
            .shipped_on(&conn, office_date(self.now()))?
            .iter()
            .map(shipment_view)
            .collect();
        Ok(MailDesk {
            waiting,
            open,
            shipped_today,
            label_size: load_delivery_settings(&conn)?.label_size,
        })
    }

    /// 装入邮件：the cases grouped by recipient, one shipment each. One command.
    pub fn prepare_shipments(&self, session: &Session, input: &PrepareShipmentsInput) -> Result<Vec<ShipmentView>> {
        let who = desk(self, session)?;
        if input.case_ids.is_empty() {
            return Err(regdesk_domain::FieldError::new("case_ids", "required", "请选择要装入邮件的案件").into());
        }
        self.run(Some(who.id()), "prepare_shipments", |tx, now| {
            let rows = input
                .case_ids
                .iter()
                .map(|k| load(tx, k.trim()))
                .collect::<Result<Vec<_>>>()?;
            let ids = self.create_shipments(tx, rows, who.id(), now)?;
            let views = ids
                .iter()
                .map(|id| shipment_row(tx, id).map(|s| shipment_view(&s)))
                .collect::<Result<Vec<_>>>()?;
            let change = Change {
                entity: "shipment",
                entity_id: ids.first().cloned().unwrap_or_default(),
                version: 1,
                payload: json!({
                    "shipments": views.iter().map(|v| json!({
                        "id": v.id, "code": v.code,
                        "cases": v.cases.iter().map(|c| &c.case_id).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                }),
            };
            Ok((change, views))
        })
    }

    /// 打印面单：the labels of the shipments as one PDF in the size set by the admin. One
    /// command (the labels carry full addresses: who printed which is in the journal).
    pub fn print_labels(&self, session: &Session, input: &ShipmentsInput) -> Result<(String, Vec<u8>)> {
        let who = desk(self, session)?;
        if input.shipments.is_empty() {
            return Err(regdesk_domain::FieldError::new("shipments", "required", "请选择要打印面单的邮件").into());
        }
        let office = self.office()?.map(|o| o.name).unwrap_or_default();
        self.run(Some(who.id()), "print_labels", |tx, _now| {
            let settings = load_delivery_settings(tx)?;
            let mut labels = Vec::new();
            let mut ids = Vec::new();
            for key in &input.shipments {
                let id = shipment_id(tx, key)?;
                tx.execute(
                    "UPDATE shipments SET labels_printed = labels_printed + 1, version = version + 1 WHERE id = ?1",
                    [&id],
                )?;
                let s = shipment_row(tx, &id)?;
                labels.push(label_of(&s, &settings, &office));
                ids.push((s.id, s.code));
            }
            let (w, h) = settings.label_size.mm();
            let pdf = regdesk_print::labels(w, h, &labels).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let name = match ids.as_slice() {
                [(_, code)] => format!("面单-{code}.pdf"),
                _ => format!("面单-{}件.pdf", ids.len()),
            };
            let change = Change {
                entity: "shipment",
                entity_id: ids.first().map(|i| i.0.clone()).unwrap_or_default(),
                version: 1,
                payload: json!({ "labels": ids.iter().map(|i| &i.1).collect::<Vec<_>>(), "size": settings.label_size.code() }),
            };
            Ok((change, (name, pdf)))
        })
    }

    /// 面单（命令行）：cases by serial or registration number; those not yet in a shipment are
    /// put into one per recipient first; the labels of their shipments as one PDF.
    pub fn labels_for_cases(&self, session: &Session, keys: &[String]) -> Result<(String, Vec<u8>)> {
        desk(self, session)?;
        let conn = self.conn();
        let mut loose = Vec::new();
        for k in keys {
            let r = load(&conn, k.trim())?;
            if shipment_of(&conn, &r.id)?.is_none() {
                loose.push(r.id);
            }
        }
        drop(conn);
        if !loose.is_empty() {
            self.prepare_shipments(session, &PrepareShipmentsInput { case_ids: loose })?;
        }
        let conn = self.conn();
        let mut shipments: Vec<String> = Vec::new();
        for k in keys {
            let r = load(&conn, k.trim())?;
            if let Some(s) = shipment_of(&conn, &r.id)? {
                if !shipments.contains(&s) {
                    shipments.push(s);
                }
            }
        }
        drop(conn);
        self.print_labels(session, &ShipmentsInput { shipments })
    }

    /// 扫描运单号寄出：SF's waybill goes on the shipment and its cases become 已寄出 (MarkMailed
    /// with the waybill). The same waybill never goes on two shipments. One command.
    pub fn scan_waybill(&self, session: &Session, input: &ScanWaybillInput) -> Result<ShipmentView> {
        let who = desk(self, session)?;
        let waybill = parse_waybill("waybill", &input.waybill)?;
        self.run(Some(who.id()), "ship_by_waybill", |tx, now| {
            let id = shipment_id(tx, &input.shipment)?;
            self.ship(tx, &id, &waybill, &who, now)
        })
    }

    /// 按案件寄出（命令行）：the cases (serials or registration numbers) must go to one recipient;
    /// those not yet in a shipment are put into it. One command.
    pub fn ship_cases(&self, session: &Session, input: &ShipCasesInput) -> Result<ShipmentView> {
        let who = desk(self, session)?;
        let waybill = parse_waybill("waybill", &input.waybill)?;
        if input.cases.is_empty() {
            return Err(
                regdesk_domain::FieldError::new("cases", "required", "请给出要寄出的案件（流水号或登记号）").into(),
            );
        }
        self.run(Some(who.id()), "ship_by_waybill", |tx, now| {
            let mut existing: Vec<String> = Vec::new();
            let mut loose = Vec::new();
            for k in &input.cases {
                let r = load(tx, k.trim())?;
                match shipment_of(tx, &r.id)? {
                    Some(s) => {
                        if !existing.contains(&s) {
                            existing.push(s);
                        }
                    }
                    None => loose.push(r),
                }
            }
            let id = match (existing.as_slice(), loose.is_empty()) {
                ([one], true) => one.clone(),
                ([], false) => {
                    let ids = self.create_shipments(tx, loose, who.id(), now)?;
                    match ids.as_slice() {
                        [one] => one.clone(),
                        _ => {
                            return Err(refused(
                                "several_recipients",
                                format!(
                                    "这些案件寄往 {} 个不同的收件人，一个运单只能寄给一个收件人：请分别寄出",
                                    ids.len()
                                ),
                            ))
                        }
                    }
                }
                _ => {
                    return Err(refused(
                        "several_shipments",
                        "这些案件不在同一个邮件中：请按邮件编号逐个扫描运单号",
                    ))
                }
            };
            self.ship(tx, &id, &waybill, &who, now)
        })
    }

    fn ship(
        &self,
        tx: &Transaction<'_>,
        id: &str,
        waybill: &str,
        who: &regdesk_domain::lifecycle::Actor,
        now: DateTime<Utc>,
    ) -> Result<(Change, ShipmentView)> {
        let s = shipment_row(tx, id)?;
        if let Some(w) = &s.waybill {
            return Err(refused(
                "already_shipped",
                format!("邮件 {} 已于运单 {w} 寄出，不能再次扫描运单号", s.code),
            ));
        }
        let other: Option<String> = tx
            .query_row("SELECT code FROM shipments WHERE waybill = ?1", [waybill], |r| r.get(0))
            .optional()?;
        if let Some(other) = other {
            return Err(regdesk_domain::FieldError::new(
                "waybill",
                "waybill_used",
                format!("运单号 {waybill} 已用于邮件 {other}：同一运单号不能用于两个邮件，请扫描本邮件所贴顺丰面单上的运单号"),
            )
            .into());
        }
        let cmd = CaseCommand::MarkMailed {
            tracking_number: waybill.to_string(),
        };
        for r in &s.cases {
            self.apply_case_row(tx, load(tx, &r.id)?, &cmd, who, now)?;
        }
        tx.execute(
            "UPDATE shipments SET waybill = ?2, shipped_at = ?3, shipped_by = ?4, version = version + 1 WHERE id = ?1",
            params![id, waybill, now, who.id()],
        )?;
        let s = shipment_row(tx, id)?;
        let view = shipment_view(&s);
        let change = Change {
            entity: "shipment",
            entity_id: s.id.clone(),
            version: s.version,
            payload: json!({
                "code": s.code, "waybill": waybill,
                "cases": s.cases.iter().map(|c| &c.id).collect::<Vec<_>>(),
            }),
        };
        Ok((change, view))
    }

    /// 顺丰批量下单表（xlsx），with the admin's column mapping. One command (full addresses leave
    /// the desk: the journal says who exported which).
    pub fn export_sf_orders(&self, session: &Session, input: &ShipmentsInput) -> Result<Vec<u8>> {
        let who = desk(self, session)?;
        if input.shipments.is_empty() {
            return Err(regdesk_domain::FieldError::new("shipments", "required", "请选择要导出的邮件").into());
        }
        let office = self.office()?.map(|o| o.name).unwrap_or_default();
        self.run(Some(who.id()), "export_sf_orders", |tx, _now| {
            let settings = load_delivery_settings(tx)?;
            let header: Vec<String> = settings.sf_columns.iter().map(|c| c.header.clone()).collect();
            let mut rows = Vec::new();
            let mut codes = Vec::new();
            for key in &input.shipments {
                let s = shipment_row(tx, &shipment_id(tx, key)?)?;
                let l = label_of(&s, &settings, &office);
                rows.push(
                    settings
                        .sf_columns
                        .iter()
                        .map(|c| match c.field {
                            SfField::OrderRef => l.code.clone(),
                            SfField::RecipientName => l.recipient_name.clone(),
                            SfField::RecipientPhone => l.recipient_phone.clone(),
                            SfField::RecipientAddress => l.recipient_address.clone(),
                            SfField::SenderName => l.sender_name.clone(),
                            SfField::SenderPhone => l.sender_phone.clone(),
                            SfField::SenderAddress => l.sender_address.clone(),
                            SfField::Contents => "作品登记证书".to_string(),
                            SfField::Quantity => l.numbers.len().to_string(),
                            SfField::Payment => "到付".to_string(),
                            SfField::Remark => l.numbers.join("、"),
                        })
                        .collect(),
                );
                codes.push(s.code);
            }
            let xlsx = regdesk_print::text_sheet_xlsx("批量下单", &header, &rows)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let change = Change {
                entity: "shipment",
                entity_id: codes.first().cloned().unwrap_or_default(),
                version: 1,
                payload: json!({ "sf_orders": codes }),
            };
            Ok((change, xlsx))
        })
    }

    /// The shipments shipped on an office day, by the index on `shipped_at`.
    fn shipped_on(&self, conn: &Connection, day: NaiveDate) -> Result<Vec<ShipmentRow>> {
        let (from, to) = office_day_range(day);
        shipment_ids(conn, SHIPPED_BETWEEN, &[&from, &to])?
            .iter()
            .map(|id| shipment_row(conn, id))
            .collect()
    }

    /// 当日邮寄清单（PDF）：phones and addresses masked.
    pub fn shipping_list_pdf(&self, session: &Session, day: NaiveDate) -> Result<(String, Vec<u8>)> {
        desk(self, session)?;
        let office = self.office()?.map(|o| o.name).unwrap_or_default();
        let conn = self.conn();
        let rows = self
            .shipped_on(&conn, day)?
            .iter()
            .map(|s| regdesk_print::ShippingListRow {
                waybill: s.waybill.clone().unwrap_or_default(),
                code: s.code.clone(),
                recipient_name: s.name.clone(),
                recipient_phone: mask_phone(&s.phone),
                recipient_address: mask_address(&s.address),
                numbers: s.cases.iter().map(|c| delivered(c).registration_number).collect(),
                clerk: s.shipped_by.clone().unwrap_or_default(),
            })
            .collect();
        let now = self.now() + chrono::Duration::hours(i64::from(crate::OFFICE_UTC_OFFSET_HOURS));
        let pdf = regdesk_print::shipping_list(&regdesk_print::ShippingList {
            office_name: office,
            day: day_text(day),
            rows,
            printed_at: format!("{} {}", day_text(now.date_naive()), now.format("%H:%M")),
        })
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((format!("邮寄清单-{}.pdf", day.format("%Y%m%d")), pdf))
    }

    /// 当日邮寄清单（xlsx）。
    pub fn shipping_list_xlsx(&self, session: &Session, day: NaiveDate) -> Result<(String, Vec<u8>)> {
        desk(self, session)?;
        let conn = self.conn();
        let header: Vec<String> = [
            "序号",
            "顺丰运单号",
            "邮件编号",
            "收件人",
            "电话",
            "地址",
            "件数",
            "登记号",
            "经办人",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        let rows: Vec<Vec<String>> = self
            .shipped_on(&conn, day)?
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    (i + 1).to_string(),
                    s.waybill.clone().unwrap_or_default(),
                    s.code.clone(),
                    s.name.clone(),
                    mask_phone(&s.phone),
                    mask_address(&s.address),
                    s.cases.len().to_string(),
                    s.cases
                        .iter()
                        .map(|c| delivered(c).registration_number)
                        .collect::<Vec<_>>()
                        .join("、"),
                    s.shipped_by.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let xlsx = regdesk_print::text_sheet_xlsx("邮寄清单", &header, &rows)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((format!("邮寄清单-{}.xlsx", day.format("%Y%m%d")), xlsx))
    }

    /// 受理通知书 of an accepted case (payment confirmed, clock started).
    pub fn acceptance_notice_pdf(&self, session: &Session, key: &str) -> Result<(String, Vec<u8>)> {
        let conn = self.conn();
        let who = actor(&conn, self.now(), Some(session), None)?;
        shipping::may_print_acceptance_notice(&who.roles)?;
        let r = load(&conn, key.trim())?;
        let Some(accepted) = r.accepted_on else {
            return Err(refused(
                "not_accepted",
                format!(
                    "案件 {} 当前状态为{}，尚未受理（付款核实后受理），还没有受理通知书",
                    r.serial,
                    r.state.label()
                ),
            ));
        };
        let days = crate::settings::periods_of(&conn)?.review_working_days;
        drop(conn);
        let office = self.office()?.map(|o| o.name).unwrap_or_default();
        let pdf = regdesk_print::acceptance_notice(&regdesk_print::AcceptanceNotice {
            office_name: office,
            serial: r.serial.clone(),
            work_title: r.draft.work.title.trim().to_string(),
            category: r.draft.work.category.map(|c| c.label().to_string()).unwrap_or_default(),
            applicant: r.applicant_name.clone(),
            accepted_on: day_text(accepted),
            working_days: days,
            due_on: r.due_on.map(day_text).unwrap_or_default(),
            delivery: r.draft.delivery.map(|d| d.label().to_string()).unwrap_or_default(),
            issued_on: day_text(office_date(self.now())),
        })
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((format!("{}-受理通知书.pdf", r.serial), pdf))
    }

    /// 自领查找：by serial (the acceptance notice's barcode), registration number, name or ID number.
    pub fn pickup_find(&self, session: &Session, input: &PickupFindInput) -> Result<Vec<PickupRow>> {
        desk(self, session)?;
        let q = input.query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        let (cond, param) = Store::search_filter(q);
        let ids: Vec<String> = conn
            .prepare(&format!(
                "SELECT id FROM cases WHERE {cond} AND state IN ('registered', 'mailed', 'picked_up', 'revoked')
                 ORDER BY registration_number LIMIT 500"
            ))?
            .query_map([param], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            let r = load(&conn, &id)?;
            let sent = invoice_sent(&conn, &r.id)?;
            let blocked = match r.state {
                CaseState::Registered => match (
                    shipment_of(&conn, &r.id)?,
                    shipping::check_pickup_ready(&r.serial, sent),
                ) {
                    (Some(_), _) => {
                        Some("证书已装入邮件待寄出，不能自领：如申请人改为自领，请先与邮寄处核对".to_string())
                    }
                    (None, Err(e)) => Some(e.message),
                    (None, Ok(())) => None,
                },
                s => Some(format!("案件状态为{}，不能领取", s.label())),
            };
            out.push(PickupRow {
                case_id: r.id.clone(),
                version: r.version,
                serial: r.serial.clone(),
                registration_number: r.registration_number.clone(),
                title: r.draft.work.title.trim().to_string(),
                applicant_name: r.applicant_name.clone(),
                state: r.state,
                state_label: r.state.label().to_string(),
                delivery_label: r.draft.delivery.map(|d| d.label().to_string()).unwrap_or_default(),
                invoice_sent: sent,
                can_hand_over: blocked.is_none(),
                blocked_reason: blocked,
            });
        }
        Ok(out)
    }

    /// 领取登记：the collector takes the certificates of `case_ids` (an agency many at once);
    /// each case must have had its e-invoice sent; the cases become 已领取. One command.
    pub fn hand_over(&self, session: &Session, input: &HandOverInput) -> Result<HandoverView> {
        let who = desk(self, session)?;
        if input.case_ids.is_empty() {
            return Err(regdesk_domain::FieldError::new("case_ids", "required", "请选择要领取的证书").into());
        }
        let collector = input
            .collector
            .check(office_date(self.now()))
            .map_err(StoreError::Invalid)?;
        self.run(Some(who.id()), "hand_over", |tx, now| {
            for (field, file, purpose) in [
                ("loss_statement_file", &collector.loss_statement_file, "loss_statement"),
                (
                    "power_of_attorney_file",
                    &collector.power_of_attorney_file,
                    "power_of_attorney",
                ),
            ] {
                if let Some(f) = file {
                    let p: Option<Option<String>> = tx
                        .query_row("SELECT purpose FROM files WHERE id = ?1", [f], |r| r.get(0))
                        .optional()?;
                    if p.flatten().as_deref() != Some(purpose) {
                        return Err(regdesk_domain::FieldError::new(
                            field,
                            "file_purpose",
                            "所附扫描件不存在或不是为此用途上传的，请重新扫描上传",
                        )
                        .into());
                    }
                }
            }
            let id = uuid_v7(now).to_string();
            let number = next_code(tx, "handovers", "number", "LQ", &self.station(), office_date(now))?;
            tx.execute(
                "INSERT INTO handovers (id, number, collector_kind, collector_name, id_type, id_number, notice_seen,
                        loss_statement_file, power_of_attorney_file, at, staff_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    id,
                    number,
                    collector.collector.code(),
                    collector.name,
                    code(collector.id_type),
                    collector.id_number,
                    collector.notice_seen,
                    collector.loss_statement_file,
                    collector.power_of_attorney_file,
                    now,
                    who.id()
                ],
            )?;
            let mut seen = Vec::new();
            for k in &input.case_ids {
                let r = load(tx, k.trim())?;
                if seen.contains(&r.id) {
                    continue;
                }
                if let Some(s) = shipment_of(tx, &r.id)? {
                    let code: String = tx.query_row("SELECT code FROM shipments WHERE id = ?1", [&s], |x| x.get(0))?;
                    return Err(refused(
                        "in_shipment",
                        format!("案件 {} 的证书已装入邮件 {code}，不能自领", r.serial),
                    ));
                }
                if r.state == CaseState::Registered {
                    shipping::check_pickup_ready(&r.serial, invoice_sent(tx, &r.id)?)?;
                }
                let case_id = r.id.clone();
                self.apply_case_row(tx, r, &CaseCommand::MarkPickedUp, &who, now)?;
                tx.execute(
                    "INSERT INTO handover_cases (handover_id, case_id) VALUES (?1, ?2)",
                    params![id, case_id],
                )?;
                seen.push(case_id);
            }
            let view = handover_view(tx, &id)?;
            let change = Change {
                entity: "handover",
                entity_id: id.clone(),
                version: 1,
                payload: json!({
                    "number": number,
                    "collector": collector.collector.code(),
                    "documents": collector.documents_seen(),
                    "cases": seen,
                }),
            };
            Ok((change, view))
        })
    }

    /// 领取登记（by id or number）。
    pub fn handover(&self, session: &Session, key: &str) -> Result<HandoverView> {
        desk(self, session)?;
        let conn = self.conn();
        let id: String = conn
            .query_row(
                "SELECT id FROM handovers WHERE id = ?1 OR number = ?1",
                [key.trim()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "领取登记",
                id: key.trim().to_string(),
            })?;
        handover_view(&conn, &id)
    }

    /// 签收单 PDF of a handover, for the collector to sign.
    pub fn handover_receipt_pdf(&self, session: &Session, key: &str) -> Result<(String, Vec<u8>)> {
        let h = self.handover(session, key)?;
        let office = self.office()?.map(|o| o.name).unwrap_or_default();
        let local = h.at + chrono::Duration::hours(i64::from(crate::OFFICE_UTC_OFFSET_HOURS));
        let pdf = regdesk_print::handover_receipt(&regdesk_print::HandoverReceipt {
            office_name: office,
            number: h.number.clone(),
            lines: h
                .cases
                .iter()
                .map(|c| regdesk_print::ReceiptLine {
                    registration_number: c.registration_number.clone(),
                    work_title: c.title.clone(),
                    serial: c.serial.clone(),
                })
                .collect(),
            collector_kind: h.collector_label.clone(),
            collector_name: h.collector_name.clone(),
            id_type: h.id_type_label.clone(),
            id_number: h.id_number.clone(),
            documents: h.documents.join("、"),
            at: format!("{} {}", day_text(local.date_naive()), local.format("%H:%M")),
            clerk: h.clerk_name.clone(),
        })
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok((format!("签收单-{}.pdf", h.number), pdf))
    }

    /// 发证台设置（任何已登录的人可读）。
    pub fn delivery_settings(&self, session: &Session) -> Result<DeliverySettingsView> {
        let conn = self.conn();
        actor(&conn, self.now(), Some(session), None)?;
        load_delivery_settings(&conn)
    }

    /// 修改发证台设置（管理员）。
    pub fn update_delivery_settings(
        &self,
        session: &Session,
        input: &UpdateDeliverySettingsInput,
    ) -> Result<DeliverySettingsView> {
        let admin = actor(
            &self.conn(),
            self.now(),
            Some(session),
            Some(Permission::ManageSettings),
        )?;
        let cols = check_sf_columns(&input.sf_columns).map_err(StoreError::Invalid)?;
        self.run(Some(admin.id()), "update_delivery_settings", |tx, _now| {
            let current = load_delivery_settings(tx)?;
            if current.version != input.version {
                return Err(StoreError::Conflict {
                    what: "发证台设置",
                    read: input.version,
                    current: current.version,
                });
            }
            tx.execute(
                "UPDATE delivery_settings SET label_size = ?1, sender_name = ?2, sender_phone = ?3, sender_address = ?4,
                        sf_columns = ?5, version = version + 1 WHERE id = 1",
                params![
                    input.label_size.code(),
                    input.sender_name.trim(),
                    input.sender_phone.trim(),
                    input.sender_address.trim(),
                    serde_json::to_string(&cols).map_err(|e| StoreError::Corrupt(e.to_string()))?
                ],
            )?;
            let v = load_delivery_settings(tx)?;
            let change = Change {
                entity: "delivery_settings",
                entity_id: "1".into(),
                version: v.version,
                payload: json!({
                    "label_size": v.label_size.code(), "sender_name": v.sender_name,
                    "sender_phone": v.sender_phone, "sender_address": v.sender_address, "sf_columns": v.sf_columns,
                }),
            };
            Ok((change, v))
        })
    }
}

fn label_of(s: &ShipmentRow, settings: &DeliverySettingsView, office: &str) -> regdesk_print::ShippingLabel {
    let sender = if settings.sender_name.trim().is_empty() {
        office.to_string()
    } else {
        settings.sender_name.trim().to_string()
    };
    regdesk_print::ShippingLabel {
        code: s.code.clone(),
        recipient_name: s.name.clone(),
        recipient_phone: s.phone.clone(),
        recipient_address: s.address.clone(),
        sender_name: sender,
        sender_phone: settings.sender_phone.clone(),
        sender_address: settings.sender_address.clone(),
        numbers: s
            .cases
            .iter()
            .map(|c| c.registration_number.clone().unwrap_or_else(|| c.serial.clone()))
            .collect(),
    }
}

fn handover_view(conn: &Connection, id: &str) -> Result<HandoverView> {
    #[allow(clippy::type_complexity)]
    let (number, kind, name, id_type, id_number, notice_seen, loss, poa, at, clerk): (
        String,
        String,
        String,
        String,
        String,
        bool,
        Option<String>,
        Option<String>,
        DateTime<Utc>,
        String,
    ) = conn.query_row(
        "SELECT h.number, h.collector_kind, h.collector_name, h.id_type, h.id_number, h.notice_seen,
                h.loss_statement_file, h.power_of_attorney_file, h.at, COALESCE(s.display_name, h.staff_id)
         FROM handovers h LEFT JOIN staff s ON s.id = h.staff_id WHERE h.id = ?1",
        [id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        },
    )?;
    let collector = CollectorKind::from_code(&kind)
        .ok_or_else(|| StoreError::Corrupt(format!("领取登记 {number} 的领取人类别无法识别：{kind}")))?;
    let id_type: DocumentType = from_code("证件类型", &id_type)?;
    let facts = HandoverInput {
        collector,
        name: name.clone(),
        id_type,
        id_number: String::new(),
        id_checked: true,
        notice_seen,
        loss_statement_file: loss,
        power_of_attorney_file: poa,
    };
    let case_ids: Vec<String> = conn
        .prepare("SELECT case_id FROM handover_cases WHERE handover_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut cases = case_ids
        .iter()
        .map(|c| load(conn, c).map(|r| delivered(&r)))
        .collect::<Result<Vec<_>>>()?;
    cases.sort_by(|a, b| a.registration_number.cmp(&b.registration_number));
    Ok(HandoverView {
        id: id.to_string(),
        number,
        collector,
        collector_label: collector.label().to_string(),
        collector_name: name,
        id_type_label: id_type.label().to_string(),
        id_number: mask_id(Some(id_type), &id_number),
        documents: facts.documents_seen().into_iter().map(String::from).collect(),
        at,
        clerk_name: clerk,
        cases,
    })
}
