// Typed wrappers around the core's batch-intake commands.
import type {
  ApplicantView,
  BatchCasesInput,
  BatchSignatureInput,
  BatchSigningView,
  CaseDetail,
  BatchSubmitView,
  CounterView,
  FilingImportView,
  FindApplicantsInput,
  ImportFilingsInput,
  RegisterImportInput,
  RegisterImportView,
  SetCounterInput,
  SubmitManyInput,
} from '../api/bindings';
import { call } from '../api/client';

export const intakeApi = {
  /** Writes the template to the exports folder, opens it, returns its path. */
  saveTemplate: () => call<string>('save_intake_template'),
  findApplicants: (query: string) =>
    call<ApplicantView[]>('find_applicants', { input: { query, limit: 10 } satisfies FindApplicantsInput }),
  importFilings: (input: ImportFilingsInput) => call<FilingImportView>('import_filings', { input }),
  /** 取消: the import stops before its next row; the drafts made stay. */
  cancel: () => call<null>('cancel_filing_import'),
  submitMany: (caseIds: string[]) =>
    call<BatchSubmitView[]>('submit_many_for_signing', { input: { case_ids: caseIds } satisfies SubmitManyInput }),
  /** 一人一表: the batch's signers and whose form can be recorded now. */
  batchSigning: (caseIds: string[]) => call<BatchSigningView>('batch_signing', { input: { case_ids: caseIds } satisfies BatchCasesInput }),
  /** One signer's form for every case of the batch they sign, written and opened; its path. */
  printBatchSigningForm: (input: BatchSignatureInput) => call<string>('print_batch_signing_form', { input }),
  /** The signed form's scan recorded against each case the signer signs; the cases after. */
  recordBatchSignature: (input: BatchSignatureInput) => call<CaseDetail[]>('record_batch_signature', { input }),
  importRegister: (input: RegisterImportInput) => call<RegisterImportView>('import_register', { input }),
  counters: () => call<CounterView[]>('registration_counters'),
  setCounter: (input: SetCounterInput) => call<CounterView>('set_registration_counter', { input }),
};
