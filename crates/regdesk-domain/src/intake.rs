//! 批量受理表格（docs/DOMAIN.md §4.1）: the office's intake template, one row
//! per work with a column for every field of the filing, and the reading of a
//! filled-in row into a [`FilingDraft`]. A row is checked by the same rules as
//! the wizard (`FilingDraft::to_filing`); each problem is named by the row's
//! line, the column's header and the fix. Files are named in the row and
//! looked up in the folder that comes with the sheet (the caller says which
//! names are there: the domain reads no folder).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::category::WorkCategory;
use crate::filing::{AuthorDraft, Delivery, FilingDraft, OwnerDraft, PartyFile, WorkDraft, WriterDraft};
use crate::identity::DocumentType;
use crate::party::{AttachmentKind, PartyContext, PartyKind, SignedAs};
use crate::work::{Acquisition, Attribution, CreationNature, Ownership, PublicationStatus, Right};

/// The template's sheets: the works, the allowed values, the instructions.
pub const SHEET_WORKS: &str = "作品";
pub const SHEET_VALUES: &str = "可选值";
pub const SHEET_HELP: &str = "填写说明";

/// How many copyright owners the sheet has columns for (more: the wizard).
pub const OWNER_COLUMNS: usize = 2;

/// The separators between several names in one cell.
const SEPARATORS: [char; 6] = ['；', ';', '、', '，', ',', '\n'];

/// 下拉选择的可选值列表。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PickList {
    Category,
    Nature,
    Publication,
    Attribution,
    Acquisition,
    Ownership,
    Right,
    PartyKind,
    IdType,
    SignedAs,
    Delivery,
}

impl PickList {
    pub const ALL: [PickList; 11] = [
        PickList::Category,
        PickList::Nature,
        PickList::Publication,
        PickList::Attribution,
        PickList::Acquisition,
        PickList::Ownership,
        PickList::Right,
        PickList::PartyKind,
        PickList::IdType,
        PickList::SignedAs,
        PickList::Delivery,
    ];

    /// The list's title on the values sheet.
    pub fn title(self) -> &'static str {
        match self {
            PickList::Category => "作品类别",
            PickList::Nature => "创作性质",
            PickList::Publication => "发表状态",
            PickList::Attribution => "权利归属方式",
            PickList::Acquisition => "权利取得方式",
            PickList::Ownership => "权利拥有状况",
            PickList::Right => "权利范围",
            PickList::PartyKind => "当事人类型",
            PickList::IdType => "证件类型",
            PickList::SignedAs => "署名方式",
            PickList::Delivery => "证书发放方式",
        }
    }

    /// The allowed values, as typed in the sheet.
    pub fn values(self) -> Vec<&'static str> {
        match self {
            PickList::Category => WorkCategory::ALL.iter().map(|c| c.label()).collect(),
            PickList::Nature => CreationNature::ALL.iter().map(|c| c.label()).collect(),
            PickList::Publication => [PublicationStatus::Published, PublicationStatus::Unpublished]
                .iter()
                .map(|c| c.label())
                .collect(),
            PickList::Attribution => Attribution::ALL.iter().map(|c| c.label()).collect(),
            PickList::Acquisition => [
                Acquisition::Original,
                Acquisition::Inheritance,
                Acquisition::Succession,
                Acquisition::Other,
            ]
            .iter()
            .map(|c| c.label())
            .collect(),
            PickList::Ownership => [Ownership::Full, Ownership::Partial]
                .iter()
                .map(|c| c.label())
                .collect(),
            PickList::Right => Right::ALL.iter().map(|c| c.label()).collect(),
            PickList::PartyKind => [PartyKind::NaturalPerson, PartyKind::Organisation]
                .iter()
                .map(|c| c.label())
                .collect(),
            PickList::IdType => DocumentType::ALL.iter().map(|c| c.label()).collect(),
            PickList::SignedAs => [SignedAs::RealName, SignedAs::Alias, SignedAs::Anonymous]
                .iter()
                .map(|c| c.label())
                .collect(),
            PickList::Delivery => [Delivery::Mail, Delivery::Pickup].iter().map(|c| c.label()).collect(),
        }
    }
}

