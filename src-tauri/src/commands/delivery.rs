//! 制证发证台的证书发放：邮寄（装入邮件、面单、顺丰下单表、扫描运单号、当日清单）、自领（查找、
//! 领取登记、签收单）、受理通知书，以及管理员的发证台设置。

use regdesk_store::*;
use tauri::State;

use crate::documents::write_and_open;
use crate::state::{AppState, Res};

#[tauri::command]
pub async fn mail_desk(state: State<'_, AppState>) -> Res<MailDesk> {
    state.with(|st, s| st.mail_desk(s))
}

#[tauri::command]
pub async fn prepare_shipments(state: State<'_, AppState>, input: PrepareShipmentsInput) -> Res<Vec<ShipmentView>> {
    state.with(|st, s| st.prepare_shipments(s, &input))
}

/// Writes the labels of the shipments as one PDF and opens it.
#[tauri::command]
pub async fn print_labels(app: tauri::AppHandle, state: State<'_, AppState>, input: ShipmentsInput) -> Res<String> {
    let (name, pdf) = state.with(|st, s| st.print_labels(s, &input))?;
    write_and_open(&app, state.store()?, DocumentFolder::Prints, &name, &pdf)
}

#[tauri::command]
pub async fn scan_waybill(state: State<'_, AppState>, input: ScanWaybillInput) -> Res<ShipmentView> {
    state.with(|st, s| st.scan_waybill(s, &input))
}

/// Writes SF's bulk-order sheet and opens it.
#[tauri::command]
pub async fn export_sf_orders(app: tauri::AppHandle, state: State<'_, AppState>, input: ShipmentsInput) -> Res<String> {
    let bytes = state.with(|st, s| st.export_sf_orders(s, &input))?;
    let name = format!("顺丰批量下单-{}.xlsx", state.store()?.office_today());
    write_and_open(&app, state.store()?, DocumentFolder::Exports, &name, &bytes)
}

/// Writes the day's shipping list (PDF or xlsx) and opens it.
#[tauri::command]
pub async fn print_shipping_list(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    input: ShippingListInput,
) -> Res<String> {
    let (name, bytes) = state.with(|st, s| {
        let day = input.day.unwrap_or_else(|| st.office_today());
        if input.xlsx {
            st.shipping_list_xlsx(s, day)
        } else {
            st.shipping_list_pdf(s, day)
        }
    })?;
    write_and_open(&app, state.store()?, DocumentFolder::Exports, &name, &bytes)
}

/// Writes a case's acceptance notice (受理通知书) and opens it.
#[tauri::command]
pub async fn print_acceptance_notice(app: tauri::AppHandle, state: State<'_, AppState>, input: CaseKey) -> Res<String> {
    let (name, pdf) = state.with(|st, s| st.acceptance_notice_pdf(s, &input.key))?;
    write_and_open(&app, state.store()?, DocumentFolder::Prints, &name, &pdf)
}

#[tauri::command]
pub async fn pickup_find(state: State<'_, AppState>, input: PickupFindInput) -> Res<Vec<PickupRow>> {
    state.with(|st, s| st.pickup_find(s, &input))
}

#[tauri::command]
pub async fn hand_over(state: State<'_, AppState>, input: HandOverInput) -> Res<HandoverView> {
    state.with(|st, s| st.hand_over(s, &input))
}

/// Writes a handover's receipt (签收单) and opens it.
#[tauri::command]
pub async fn print_handover_receipt(app: tauri::AppHandle, state: State<'_, AppState>, input: CaseKey) -> Res<String> {
    let (name, pdf) = state.with(|st, s| st.handover_receipt_pdf(s, &input.key))?;
    write_and_open(&app, state.store()?, DocumentFolder::Prints, &name, &pdf)
}

#[tauri::command]
pub async fn delivery_settings(state: State<'_, AppState>) -> Res<DeliverySettingsView> {
    state.with(|st, s| st.delivery_settings(s))
}

#[tauri::command]
pub async fn update_delivery_settings(
    state: State<'_, AppState>,
    input: UpdateDeliverySettingsInput,
) -> Res<DeliverySettingsView> {
    state.with(|st, s| st.update_delivery_settings(s, &input))
}
