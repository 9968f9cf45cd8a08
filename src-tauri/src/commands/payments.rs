//! 核款台: cases to pay, transfers and their checking, statement import, refunds, e-invoices, the day report.

use regdesk_store::*;
use tauri::State;

use crate::state::{AppState, Res};
use std::sync::atomic::Ordering;
use tauri::Emitter;

use crate::documents::write_and_open;

/// The event that carries a statement import's progress to the screen.
const STATEMENT_PROGRESS: &str = "statement-progress";

#[tauri::command]
pub async fn payment_cases(state: State<'_, AppState>, input: PaymentCasesInput) -> Res<Vec<PaymentCaseRow>> {
    state.with(|st, s| st.payment_cases(s, &input))
}

#[tauri::command]
pub async fn record_transfer(state: State<'_, AppState>, input: RecordTransferInput) -> Res<TransferView> {
    state.with(|st, s| st.record_transfer(s, &input))
}

#[tauri::command]
pub async fn transfers(state: State<'_, AppState>, input: TransfersInput) -> Res<Vec<TransferView>> {
    state.with(|st, s| st.transfers(s, &input))
}

#[tauri::command]
pub async fn check_transfer(state: State<'_, AppState>, input: CheckTransferInput) -> Res<TransferView> {
    state.with(|st, s| st.check_transfer(s, &input))
}

#[tauri::command]
pub async fn choose_payment_method(state: State<'_, AppState>, input: ChooseMethodInput) -> Res<CaseDetail> {
    state.with(|st, s| st.choose_payment_method(s, &input))
}

#[tauri::command]
pub async fn import_statement(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    input: ImportStatementInput,
) -> Res<StatementImportView> {
    state.import_cancel.store(false, Ordering::SeqCst);
    let cancel = &state.import_cancel;
    state.with(|st, s| {
        st.import_statement_watched(s, &input, &|p| {
            // About fifty updates for a long statement, each line for a short one.
            if p.done == p.total || p.done % (p.total / 50).max(1) == 0 {
                let _ = app.emit(STATEMENT_PROGRESS, p);
            }
            !cancel.load(Ordering::SeqCst)
        })
    })
}

/// 取消: the statement being matched stops at its next line; nothing is recorded.
#[tauri::command]
pub async fn cancel_statement_import(state: State<'_, AppState>) -> Res<()> {
    state.import_cancel.store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command]
pub async fn open_statement_lines(state: State<'_, AppState>) -> Res<Vec<StatementLineView>> {
    state.with(|st, s| st.open_statement_lines(s))
}

#[tauri::command]
pub async fn resolve_statement_line(state: State<'_, AppState>, input: ResolveLineInput) -> Res<TransferView> {
    state.with(|st, s| st.resolve_statement_line(s, &input))
}

#[tauri::command]
pub async fn dismiss_statement_line(state: State<'_, AppState>, input: DismissLineInput) -> Res<()> {
    state.with(|st, s| st.dismiss_statement_line(s, &input))
}

#[tauri::command]
pub async fn refunds_due(state: State<'_, AppState>) -> Res<Vec<RefundDueRow>> {
    state.with(|st, s| st.refunds_due(s))
}

#[tauri::command]
pub async fn record_refund(state: State<'_, AppState>, input: RecordRefundInput) -> Res<()> {
    state.with(|st, s| st.record_refund(s, &input))
}

#[tauri::command]
pub async fn invoices_due(state: State<'_, AppState>) -> Res<Vec<InvoiceDueRow>> {
    state.with(|st, s| st.invoices_due(s))
}

#[tauri::command]
pub async fn mark_invoices_issued(state: State<'_, AppState>, input: MarkInvoicesInput) -> Res<u32> {
    state.with(|st, s| st.mark_invoices_issued(s, &input))
}

#[tauri::command]
pub async fn day_report(state: State<'_, AppState>, input: DayReportInput) -> Res<DayReportView> {
    state.with(|st, s| st.day_report(s, &input))
}

/// Writes an exported document into the exports folder (outside the data directory) and opens it
/// in the system's program for it; returns the path.
#[tauri::command]
pub async fn export_document(app: tauri::AppHandle, state: State<'_, AppState>, input: ExportInput) -> Res<String> {
    let (name, bytes) = state.with(|st, s| {
        let today = st.office_today();
        let period = |r: &Option<DayReportInput>| r.clone().unwrap_or(DayReportInput { from: today, to: today });
        Ok(match input.kind {
            ExportKind::InvoiceListXlsx => (format!("开票清单-{today}.xlsx"), st.invoice_list_xlsx(s)?),
            ExportKind::DayReportPdf => {
                let p = period(&input.report);
                (format!("收费日报-{}-{}.pdf", p.from, p.to), st.day_report_pdf(s, &p)?)
            }
            ExportKind::DayReportXlsx => {
                let p = period(&input.report);
                (format!("收费日报-{}-{}.xlsx", p.from, p.to), st.day_report_xlsx(s, &p)?)
            }
        })
    })?;
    write_and_open(
        &app,
        state.store()?,
        regdesk_store::DocumentFolder::Exports,
        &name,
        &bytes,
    )
}