/// 模板的一列。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeColumn {
    /// The header, as the template writes it.
    pub header: String,
    /// What the column fills: the draft's field path, or one of the sheet's own keys
    /// (`authors.names`, `owners[0].files.identity`, ...).
    pub key: String,
    /// The values the column may hold, when it is a pick list.
    pub pick: Option<PickList>,
    /// Several values in one cell, separated by ；
    pub several: bool,
    /// How to fill it in (the instruction sheet).
    pub hint: &'static str,
}

fn col(header: impl Into<String>, key: impl Into<String>, pick: Option<PickList>, hint: &'static str) -> IntakeColumn {
    IntakeColumn {
        header: header.into(),
        key: key.into(),
        pick,
        several: false,
        hint,
    }
}

fn many(mut c: IntakeColumn) -> IntakeColumn {
    c.several = true;
    c
}

/// The template's columns, in order.
pub fn columns() -> Vec<IntakeColumn> {
    use PickList as P;
    let mut v = vec![
        col("作品名称", "work.title", None, "作品的完整名称"),
        col("作品类别", "work.category", Some(P::Category), "从下拉列表中选择"),
        col("创作性质", "work.nature", Some(P::Nature), "从下拉列表中选择"),
        col(
            "创作性质说明",
            "work.nature_note",
            None,
            "改编、翻译、汇编、注释、整理或其他时，写明原作品",
        ),
        col(
            "创作完成日期",
            "work.completed_on",
            None,
            "如 2026-11-25；月、日不详可只填 2026-11 或 2026",
        ),
        col("创作完成地点", "work.completed_place", None, "如 浙江省杭州市"),
        col("发表状态", "work.publication", Some(P::Publication), "从下拉列表中选择"),
        col(
            "首次发表日期",
            "work.first_published_on",
            None,
            "已发表时填写，格式同创作完成日期",
        ),
        col("首次发表地点", "work.first_published_place", None, "已发表时填写"),
        col(
            "权利归属方式",
            "work.attribution",
            Some(P::Attribution),
            "从下拉列表中选择",
        ),
        col(
            "权利取得方式",
            "work.acquisition",
            Some(P::Acquisition),
            "从下拉列表中选择",
        ),
        col("权利拥有状况", "work.ownership", Some(P::Ownership), "从下拉列表中选择"),
        many(col(
            "权利范围",
            "work.rights",
            Some(P::Right),
            "权利拥有状况为“部分”时填写，多项用“；”分隔",
        )),
        col("其他权利说明", "work.other_rights_note", None, "权利范围含“其他”时填写"),
    ];
    for i in 0..OWNER_COLUMNS {
        let n = i + 1;
        let hint_first = if i == 0 {
            "必填"
        } else {
            "只有一个著作权人时留空"
        };
        v.push(col(
            format!("著作权人{n}类型"),
            format!("owners[{i}].kind"),
            Some(P::PartyKind),
            hint_first,
        ));
        v.push(col(
            format!("著作权人{n}名称"),
            format!("owners[{i}].name"),
            None,
            "姓名或单位全称",
        ));
        v.push(col(
            format!("著作权人{n}证件类型"),
            format!("owners[{i}].id_type"),
            Some(P::IdType),
            "从下拉列表中选择",
        ));
        v.push(col(
            format!("著作权人{n}证件号码"),
            format!("owners[{i}].id_number"),
            None,
            "请设为文本格式，避免末位变成 0",
        ));
        v.push(col(
            format!("著作权人{n}经办人"),
            format!("owners[{i}].handling_person"),
            None,
            "单位著作权人的经办人",
        ));
        v.push(col(
            format!("著作权人{n}所在地区"),
            format!("owners[{i}].region"),
            None,
            "如 浙江省杭州市",
        ));
        v.push(many(col(
            format!("著作权人{n}证件扫描件"),
            format!("owners[{i}].files.identity"),
            None,
            "文件夹中的文件名：自然人为身份证明，单位为营业执照或统一社会信用代码证书",
        )));
        v.push(many(col(
            format!("著作权人{n}居住证明"),
            format!("owners[{i}].files.residence"),
            None,
            "证件不是本省签发的自然人，填写在本省工作、学习或居住证明的文件名",
        )));
    }
    v.extend([
        many(col("作者", "authors.names", None, "多位作者用“；”分隔")),
        col("作者类型", "authors.kind", Some(P::PartyKind), "全部作者的类型"),
        col("署名方式", "authors.signed_as", Some(P::SignedAs), "全部作者的署名方式"),
        many(col(
            "作者署名",
            "authors.signed_names",
            None,
            "别名署名时按作者顺序填写，用“；”分隔",
        )),
        col("执笔者姓名", "writer.name", None, "仅法人作品填写"),
        col("执笔者证件类型", "writer.id_type", Some(P::IdType), "仅法人作品填写"),
        col("执笔者证件号码", "writer.id_number", None, "仅法人作品填写"),
        many(col("执笔者身份证明", "writer.files.identity", None, "文件夹中的文件名")),
        many(col("作品样本", "samples", None, "文件夹中的文件名，多个用“；”分隔")),
        many(col("其他附件", "other_files", None, "文件夹中的文件名，多个用“；”分隔")),
        col("作品简介及创意", "description", None, "不超过 2000 字"),
        col("创作经过及意图", "creation_story", None, "不超过 2000 字"),
        col("证书发放方式", "delivery", Some(P::Delivery), "从下拉列表中选择"),
        col("收件人", "recipient_name", None, "邮寄时填写"),
        col("收件手机", "recipient_phone", None, "邮寄时填写"),
        col("收件地址", "postal_address", None, "邮寄时填写"),
        col("电子发票邮箱", "invoice_email", None, "接收电子发票的邮箱"),
    ]);
    v
}

