//! Printed documents of the desk, rendered to PDF bytes.
//!
//! Inputs are plain data prepared by the store (every string already
//! formatted, dates as "2026年11月25日"); the output is the PDF file's bytes.
//! No file, network or clock access: the CJK font is compiled in.

pub mod application_form;
pub mod barcode;
mod canvas;
mod font;

pub use application_form::{application_form, ApplicationForm, PartyLine, SignerLine};
pub use barcode::BarcodeError;

/// Why a document could not be produced (打印失败).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// The built-in font could not be parsed.
    #[error("字体加载失败：内置字体 Noto Sans CJK SC 无法解析，请重新安装本软件")]
    FontLoad,
    /// The PDF writer reported an error.
    #[error("PDF 生成失败：{0}")]
    PdfWrite(String),
    /// The case serial cannot be put into the barcode.
    #[error("流水号无法打印为条码：{0}")]
    Barcode(#[from] BarcodeError),
}

impl PrintError {
    /// Stable machine code of the failure.
    pub fn code(&self) -> &'static str {
        match self {
            Self::FontLoad => "font_load_failed",
            Self::PdfWrite(_) => "pdf_write_failed",
            Self::Barcode(e) => e.code(),
        }
    }
}
