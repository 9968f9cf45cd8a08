// Typed wrappers around the core's batch-intake commands.
import type {
  ApplicantView,
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
  importRegister: (input: RegisterImportInput) => call<RegisterImportView>('import_register', { input }),
  counters: () => call<CounterView[]>('registration_counters'),
  setCounter: (input: SetCounterInput) => call<CounterView>('set_registration_counter', { input }),
};
