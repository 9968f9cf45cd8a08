//! Sync between workstations and the central server.
//!
//! - [`protocol`]: the versioned wire types and endpoints, shared by the
//!   server and the station's client.
//! - [`row_digest`] / [`state_hash`]: the digests both sides compute over the
//!   office's rows, so a station and the server can show they hold the same
//!   record. They match the store's own row digests (`regdesk-store`'s
//!   `rows.rs`) byte for byte.
//! - [`fingerprint`]: how an office CA certificate is named to people.
//! - [`fields`]: what a command changed in a row, field by field, and how
//!   the server lands it on a row another station changed meanwhile.
//!
//! - [`station::StationRecord`]: what a workstation's record offers the
//!   sync loop (the store implements it).
//! - [`client::SyncClient`]: the station's HTTPS client, trusting only the
//!   office CA it pinned at enrolment.
//! - [`run::sync_once`] / [`run::watch`]: the sync loop (push, then pull).
//!
//! This crate knows nothing of SQLite or PostgreSQL.

pub mod client;
pub mod fields;
pub mod protocol;
pub mod run;
pub mod scope;
pub mod station;
#[cfg(test)]
mod testkit;

use protocol::{Cell, Column};
use sha2::{Digest, Sha256};

/// Tables that belong to one workstation and never leave it: its own row,
/// its integrity checks, its backups, its sync bookkeeping, the counts
/// kept from the cases by triggers (each database recounts them itself), and
/// its count of the day's filings (`serial_counters`: a case serial carries
/// the station's code, so each station counts its own; shared, every two
/// counters filing on one day clashed and a pulled count could go back below
/// serials the station had already given).
pub const STATION_TABLES: &[&str] = &[
    "station",
    "serial_counters",
    "integrity_checks",
    "backups",
    "case_counts",
    "registration_counts",
    "certificate_waiting",
    "journal",
    "audit",
    "audit_rows",
    "audit_state",
];

/// A table's name as the office says it, for messages and reports (its SQL
/// name if it has none). One list for the stations and the server.
pub fn table_label(name: &str) -> &str {
    match name {
        "station" => "工作站",
        "office" => "登记机构",
        "staff" => "工作人员",
        "settings" => "系统设置",
        "cases" => "案件",
        "calendar_years" => "工作日历",
        "applicants" => "申请人",
        "files" => "附件",
        "serial_counters" => "流水号计数器",
        "applicant_proofs" => "身份证明文件",
        "transfers" => "转账记录",
        "allocations" => "转账分配",
        "statement_imports" => "对账单导入",
        "statement_lines" => "对账单明细",
        "refunds" => "退费",
        "invoices" => "电子发票",
        "money_events" => "收费记录",
        "registration_counters" => "登记号计数器",
        "registration_numbers" => "登记号台账",
        "historic_registrations" => "历史登记",
        "review_log" => "审查记录",
        "office_tree" => "机构树",
        "case_counts" => "案件计数",
        "registration_counts" => "登记计数",
        "certificate_waiting" => "待制证清单",
        "category_letter_tables" => "类别字母表",
        other => other,
    }
}

/// Whether rows of `table` are part of the office's shared record.
pub fn is_shared_table(table: &str) -> bool {
    !STATION_TABLES.contains(&table) && !table.starts_with("sync_") && !table.starts_with("sqlite_")
}

fn encode(value: &Cell, out: &mut Vec<u8>) {
    match value {
        Cell::Null => out.push(b'N'),
        Cell::Int(i) => {
            out.push(b'I');
            out.extend_from_slice(&i.to_be_bytes());
        }
        Cell::Real(f) => {
            out.push(b'R');
            out.extend_from_slice(&f.to_bits().to_be_bytes());
        }
        Cell::Text(t) => {
            out.push(b'T');
            out.extend_from_slice(t.as_bytes());
        }
        Cell::Blob(b) => {
            out.push(b'B');
            out.extend_from_slice(b);
        }
    }
}

/// A row's digest: SHA-256 over the table, the key and, for each column in
/// table order, its name and the SHA-256 of its typed value (hex). The same
/// function as the store's audit digests.
pub fn row_digest(table: &str, key: &str, row: &[Column]) -> String {
    let mut h = Sha256::new();
    h.update(b"regdesk-row/1\0");
    h.update(table.as_bytes());
    h.update(b"\0");
    h.update(key.as_bytes());
    let mut buf = Vec::new();
    for col in row {
        buf.clear();
        encode(&col.value, &mut buf);
        let digest = Sha256::digest(&buf);
        h.update(b"\0");
        h.update(col.name.as_bytes());
        h.update(b"\0");
        h.update(digest);
    }
    hex::encode(h.finalize())
}