/// 导入表格时某一行某一列的问题：行号、列名、问题与改法。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RowProblem {
    /// The row's line in the sheet (1-based, as the spreadsheet shows it); 0 for the sheet as a whole.
    pub line: u32,
    /// The column's header (empty when the whole row is meant).
    pub column: String,
    /// Stable machine code.
    pub code: String,
    /// Plain Chinese naming the problem and the fix.
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column.is_empty()) {
            (0, true) => write!(f, "{}", self.message),
            (0, false) => write!(f, "“{}”列：{}", self.column, self.message),
            (l, true) => write!(f, "第 {l} 行：{}", self.message),
            (l, false) => write!(f, "第 {l} 行“{}”列：{}", self.column, self.message),
        }
    }
}

/// Which column of the sheet holds which template column.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    columns: Vec<IntakeColumn>,
    /// For each template column, its index in the sheet's rows.
    at: Vec<Option<usize>>,
}

/// Strips spaces and a trailing `*` (a required-field mark) from a header.
fn header_text(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches(['*', '＊'])
        .to_string()
}

impl HeaderMap {
    /// Reads the header row: every non-empty header must be one of the template's, and the
    /// work's title column must be there. Problems name the header's column.
    pub fn new(line: u32, header: &[String]) -> Result<HeaderMap, Vec<RowProblem>> {
        let columns = columns();
        let mut at = vec![None; columns.len()];
        let mut problems = Vec::new();
        for (i, h) in header.iter().enumerate() {
            let h = header_text(h);
            if h.is_empty() {
                continue;
            }
            match columns.iter().position(|c| c.header == h) {
                Some(k) if at[k].is_none() => at[k] = Some(i),
                Some(_) => problems.push(RowProblem {
                    line,
                    column: h.clone(),
                    code: "duplicate_column".into(),
                    message: format!("表头中“{h}”出现了两次，请删去多余的一列"),
                }),
                None => problems.push(RowProblem {
                    line,
                    column: h.clone(),
                    code: "unknown_column".into(),
                    message: format!("“{h}”不是模板中的列，请使用本机构下载的批量受理模板，不要增改表头"),
                }),
            }
        }
        if at.iter().all(Option::is_none) {
            return Err(vec![RowProblem {
                line,
                column: String::new(),
                code: "no_header".into(),
                message: "第一行应为表头（作品名称、作品类别……），请使用本机构下载的批量受理模板".into(),
            }]);
        }
        for (c, a) in columns.iter().zip(&at) {
            if a.is_none() && (c.key == "work.title" || c.key == "samples") {
                problems.push(RowProblem {
                    line,
                    column: c.header.clone(),
                    code: "missing_column".into(),
                    message: format!("表头中缺少“{}”列，请使用本机构下载的批量受理模板", c.header),
                });
            }
        }
        if problems.is_empty() {
            Ok(HeaderMap { columns, at })
        } else {
            Err(problems)
        }
    }

