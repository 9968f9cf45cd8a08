//! 需处理 in words: the rows of a rejected entry beside the server's, and
//! everything the person entered, as labelled, display-ready lines. The
//! record's bookkeeping (row versions, change times, search links, payload
//! formats) is left out; a JSON column (a case's filing) is opened into its
//! fields; ID numbers are masked by their kind and postal addresses by
//! [`mask_address`], as everywhere a person has not asked for the full values;
//! password hashes are never shown; money is in yuan.

use std::collections::HashSet;

use regdesk_domain::category::WorkCategory;
use regdesk_domain::identity::DocumentType;
use regdesk_domain::lifecycle::CaseState;
use regdesk_domain::privacy::{mask_address, mask_id};
use regdesk_sync::protocol::{Cell, Column, RowEffect};
use serde_json::Value;

use crate::rows;
use crate::sync::{InboxFieldView, InboxLineView, InboxRowView};

/// Columns that are the record's bookkeeping, not anything a person entered.
const BOOKKEEPING: &[&str] = &[
    "version",
    "updated_at",
    "search_rowid",
    "draft_format",
    "facts_format",
    "payload_format",
    "failed_logins",
    "locked_until",
];

/// Shown in place of a secret's value.
const SECRET: &str = "（不显示）";

/// A column's (or a JSON field's) name in words; `None` when it has none.
fn name_label(name: &str) -> Option<&'static str> {
    Some(match name {
        // Cases.
        "serial" => "流水号",
        "title" => "作品名称",
        "category" => "作品类别",
        "state" => "状态",
        "applicant_name" => "申请人",
        "applicant_id" => "申请人编号",
        "accepted_on" => "受理日期",
        "due_on" => "办结期限",
        "registration_number" => "登记号",
        "check_code" => "校验码",
        "draft" => "填报内容",
        "facts" => "案件情况",
        "created_at" => "创建时间",
        "created_by" => "创建人",
        "fee_fen" => "登记费",
        "awaiting_payment_since" => "待缴费起始",
        "office_code" => "登记机构代码",
        // The filing.
        "work" => "作品",
        "nature" => "创作性质",
        "nature_note" => "创作性质说明",
        "completed_on" => "创作完成日期",
        "completed_place" => "创作完成地点",
        "publication" => "发表状态",
        "first_published_on" => "首次发表日期",
        "first_published_place" => "首次发表地点",
        "attribution" => "作品归属",
        "acquisition" => "权利取得方式",
        "ownership" => "权利归属方式",
        "rights" => "权利范围",
        "other_rights_note" => "其他权利说明",
        "owners" => "著作权人",
        "authors" => "作者",
        "writer" => "执笔者",
        "kind" => "类型",
        "name" => "姓名或名称",
        "id_type" => "证件类型",
        "id_number" => "证件号码",
        "handling_person" => "经办人",
        "region" => "所在地",
        "guardian_name" => "监护人姓名",
        "guardian_id_type" => "监护人证件类型",
        "guardian_id_number" => "监护人证件号码",
        "files" => "附件",
        "file_id" => "文件",
        "signed_as" => "署名方式",
        "signed_name" => "署名",
        "samples" => "作品样本",
        "other_files" => "其他附件",
        "description" => "作品简介及创意",
        "creation_story" => "创作经过及意图",
        "delivery" => "证书发放方式",
        "recipient_name" => "收件人",
        "recipient_phone" => "收件人电话",
        "postal_address" => "邮寄地址",
        "invoice_email" => "发票邮箱",
        // Applicants.
        "pen_name" => "笔名",
        "handler_name" => "经办人",
        "handler_mobile" => "经办人手机",
        // Staff.
        "username" => "用户名",
        "display_name" => "姓名",
        "roles" => "角色",
        "password_hash" => "密码",
        "disabled" => "已停用",
        "must_change_password" => "须修改密码",
        // Settings.
        "idle_lock_minutes" => "无操作锁屏（分钟）",
        "review_working_days" => "审查期限（工作日）",
        "correction_notice_days" => "补正通知期限（日）",
        "correction_period_days" => "补正期限（日）",
        "fee_per_work_fen" => "每件登记费",
        "backup_dir" => "备份目录",
        "backup_keep" => "保留备份份数",
        "backup_every_hours" => "备份间隔（小时）",
        "batch_signing_form" => "批量签章表",
        // Payments.
        "method" => "付款方式",
        "payer" => "付款人",
        "payer_account" => "付款账号",
        "payer_bank" => "付款银行",
        "amount_fen" => "金额",
        "over_fen" => "多付金额",
        "received_at" => "到账时间",
        "reference" => "交易流水号",
        "purpose" => "用途",
        "receipt_file_id" => "回单文件",
        "recorded_by" => "登记人",
        "recorded_at" => "登记时间",
        "checked_by" => "核对人",
        "checked_at" => "核对时间",
        "reject_reason" => "退回原因",
        "statement_line_id" => "对账单明细",
        "case_id" => "案件",
        "transfer_id" => "转账记录",
        // Files.
        "sha256" => "SHA-256",
        "size" => "大小（字节）",
        "original_name" => "文件名",
        "mime" => "文件类型",
        "added_at" => "加入时间",
        "added_by" => "加入人",
        "reason" => "原因",
        "note" => "备注",
        "id" => "编号",
        _ => return None,
    })
}

