// Test data for the filing workspace tests (not used by the app).
import type { CaseDetail, FileView, FilingDraft, IdCheckInput, IdCheckView, SignerLine } from '../api/bindings';
import { emptyAuthor, emptyOwner, newDraft } from './draft';

export const SERIAL = 'ZJ-K7QX-20261125-0001';

export function draftWith(over: Partial<FilingDraft> = {}): FilingDraft {
  return { ...newDraft(), ...over };
}

export function filledDraft(): FilingDraft {
  const d = newDraft();
  return {
    ...d,
    work: {
      ...d.work,
      title: '西湖春色',
      category: 'fine_art',
      nature: 'original',
      completed_on: '2026-10-01',
      completed_place: '杭州',
      publication: 'unpublished',
      attribution: 'joint',
      acquisition: 'original',
      ownership: 'full',
    },
    owners: [
      { ...emptyOwner(), kind: 'natural_person', name: '张三', id_type: 'resident_id', id_number: '330106199001011234', region: '浙江省杭州市' },
      { ...emptyOwner(), kind: 'natural_person', name: '李四', id_type: 'resident_id', id_number: '330106199202021231', region: '浙江省杭州市' },
    ],
    authors: [
      { ...emptyAuthor(), kind: 'natural_person', name: '张三', signed_as: 'real_name' },
      { ...emptyAuthor(), kind: 'natural_person', name: '李四', signed_as: 'real_name' },
    ],
    description: '一幅水彩画',
    creation_story: '春游时所作',
    delivery: 'pickup',
    invoice_email: 'zhangsan@example.com',
  };
}

/** What the core says of a case in `state` (as the domain's lifecycle does). */
export function stateFlags(state: CaseDetail['state']) {
  return {
    editable: state === 'draft' || state === 'returned_for_correction' || state === 'awaiting_signatures',
    edit_voids_signatures: state === 'awaiting_signatures',
    registered: state === 'registered' || state === 'mailed' || state === 'picked_up',
    decided_at:
      state === 'awaiting_first_review'
        ? ('first_review' as const)
        : state === 'awaiting_final_review' || state === 'refusal_proposed'
          ? ('final_review' as const)
          : null,
    has_notice: state === 'returned_for_correction' || state === 'refused',
    awaits_resubmission: false,
    number_pending: false,
    // accepted: payment confirmed (a case in review or later, unless it ended before)
    has_acceptance_notice: [
      'awaiting_first_review',
      'awaiting_final_review',
      'refusal_proposed',
      'returned_for_correction',
      'registered',
      'mailed',
      'picked_up',
      'refused',
    ].includes(state),
    withdrawable: ![
      'registered',
      'mailed',
      'picked_up',
      'refused',
      'withdrawn',
      'revoked',
    ].includes(state),
  };
}

/**
 * A case as the core returns it; its flags follow the state as the core's lifecycle says
 * (`awaits_resubmission` needs a correction round: pass it).
 */
export function caseDetail(over: Partial<CaseDetail> = {}): CaseDetail {
  const state = over.state ?? 'draft';
  return {
    ...stateFlags(state),
    id: 'case-1',
    serial: SERIAL,
    state: 'draft',
    state_label: '草稿',
    stage: 'draft',
    version: 1,
    applicant_id: null,
    applicant_name: '',
    draft: newDraft(),
    // as `reveal_case` returns it (the counter's edit form); `case_detail` masks
    revealed: true,
    signing: [],
    created_at: '2026-11-25T09:00:00+08:00',
    updated_at: '2026-11-25T09:00:00+08:00',
    accepted_on: null,
    due_on: null,
    registration_number: null,
    sync_inbox: 0,
    read_only: null,
    ...over,
  };
}

export function ownerLine(index: number, name: string, status: SignerLine['status'], signedAt?: string): SignerLine {
  return {
    signer: { party: { role: 'owner', index }, name, id_number: '330106199001011234', guardian_name: null },
    status,
    record: signedAt
      ? {
          signer: { role: 'owner', index },
          name,
          method: { kind: 'paper_scan', scan_ref: 'f-scan' },
          signed_at: signedAt,
          fingerprint: 'fp',
        }
      : null,
  };
}

export function writerLine(name: string, status: SignerLine['status'], reference?: string): SignerLine {
  return {
    signer: { party: { role: 'writer' }, name, id_number: '330106199505051236', guardian_name: null },
    status,
    record: reference
      ? { signer: { role: 'writer' }, name, method: { kind: 'e_signature', reference }, signed_at: '2026-11-25T10:30:00+08:00', fingerprint: 'fp' }
      : null,
  };
}

export function fileView(over: Partial<FileView> = {}): FileView {
  return {
    id: 'f-1',
    sha256: 'ab'.repeat(32),
    size: 2_500_000,
    original_name: 'sample.png',
    mime: 'image/png',
    added_at: '2026-11-25T09:10:00+08:00',
    purpose: 'sample',
    downloaded: true,
    ...over,
  };
}

/** A neutral check_id answer (valid, nothing follows). */
export function idOk(args: Record<string, unknown> | undefined): IdCheckView {
  const input = args?.input as IdCheckInput;
  return {
    doc_type: input.doc_type ?? 'resident_id',
    doc_type_label: '居民身份证',
    valid: true,
    error: null,
    document: null,
    age: 36,
    sex_label: '男',
    region_text: '浙江省 杭州市 西湖区',
    warnings: [],
    consequences: [],
    known_applicant: null,
  };
}