    fn cell<'a>(&self, cells: &'a [String], key: &str) -> &'a str {
        self.columns
            .iter()
            .position(|c| c.key == key)
            .and_then(|k| self.at[k])
            .and_then(|i| cells.get(i))
            .map_or("", |s| s.trim())
    }

    /// The header of the column for `key` (a template key).
    pub fn header_of(&self, key: &str) -> String {
        self.columns
            .iter()
            .find(|c| c.key == key)
            .map_or_else(String::new, |c| c.header.clone())
    }

    /// Reads one row (not yet checked against the rules: [`IntakeRow::check`]).
    pub fn read_row(&self, line: u32, cells: &[String]) -> IntakeRow {
        let mut row = IntakeRow {
            line,
            draft: FilingDraft::default(),
            files: Vec::new(),
            problems: Vec::new(),
        };
        // Every cell under no template column but with content is named, never dropped.
        for (i, c) in cells.iter().enumerate() {
            if !c.trim().is_empty() && !self.at.contains(&Some(i)) {
                row.problems.push(RowProblem {
                    line,
                    column: format!("第 {} 列", i + 1),
                    code: "no_column".into(),
                    message: "这一格在没有表头的列中，请把内容移到相应的列或删除".into(),
                });
            }
        }
        let text = |k: &str| self.cell(cells, k).to_string();
        let d = &mut row.draft;
        d.work = WorkDraft {
            title: text("work.title"),
            nature_note: text("work.nature_note"),
            completed_on: text("work.completed_on"),
            completed_place: text("work.completed_place"),
            first_published_on: text("work.first_published_on"),
            first_published_place: text("work.first_published_place"),
            other_rights_note: text("work.other_rights_note"),
            ..WorkDraft::default()
        };
        d.description = text("description");
        d.creation_story = text("creation_story");
        d.recipient_name = text("recipient_name");
        d.recipient_phone = text("recipient_phone");
        d.postal_address = text("postal_address");
        d.invoice_email = text("invoice_email");

        let mut problems = Vec::new();
        let mut pick = |key: &str, list: PickList| -> Option<&'static str> {
            let v = self.cell(cells, key);
            if v.is_empty() {
                return None;
            }
            let found = list.values().into_iter().find(|x| *x == v).or_else(|| {
                // 美术作品 for 美术, as the category's own reading allows.
                (list == PickList::Category)
                    .then(|| WorkCategory::from_label(v).map(WorkCategory::label))
                    .flatten()
            });
            if found.is_none() {
                problems.push(self.bad_value(line, key, v, list));
            }
            found
        };
        let work_category = pick("work.category", PickList::Category).and_then(WorkCategory::from_label);
        let nature = pick("work.nature", PickList::Nature)
            .and_then(|l| CreationNature::ALL.into_iter().find(|c| c.label() == l));
        let publication = pick("work.publication", PickList::Publication).map(|l| {
            if l == PublicationStatus::Published.label() {
                PublicationStatus::Published
            } else {
                PublicationStatus::Unpublished
            }
        });
        let attribution = pick("work.attribution", PickList::Attribution)
            .and_then(|l| Attribution::ALL.into_iter().find(|c| c.label() == l));
        let acquisition = pick("work.acquisition", PickList::Acquisition).and_then(|l| {
            [
                Acquisition::Original,
                Acquisition::Inheritance,
                Acquisition::Succession,
                Acquisition::Other,
            ]
            .into_iter()
            .find(|c| c.label() == l)
        });
        let ownership = pick("work.ownership", PickList::Ownership).and_then(|l| {
            [Ownership::Full, Ownership::Partial]
                .into_iter()
                .find(|c| c.label() == l)
        });
        let delivery = pick("delivery", PickList::Delivery)
            .and_then(|l| [Delivery::Mail, Delivery::Pickup].into_iter().find(|c| c.label() == l));
        let author_kind = pick("authors.kind", PickList::PartyKind).and_then(party_kind);
        let signed_as = pick("authors.signed_as", PickList::SignedAs).and_then(|l| {
            [SignedAs::RealName, SignedAs::Alias, SignedAs::Anonymous]
                .into_iter()
                .find(|c| c.label() == l)
        });
        let mut owners = Vec::new();
        for i in 0..OWNER_COLUMNS {
            let p = format!("owners[{i}]");
            let kind = pick(&format!("{p}.kind"), PickList::PartyKind).and_then(party_kind);
            let id_type = pick(&format!("{p}.id_type"), PickList::IdType).and_then(document_type);
            owners.push((kind, id_type));
        }
        let writer_id_type = pick("writer.id_type", PickList::IdType).and_then(document_type);
        let mut rights = Vec::new();
        for r in split(self.cell(cells, "work.rights")) {
            match Right::ALL.into_iter().find(|x| x.label() == r) {
                Some(x) => rights.push(x),
                None => problems.push(self.bad_value(line, "work.rights", &r, PickList::Right)),
            }
        }
        row.problems.extend(problems);

        let d = &mut row.draft;
        d.work.category = work_category;
        d.work.nature = nature;
        d.work.publication = publication;
        d.work.attribution = attribution;
        d.work.acquisition = acquisition;
        d.work.ownership = ownership;
        d.work.rights = rights;
        d.delivery = delivery;

        for (i, (kind, id_type)) in owners.into_iter().enumerate() {
            let p = format!("owners[{i}]");
            let keys = [
                "name",
                "id_number",
                "handling_person",
                "region",
                "files.identity",
                "files.residence",
            ];
            let any = kind.is_some()
                || id_type.is_some()
                || keys.iter().any(|k| !self.cell(cells, &format!("{p}.{k}")).is_empty());
            if !any && i > 0 {
                continue;
            }
            let index = row.draft.owners.len();
            row.draft.owners.push(OwnerDraft {
                kind,
                name: text(&format!("{p}.name")),
                id_type,
                id_number: text(&format!("{p}.id_number")),
                handling_person: text(&format!("{p}.handling_person")),
                region: text(&format!("{p}.region")),
                ..OwnerDraft::default()
            });
            let identity = if kind == Some(PartyKind::Organisation) {
                AttachmentKind::BusinessLicence
            } else {
                AttachmentKind::IdentityProof
            };
            for (k, kind) in [
                ("files.identity", identity),
                ("files.residence", AttachmentKind::ResidenceProof),
            ] {
                let key = format!("{p}.{k}");
                for name in split(self.cell(cells, &key)) {
                    row.files.push(NamedFile {
                        column: self.header_of(&key),
                        name,
                        slot: FileSlot::Owner(index, kind),
                    });
                }
            }
        }
        let signed_names = split(self.cell(cells, "authors.signed_names"));
        for (i, name) in split(self.cell(cells, "authors.names")).into_iter().enumerate() {
            row.draft.authors.push(AuthorDraft {
                kind: author_kind,
                name,
                signed_as,
                signed_name: signed_names.get(i).cloned().unwrap_or_default(),
            });
        }
        let writer_keys = ["writer.name", "writer.id_number", "writer.files.identity"];
        if writer_id_type.is_some() || writer_keys.iter().any(|k| !self.cell(cells, k).is_empty()) {
            row.draft.writer = Some(WriterDraft {
                name: text("writer.name"),
                id_type: writer_id_type,
                id_number: text("writer.id_number"),
                ..WriterDraft::default()
            });
            for name in split(self.cell(cells, "writer.files.identity")) {
                row.files.push(NamedFile {
                    column: self.header_of("writer.files.identity"),
                    name,
                    slot: FileSlot::Writer(AttachmentKind::IdentityProof),
                });
            }
        }
        for (key, slot) in [("samples", FileSlot::Sample), ("other_files", FileSlot::Other)] {
            for name in split(self.cell(cells, key)) {
                row.files.push(NamedFile {
                    column: self.header_of(key),
                    name,
                    slot,
                });
            }
        }
        row
    }

    fn bad_value(&self, line: u32, key: &str, value: &str, list: PickList) -> RowProblem {
        RowProblem {
            line,
            column: self.header_of(key),
            code: "not_allowed".into(),
            message: format!(
                "“{value}”不是可选的{}，请从下拉列表中选择：{}",
                list.title(),
                list.values().join("、")
            ),
        }
    }

    /// The column a rule's field path (`owners[1].id_number`, `authors[0].kind`) belongs to.
    pub fn column_of(&self, field: &str) -> String {
        let key = column_key(field);
        let h = self.header_of(&key);
        if h.is_empty() {
            self.header_of("work.title")
        } else {
            h
        }
    }
}

