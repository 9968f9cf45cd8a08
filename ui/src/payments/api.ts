// Typed wrappers around the core's payments commands (one argument named `input`;
// failures reject with an ApiError).
import type {
  CaseKey,
  CheckTransferInput,
  DayReportInput,
  DayReportView,
  DismissLineInput,
  ExportInput,
  ImportStatementInput,
  InvoiceDueRow,
  MarkInvoicesInput,
  PaymentCaseRow,
  PaymentCasesInput,
  RecordRefundInput,
  RecordTransferInput,
  RefundDueRow,
  ResolveLineInput,
  StatementImportView,
  StatementLineView,
  TransfersInput,
  TransferState,
  TransferView,
} from '../api/bindings';
import { call } from '../api/client';

export const paymentsApi = {
  paymentCases: (search: string | null) => call<PaymentCaseRow[]>('payment_cases', { input: { search } satisfies PaymentCasesInput }),
  recordTransfer: (input: RecordTransferInput) => call<TransferView>('record_transfer', { input }),
  transfers: (state: TransferState | null) => call<TransferView[]>('transfers', { input: { state } satisfies TransfersInput }),
  checkTransfer: (input: CheckTransferInput) => call<TransferView>('check_transfer', { input }),
  /** Writes the acceptance notice (受理通知书) of an accepted case, opens it, returns its path. */
  printAcceptanceNotice: (serial: string) => call<string>('print_acceptance_notice', { input: { key: serial } satisfies CaseKey }),
  importStatement: (input: ImportStatementInput) => call<StatementImportView>('import_statement', { input }),
  /** 取消: the import being matched stops at its next line, recording nothing. */
  cancelStatementImport: () => call<null>('cancel_statement_import'),
  openStatementLines: () => call<StatementLineView[]>('open_statement_lines'),
  resolveStatementLine: (input: ResolveLineInput) => call<TransferView>('resolve_statement_line', { input }),
  dismissStatementLine: (input: DismissLineInput) => call<null>('dismiss_statement_line', { input }),
  refundsDue: () => call<RefundDueRow[]>('refunds_due'),
  recordRefund: (input: RecordRefundInput) => call<null>('record_refund', { input }),
  invoicesDue: () => call<InvoiceDueRow[]>('invoices_due'),
  markInvoicesIssued: (input: MarkInvoicesInput) => call<number>('mark_invoices_issued', { input }),
  dayReport: (input: DayReportInput) => call<DayReportView>('day_report', { input }),
  /** Writes the document, opens it in the system program, returns its path. */
  exportDocument: (input: ExportInput) => call<string>('export_document', { input }),
};