/// A path of names (`owners[1].id_number`) in words (`著作权人 1 · 证件号码`);
/// `work.` is left out (the work's fields are the filing's own).
fn path_label(path: &str) -> String {
    path.split('.')
        .filter(|s| *s != "work")
        .map(|seg| {
            let (name, index) = match seg.split_once('[') {
                Some((n, rest)) => (n, Some(rest.trim_end_matches(']'))),
                None => (seg, None),
            };
            let words = name_label(name).unwrap_or(name);
            match index {
                Some(i) => format!("{words} {i}"),
                None => words.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A document kind by its code or its stored (serde) name.
fn doc_type(text: &str) -> Option<DocumentType> {
    DocumentType::from_code(text).or_else(|| serde_json::from_value(Value::String(text.to_string())).ok())
}

/// An enumerated value in words, where the field is one the office names.
fn value_words(name: &str, text: &str) -> Option<String> {
    let quoted = Value::String(text.to_string());
    match name {
        "state" => serde_json::from_value::<CaseState>(quoted)
            .ok()
            .map(|s| s.label().to_string()),
        "category" => WorkCategory::from_code(text)
            .or_else(|| serde_json::from_value(quoted).ok())
            .map(|c| c.label().to_string()),
        "id_type" | "guardian_id_type" => doc_type(text).map(|d| d.label().to_string()),
        _ => None,
    }
}

/// Masks, in place, every ID number of a JSON value by the kind beside it,
/// every postal address, and hides password hashes.
fn mask_json(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(mask_json),
        Value::Object(map) => {
            for (number, kind) in [("id_number", "id_type"), ("guardian_id_number", "guardian_id_type")] {
                let kind = map.get(kind).and_then(Value::as_str).and_then(doc_type);
                if let Some(Value::String(n)) = map.get_mut(number) {
                    *n = mask_id(kind, n);
                }
            }
            if let Some(Value::String(a)) = map.get_mut("postal_address") {
                *a = mask_address(a);
            }
            if let Some(Value::String(h)) = map.get_mut("password_hash") {
                *h = SECRET.to_string();
            }
            if let Some(Value::String(p)) = map.get_mut("password") {
                *p = SECRET.to_string();
            }
            map.values_mut().for_each(mask_json);
        }
        _ => {}
    }
}

/// One displayed value: the key it is compared by, its label, its words.
struct Shown {
    key: String,
    label: String,
    value: String,
}

/// Every leaf of a JSON value as path → words (1-based indexes; empty values skipped).
fn flatten(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(s) if s.is_empty() => {}
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(v, &format!("{path}[{}]", i + 1), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                flatten(v, &sub, out);
            }
        }
        Value::String(s) => out.push((path.to_string(), s.clone())),
        Value::Bool(b) => out.push((path.to_string(), if *b { "是" } else { "否" }.to_string())),
        Value::Number(n) => out.push((path.to_string(), n.to_string())),
    }
}

/// The last name of a path (`owners[1].id_type` → `id_type`).
fn leaf(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// A leaf's value in words.
fn leaf_words(path: &str, text: String) -> String {
    let name = leaf(path);
    if let Some(w) = value_words(name, &text) {
        return w;
    }
    if name.ends_with("_fen") {
        if let Ok(fen) = text.parse::<i64>() {
            return yuan(fen);
        }
    }
    text
}

/// Integer fen as yuan (`150.00 元`).
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let f = fen.unsigned_abs();
    format!("{sign}{}.{:02} 元", f / 100, f % 100)
}

/// A JSON value's fields, masked, labelled under `prefix` (a column's label).
fn json_lines(value: &Value, prefix: &str, key_prefix: &str) -> Vec<Shown> {
    let mut masked = value.clone();
    mask_json(&mut masked);
    let mut leaves = Vec::new();
    flatten(&masked, "", &mut leaves);
    leaves
        .into_iter()
        .map(|(path, text)| {
            let label = path_label(&path);
            Shown {
                key: format!("{key_prefix}{path}"),
                label: if prefix.is_empty() {
                    label
                } else {
                    format!("{prefix} · {label}")
                },
                value: leaf_words(&path, text),
            }
        })
        .collect()
}

/// A row's columns as displayed values (bookkeeping left out, JSON opened,
/// numbers masked by the row's kinds).
fn row_lines(row: &[Column]) -> Vec<Shown> {
    let text = |name: &str| {
        row.iter().find(|c| c.name == name).and_then(|c| match &c.value {
            Cell::Text(t) => Some(t.as_str()),
            _ => None,
        })
    };
    let mut out = Vec::new();
    for c in row {
        if BOOKKEEPING.contains(&c.name.as_str()) {
            continue;
        }
        let label = name_label(&c.name).unwrap_or(c.name.as_str()).to_string();
        let words = match &c.value {
            Cell::Null => continue,
            Cell::Int(i) if c.name.ends_with("_fen") => yuan(*i),
            Cell::Int(i) => i.to_string(),
            Cell::Real(f) => f.to_string(),
            Cell::Blob(b) => format!("（二进制数据 {} 字节）", b.len()),
            Cell::Text(t) => {
                let trimmed = t.trim_start();
                if trimmed.starts_with('{') || trimmed.starts_with('[') {
                    if let Ok(v) = serde_json::from_str::<Value>(t) {
                        out.extend(json_lines(&v, &label, &format!("{}.", c.name)));
                        continue;
                    }
                }
                match c.name.as_str() {
                    "id_number" => mask_id(text("id_type").and_then(doc_type), t),
                    "guardian_id_number" => mask_id(text("guardian_id_type").and_then(doc_type), t),
                    "postal_address" => mask_address(t),
                    "password_hash" => SECRET.to_string(),
                    name => value_words(name, t).unwrap_or_else(|| t.clone()),
                }
            }
        };
        out.push(Shown {
            key: c.name.clone(),
            label,
            value: words,
        });
    }
    out
}

/// The raw value of a displayed key, for telling whether the two sides differ
/// (compared before masking, so a change hidden by the mask still shows).
fn raw_of(row: &[Column], key: &str) -> Option<String> {
    let (column, path) = match key.split_once('.') {
        Some((c, p)) => (c, Some(p)),
        None => (key, None),
    };
    let cell = &row.iter().find(|c| c.name == column)?.value;
    match (cell, path) {
        (Cell::Text(t), Some(p)) => {
            let v: Value = serde_json::from_str(t).ok()?;
            let mut leaves = Vec::new();
            flatten(&v, "", &mut leaves);
            leaves.into_iter().find(|(k, _)| k == p).map(|(_, v)| v)
        }
        (Cell::Null, _) => None,
        (other, _) => Some(format!("{other:?}")),
    }
}

/// A row as people name it: its serial, registration number or name where it
/// has one, else its key's values (`["c1"]` → `c1`).
fn record_name(row: Option<&[Column]>, key: &str) -> String {
    let named = row.and_then(|r| {
        [
            "serial",
            "registration_number",
            "display_name",
            "name",
            "reference",
            "original_name",
        ]
        .iter()
        .find_map(|n| {
            r.iter().find(|c| c.name == *n).and_then(|c| match &c.value {
                Cell::Text(t) if !t.is_empty() => Some(t.clone()),
                _ => None,
            })
        })
    });
    named.unwrap_or_else(|| match serde_json::from_str::<Vec<Value>>(key) {
        Ok(parts) => parts
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" / "),
        Err(_) => key.to_string(),
    })
}

