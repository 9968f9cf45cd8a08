// Typed wrappers around the core's review commands (one argument named `input`;
// failures reject with an ApiError).
import type {
  CaseDetail,
  CaseKey,
  DuplicateView,
  FinalDecisionInput,
  IdInput,
  ResubmitInput,
  ReviewDecisionInput,
  ReviewRecordView,
} from '../api/bindings';
import { call } from '../api/client';

export const reviewApi = {
  caseDetail: (key: string) => call<CaseDetail>('case_detail', { input: { key } satisfies CaseKey }),
  /** 显示完整号码: the case with its full ID numbers and address; the core logs the read. */
  revealCase: (key: string) => call<CaseDetail>('reveal_case', { input: { key } satisfies CaseKey }),
  /** 初审: pass, return for correction or propose refusal. */
  firstReview: (input: ReviewDecisionInput) => call<CaseDetail>('first_review', { input }),
  /** 终审: approve (the number is assigned), send back or confirm the refusal. */
  finalReview: (input: FinalDecisionInput) => call<CaseDetail>('final_review', { input }),
  possibleDuplicates: (caseId: string) => call<DuplicateView[]>('possible_duplicates', { input: { id: caseId } satisfies IdInput }),
  reviewHistory: (caseId: string) => call<ReviewRecordView[]>('review_history', { input: { id: caseId } satisfies IdInput }),
  /** Writes the 补正通知书 / 不予登记通知书 PDF, opens it, returns its path. */
  printNotice: (key: string) => call<string>('print_notice', { input: { key } satisfies CaseKey }),
  /** The counter resubmits a corrected, re-signed filing (no new fee). */
  resubmit: (input: ResubmitInput) => call<CaseDetail>('resubmit', { input }),
  /** Withdraws the cases whose correction period has passed; returns their serials. */
  expireCorrections: () => call<string[]>('expire_corrections'),
};
