//! 准入规则：what the office's central record asks of a journal entry before
//! admitting it. A workstation decides each command with the rules of this
//! crate; the central record decides again from its own rows, never trusting
//! the workstation: who may give the command (the roles of the staff member as
//! the record holds them) and which case state changes the command may make.
//!
//! Journal commands are named as the store names them (`final_review`,
//! `record_transfer`, …). A command the record does not know is never admitted.

use crate::lifecycle::{CaseState, CommandKind};
use crate::staff::{Desk, FilePurpose, Permission, PermissionDenied, Role};

/// Who may give a journal command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A staff member whose roles grant the permission.
    Permission(Permission),
    /// A staff member holding a role that may give one of these case commands.
    Case(&'static [CommandKind]),
    /// Any active staff member (a person's own password).
    AnyStaff,
    /// The office's own rules: given by no person, or by whoever was signed in.
    OfficeRule,
    /// A workstation's own bookkeeping: it must not change the office's shared rows.
    StationOnly,
}

/// What the record asks of one journal command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    pub need: Need,
    /// The case commands the journal command may carry out (its case state changes).
    pub kinds: &'static [CommandKind],
}

const NONE: &[CommandKind] = &[];

fn perm(p: Permission) -> Admission {
    Admission {
        need: Need::Permission(p),
        kinds: NONE,
    }
}

fn case(kinds: &'static [CommandKind]) -> Admission {
    Admission {
        need: Need::Case(kinds),
        kinds,
    }
}

fn case_by(p: Permission, kinds: &'static [CommandKind]) -> Admission {
    Admission {
        need: Need::Permission(p),
        kinds,
    }
}

/// The admission rule of a journal command; `None` when the record does not
/// admit it from a workstation (unknown, or only made when an office is set up).
pub fn admission(command: &str) -> Option<Admission> {
    use CommandKind as K;
    Some(match command {
        "add_staff" | "update_staff" | "reset_password" | "disable_staff" | "enable_staff" => {
            perm(Permission::ManageStaff)
        }
        "change_password" | "login" | "unlock" => Admission {
            need: Need::AnyStaff,
            kinds: NONE,
        },
        "update_settings"
        | "update_backup_settings"
        | "update_delivery_settings"
        | "update_verification_url"
        | "load_calendar_year"
        | "set_category_letters"
        | "set_registration_counter"
        | "add_subordinate_office"
        | "save_certificate_printer"
        | "set_batch_signing_form"
        | "import_register"
        | "set_number_leases"
        | "transfer_case" => perm(Permission::ManageSettings),
        "keep_category_letters" => Admission {
            need: Need::OfficeRule,
            kinds: NONE,
        },
        "print_certificates" | "void_certificate_sheet" => perm(Permission::PrintCertificates),
        "create_applicant"
        | "update_applicant"
        | "add_identity_proof"
        | "remove_identity_proof"
        | "check_identity_proof" => perm(Permission::ManageApplicants),
        "change_applicant_category" => perm(Permission::ChangeApplicantCategory),
        "add_file" => Admission {
            need: Need::Case(NONE),
            kinds: NONE,
        },
        "create_draft" | "import_filing" => perm(Permission::OpenDesk(Desk::Counter)),
        "save_draft" => case_by(Permission::OpenDesk(Desk::Counter), &[K::VoidSignatures]),
        "submit_for_signing" => case(&[K::SubmitForSigning]),
        "record_signature" | "record_batch_signature" => case(&[K::RecordSignature]),
        "resubmit" => case(&[K::Resubmit]),
        "withdraw" => case(&[K::Withdraw]),
        "choose_payment_method" => case(&[K::ChoosePaymentMethod]),
        "change_payment_method" => case(&[K::ChangePaymentMethod]),
        "record_transfer" => case_by(
            Permission::OpenDesk(Desk::Payments),
            &[K::ChoosePaymentMethod, K::RecordPayment],
        ),
        "check_transfer" => case_by(
            Permission::OpenDesk(Desk::Payments),
            &[K::ConfirmPayment, K::RejectPayment],
        ),
        "import_statement"
        | "resolve_statement_line"
        | "dismiss_statement_line"
        | "record_refund"
        | "mark_invoices_issued" => perm(Permission::OpenDesk(Desk::Payments)),
        "first_review" => case(&[K::PassFirstReview, K::ReturnForCorrection, K::ProposeRefusal]),
        "final_review" => case(&[K::Approve, K::SendBackToFirstReview, K::ConfirmRefusal]),
        "revoke_registration" | "revoke_historic" => case(&[K::Revoke]),
        "expire_correction" => Admission {
            need: Need::OfficeRule,
            kinds: &[K::ExpireCorrection],
        },
        "prepare_shipments" | "ship_by_waybill" | "print_labels" | "export_sf_orders" => {
            case_by(Permission::OpenDesk(Desk::Certificates), &[K::MarkMailed])
        }
        "hand_over" | "loss_statement" | "loss_statement_file" => {
            case_by(Permission::OpenDesk(Desk::Certificates), &[K::MarkPickedUp])
        }
        "backup"
        | "audit"
        | "audit_baseline"
        | "station"
        | "record_backup"
        | "restore_backup"
        | "export_recovery_code"
        | "view_personal_data"
        | "audit_anchor_reset"
        | "discard_inbox_item"
        | "redo_inbox_item" => Admission {
            need: Need::StationOnly,
            kinds: NONE,
        },
        _ => return None,
    })
}

