//! Why a statement file could not be read (对账单导入失败的原因).

/// Why a bank-statement file (银行流水 / 对账单) could not be turned into lines.
///
/// The `Display` text is meant for the finance staff (财务人员) and is in
/// Chinese; [`StatementError::code`] is a stable machine code for the store,
/// the CLI and the UI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    /// The file has no content at all (空文件).
    #[error("文件为空：没有读取到任何内容，请重新从网上银行导出流水文件")]
    Empty,
    /// The text is neither UTF-8 nor GBK/GB18030 (编码无法识别).
    #[error(
        "文件编码无法识别：既不是 UTF-8 也不是 GBK（GB18030）编码的文本。\
         请从网上银行重新导出 CSV 或 Excel（.xlsx）格式的交易明细"
    )]
    Encoding,
    /// An old binary Excel workbook (.xls, Excel 97–2003) was given.
    #[error("暂不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 格式后再导入")]
    LegacyXls,
    /// The xlsx workbook could not be opened (Excel 文件损坏或不是 Excel 文件).
    #[error("Excel 文件无法读取（{detail}），请确认文件没有损坏，或在 Excel 中重新保存为 .xlsx 后再导入")]
    Xlsx {
        /// Technical detail from the workbook reader.
        detail: String,
    },
    /// The CSV text could not be split into rows.
    #[error("CSV 文件无法读取（{detail}），请重新从网上银行导出")]
    Csv {
        /// Technical detail from the CSV reader.
        detail: String,
    },
    /// No header row (表头) was found in the first rows of the file.
    #[error("未找到表头行：前 {scanned} 行中没有一行同时包含{looked_for}。请确认导入的是银行交易明细（流水）文件")]
    NoHeader {
        /// How many rows were scanned.
        scanned: u32,
        /// The columns that were looked for, in Chinese.
        looked_for: String,
    },
    /// A header row was found but a required column (必需的列) is missing.
    #[error("第 {line} 行看起来是表头，但缺少「{field}」列：表头中没有以下任何一列：{}", .tried.join("、"))]
    MissingColumn {
        /// The 1-based line (CSV) or row (xlsx) of the header-like row.
        line: u32,
        /// The missing field, in Chinese (e.g. 交易日期).
        field: String,
        /// The header names that would have been accepted.
        tried: Vec<String>,
    },
}

impl StatementError {
    /// Stable snake_case code of the failure.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_file",
            Self::Encoding => "unknown_encoding",
            Self::LegacyXls => "legacy_xls_unsupported",
            Self::Xlsx { .. } => "xlsx_unreadable",
            Self::Csv { .. } => "csv_unreadable",
            Self::NoHeader { .. } => "no_header",
            Self::MissingColumn { .. } => "missing_column",
        }
    }
}
