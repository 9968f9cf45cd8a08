//! `regdesk id check`: checks identity-document numbers (证件号码校验), one per argument or per stdin line.

use std::io::{BufRead, Write};

use chrono::NaiveDate;
use regdesk_domain::identity::{self, DocumentType, IdentityDocument, Region};
use serde_json::{json, Map, Value};

#[derive(clap::Args, Debug)]
pub struct IdCheckArgs {
    /// TYPE: resident-id|uscc|hk-macao-permit|taiwan-permit|residence-permit|foreign-permanent-id|passport|other
    /// (guessed from each number's shape when left out)
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    /// One JSON object per number, one per line
    #[arg(long)]
    pub json: bool,
    /// Numbers to check; without any, one number per line is read from standard input
    pub numbers: Vec<String>,
}

fn type_codes() -> String {
    DocumentType::ALL.iter().map(|t| t.code()).collect::<Vec<_>>().join("|")
}

/// Runs the check; returns the exit code: 0 all valid, 1 some invalid, 2 bad `--type` or unreadable input.
pub fn run(
    args: &IdCheckArgs,
    today: NaiveDate,
    stdin: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let fixed_type = match args.doc_type.as_deref() {
        None => None,
        Some(code) => match DocumentType::from_code(code) {
            Some(t) => Some(t),
            None => {
                let _ = writeln!(err, "未知的证件类型“{code}”，可选：{}", type_codes());
                return 2;
            }
        },
    };
    // (line number, input)
    let mut inputs: Vec<(usize, String)> = Vec::new();
    if args.numbers.is_empty() {
        for (i, line) in stdin.lines().enumerate() {
            match line {
                Ok(l) if l.trim().is_empty() => {}
                Ok(l) => inputs.push((i + 1, l)),
                Err(e) => {
                    let _ = writeln!(err, "读取标准输入失败：{e}");
                    return 2;
                }
            }
        }
    } else {
        inputs = args
            .numbers
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, n)| (i + 1, n))
            .collect();
    }

    let mut any_invalid = false;
    for (line, input) in inputs {
        let doc_type = fixed_type.unwrap_or_else(|| identity::guess_type(&input));
        let result = identity::check(doc_type, &input, today);
        let shown = input.trim();
        if let Err(e) = &result {
            any_invalid = true;
            let _ = writeln!(err, "第 {line} 行 {shown}: {e}");
        }
        let text = if args.json {
            json_line(&input, doc_type, &result, today).to_string()
        } else {
            summary(line, shown, doc_type, &result, today)
        };
        let _ = writeln!(out, "{text}");
    }
    i32::from(any_invalid)
}

fn region_fields(obj: &mut Map<String, Value>, r: &Region) {
    obj.insert("region_code".into(), json!(r.code));
    obj.insert("province".into(), json!(r.province));
    obj.insert("city".into(), json!(r.city));
    obj.insert("county".into(), json!(r.county));
}

/// One JSON object for one input.
fn json_line(
    input: &str,
    doc_type: DocumentType,
    result: &Result<IdentityDocument, identity::IdError>,
    today: NaiveDate,
) -> Value {
    let mut obj = Map::new();
    obj.insert("input".into(), json!(input));
    obj.insert("type".into(), json!(doc_type.code()));
    match result {
        Err(e) => {
            obj.insert("valid".into(), json!(false));
            obj.insert("error".into(), json!({ "code": e.code(), "message": e.to_string() }));
            obj.insert("warnings".into(), json!([]));
        }
        Ok(doc) => {
            obj.insert("valid".into(), json!(true));
            obj.insert("error".into(), Value::Null);
            let warnings: Vec<Value> = doc
                .warnings
                .iter()
                .map(|w| json!({ "code": w.code, "message": w.message }))
                .collect();
            obj.insert("warnings".into(), Value::Array(warnings));
            obj.insert("number".into(), json!(doc.number));
            if let Some(p) = &doc.person {
                obj.insert("birth_date".into(), json!(p.birth_date.format("%Y-%m-%d").to_string()));
                obj.insert("sex".into(), json!(p.sex.letter().to_string()));
                obj.insert("age".into(), json!(identity::age_on(p.birth_date, today)));
                obj.insert("minor".into(), json!(identity::is_minor_on(p.birth_date, today)));
                region_fields(&mut obj, &p.region);
            }
            if let Some(o) = &doc.organisation {
                obj.insert("registering_body".into(), json!(o.registering_body));
                obj.insert("entity_type".into(), json!(o.entity_type));
                region_fields(&mut obj, &o.region);
            }
        }
    }
    Value::Object(obj)
}

/// A readable one-line Chinese summary for one input.
fn summary(
    line: usize,
    shown: &str,
    doc_type: DocumentType,
    result: &Result<IdentityDocument, identity::IdError>,
    today: NaiveDate,
) -> String {
    let label = doc_type.label();
    let doc = match result {
        Err(e) => return format!("第 {line} 行 {shown}：{label}，无效：{e}"),
        Ok(doc) => doc,
    };
    let mut parts = vec![format!("第 {line} 行 {}：{label}，有效", doc.number)];
    if let Some(p) = &doc.person {
        let age = identity::age_on(p.birth_date, today);
        let minor = if identity::is_minor_on(p.birth_date, today) {
            "（未成年，需监护人）"
        } else {
            ""
        };
        parts.push(format!(
            "{}，{} 生，{age} 岁{minor}",
            p.sex.label(),
            p.birth_date.format("%Y-%m-%d")
        ));
        parts.push(region_text(&p.region));
    }
    if let Some(o) = &doc.organisation {
        parts.push(format!(
            "{}登记，{}",
            o.registering_body.as_deref().unwrap_or("未知部门"),
            o.entity_type.as_deref().unwrap_or("未知类别")
        ));
        parts.push(region_text(&o.region));
    }
    for w in &doc.warnings {
        parts.push(format!("提醒：{}", w.message));
    }
    parts.join("；")
}