fn party_kind(label: &str) -> Option<PartyKind> {
    [PartyKind::NaturalPerson, PartyKind::Organisation]
        .into_iter()
        .find(|k| k.label() == label)
}

fn document_type(label: &str) -> Option<DocumentType> {
    DocumentType::ALL.into_iter().find(|t| t.label() == label)
}

/// Several names in one cell.
fn split(cell: &str) -> Vec<String> {
    cell.split(SEPARATORS)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The template key of a rule's field path.
fn column_key(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("authors") {
        let tail = rest.split_once('.').map_or("", |(_, t)| t);
        return match tail {
            "kind" => "authors.kind",
            "signed_as" => "authors.signed_as",
            "signed_name" => "authors.signed_names",
            _ => "authors.names",
        }
        .into();
    }
    if let Some(rest) = field.strip_prefix("owners") {
        let Some((index, tail)) = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(i, t)| (i, t.trim_start_matches('.')))
        else {
            return "owners[0].name".into();
        };
        let tail = match tail {
            "kind" | "name" | "id_type" | "id_number" | "handling_person" | "region" => tail,
            t if t.starts_with("attachments") || t.starts_with("files") => "files.identity",
            _ => "name",
        };
        return format!("owners[{index}].{tail}");
    }
    if let Some(tail) = field.strip_prefix("writer") {
        let tail = tail.trim_start_matches('.');
        return match tail {
            "name" | "id_type" | "id_number" => format!("writer.{tail}"),
            t if t.starts_with("attachments") || t.starts_with("files") => "writer.files.identity".into(),
            _ => "writer.name".into(),
        };
    }
    field.to_string()
}