/// The person's rows beside the server's: per row, the fields that differ, in words.
pub(crate) fn side_by_side(theirs: &[RowEffect], server: &[RowEffect]) -> Vec<InboxRowView> {
    theirs
        .iter()
        .map(|mine| {
            let current = server
                .iter()
                .find(|s| s.table == mine.table && s.key == mine.key)
                .and_then(|s| s.after.as_ref());
            let mine_lines = mine.after.as_deref().map(row_lines).unwrap_or_default();
            let server_lines = current.map(|r| row_lines(r)).unwrap_or_default();
            let mut seen = HashSet::new();
            let keys: Vec<(&str, &str)> = mine_lines
                .iter()
                .chain(server_lines.iter())
                .filter(|s| seen.insert(s.key.as_str()))
                .map(|s| (s.key.as_str(), s.label.as_str()))
                .collect();
            let one_sided = mine.after.is_none() || current.is_none();
            // An entry that names the fields it changed (payload format 2)
            // shows those only: a field, or every value inside it.
            let named: Option<Vec<String>> = mine.changed.as_ref().map(|changed| {
                changed
                    .iter()
                    .filter(|c| !BOOKKEEPING.contains(&c.column.as_str()))
                    .map(|c| {
                        std::iter::once(c.column.as_str())
                            .chain(c.path.iter().map(String::as_str))
                            .collect::<Vec<_>>()
                            .join(".")
                    })
                    .collect()
            });
            let in_named = |key: &str| {
                named.as_ref().is_none_or(|named| {
                    named.iter().any(|n| {
                        key == n
                            || key
                                .strip_prefix(n.as_str())
                                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
                    })
                })
            };
            let fields = keys
                .into_iter()
                .filter(|(key, _)| in_named(key))
                .filter(|(key, _)| {
                    one_sided
                        || raw_of(mine.after.as_deref().unwrap_or(&[]), key)
                            != raw_of(current.map(Vec::as_slice).unwrap_or(&[]), key)
                })
                .map(|(key, label)| {
                    let value = |lines: &[Shown]| lines.iter().find(|s| s.key == key).map(|s| s.value.clone());
                    InboxFieldView {
                        column: key.to_string(),
                        label: label.to_string(),
                        theirs: value(&mine_lines),
                        server: value(&server_lines),
                    }
                })
                .collect();
            InboxRowView {
                record: record_name(mine.after.as_deref().or(current.map(Vec::as_slice)), &mine.key),
                table_label: rows::table_label(&mine.table).to_string(),
                table: mine.table.clone(),
                key: mine.key.clone(),
                theirs_deleted: mine.after.is_none(),
                server_missing: current.is_none(),
                fields,
            }
        })
        .collect()
}

/// Everything the person entered (the command's inputs), labelled and masked.
pub(crate) fn entered(payload: &Value) -> Vec<InboxLineView> {
    json_lines(payload, "", "")
        .into_iter()
        .map(|s| InboxLineView {
            label: s.label,
            value: s.value,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_words() {
        assert_eq!(path_label("work.title"), "作品名称");
        assert_eq!(path_label("owners[2].id_number"), "著作权人 2 · 证件号码");
        assert_eq!(
            path_label("draft.writer.files[1].kind"),
            "填报内容 · 执笔者 · 附件 1 · 类型"
        );
        assert_eq!(yuan(15000), "150.00 元");
        assert_eq!(yuan(-5), "-0.05 元");
    }
}