fn region_text(r: &Region) -> String {
    let name = r.display_name();
    let old = if r.historic { "，旧代码" } else { "" };
    if name.is_empty() {
        format!("地区 {}", r.code)
    } else {
        format!("{name}（{}{old}）", r.code)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
    }

    fn args(doc_type: Option<&str>, json: bool, numbers: &[&str]) -> IdCheckArgs {
        IdCheckArgs {
            doc_type: doc_type.map(str::to_string),
            json,
            numbers: numbers.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn run_with(a: &IdCheckArgs, stdin: &str) -> (i32, String, String) {
        let mut input = Cursor::new(stdin.as_bytes().to_vec());
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = run(a, today(), &mut input, &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    #[test]
    fn json_from_stdin_in_order_with_blank_lines_skipped() {
        let stdin = "11010519491231002x\n\n  91350100M000100Y43 \n110105194912310021\nH12345678\n";
        let (code, out, err) = run_with(&args(None, true, &[]), stdin);
        assert_eq!(code, 1);
        let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 4);

        let id = &lines[0];
        assert_eq!(id["input"], "11010519491231002x");
        assert_eq!(id["type"], "resident-id");
        assert_eq!(id["valid"], true);
        assert_eq!(id["error"], Value::Null);
        assert_eq!(id["birth_date"], "1949-12-31");
        assert_eq!(id["sex"], "F");
        assert_eq!(id["age"], 76);
        assert_eq!(id["region_code"], "110105");
        assert_eq!(id["province"], "北京市");
        assert_eq!(id["city"], Value::Null);
        assert_eq!(id["county"], "朝阳区");
        assert_eq!(id["warnings"], json!([]));

        let u = &lines[1];
        assert_eq!(u["type"], "uscc");
        assert_eq!(u["valid"], true);
        assert_eq!(u["registering_body"], "工商/市场监管");
        assert_eq!(u["entity_type"], "企业");
        assert_eq!(u["region_code"], "350100");
        assert_eq!(u["city"], "福州市");

        let bad = &lines[2];
        assert_eq!(bad["valid"], false);
        assert_eq!(bad["error"]["code"], "checksum");
        assert_eq!(bad["error"]["message"], "身份证号第 18 位校验码应为 X，请核对");
        assert!(bad.get("birth_date").is_none());

        assert_eq!(lines[3]["type"], "hk-macao-permit");
        assert_eq!(lines[3]["valid"], true);

        assert_eq!(
            err.trim(),
            "第 4 行 110105194912310021: 身份证号第 18 位校验码应为 X，请核对"
        );
    }

    #[test]
    fn arguments_with_fixed_type() {
        let (code, out, err) = run_with(&args(Some("passport"), false, &["E12345678", "G1234567"]), "ignored\n");
        assert_eq!(code, 0, "{err}");
        assert!(err.is_empty());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("第 1 行 E12345678：护照，有效"), "{}", lines[0]);
    }

    #[test]
    fn readable_summary() {
        let (code, out, _) = run_with(&args(None, false, &["11010519491231002X"]), "");
        assert_eq!(code, 0);
        assert_eq!(
            out.trim(),
            "第 1 行 11010519491231002X：居民身份证，有效；女，1949-12-31 生，76 岁；北京市朝阳区（110105）"
        );
        let (code, out, err) = run_with(&args(Some("resident-id"), false, &["1101051949123100"]), "");
        assert_eq!(code, 1);
        assert_eq!(
            out.trim(),
            "第 1 行 1101051949123100：居民身份证，无效：身份证号应为 18 位，现在是 16 位"
        );
        assert_eq!(err.trim(), "第 1 行 1101051949123100: 身份证号应为 18 位，现在是 16 位");
    }

    #[test]
    fn unknown_region_is_a_warning_not_an_error() {
        // 330199 is not in the table; check char computed for it.
        let body = "33019919900101001";
        let n = format!("{body}{}", identity::gb11643_check_char(body).unwrap());
        let (code, out, _) = run_with(&args(None, true, &[&n]), "");
        assert_eq!(code, 0);
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["valid"], true);
        assert_eq!(v["warnings"][0]["code"], "region_unknown");
        assert_eq!(v["county"], Value::Null);
        assert_eq!(v["province"], "浙江省");
    }

    #[test]
    fn bad_type_exits_2() {
        let (code, out, err) = run_with(&args(Some("driving-licence"), false, &["123"]), "");
        assert_eq!(code, 2);
        assert!(out.is_empty());
        assert!(err.contains("resident-id|uscc|hk-macao-permit"), "{err}");
    }

    #[test]
    fn snake_case_type_is_accepted() {
        let (code, out, _) = run_with(&args(Some("taiwan_permit"), true, &["12345678"]), "");
        assert_eq!(code, 0);
        let v: Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["type"], "taiwan-permit");
    }
}
