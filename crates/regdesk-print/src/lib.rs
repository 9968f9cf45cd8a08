//! Printed and exported documents of the desk.
//!
//! PDF documents (A4, the CJK font compiled in and subset to the characters
//! used):
//! - the application form (作品登记申请表), [`application_form`], and the
//!   batch signing form (一人一表), one signer's form for every work of a batch, [`batch_signing_form`];
//! - the correction notice (作品登记补正通知书), [`correction_notice`];
//! - the refusal notice (作品不予登记通知书), [`refusal_notice`];
//! - the fee day report (收费日报), [`day_report`];
//! - the certificate of registration (作品登记证书), one or a batch, in full or
//!   overprinted on pre-printed blanks, and the printer's calibration page,
//!   [`certificate`], [`certificate_batch`], [`calibration_page`].
//! - the acceptance notice (受理通知书), mailing labels (邮寄面单, any SF stock size), the
//!   day's shipping list (邮寄清单) and the pickup receipt (签收单), [`delivery`].
//!
//! Spreadsheets (.xlsx):
//! - the invoice list for the e-invoicing system (开票清单), [`invoice_list_xlsx`];
//! - the fee day report (收费日报), [`day_report_xlsx`];
//! - the statistical reports (作品登记情况月度统计表, 作品登记公告, the yearly summary and the
//!   supervisor's tables), [`report_xlsx`], also as PDF with [`report_pdf`].
//!
//! Inputs are plain data prepared by the store (every string already
//! formatted, dates as "2026年11月25日", money as integer fen, which the
//! documents show as yuan with [`yuan`]); the output is the file's bytes.
//! No file, network or clock access.

pub mod application_form;
pub mod barcode;
pub mod batch_signing;
mod canvas;
pub mod certificate;
pub mod day_report;
pub mod delivery;
mod font;
mod money;
pub mod notice;
pub mod report;
pub mod sheet;
pub mod template;

pub use application_form::{application_form, ApplicationForm, PartyLine, SignerLine};
pub use barcode::BarcodeError;
pub use batch_signing::{batch_signing_form, BatchSigningCase, BatchSigningForm};
pub use certificate::{calibration_page, certificate, certificate_batch, Certificate, CertificateMode, SheetLayout};
pub use day_report::{day_report, DayReport, DayReportRow};
pub use delivery::{
    acceptance_notice, handover_receipt, labels, shipping_list, text_sheet_xlsx, AcceptanceNotice, HandoverReceipt,
    ReceiptLine, ShippingLabel, ShippingList, ShippingListRow,
};
pub use money::yuan;
pub use notice::{correction_notice, refusal_notice, CorrectionNotice, RefusalNotice, Reviewer};
pub use report::{report_pdf, report_xlsx, Cell, ReportTable};
pub use sheet::{day_report_xlsx, invoice_list_xlsx, InvoiceRow};
pub use template::{intake_template, TemplateColumn, TemplateList};

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
    /// The verification link is too long for a QR code.
    #[error("证书二维码无法生成：{0}。请管理员缩短系统设置中的证书查验地址")]
    QrCode(String),
    /// The person cancelled a long print.
    #[error("已取消打印")]
    Cancelled,
    /// The spreadsheet writer reported an error.
    #[error("电子表格（xlsx）生成失败：{0}")]
    Xlsx(String),
}

impl PrintError {
    /// Stable machine code of the failure.
    pub fn code(&self) -> &'static str {
        match self {
            Self::FontLoad => "font_load_failed",
            Self::PdfWrite(_) => "pdf_write_failed",
            Self::Barcode(e) => e.code(),
            Self::Xlsx(_) => "xlsx_write_failed",
            Self::QrCode(_) => "qr_code_failed",
            Self::Cancelled => "cancelled",
        }
    }
}
