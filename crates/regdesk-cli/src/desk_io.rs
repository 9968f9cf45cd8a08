//! What the desk commands share: the refusal on stderr (the core's message,
//! then each field by its path), one JSON object per result, JSON input read
//! with every problem named by its path, and a case found by its serial.

use std::path::Path;

use regdesk_store::{CaseDetail, Session, Store, StoreError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::Io;

/// Prints a refusal: the core's Chinese message, then every field it names
/// (`owners[0].id_number：…`) on its own line. Exit code 1.
pub fn refused(io: &mut Io<'_>, e: &StoreError) -> u8 {
    let api = e.to_api();
    let _ = writeln!(io.err, "{}", api.message);
    for f in &api.fields {
        let _ = writeln!(io.err, "  {}：{}", f.field, f.message);
    }
    1
}

/// One result as one line of JSON.
pub fn emit(io: &mut Io<'_>, v: &impl Serialize) {
    match serde_json::to_string(v) {
        Ok(line) => {
            let _ = writeln!(io.out, "{line}");
        }
        Err(e) => {
            let _ = writeln!(io.err, "无法输出 JSON：{e}");
        }
    }
}

/// A case by its serial (流水号) or id, as the signed-in person may see it.
pub fn case_at(store: &Store, s: &Session, serial: &str) -> Result<CaseDetail, StoreError> {
    store.case_detail(s, serial)
}

/// Problems with a JSON input file, each naming where (`draft.owners[0].kind`).
#[derive(Debug)]
pub struct InputProblems(pub Vec<String>);

/// Reads `path` (`-` for standard input) as JSON.
pub fn read_value(path: &Path) -> Result<Value, InputProblems> {
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| InputProblems(vec![format!("无法读取标准输入：{e}")]))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| InputProblems(vec![format!("无法读取 {}：{e}", path.display())]))?
    };
    serde_json::from_str(&text).map_err(|e| {
        InputProblems(vec![format!(
            "{} 不是有效的 JSON（第 {} 行第 {} 列）：{e}",
            path.display(),
            e.line(),
            e.column()
        )])
    })
}

/// Reads `path` (`-` for standard input) as `T`; see [`from_value`].
pub fn read_json<T: DeserializeOwned + Serialize>(path: &Path) -> Result<T, InputProblems> {
    from_value(&read_value(path)?)
}

/// `raw` as `T`. A wrong value names its path and what was expected; a key
/// `T` does not know is refused by its path rather than dropped.
pub fn from_value<T: DeserializeOwned + Serialize>(raw: &Value) -> Result<T, InputProblems> {
    let value: T = serde_path_to_error::deserialize(raw).map_err(|e| {
        let at = e.path().to_string();
        let at = if at == "." { "（顶层）".to_string() } else { at };
        InputProblems(vec![format!("{at}：取值不符合要求（{}）", e.inner())])
    })?;
    // What was read, written back: a key missing from it was not understood.
    let back = serde_json::to_value(&value).map_err(|e| InputProblems(vec![format!("无法检查输入：{e}")]))?;
    let mut unknown = Vec::new();
    unknown_keys(raw, &back, "", &mut unknown);
    if unknown.is_empty() {
        Ok(value)
    } else {
        Err(InputProblems(
            unknown
                .into_iter()
                .map(|p| format!("{p}：未知字段，请检查拼写（不认识的内容不会被静默丢弃）"))
                .collect(),
        ))
    }
}

/// The paths of keys in `raw` that `back` (the value read, written again) does not have.
fn unknown_keys(raw: &Value, back: &Value, at: &str, out: &mut Vec<String>) {
    match (raw, back) {
        (Value::Object(r), Value::Object(b)) => {
            for (k, v) in r {
                let path = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                match b.get(k) {
                    Some(bv) => unknown_keys(v, bv, &path, out),
                    None => out.push(path),
                }
            }
        }
        (Value::Array(r), Value::Array(b)) => {
            for (i, (rv, bv)) in r.iter().zip(b).enumerate() {
                unknown_keys(rv, bv, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Prints the input's problems on stderr; exit code 1.
pub fn bad_input(io: &mut Io<'_>, p: &InputProblems) -> u8 {
    let _ = writeln!(io.err, "输入文件有 {} 处需要修改：", p.0.len());
    for line in &p.0 {
        let _ = writeln!(io.err, "  {line}");
    }
    1
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn unknown_keys_are_named_by_path_and_known_ones_pass() {
        let raw = serde_json::json!({"work": {"title": "x", "titel": "y"}, "owners": [{"name": "a", "nmae": "b"}]});
        let back = serde_json::json!({"work": {"title": "x"}, "owners": [{"name": "a"}], "authors": []});
        let mut out = Vec::new();
        unknown_keys(&raw, &back, "", &mut out);
        out.sort();
        assert_eq!(out, vec!["owners[0].nmae".to_string(), "work.titel".to_string()]);
    }
}