/// The office's reference tables, and the only journal commands that may
/// change their rows: whatever roles a person holds, a command changes only
/// the tables its work needs (a reviewer's entry that also rewrites a staff
/// row is refused). Tables not named here are the cases' working tables.
/// The `office` row itself is made only when an office is set up.
pub const REFERENCE_TABLES: &[(&str, &[&str])] = &[
    (
        "staff",
        &[
            "add_staff",
            "update_staff",
            "reset_password",
            "disable_staff",
            "enable_staff",
            "change_password",
            "login",
            "unlock",
        ],
    ),
    ("office", &[]),
    ("office_tree", &["add_subordinate_office"]),
    (
        "settings",
        &[
            "update_settings",
            "update_backup_settings",
            "update_delivery_settings",
            "set_batch_signing_form",
            "set_number_leases",
        ],
    ),
    ("certificate_settings", &["update_verification_url"]),
    ("certificate_printers", &["save_certificate_printer"]),
    ("calendar_years", &["load_calendar_year"]),
    (
        "category_letter_tables",
        &["set_category_letters", "keep_category_letters"],
    ),
    (
        "registration_counters",
        &["set_registration_counter", "import_register", "final_review"],
    ),
];

/// Whether `command` may change rows of `table` (see [`REFERENCE_TABLES`]).
pub fn may_change(command: &str, table: &str) -> bool {
    match REFERENCE_TABLES.iter().find(|(t, _)| *t == table) {
        Some((_, commands)) => commands.contains(&command),
        None => true,
    }
}

/// For the commands any staff member gives about their own account: the
/// columns of their own staff row the command may change (and no other row).
/// `None`: the command is not one of them.
pub fn own_account_columns(command: &str) -> Option<&'static [&'static str]> {
    match command {
        "change_password" => Some(&["password_hash", "must_change_password", "version", "updated_at"]),
        "login" | "unlock" => Some(&["failed_logins", "locked_until"]),
        _ => None,
    }
}

/// The tables a command is confined to, when it may change only those
/// (a person's own account, the office's letter tables kept as they are).
pub fn confined_to(command: &str) -> Option<&'static [&'static str]> {
    match command {
        "change_password" | "login" | "unlock" => Some(&["staff"]),
        "keep_category_letters" => Some(&["category_letter_tables"]),
        TRANSFER_CASE => Some(&["cases"]),
        _ => None,
    }
}

/// 案件移交：the journal command that moves a case to another office of the
/// office tree (an administrator's, with the reason in its payload).
pub const TRANSFER_CASE: &str = "transfer_case";
/// The columns of a case a transfer may change.
pub const TRANSFER_COLUMNS: &[&str] = &["office_code", "version", "updated_at"];

