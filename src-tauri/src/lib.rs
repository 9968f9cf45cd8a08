//! RegDesk desktop shell. Tauri commands are adapters: decode the input, call
//! the store with the current session, map the error. No rule lives here.
//!
//! The commands are grouped per desk under `commands/`, each named like the
//! store method it calls; [`commands!`] below is the one list of them: it
//! registers every command with Tauri and says which ones only read, which the
//! UI learns from the generated `ui/src/api/commands.ts`.

use std::path::PathBuf;
use std::time::Duration;

use tauri::{Emitter, Manager};

mod commands {
    pub mod admin;
    pub mod certificates;
    pub mod counter;
    pub mod delivery;
    pub mod files;
    pub mod frame;
    pub mod intake;
    pub mod payments;
    pub mod reports;
    pub mod review;
    pub mod sync;
}
mod documents;
mod state;
mod sync;

pub use state::AppState;

/// Start-up options, from the command line and the environment.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    /// Fill an empty data directory with the sample office first.
    pub demo: bool,
}

impl Options {
    /// `--data-dir DIR`, `--demo`; `REGDESK_DEMO=1` also asks for the sample office.
    pub fn parse(args: impl IntoIterator<Item = String>, demo_env: Option<String>) -> Options {
        let mut o = Options {
            demo: demo_env.is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes")),
            ..Options::default()
        };
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            if a == "--demo" {
                o.demo = true;
            } else if a == "--data-dir" {
                o.data_dir = it.next().map(PathBuf::from);
            } else if let Some(v) = a.strip_prefix("--data-dir=") {
                o.data_dir = Some(PathBuf::from(v));
            }
        }
        o
    }
}

/// The event that names the corrections withdrawn because their deadline passed.
const CORRECTIONS_WITHDRAWN: &str = "corrections-withdrawn";

/// A backup's progress ({stage, done, total}).
pub(crate) const BACKUP_PROGRESS: &str = "backup-progress";

/// A scheduled backup that failed: its message, for a notice on screen.
const BACKUP_FAILED: &str = "backup-failed";

/// How often the shell lets the rules withdraw corrections left past their deadline,
/// and runs a scheduled backup when one is due.
const EXPIRY_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// The one list of commands: `reads` only read, `changes` may add journal entries.
macro_rules! commands {
    (reads: [$($rm:ident::$r:ident),* $(,)?], changes: [$($cm:ident::$c:ident),* $(,)?] $(,)?) => {
        /// Every command's name, and whether it only reads.
        pub const COMMANDS: &[(&str, bool)] = &[$((stringify!($r), true),)* $((stringify!($c), false),)*];

        fn with_commands(b: tauri::Builder<tauri::Wry>) -> tauri::Builder<tauri::Wry> {
            b.invoke_handler(tauri::generate_handler![$(commands::$rm::$r,)* $(commands::$cm::$c,)*])
        }
    };
}

commands! {
    reads: [
        frame::app_status, frame::damaged_database, frame::desk_overview, frame::list_queue, frame::search_cases, frame::case_detail,
        files::file,
        counter::check_id, counter::find_applicants, counter::applicant, counter::identity_proofs,
        counter::parties_not_fitting,
        payments::payment_cases, payments::transfers, payments::open_statement_lines, payments::refunds_due,
        payments::invoices_due, payments::day_report,
        review::possible_duplicates, review::review_history,
        admin::list_staff, admin::settings, admin::key_location, admin::verify_audit, admin::recent_audit, admin::office_tree,
        admin::calendar_years, admin::backup_status, admin::access_log,
        intake::registration_counters, intake::find_historic, intake::batch_signing,
        certificates::certificate_queue, certificates::certificate_sheets, certificates::certificate_settings,
        certificates::category_letters, certificates::system_printers,
        delivery::mail_desk, delivery::pickup_find, delivery::delivery_settings,
        reports::monthly_form, reports::announcement, reports::stats_summary, reports::supervisor_stats,
        sync::sync_status, sync::sync_inbox, sync::numbers_audit,
    ],
    changes: [
        frame::setup_office, frame::login, frame::logout, frame::lock_session, frame::unlock_session,
        frame::change_password,
        frame::reveal_case,
        files::add_file, files::verified_file_path, files::fetch_file,
        counter::reveal_applicant,
        counter::create_applicant, counter::update_applicant, counter::change_applicant_category,
        counter::add_identity_proof, counter::check_identity_proof, counter::remove_identity_proof,
        counter::save_draft, counter::submit_for_signing, counter::record_signature, counter::resubmit,
        counter::print_application_form, counter::expire_corrections, counter::withdraw_case,
        payments::record_transfer, payments::check_transfer, payments::choose_payment_method,
        payments::import_statement, payments::cancel_statement_import,
        payments::resolve_statement_line, payments::dismiss_statement_line, payments::record_refund,
        payments::mark_invoices_issued, payments::export_document,
        review::first_review, review::final_review, review::print_notice,
        admin::add_staff, admin::update_staff, admin::set_staff_disabled, admin::reset_password,
        admin::update_settings, admin::add_subordinate_office, admin::load_calendar,
        admin::revoke_registration, admin::transfer_case, admin::change_payment_method, admin::update_backup_settings,
        admin::run_backup, admin::set_batch_signing_form, admin::set_number_leases,
        intake::save_intake_template, intake::import_filings, intake::cancel_filing_import,
        intake::submit_many_for_signing, intake::print_batch_signing_form, intake::record_batch_signature,
        intake::import_register, intake::set_registration_counter, intake::revoke_historic,
        certificates::print_certificates, certificates::cancel_certificate_print, certificates::open_certificate,
        certificates::print_calibration_page, certificates::void_certificate_sheet,
        certificates::update_verification_url, certificates::save_certificate_printer,
        certificates::set_category_letters,
        delivery::prepare_shipments, delivery::print_labels, delivery::scan_waybill, delivery::export_sf_orders,
        delivery::print_shipping_list, delivery::print_acceptance_notice, delivery::hand_over,
        delivery::print_handover_receipt, delivery::update_delivery_settings,
        reports::export_report,
        sync::sync_now, sync::discard_inbox_item, sync::close_redone_inbox_item, sync::enrol_station, sync::first_sync, sync::cancel_first_sync,
    ],
}