/// The length of a row's JSON as it travels (`serde_json`, compact), counted
/// as it is written, without the text: what a first sync's progress counts
/// in bytes, the same at the server (each row's `row_len`, summed for the
/// snapshot's total) and at the station (each page's rows).
pub fn row_json_len(row: &[Column]) -> u64 {
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut n = Count(0);
    match serde_json::to_writer(&mut n, row) {
        Ok(()) => n.0,
        Err(_) => 0,
    }
}

/// The state hash of a record: SHA-256 over every shared row's
/// `(table, key, digest)`, sorted by table then key. Two databases with the
/// same rows have the same hash, whatever order the rows came in.
pub fn state_hash<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> String {
    let mut all: Vec<(&str, &str, &str)> = rows.into_iter().collect();
    all.sort_unstable();
    let mut h = Sha256::new();
    h.update(b"regdesk-state/1\0");
    for (table, key, digest) in all {
        h.update(table.as_bytes());
        h.update(b"\0");
        h.update(key.as_bytes());
        h.update(b"\0");
        h.update(digest.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// A certificate's fingerprint as people compare it: SHA-256 of its DER, in
/// upper-case hex pairs joined by colons (`AB:12:…`, as `openssl x509
/// -fingerprint -sha256` shows it).
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A fingerprint as typed (with or without colons or spaces, any case) in
/// the form [`fingerprint`] writes; `None` if it is not 32 hex bytes.
pub fn normalize_fingerprint(typed: &str) -> Option<String> {
    let hex: String = typed
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    Some(
        hex.as_bytes()
            .chunks(2)
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect::<Vec<_>>()
            .join(":"),
    )
}

/// Blobs travel as standard base64 inside JSON.
pub(crate) mod b64 {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use protocol::{Entry, RowEffect, Verdict};

    fn col(name: &str, value: Cell) -> Column {
        Column {
            name: name.into(),
            value,
        }
    }

    #[test]
    fn cells_round_trip_through_json() {
        let row = vec![
            col("a", Cell::Null),
            col("b", Cell::Int(-7)),
            col("c", Cell::Real(1.5)),
            col("d", Cell::Text("作品".into())),
            col("e", Cell::Blob(vec![0, 255, 3])),
        ];
        let text = serde_json::to_string(&row).unwrap();
        assert_eq!(
            text,
            r#"[{"name":"a","value":"N"},{"name":"b","value":{"I":-7}},{"name":"c","value":{"R":1.5}},{"name":"d","value":{"T":"作品"}},{"name":"e","value":{"B":"AP8D"}}]"#
        );
        let back: Vec<Column> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, row);
    }

    #[test]
    fn a_row_digest_names_every_column_and_type() {
        let base = vec![col("id", Cell::Text("x".into())), col("n", Cell::Int(1))];
        let d = row_digest("cases", "[\"x\"]", &base);
        assert_eq!(d.len(), 64);
        // Same value, another type: another digest.
        let text_one = vec![col("id", Cell::Text("x".into())), col("n", Cell::Text("1".into()))];
        assert_ne!(d, row_digest("cases", "[\"x\"]", &text_one));
        // Another table or key: another digest.
        assert_ne!(d, row_digest("staff", "[\"x\"]", &base));
        assert_ne!(d, row_digest("cases", "[\"y\"]", &base));
    }

    #[test]
    fn the_state_hash_ignores_order_but_not_content() {
        let a = state_hash([("cases", "[1]", "aa"), ("staff", "[2]", "bb")]);
        let b = state_hash([("staff", "[2]", "bb"), ("cases", "[1]", "aa")]);
        assert_eq!(a, b);
        assert_ne!(a, state_hash([("cases", "[1]", "aa"), ("staff", "[2]", "bc")]));
        assert_ne!(a, state_hash([("cases", "[1]", "aa")]));
    }

    #[test]
    fn fingerprints_are_read_however_they_are_typed() {
        let fp = fingerprint(b"certificate");
        assert_eq!(fp.len(), 32 * 3 - 1);
        let typed = fp.replace(':', "").to_lowercase();
        assert_eq!(normalize_fingerprint(&typed).as_deref(), Some(fp.as_str()));
        assert_eq!(normalize_fingerprint(&fp).as_deref(), Some(fp.as_str()));
        assert_eq!(normalize_fingerprint("AB:CD"), None);
        assert_eq!(normalize_fingerprint(&"G".repeat(64)), None);
    }

    #[test]
    fn shared_tables_leave_the_station_its_own() {
        assert!(is_shared_table("cases"));
        assert!(is_shared_table("staff"));
        assert!(!is_shared_table("station"));
        assert!(!is_shared_table("journal"));
        assert!(!is_shared_table("sync_inbox"));
    }

    #[test]
    fn verdicts_read_as_the_protocol_says() {
        let v = protocol::EntryVerdict {
            id: uuid::Uuid::nil(),
            verdict: Verdict::Rejected {
                code: protocol::RejectCode::FourEyes,
                reason: "初审人不能终审同一案件".into(),
                current: vec![RowEffect {
                    table: "cases".into(),
                    key: "[\"c\"]".into(),
                    before: None,
                    after: None,
                    changed: None,
                }],
            },
        };
        let text = serde_json::to_string(&v).unwrap();
        assert!(text.contains(r#""verdict":"rejected""#), "{text}");
        assert!(text.contains(r#""code":"four_eyes""#), "{text}");
        let back: protocol::EntryVerdict = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
        let accepted: protocol::EntryVerdict = serde_json::from_str(
            r#"{"id":"00000000-0000-0000-0000-000000000000","verdict":"accepted","office_seq":3}"#,
        )
        .unwrap();
        assert_eq!(accepted.verdict, Verdict::Accepted { office_seq: 3 });
        let _unused: Option<Entry> = None;
    }
}

/// A UNIQUE constraint of a shared table in the store's schema (other than its
/// primary key, which is the row's key): no two rows of the office may hold
/// the same values in `columns`. The server checks every accepted entry
/// against its record, so two stations that took the same value offline do
/// not both land (every later pull would then fail on the store's index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniqueKey {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    /// What the value is, for a person (“证件号码”).
    pub label: &'static str,
    /// A partial index's condition: rows whose `column` holds `value` are not
    /// counted (a rejected transfer frees its bank reference).
    pub unless: Option<(&'static str, &'static str)>,
}

impl UniqueKey {
    /// The values `row` holds for this key, `None` when the row is not
    /// counted: a NULL in any column (SQLite lets NULLs repeat), a column
    /// missing, or the partial index's condition not met.
    pub fn values(&self, row: &[Column]) -> Option<Vec<Cell>> {
        let get = |name: &str| row.iter().find(|c| c.name == name).map(|c| &c.value);
        if let Some((column, value)) = self.unless {
            if matches!(get(column), Some(Cell::Text(t)) if t == value) {
                return None;
            }
        }
        self.columns
            .iter()
            .map(|c| match get(c) {
                None | Some(Cell::Null) => None,
                Some(v) => Some(v.clone()),
            })
            .collect()
    }

    /// The partial index's condition as the store's schema writes it, for
    /// the test that keeps this list true to the schema.
    pub fn sql_condition(&self) -> Option<String> {
        self.unless.map(|(c, v)| format!("{c} <> '{v}'"))
    }
}

/// Every UNIQUE constraint of the shared tables (the store's migrations; a
/// test of the store compares this list with its schema). A case's
/// `search_rowid` is unique too, but it names the station's own search
/// index: each station sets it when it writes the row.
pub const UNIQUE_KEYS: &[UniqueKey] = &[
    UniqueKey {
        table: "staff",
        columns: &["username"],
        label: "用户名",
        unless: None,
    },
    UniqueKey {
        table: "cases",
        columns: &["serial"],
        label: "流水号",
        unless: None,
    },
    UniqueKey {
        table: "cases",
        columns: &["registration_number"],
        label: "登记号",
        unless: None,
    },
    UniqueKey {
        table: "applicants",
        columns: &["id_type", "id_number"],
        label: "证件号码",
        unless: None,
    },
    UniqueKey {
        table: "transfers",
        columns: &["method", "reference"],
        label: "转账流水号",
        unless: Some(("state", "rejected")),
    },
    UniqueKey {
        table: "statement_lines",
        columns: &["fingerprint"],
        label: "对账单明细指纹",
        unless: None,
    },
    UniqueKey {
        table: "registration_numbers",
        columns: &["prefix", "year", "letter", "serial"],
        label: "登记号序号",
        unless: None,
    },
    UniqueKey {
        table: "certificate_sheets",
        columns: &["sheet_number"],
        label: "证书纸编号",
        unless: None,
    },
    UniqueKey {
        table: "shipments",
        columns: &["code"],
        label: "邮寄批次条码",
        unless: None,
    },
    UniqueKey {
        table: "shipments",
        columns: &["waybill"],
        label: "运单号",
        unless: None,
    },
    UniqueKey {
        table: "shipment_cases",
        columns: &["case_id"],
        label: "案件（每件只装一个邮袋）",
        unless: None,
    },
    UniqueKey {
        table: "handovers",
        columns: &["number"],
        label: "领取单编号",
        unless: None,
    },
    UniqueKey {
        table: "handover_cases",
        columns: &["case_id"],
        label: "案件（每件只领取一次）",
        unless: None,
    },
];

/// Columns of shared tables that hold the station's own value, left out of
/// the server's checks.
pub const STATION_UNIQUE_COLUMNS: &[(&str, &str)] = &[("cases", "search_rowid")];

/// A FOREIGN KEY of a shared table to another shared table (the store's
/// migrations; a test of the store compares this list with its schema). The
/// row referred to is named by its primary key, a single column, so its key
/// in the record is `[value]`. The server refuses an entry whose rows refer to
/// a row its record does not hold (one an earlier, refused entry made).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub table: &'static str,
    pub column: &'static str,
    pub target: &'static str,
}

macro_rules! refs {
    ($($table:literal . $column:literal => $target:literal),* $(,)?) => {
        &[$(Reference { table: $table, column: $column, target: $target }),*]
    };
}

/// Every FOREIGN KEY between shared tables.
pub const REFERENCES: &[Reference] = refs![
    "cases"."created_by" => "staff",
    "cases"."applicant_id" => "applicants",
    "calendar_years"."loaded_by" => "staff",
    "files"."added_by" => "staff",
    "applicant_proofs"."removed_by" => "staff",
    "applicant_proofs"."checked_by" => "staff",
    "applicant_proofs"."added_by" => "staff",
    "applicant_proofs"."file_id" => "files",
    "applicant_proofs"."applicant_id" => "applicants",
    "transfers"."checked_by" => "staff",
    "transfers"."recorded_by" => "staff",
    "transfers"."applicant_id" => "applicants",
    "transfers"."receipt_file_id" => "files",
    "allocations"."case_id" => "cases",
    "allocations"."transfer_id" => "transfers",
    "statement_imports"."imported_by" => "staff",
    "statement_lines"."resolved_by" => "staff",
    "statement_lines"."transfer_id" => "transfers",
    "statement_lines"."case_id" => "cases",
    "statement_lines"."import_id" => "statement_imports",
    "refunds"."recorded_by" => "staff",
    "refunds"."case_id" => "cases",
    "invoices"."issued_by" => "staff",
    "invoices"."case_id" => "cases",
    "registration_numbers"."changed_by" => "staff",
    "registration_numbers"."issued_by" => "staff",
    "registration_numbers"."case_id" => "cases",
    "office_tree"."added_by" => "staff",
    "review_log"."staff_id" => "staff",
    "review_log"."case_id" => "cases",
    "case_identity_files"."case_id" => "cases",
    "certificate_printers"."updated_by" => "staff",
    "certificate_prints"."staff_id" => "staff",
    "certificate_sheets"."changed_by" => "staff",
    "certificate_sheets"."printed_by" => "staff",
    "certificate_sheets"."case_id" => "cases",
    "certificate_sheets"."registration_number" => "registration_numbers",
    "certificate_sheets"."print_id" => "certificate_prints",
    "category_letter_tables"."set_by" => "staff",
    "shipments"."shipped_by" => "staff",
    "shipments"."created_by" => "staff",
    "shipment_cases"."case_id" => "cases",
    "shipment_cases"."shipment_id" => "shipments",
    "handovers"."staff_id" => "staff",
    "handovers"."power_of_attorney_file" => "files",
    "handovers"."loss_statement_file" => "files",
    "handover_cases"."case_id" => "cases",
    "handover_cases"."handover_id" => "handovers",
    "historic_registrations"."imported_by" => "staff",
    "historic_registrations"."number" => "registration_numbers",
];