/// Where a named file goes in the filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileSlot {
    /// 作品样本
    Sample,
    /// 其他附件
    Other,
    /// The n-th owner's proof of this kind.
    Owner(usize, AttachmentKind),
    /// The writer's proof of this kind.
    Writer(AttachmentKind),
}

impl FileSlot {
    /// Whether the file is identity material (else a sample of the work).
    pub fn is_identity(self) -> bool {
        matches!(self, FileSlot::Owner(..) | FileSlot::Writer(_))
    }
}

/// A file a row names, to be found in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedFile {
    pub column: String,
    pub name: String,
    pub slot: FileSlot,
}

/// 表格中的一行作品：读出的暂存稿、它所列的文件，以及问题。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeRow {
    pub line: u32,
    /// The filing without its files (see [`IntakeRow::draft_with`]).
    pub draft: FilingDraft,
    pub files: Vec<NamedFile>,
    pub problems: Vec<RowProblem>,
}

impl IntakeRow {
    /// The draft with each named file put in its place, as the id `id_of(name)` gives.
    pub fn draft_with(&self, id_of: &dyn Fn(&str) -> String) -> FilingDraft {
        let mut d = self.draft.clone();
        for f in &self.files {
            let id = id_of(&f.name);
            match f.slot {
                FileSlot::Sample => d.samples.push(id),
                FileSlot::Other => d.other_files.push(id),
                FileSlot::Owner(i, kind) => {
                    if let Some(o) = d.owners.get_mut(i) {
                        o.files.push(PartyFile { file_id: id, kind });
                    }
                }
                FileSlot::Writer(kind) => {
                    if let Some(w) = d.writer.as_mut() {
                        w.files.push(PartyFile { file_id: id, kind });
                    }
                }
            }
        }
        d
    }

