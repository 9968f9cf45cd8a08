//! The TypeScript types of everything that crosses to the desk's screens,
//! generated from the Rust types with ts-rs into `ui/src/api/bindings.ts`.
//! A test fails when the committed file is stale; `REGDESK_WRITE_BINDINGS=1`
//! rewrites it (see `.ci/bindings`).

use ts_rs::{Config, TS};

use crate::views::*;

macro_rules! decls {
    ($cfg:expr; $($t:ty),* $(,)?) => {
        vec![$(format!("export {}", <$t as TS>::decl($cfg))),*]
    };
}

/// The whole generated file.
pub fn typescript() -> String {
    use regdesk_domain::office::{Office, OfficeInput};
    use regdesk_domain::staff::{Desk, FilePurpose, Role};
    use regdesk_domain::FieldError;
    let cfg = Config::new().with_large_int("number");
    let decls: Vec<String> = decls![&cfg;
        Role, Desk, FilePurpose, FieldError, OfficeInput, Office,
        ProvinceOption, RoleOption, DeskOption, SessionView, AppStatus,
        NewStaffInput, SetupInput, LoginInput, UnlockInput, ChangePasswordInput,
        StaffView, UpdateStaffInput, SetDisabledInput, ResetPasswordInput,
        SettingsView, UpdateSettingsInput, crate::NumberLeaseSettingsInput,
        crate::AuditReport, crate::ServerComparison, crate::AuditProblem, crate::AuditProblemKind, crate::AuditHead,
        crate::ResetAnchorInput, AuditEntryView, RecentAuditInput,
        crate::ErrorKind, crate::ApiError,
        regdesk_domain::queue::Queue, regdesk_domain::queue::Stage, regdesk_domain::lifecycle::CaseState,
        regdesk_domain::calendar::DeadlineLevel,
        crate::QueueCount, crate::DeskOverview, crate::CaseRow, crate::CasePage, crate::QueueInput, crate::QueueSort, crate::QueueSortKey, crate::DeskInput,
        crate::CaseSearchInput, crate::CaseHit, crate::CaseSearchResult,
        regdesk_domain::applicant::ApplicantCategory, regdesk_domain::applicant::ApplicantInput,
        regdesk_domain::applicant::IdConsequence, regdesk_domain::identity::DocumentType,
        regdesk_domain::identity::IdentityDocument, regdesk_domain::identity::PersonFacts,
        regdesk_domain::identity::OrganisationFacts, regdesk_domain::identity::Region, regdesk_domain::identity::Sex,
        regdesk_domain::identity::IdWarning,
        crate::ApplicantView, crate::UpdateApplicantInput, crate::ChangeCategoryInput, crate::FindApplicantsInput,
        crate::IdCheckInput, crate::IdCheckView, crate::ConsequenceView, IdInput,
        regdesk_domain::category::WorkCategory, regdesk_domain::work::CreationNature,
        regdesk_domain::work::PublicationStatus, regdesk_domain::work::Attribution, regdesk_domain::work::Acquisition,
        regdesk_domain::work::Ownership, regdesk_domain::work::Right, regdesk_domain::party::PartyKind,
        regdesk_domain::party::SignedAs, regdesk_domain::party::AttachmentKind,
        regdesk_domain::filing::Delivery, regdesk_domain::filing::PartyFile, regdesk_domain::filing::WorkDraft,
        regdesk_domain::filing::OwnerDraft, regdesk_domain::filing::AuthorDraft, regdesk_domain::filing::WriterDraft,
        regdesk_domain::filing::FilingDraft,
        regdesk_domain::signature::SignerRef, regdesk_domain::signature::Signer,
        regdesk_domain::signature::SignerStatus, regdesk_domain::signature::SignatureMethod,
        regdesk_domain::signature::ContentFingerprint, regdesk_domain::signature::SignatureRecord,
        regdesk_domain::signature::SignerLine,
        crate::CaseDetail, crate::SaveDraftInput, crate::CaseRef, crate::RecordSignatureInput, crate::CaseKey,
        crate::FileView, crate::FileFetchProgress, crate::AddFileInput, crate::AttributionCheckInput,
        regdesk_domain::work::PartyRole, regdesk_domain::work::UnfitParty,
        regdesk_domain::applicant::ProofKind, crate::IdentityProofView, crate::AddProofInput,
        regdesk_domain::lifecycle::PaymentMethod, regdesk_domain::payment::TransferState,
        regdesk_domain::payment::TransferCommand, regdesk_domain::payment::TransferInput,
        regdesk_domain::payment::RefundMethod, regdesk_domain::payment::RefundInput,
        regdesk_domain::payment::DayReportRow, regdesk_domain::payment::DayReportTotals,
        crate::PaymentCaseRow, crate::PaymentCasesInput, crate::ShareInput, crate::RecordTransferInput,
        crate::AllocationView, crate::TransferView, crate::TransfersInput, crate::CheckTransferInput,
        crate::ChooseMethodInput, crate::ChangeMethodInput,
        crate::ImportStatementInput, crate::StatementProgress, crate::LineDecision, crate::CandidateView, crate::StatementLineView,
        crate::StatementImportView, crate::ResolveLineInput, crate::DismissLineInput, crate::RefundDueRow,
        crate::RecordRefundInput, crate::InvoiceDueRow, crate::MarkInvoicesInput, crate::DayReportInput,
        crate::DayReportLine, crate::DayReportView, crate::ExportKind, crate::ExportInput,
        regdesk_domain::lifecycle::RefusalGround, regdesk_domain::lifecycle::RevocationGround,
        regdesk_domain::lifecycle::CommandKind,
        crate::ReviewDecision, crate::ReviewDecisionInput, crate::FinalDecision, crate::FinalDecisionInput,
        crate::RevokeInput, crate::ResubmitInput, crate::WithdrawInput, crate::DuplicateView, crate::ReviewRecordView,
        crate::BatchCasesInput, crate::BatchSignatureInput, crate::BatchSigningView, crate::BatchSignerView,
        crate::BatchSignerCaseView, crate::BatchSigningSettingInput,
        regdesk_domain::office::SubordinateOfficeInput, regdesk_domain::office::TransferCaseInput, crate::OfficeCounts, crate::OfficeNode,
        crate::CalendarYearView, crate::LoadCalendarInput, crate::LoadedYear,
        crate::backup::BackupSettingsView, crate::backup::BackupSettingsInput, crate::backup::BackupTrigger,
        crate::backup::BackupRecord, crate::backup::GenerationView, crate::backup::BackupStatus,
        crate::backup::BackupStage, crate::backup::BackupProgress, crate::backup::VerifyReport,
        crate::backup::LastBackup, crate::backup::DamagedDatabase,
        regdesk_domain::privacy::PersonalDataView, crate::AccessLogEntry, crate::AccessLogInput,
        regdesk_domain::intake::RowProblem, crate::ImportFilingsInput, crate::IntakeRowView, crate::FilingImportView,
        crate::IntakeProgress, crate::RegisterImportInput, crate::RegisterImportView, crate::CounterView,
        crate::SetCounterInput, crate::HistoricView, crate::RevokeHistoricInput, crate::BatchSubmitView,
        crate::SubmitManyInput,
        regdesk_domain::certificate::PrintKind,
        crate::CertificateQueueFilter, crate::CertificateRow, crate::CertificatePage, crate::PrintCertificatesInput,
        crate::CertificateModeInput, crate::SkippedCertificate, crate::CertificateSheetView, crate::PrintSummary,
        crate::PrintedCertificates, crate::SystemPrinters, crate::VoidSheetInput, crate::PrinterView,
        crate::PrinterInput, crate::CertificateSettingsView, crate::VerificationUrlInput, crate::LetterEntryView,
        crate::LetterTableView, crate::LetterTablesView, crate::SetLettersInput, crate::CertificateProgress,
        crate::CalibrationInput,
        regdesk_domain::shipping::LabelSize, regdesk_domain::shipping::SfField, regdesk_domain::shipping::SfColumn,
        regdesk_domain::shipping::CollectorKind, regdesk_domain::shipping::HandoverInput,
        crate::MailCaseRow, crate::DeliveredCase, crate::ShipmentView, crate::MailDesk, crate::PrepareShipmentsInput,
        crate::ShipmentsInput, crate::ScanWaybillInput, crate::ShipCasesInput, crate::PickupRow, crate::PickupFindInput,
        crate::HandOverInput, crate::HandoverView, crate::ShippingListInput, crate::DeliverySettingsView, crate::UpdateDeliverySettingsInput,
        crate::SyncStatusView, crate::SnapshotProgress, crate::InboxItemView, crate::InboxRowView, crate::InboxFieldView, crate::InboxLineView,
        crate::DiscardInboxInput, crate::RedoneInboxInput, crate::NumbersAuditView, crate::NumberSeriesView, crate::LeaseHoldingView, crate::EnrolInput, regdesk_sync::station::SyncOutcome,
        regdesk_domain::stats::FormColumn, regdesk_domain::stats::Period, crate::StatsInput, crate::FormColumnView,
        crate::FormRow, crate::MonthlyFormView, crate::AnnouncementRow, crate::AnnouncementView, crate::ShareRow,
        crate::SummaryView, crate::MonthCompare, crate::StageCount, crate::BacklogPoint, crate::DurationMonth,
        crate::WorkloadRow, crate::SupervisorView, crate::ReportKind, crate::ReportFormat, crate::ReportExportInput,
    ];
    let mut out = String::from(
        "// Generated from the Rust types by regdesk-store (bindings.rs). Do not edit by hand:\n\
         // run `bash .ci/bindings` after changing a type that crosses to the UI.\n\n",
    );
    for d in decls {
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    #[test]
    fn generated_typescript_is_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/api/bindings.ts");
        let want = super::typescript();
        if std::env::var_os("REGDESK_WRITE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have != want {
            panic!(
                "ui/src/api/bindings.ts is stale: a Rust type that crosses to the UI changed. \
                 Run `bash .ci/bindings` and commit the result."
            );
        }
    }
}
