//! 历史登记（docs/DOMAIN.md §8.1）: registrations the office issued on its old
//! platform before it used RegDesk, loaded once from the old register's export.
//! They are read-only: the duplicate check, the search and revocation see them,
//! and the registration counters continue after the highest imported number.
//! This module reads one row of such an export and checks it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::category::WorkCategory;
use crate::filing::parse_partial_date;
use crate::intake::RowProblem;
use crate::regno::{CategoryLetters, RegistrationNumber};

/// The columns of a historic register export, with the names they may go by.
const COLUMNS: [(&str, &[&str]); 8] = [
    ("number", &["登记号", "作品登记号", "登记证号"]),
    ("registered_on", &["登记日期", "登记时间", "发证日期"]),
    ("title", &["作品名称", "名称"]),
    ("category", &["作品类别", "类别"]),
    ("owners", &["著作权人", "著作权人姓名或名称", "著作权人名称"]),
    ("authors", &["作者", "作者姓名或名称"]),
    ("completed_on", &["创作完成日期", "完成日期"]),
    ("published_on", &["首次发表日期", "发表日期"]),
];

fn label_of(key: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, names)| names[0])
}

/// 一条历史登记。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoricRegistration {
    pub number: RegistrationNumber,
    pub registered_on: NaiveDate,
    pub title: String,
    pub category: WorkCategory,
    pub owners: Vec<String>,
    pub authors: Vec<String>,
    /// 创作完成日期 as the domain writes a partial date (2024年3月).
    pub completed_on: Option<String>,
    pub published_on: Option<String>,
}

/// Which column of the export holds which field.
#[derive(Debug, Clone)]
pub struct HistoricHeader {
    at: Vec<(&'static str, usize)>,
}

impl HistoricHeader {
    /// Finds the columns; the number, date, title, category and owners must be there.
    pub fn new(line: u32, header: &[String]) -> Result<HistoricHeader, Vec<RowProblem>> {
        let mut at = Vec::new();
        for (key, names) in COLUMNS {
            if let Some(i) = header.iter().position(|h| {
                let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
                names.contains(&h.as_str())
            }) {
                at.push((key, i));
            }
        }
        let missing: Vec<RowProblem> = ["number", "registered_on", "title", "category", "owners"]
            .into_iter()
            .filter(|k| !at.iter().any(|(a, _)| a == k))
            .map(|k| RowProblem {
                line,
                column: label_of(k).into(),
                code: "missing_column".into(),
                message: format!(
                    "表头中没有“{}”列（也可写作：{}），请在第一行写明各列名称",
                    label_of(k),
                    COLUMNS
                        .iter()
                        .find(|(a, _)| *a == k)
                        .map_or(String::new(), |(_, n)| n.join("、"))
                ),
            })
            .collect();
        if missing.is_empty() {
            Ok(HistoricHeader { at })
        } else {
            Err(missing)
        }
    }