/// The rules withdraw corrections left past their deadline on start and every
/// hour, whoever is signed in (or nobody); the screen is told which. The same
/// tick makes a scheduled backup when one is due.
fn expire_corrections_while_running(app: tauri::AppHandle) {
    std::thread::spawn(move || loop {
        let state = app.state::<AppState>();
        if let Ok(store) = state.store() {
            match store.expire_corrections_due() {
                Ok(serials) if !serials.is_empty() => {
                    let _ = app.emit(CORRECTIONS_WITHDRAWN, serials);
                }
                Ok(_) => {}
                Err(e) => eprintln!("补正逾期检查失败（一小时后重试）：{e}"),
            }
            // A backup that fails (folder missing, disk full) is recorded by the
            // store and shown in 管理 → 备份; the screen is told at once as well.
            let failed = match store.backup_if_due(&mut |p| {
                let _ = app.emit(BACKUP_PROGRESS, p);
            }) {
                Ok(Some(r)) if !r.ok => Some(r.message),
                Ok(_) => None,
                Err(e) => Some(format!("自动备份失败：{e}")),
            };
            if let Some(message) = failed {
                eprintln!("{message}");
                let _ = app.emit(BACKUP_FAILED, message);
            }
        }
        std::thread::sleep(EXPIRY_INTERVAL);
    });
}

/// Starts the desktop app.
pub fn run(opts: Options) -> Result<(), tauri::Error> {
    let state = AppState::open(&opts);
    // Attachments are encrypted at rest; previews read the decrypted views
    // the store writes outside the data directory.
    let views_dir = state.store.as_ref().ok().and_then(|s| s.views_dir().ok());
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            // Previews may read the decrypted views, and nothing else on disk.
            if let Some(dir) = &views_dir {
                app.asset_protocol_scope().allow_directory(dir, true)?;
            }
            expire_corrections_while_running(app.handle().clone());
            // An enrolled station keeps in step with the server while the app runs.
            app.state::<AppState>().sync.start(app.handle());
            Ok(())
        })
        .manage(state);
    with_commands(builder).run(tauri::generate_context!())
}

/// `ui/src/api/commands.ts`: every command's name and which only read.
pub fn commands_ts() -> String {
    let names = |reads: bool| {
        COMMANDS
            .iter()
            .filter(|(_, r)| *r == reads)
            .map(|(n, _)| format!("  '{n}',\n"))
            .collect::<String>()
    };
    format!(
        "// Generated from src-tauri/src/lib.rs by `bash .ci/bindings`; do not edit.\n\
         /** Commands that only read. */\n\
         export const READ_COMMANDS = [\n{}] as const;\n\n\
         /** Commands that may add journal entries. */\n\
         export const CHANGE_COMMANDS = [\n{}] as const;\n\n\
         export type Command = (typeof READ_COMMANDS)[number] | (typeof CHANGE_COMMANDS)[number];\n",
        names(true),
        names(false)
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    /// The UI's list of commands is generated from [`COMMANDS`]; set
    /// `REGDESK_WRITE_BINDINGS=1` (`bash .ci/bindings`) to rewrite it.
    #[test]
    fn commands_ts_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/api/commands.ts");
        let want = commands_ts();
        if std::env::var("REGDESK_WRITE_BINDINGS").is_ok() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(have == want, "ui/src/api/commands.ts is stale: run `bash .ci/bindings`");
        let mut names: Vec<&str> = COMMANDS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len(), "a command is listed twice");
    }

    #[test]
    fn options() {
        assert_eq!(
            Options::parse(args(&["--data-dir", "/d", "--demo"]), None),
            Options {
                data_dir: Some("/d".into()),
                demo: true
            }
        );
        assert!(Options::parse(args(&["--data-dir=/e"]), Some("1".into())).demo);
        assert_eq!(Options::parse(args(&[]), Some("0".into())), Options::default());
    }
}