    /// Checks the row as the wizard checks a filing before signing: every rule of
    /// `FilingDraft::to_filing`, each problem under its column; and every file it
    /// names must be in the folder (`present`).
    pub fn check(&mut self, map: &HeaderMap, ctx: &PartyContext, present: &dyn Fn(&str) -> bool) {
        let line = self.line;
        for f in &self.files {
            if !present(&f.name) {
                self.problems.push(RowProblem {
                    line,
                    column: f.column.clone(),
                    code: "missing_file".into(),
                    message: format!(
                        "文件夹中没有“{}”，请把该文件放进所选文件夹，或改正文件名（含扩展名）",
                        f.name
                    ),
                });
            }
        }
        let draft = self.draft_with(&|name| name.to_string());
        // A value that is not allowed is read as empty: the rule's "please choose" would repeat it.
        let refused: Vec<String> = self
            .problems
            .iter()
            .filter(|p| p.code == "not_allowed")
            .map(|p| p.column.clone())
            .collect();
        if let Err(errs) = draft.to_filing(ctx, &|_| true) {
            let several_authors = draft.authors.len() > 1;
            for e in errs {
                let who = author_index(&e.field)
                    .filter(|_| several_authors)
                    .map(|i| format!("第 {} 位作者：", i + 1))
                    .unwrap_or_default();
                let problem = RowProblem {
                    line,
                    column: map.column_of(&e.field),
                    code: e.code,
                    message: format!("{who}{}", e.message),
                };
                let repeats_refused = problem.code == "required" && refused.contains(&problem.column);
                if !(self.problems.contains(&problem) || repeats_refused) {
                    self.problems.push(problem);
                }
            }
        }
    }

    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn author_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("authors[")
        .and_then(|r| r.split_once(']'))
        .and_then(|(i, _)| i.parse().ok())
}

