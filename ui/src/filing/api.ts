// Typed wrappers around the core's filing commands (one argument named `input`;
// failures reject with an ApiError).
import type {
  ApplicantView,
  AttributionCheckInput,
  CaseDetail,
  CaseKey,
  CaseRef,
  FileView,
  FindApplicantsInput,
  IdInput,
  RecordSignatureInput,
  SaveDraftInput,
  UnfitParty,
  WithdrawInput,
  AddFileInput,
  FilePurpose,
} from '../api/bindings';
import { call } from '../api/client';

export const filingApi = {
  saveDraft: (input: SaveDraftInput) => call<CaseDetail>('save_draft', { input }),
  submitForSigning: (input: CaseRef) => call<CaseDetail>('submit_for_signing', { input }),
  recordSignature: (input: RecordSignatureInput) => call<CaseDetail>('record_signature', { input }),
  caseDetail: (key: string) => call<CaseDetail>('case_detail', { input: { key } satisfies CaseKey }),
  /** The case with its full ID numbers and address (the counter's edit form); the core logs the read. */
  revealCase: (key: string) => call<CaseDetail>('reveal_case', { input: { key } satisfies CaseKey }),
  /** A profile with its full ID number and address (filling a party from it); the core logs the read. */
  revealApplicant: (id: string) => call<ApplicantView>('reveal_applicant', { input: { id } satisfies IdInput }),
  addFile: (path: string, purpose: FilePurpose) => call<FileView>('add_file', { input: { path, purpose } satisfies AddFileInput }),
  file: (id: string) => call<FileView>('file', { input: { id } satisfies IdInput }),
  /** A file added at another desk, downloaded from the server now (progress: FILE_FETCH_PROGRESS). */
  fetchFile: (id: string) => call<FileView>('fetch_file', { input: { id } satisfies IdInput }),
  /** The verified absolute path of a stored file (for previews). */
  verifiedFilePath: (id: string) => call<string>('verified_file_path', { input: { id } satisfies IdInput }),
  /** Writes the application form PDF, opens it in the system viewer, returns its path. */
  printApplicationForm: (key: string) => call<string>('print_application_form', { input: { key } satisfies CaseKey }),
  /** Writes the acceptance notice (受理通知书) of an accepted case, opens it, returns its path. */
  printAcceptanceNotice: (key: string) => call<string>('print_acceptance_notice', { input: { key } satisfies CaseKey }),
  /** 撤回: the applicant's request, with its reason. */
  withdraw: (input: WithdrawInput) => call<CaseDetail>('withdraw_case', { input }),
  partiesNotFitting: (input: AttributionCheckInput) => call<UnfitParty[]>('parties_not_fitting', { input }),
  findApplicants: (input: FindApplicantsInput) => call<ApplicantView[]>('find_applicants', { input }),
};