/// The only journal commands that open a case (a new `cases` row), and the
/// state every new case is in.
pub const OPENS_CASES: &[&str] = &["create_draft", "import_filing"];
/// See [`OPENS_CASES`].
pub const NEW_CASE_STATE: CaseState = CaseState::Draft;

/// Checks that a staff member holding `roles` may give `command` (its label for messages).
pub fn require_roles(command: &str, need: Need, roles: &[Role]) -> Result<(), PermissionDenied> {
    match need {
        Need::Permission(p) => crate::staff::require(roles, p),
        Need::Case(kinds) => {
            let needed: Vec<Role> = if kinds.is_empty() {
                // Adding a file: any role that may add a file for some purpose.
                Role::ALL
                    .into_iter()
                    .filter(|r| FilePurpose::ALL.iter().any(|p| p.roles().contains(r)))
                    .collect()
            } else {
                kinds.iter().flat_map(|k| k.roles().iter().copied()).collect()
            };
            if needed.is_empty() || roles.iter().any(|r| needed.contains(r)) {
                return Ok(());
            }
            let mut labels: Vec<&str> = Role::ALL
                .into_iter()
                .filter(|r| needed.contains(r))
                .map(Role::label)
                .collect();
            labels.dedup();
            Err(PermissionDenied {
                action: action_label(command, kinds),
                needed: labels.join("或"),
            })
        }
        Need::AnyStaff | Need::OfficeRule | Need::StationOnly => Ok(()),
    }
}

fn action_label(command: &str, kinds: &[CommandKind]) -> String {
    if kinds.is_empty() {
        if command == "add_file" {
            return "上传附件".to_string();
        }
        return command.to_string();
    }
    kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join("、")
}

/// The case state changes one case command makes: `(from, to)` pairs, as
/// [`crate::lifecycle::decide`] and [`crate::lifecycle::apply`] make them.
pub fn transitions(kind: CommandKind) -> Vec<(CaseState, CaseState)> {
    use CaseState as S;
    use CommandKind as K;
    let open: Vec<CaseState> = S::ALL.into_iter().filter(|s| s.is_open()).collect();
    let registered: Vec<CaseState> = S::ALL.into_iter().filter(|s| s.is_registered()).collect();
    match kind {
        K::SubmitForSigning => vec![
            (S::Draft, S::AwaitingSignatures),
            (S::ReturnedForCorrection, S::AwaitingSignatures),
        ],
        K::RecordSignature => vec![(S::AwaitingSignatures, S::AwaitingPayment)],
        K::VoidSignatures => vec![(S::AwaitingPayment, S::AwaitingSignatures)],
        K::ChoosePaymentMethod | K::ChangePaymentMethod => vec![],
        K::RecordPayment => vec![(S::AwaitingPayment, S::AwaitingPaymentCheck)],
        K::ConfirmPayment => vec![(S::AwaitingPaymentCheck, S::AwaitingFirstReview)],
        K::RejectPayment => vec![(S::AwaitingPaymentCheck, S::AwaitingPayment)],
        K::PassFirstReview => vec![(S::AwaitingFirstReview, S::AwaitingFinalReview)],
        K::ReturnForCorrection => vec![(S::AwaitingFirstReview, S::ReturnedForCorrection)],
        K::ProposeRefusal => vec![(S::AwaitingFirstReview, S::RefusalProposed)],
        K::Resubmit => vec![(S::AwaitingSignatures, S::AwaitingFirstReview)],
        K::Approve => vec![(S::AwaitingFinalReview, S::Registered)],
        K::SendBackToFirstReview => vec![
            (S::AwaitingFinalReview, S::AwaitingFirstReview),
            (S::RefusalProposed, S::AwaitingFirstReview),
        ],
        K::ConfirmRefusal => vec![(S::RefusalProposed, S::Refused)],
        K::Withdraw => open.into_iter().map(|s| (s, S::Withdrawn)).collect(),
        K::ExpireCorrection => vec![
            (S::ReturnedForCorrection, S::Withdrawn),
            (S::AwaitingSignatures, S::Withdrawn),
        ],
        K::Revoke => registered.into_iter().map(|s| (s, S::Revoked)).collect(),
        K::MarkMailed => vec![(S::Registered, S::Mailed)],
        K::MarkPickedUp => vec![(S::Registered, S::PickedUp)],
    }
}

