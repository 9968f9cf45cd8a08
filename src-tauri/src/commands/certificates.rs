//! 制证发证台: 待制证, the electronic certificate, batch printing with
//! progress and 取消, spoiled sheets, the calibration page; and the admin's
//! certificate settings (verification address, printer offsets, category letters).
//! Printing goes to the chosen printer through the system's print service
//! (CUPS `lp`) where there is one, else to the system viewer.

use std::process::Command;
use std::sync::atomic::Ordering;

use regdesk_store::*;
use tauri::{Emitter, State};

use crate::documents::{open_in_system, write_and_open};
use crate::state::{AppState, Res};

/// A batch's progress ({done, total}).
const CERTIFICATE_PROGRESS: &str = "certificate-progress";

#[tauri::command]
pub async fn certificate_queue(state: State<'_, AppState>, input: CertificateQueueFilter) -> Res<CertificatePage> {
    state.with(|st, s| st.certificate_queue(s, &input))
}

#[tauri::command]
pub async fn certificate_sheets(state: State<'_, AppState>, input: CaseKey) -> Res<Vec<CertificateSheetView>> {
    state.with(|st, s| st.certificate_sheets(s, &input.key))
}

#[tauri::command]
pub async fn certificate_settings(state: State<'_, AppState>) -> Res<CertificateSettingsView> {
    state.with(|st, s| st.certificate_settings(s))
}

#[tauri::command]
pub async fn category_letters(state: State<'_, AppState>) -> Res<LetterTablesView> {
    state.with(|st, s| st.category_letters(s))
}

/// The printers the system's print service knows (`lpstat -e`); none and
/// `service: false` when there is no print service.
#[tauri::command]
pub async fn system_printers() -> Res<SystemPrinters> {
    Ok(match Command::new("lpstat").arg("-e").output() {
        Ok(out) if out.status.success() => SystemPrinters {
            service: true,
            printers: parse_printer_list(&String::from_utf8_lossy(&out.stdout)),
        },
        _ => SystemPrinters::default(),
    })
}

/// Sends a PDF to a printer with `lp`; the error names the printer and what `lp` said.
fn send_to_printer(printer: &str, path: &std::path::Path) -> Result<(), ApiError> {
    let out = Command::new("lp")
        .arg("-d")
        .arg(printer)
        .arg("--")
        .arg(path)
        .output()
        .map_err(|e| ApiError {
            kind: ErrorKind::Storage,
            message: format!("无法调用系统打印服务（lp）：{e}。文件已保存到 {}", path.display()),
            fields: Vec::new(),
        })?;
    if out.status.success() {
        return Ok(());
    }
    Err(ApiError {
        kind: ErrorKind::Storage,
        message: format!(
            "打印机“{printer}”未接受打印任务：{}。文件已保存到 {}",
            String::from_utf8_lossy(&out.stderr).trim(),
            path.display()
        ),
        fields: Vec::new(),
    })
}

/// 打印证书: renders the batch with progress events, records the sheets, then
/// sends the PDF to the printer (or opens it in the viewer).
#[tauri::command]
pub async fn print_certificates(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    input: PrintCertificatesInput,
) -> Res<PrintedCertificates> {
    state.print_cancel.store(false, Ordering::SeqCst);
    let cancel = &state.print_cancel;
    let (summary, pdf) = state.with(|st, s| {
        st.print_certificates(s, &input, &mut |done, total| {
            if done == total || done % (total / 50).max(1) == 0 {
                let p = CertificateProgress {
                    done: done as u32,
                    total: total as u32,
                };
                let _ = app.emit(CERTIFICATE_PROGRESS, p);
            }
            !cancel.load(Ordering::SeqCst)
        })
    })?;
    // The sheets are recorded: from here on a failure is a note beside the summary.
    let store = state.store()?;
    let name = format!("证书-{}.pdf", &summary.print_id);
    let printer = input.printer.trim().to_string();
    let path = store.write_document(DocumentFolder::Prints, &name, &pdf)?;
    let sent = if printer.is_empty() {
        open_in_system(&app, &path)
    } else {
        send_to_printer(&printer, &path)
    };
    Ok(PrintedCertificates {
        summary,
        file: path.display().to_string(),
        printer,
        note: sent.err().map(|e| e.message).unwrap_or_default(),
    })
}

/// 取消: the batch stops at its next page; nothing is recorded.
#[tauri::command]
pub async fn cancel_certificate_print(state: State<'_, AppState>) -> Res<()> {
    state.print_cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// The electronic certificate, opened in the system viewer.
#[tauri::command]
pub async fn open_certificate(app: tauri::AppHandle, state: State<'_, AppState>, input: CaseKey) -> Res<String> {
    let (name, pdf) = state.with(|st, s| st.certificate_pdf(s, &input.key))?;
    write_and_open(&app, state.store()?, DocumentFolder::Prints, &name, &pdf)
}

/// The calibration page for a printer, sent to it (or opened in the viewer).
#[tauri::command]
pub async fn print_calibration_page(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    input: CalibrationInput,
) -> Res<String> {
    let pdf = state.with(|st, s| st.calibration_pdf(s, &input.printer, input.mode))?;
    let store = state.store()?;
    let printer = input.printer.trim();
    if printer.is_empty() {
        return write_and_open(&app, store, DocumentFolder::Prints, "证书打印校准页.pdf", &pdf);
    }
    let path = store.write_document(DocumentFolder::Prints, "证书打印校准页.pdf", &pdf)?;
    send_to_printer(printer, &path)?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn void_certificate_sheet(state: State<'_, AppState>, input: VoidSheetInput) -> Res<CertificateSheetView> {
    state.with(|st, s| st.void_certificate_sheet(s, &input))
}

#[tauri::command]
pub async fn update_verification_url(
    state: State<'_, AppState>,
    input: VerificationUrlInput,
) -> Res<CertificateSettingsView> {
    state.with(|st, s| st.update_verification_url(s, &input))
}

#[tauri::command]
pub async fn save_certificate_printer(state: State<'_, AppState>, input: PrinterInput) -> Res<PrinterView> {
    state.with(|st, s| st.save_certificate_printer(s, &input))
}

#[tauri::command]
pub async fn set_category_letters(state: State<'_, AppState>, input: SetLettersInput) -> Res<LetterTablesView> {
    state.with(|st, s| st.set_category_letters(s, &input))
}