/// Reads a whole sheet: the first non-blank row is the header, every later non-blank row a
/// work. Blank rows are passed over (the template's are). The rows are not yet checked.
pub fn read_sheet(rows: &[(u32, Vec<String>)]) -> Result<(HeaderMap, Vec<IntakeRow>), Vec<RowProblem>> {
    let blank = |cells: &[String]| cells.iter().all(|c| c.trim().is_empty());
    let mut it = rows.iter().filter(|(_, c)| !blank(c));
    let Some((line, header)) = it.next() else {
        return Err(vec![RowProblem {
            line: 0,
            column: String::new(),
            code: "empty_sheet".into(),
            message: "表格中没有内容，请在“作品”工作表中每行填写一件作品".into(),
        }]);
    };
    let map = HeaderMap::new(*line, header)?;
    let works: Vec<IntakeRow> = it.map(|(l, cells)| map.read_row(*l, cells)).collect();
    if works.is_empty() {
        return Err(vec![RowProblem {
            line: 0,
            column: String::new(),
            code: "no_rows".into(),
            message: "表格中只有表头，没有作品，请在表头下每行填写一件作品".into(),
        }]);
    }
    Ok((map, works))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::NaiveDate;

    fn ctx() -> PartyContext {
        PartyContext {
            filing_date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            home_province_code: "33".into(),
        }
    }

    fn header() -> Vec<String> {
        columns().into_iter().map(|c| c.header).collect()
    }

    /// A good row of a 个人作品 by a Hangzhou resident, as text under `header()`.
    pub(crate) fn good_row(title: &str, sample: &str) -> Vec<String> {
        let mut m = std::collections::HashMap::new();
        for (k, v) in [
            ("work.title", title),
            ("work.category", "美术"),
            ("work.nature", "原创"),
            ("work.completed_on", "2026-03-01"),
            ("work.completed_place", "浙江省杭州市"),
            ("work.publication", "未发表"),
            ("work.attribution", "个人作品"),
            ("work.acquisition", "原始"),
            ("work.ownership", "全部"),
            ("owners[0].kind", "自然人"),
            ("owners[0].name", "张伟"),
            ("owners[0].id_type", "居民身份证"),
            ("owners[0].id_number", "330106199001011234"),
            ("owners[0].region", "浙江省杭州市"),
            ("owners[0].files.identity", "张伟身份证.jpg"),
            ("authors.names", "张伟"),
            ("authors.kind", "自然人"),
            ("authors.signed_as", "本名"),
            ("samples", sample),
            ("description", "以西湖为题的水彩画。"),
            ("creation_story", "写生三个月完成。"),
            ("delivery", "自领"),
            ("invoice_email", "zhangwei@example.cn"),
        ] {
            m.insert(k, v);
        }
        columns()
            .into_iter()
            .map(|c| m.get(c.key.as_str()).copied().unwrap_or("").to_string())
            .collect()
    }

    fn resident_id() -> String {
        // A real checksum for 33010619900101123?
        let body = "33010619900101123";
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = body
            .chars()
            .zip(weights)
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
        format!("{body}{check}")
    }

    fn with(mut row: Vec<String>, key: &str, value: &str) -> Vec<String> {
        let i = columns().iter().position(|c| c.key == key).unwrap();
        row[i] = value.into();
        row
    }

    #[test]
    fn a_good_row_becomes_a_draft_that_passes_every_rule() {
        let map = HeaderMap::new(1, &header()).unwrap();
        let cells = with(
            good_row("西湖春晓", "西湖春晓.jpg；西湖春晓-2.jpg"),
            "owners[0].id_number",
            &resident_id(),
        );
        let mut row = map.read_row(2, &cells);
        row.check(&map, &ctx(), &|_| true);
        assert_eq!(row.problems, vec![], "{:?}", row.problems);
        let d = row.draft_with(&|n| format!("id:{n}"));
        assert_eq!(d.samples, vec!["id:西湖春晓.jpg", "id:西湖春晓-2.jpg"]);
        assert_eq!(d.owners[0].files[0].kind, AttachmentKind::IdentityProof);
        assert_eq!(d.work.category, Some(WorkCategory::FineArt));
        assert_eq!(d.owners.len(), 1, "the empty second owner is not made");
    }

    #[test]
    fn problems_name_the_column_and_the_fix() {
        let map = HeaderMap::new(1, &header()).unwrap();
        let cells = with(
            with(
                good_row("西湖春晓", "西湖春晓.jpg"),
                "owners[0].id_number",
                "330106199001011235",
            ),
            "work.category",
            "油画",
        );
        let mut row = map.read_row(7, &cells);
        row.check(&map, &ctx(), &|n| n != "西湖春晓.jpg");
        let by_column: Vec<(&str, &str)> = row
            .problems
            .iter()
            .map(|p| (p.column.as_str(), p.code.as_str()))
            .collect();
        assert!(by_column.contains(&("作品类别", "not_allowed")), "{by_column:?}");
        assert!(by_column.contains(&("作品样本", "missing_file")), "{by_column:?}");
        assert!(
            row.problems.iter().any(|p| p.column == "著作权人1证件号码"),
            "{:?}",
            row.problems
        );
        assert!(row.problems.iter().all(|p| p.line == 7));
        let shown = row.problems[0].to_string();
        assert!(shown.starts_with("第 7 行“作品类别”列："), "{shown}");
        assert!(shown.contains("请从下拉列表中选择"), "{shown}");
    }

    #[test]
    fn headers_not_in_the_template_refuse_the_sheet() {
        let mut h = header();
        h.push("备注".into());
        let e = HeaderMap::new(1, &h).unwrap_err();
        assert_eq!(e[0].code, "unknown_column");
        assert_eq!(e[0].column, "备注");
        let e = HeaderMap::new(1, &["作品类别".to_string()]).unwrap_err();
        assert!(e.iter().any(|p| p.code == "missing_column" && p.column == "作品名称"));
    }

    #[test]
    fn a_cell_under_no_header_is_named() {
        let map = HeaderMap::new(1, &header()).unwrap();
        let mut cells = good_row("西湖春晓", "a.jpg");
        cells.push("多出来的".into());
        let row = map.read_row(3, &cells);
        assert_eq!(row.problems[0].code, "no_column");
    }

    #[test]
    fn field_paths_map_to_their_columns() {
        let map = HeaderMap::new(1, &header()).unwrap();
        assert_eq!(map.column_of("owners[1].id_number"), "著作权人2证件号码");
        assert_eq!(map.column_of("owners[0].attachments"), "著作权人1证件扫描件");
        assert_eq!(map.column_of("authors[2].signed_name"), "作者署名");
        assert_eq!(map.column_of("writer.attachments"), "执笔者身份证明");
        assert_eq!(map.column_of("work.first_published_on"), "首次发表日期");
        assert_eq!(map.column_of("samples"), "作品样本");
    }

    #[test]
    fn every_pick_list_value_reads_back() {
        for list in PickList::ALL {
            assert!(!list.values().is_empty(), "{}", list.title());
        }
        assert!(columns().iter().filter_map(|c| c.pick).count() >= 10);
    }
}