    fn cell<'a>(&self, cells: &'a [String], key: &str) -> &'a str {
        self.at
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, i)| cells.get(*i))
            .map_or("", |s| s.trim())
    }

    /// Reads and checks one row: every problem named by line and column.
    pub fn read(&self, line: u32, cells: &[String]) -> Result<HistoricRegistration, Vec<RowProblem>> {
        let mut problems = Vec::new();
        let mut problem = |key: &str, code: &str, message: String| {
            problems.push(RowProblem {
                line,
                column: label_of(key).into(),
                code: code.into(),
                message,
            })
        };
        let number = match self.cell(cells, "number") {
            "" => {
                problem("number", "required", "请填写登记号".into());
                None
            }
            t => match t.parse::<RegistrationNumber>() {
                Ok(n) => Some(n),
                Err(e) => {
                    problem(
                        "number",
                        e.code(),
                        format!("登记号“{t}”有误：{e}。应为 前缀-年份-类别字母-8位流水号，如 浙作登字-2025-F-00000012"),
                    );
                    None
                }
            },
        };
        let registered_on = match self.cell(cells, "registered_on") {
            "" => {
                problem("registered_on", "required", "请填写登记日期".into());
                None
            }
            t => match parse_partial_date("registered_on", "登记日期", t) {
                Ok(d) if d.day.is_some() => d.earliest(),
                Ok(_) => {
                    problem("registered_on", "date_format", "登记日期须写到日，如 2025-06-30".into());
                    None
                }
                Err(e) => {
                    problem("registered_on", &e.code, e.message);
                    None
                }
            },
        };
        let title = self.cell(cells, "title");
        if title.is_empty() {
            problem("title", "required", "请填写作品名称".into());
        } else if title.chars().count() > 200 {
            problem("title", "too_long", "作品名称最多 200 个字".into());
        }
        let category = match self.cell(cells, "category") {
            "" => {
                problem("category", "required", "请填写作品类别".into());
                None
            }
            t => {
                let c = WorkCategory::from_label(t).or_else(|| WorkCategory::from_code(t));
                if c.is_none() {
                    problem(
                        "category",
                        "not_allowed",
                        format!(
                            "“{t}”不是作品类别，请填写：{}",
                            WorkCategory::ALL
                                .iter()
                                .map(|c| c.label())
                                .collect::<Vec<_>>()
                                .join("、")
                        ),
                    );
                }
                c
            }
        };
        if let (Some(n), Some(c)) = (&number, category) {
            let letter = CategoryLetters::default().letter_of(c);
            if letter != Some(n.letter) {
                problem(
                    "number",
                    "letter_mismatch",
                    format!(
                        "登记号的类别字母 {} 与作品类别“{}”（字母 {}）不符，请核对登记号或作品类别",
                        n.letter,
                        c.label(),
                        letter.map_or_else(|| "无".to_string(), |l| l.to_string())
                    ),
                );
            }
        }
        if let (Some(n), Some(d)) = (&number, registered_on) {
            use chrono::Datelike;
            if n.year != d.year() {
                problem(
                    "registered_on",
                    "year_mismatch",
                    format!("登记日期 {d} 与登记号的年份 {} 不符，请核对", n.year),
                );
            }
        }
        let names = |key: &str| -> Vec<String> {
            self.cell(cells, key)
                .split(['；', ';', '、', '，', ',', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let owners = names("owners");
        if owners.is_empty() {
            problem("owners", "required", "请填写著作权人".into());
        }
        let authors = names("authors");
        let mut partial = |key: &str, label: &str| -> Option<String> {
            match self.cell(cells, key) {
                "" => None,
                t => match parse_partial_date(key, label, t) {
                    Ok(d) => Some(d.to_string()),
                    Err(e) => {
                        problem(key, &e.code, e.message);
                        None
                    }
                },
            }
        };
        let completed_on = partial("completed_on", "创作完成日期");
        let published_on = partial("published_on", "首次发表日期");
        match (number, registered_on, category) {
            (Some(number), Some(registered_on), Some(category)) if problems.is_empty() => Ok(HistoricRegistration {
                number,
                registered_on,
                title: title.to_string(),
                category,
                owners,
                authors,
                completed_on,
                published_on,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn header() -> HistoricHeader {
        HistoricHeader::new(
            1,
            &strings(&[
                "登记号",
                "登记日期",
                "作品名称",
                "作品类别",
                "著作权人",
                "作者",
                "创作完成日期",
                "首次发表日期",
            ]),
        )
        .unwrap()
    }

    #[test]
    fn a_good_row_reads() {
        let r = header()
            .read(
                2,
                &strings(&[
                    "浙作登字-2026-F-00000012",
                    "2026-06-30",
                    "断桥残雪",
                    "美术作品",
                    "张伟；李娜",
                    "张伟",
                    "2026-3",
                    "",
                ]),
            )
            .unwrap();
        assert_eq!(r.number.serial, 12);
        assert_eq!(r.owners, vec!["张伟", "李娜"]);
        assert_eq!(r.completed_on.as_deref(), Some("2026年3月"));
        assert_eq!(r.published_on, None);
    }

    #[test]
    fn every_problem_is_named_by_its_column() {
        let e = header()
            .read(
                5,
                &strings(&[
                    "浙作登字-2026-A-00000012",
                    "2025-06-30",
                    "",
                    "美术",
                    "",
                    "",
                    "2026-13",
                    "",
                ]),
            )
            .unwrap_err();
        let cols: Vec<&str> = e.iter().map(|p| p.column.as_str()).collect();
        for c in ["登记号", "登记日期", "作品名称", "著作权人", "创作完成日期"] {
            assert!(cols.contains(&c), "{c} in {cols:?}");
        }
        assert!(e.iter().all(|p| p.line == 5));
        assert!(e.iter().any(|p| p.code == "letter_mismatch"));
    }

    #[test]
    fn a_header_without_the_number_is_refused() {
        let e = HistoricHeader::new(1, &strings(&["作品名称", "作品类别"])).unwrap_err();
        assert!(e.iter().any(|p| p.column == "登记号"));
    }
}