/// The case command of `kinds` that moves a case from `from` to `to`, if any.
pub fn transition(kinds: &[CommandKind], from: CaseState, to: CaseState) -> Option<CommandKind> {
    kinds.iter().copied().find(|k| transitions(*k).contains(&(from, to)))
}

/// The review commands that make a person a case's first reviewer, and its final reviewer.
pub const FIRST_REVIEW: &[CommandKind] = &[
    CommandKind::PassFirstReview,
    CommandKind::ReturnForCorrection,
    CommandKind::ProposeRefusal,
];
/// See [`FIRST_REVIEW`].
pub const FINAL_REVIEW: &[CommandKind] = &[
    CommandKind::Approve,
    CommandKind::SendBackToFirstReview,
    CommandKind::ConfirmRefusal,
];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::lifecycle::{self, Actor, CaseCommand, CaseFacts, StaffId};
    use chrono::TimeZone;

    #[test]
    fn reviews_need_their_roles_and_unknown_commands_are_not_admitted() {
        let a = admission("final_review").unwrap();
        assert!(require_roles("final_review", a.need, &[Role::FinalReviewer]).is_ok());
        let e = require_roles("final_review", a.need, &[Role::FirstReviewer]).unwrap_err();
        assert!(e.to_string().contains("终审"), "{e}");
        assert!(require_roles("add_staff", admission("add_staff").unwrap().need, &[Role::Finance]).is_err());
        assert!(require_roles("add_staff", admission("add_staff").unwrap().need, &[Role::Admin]).is_ok());
        assert!(require_roles("add_file", admission("add_file").unwrap().need, &[Role::Finance]).is_ok());
        assert!(admission("setup_office").is_none());
        assert!(may_change("update_staff", "staff"));
        assert!(!may_change("first_review", "staff"));
        assert!(!may_change("update_settings", "office"));
        assert!(may_change("first_review", "review_log"));
        assert_eq!(
            own_account_columns("login"),
            Some(&["failed_logins", "locked_until"][..])
        );
        assert_eq!(confined_to("change_password"), Some(&["staff"][..]));
        assert_eq!(confined_to("first_review"), None);
        assert!(admission("drop_everything").is_none());
    }

    #[test]
    fn the_transition_table_agrees_with_the_lifecycle() {
        // Each dataless command, decided and applied by the lifecycle from a
        // state the table names, ends in the state the table names.
        let now = chrono::Utc.with_ymd_and_hms(2026, 3, 1, 2, 0, 0).unwrap();
        let actor = Actor {
            staff_id: StaffId("s".into()),
            roles: Role::ALL.to_vec(),
        };
        let cases = [
            (CaseCommand::PassFirstReview, CommandKind::PassFirstReview),
            (
                CaseCommand::Approve {
                    registration_number: Some("浙作登字-2026-F-00000001".into()),
                },
                CommandKind::Approve,
            ),
            (
                CaseCommand::Withdraw {
                    reason: "申请人撤回".into(),
                },
                CommandKind::Withdraw,
            ),
            (CaseCommand::MarkPickedUp, CommandKind::MarkPickedUp),
            (
                CaseCommand::SendBackToFirstReview {
                    note: "请核对".into()
                },
                CommandKind::SendBackToFirstReview,
            ),
        ];
        for (cmd, kind) in cases {
            for (from, to) in transitions(kind) {
                let facts = CaseFacts {
                    state: from,
                    ..CaseFacts::default()
                };
                let events = lifecycle::decide(&facts, &cmd, &actor, now).unwrap();
                let after = events.iter().fold(facts, |f, e| lifecycle::apply(&f, e));
                assert_eq!(after.state, to, "{kind:?} from {from:?}");
            }
        }
        assert_eq!(
            transition(FINAL_REVIEW, CaseState::AwaitingFinalReview, CaseState::Registered),
            Some(CommandKind::Approve)
        );
        assert_eq!(
            transition(FIRST_REVIEW, CaseState::AwaitingFinalReview, CaseState::Registered),
            None
        );
    }
}
