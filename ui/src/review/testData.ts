// Test data for the review desk tests (not used by the app).
import type { CaseDetail, CaseRow, ReviewRecordView } from '../api/bindings';
import { SERIAL, caseDetail, filledDraft } from '../filing/testData';

export { SERIAL };

/** A case waiting in a review queue, with materials and a writer. */
export function reviewCase(over: Partial<CaseDetail> = {}): CaseDetail {
  const d = filledDraft();
  return caseDetail({
    state: 'awaiting_first_review',
    state_label: '待初审',
    stage: 'waiting_office',
    version: 7,
    applicant_id: 'ap-1',
    applicant_name: '张三',
    accepted_on: '2026-11-25',
    due_on: '2027-01-08',
    draft: {
      ...d,
      owners: [
        { ...d.owners[0], files: [{ file_id: 'f-id', kind: 'identity_proof' }] },
        d.owners[1],
      ],
      samples: ['f-1'],
      other_files: ['f-2'],
      writer: {
        name: '王执笔',
        id_type: 'resident_id',
        id_number: '330106199505051236',
        guardian_name: '',
        guardian_id_type: null,
        guardian_id_number: '',
        files: [],
      },
    },
    ...over,
  });
}

/** The queue row the case was opened from. */
export function reviewRow(over: Partial<CaseRow> = {}): CaseRow {
  return {
    id: 'case-1',
    serial: SERIAL,
    title: '西湖春色',
    category_label: '美术',
    state: 'awaiting_first_review',
    state_label: '待初审',
    stage: 'waiting_office',
    applicant_name: '张三',
    created_at: '2026-11-25T09:00:00+08:00',
    accepted_on: '2026-11-25',
    due_on: '2027-01-08',
    days_left: 4,
    deadline_level: 'soon',
    due_pending: false,
    registration_number: null,
    ...over,
  };
}

export function record(over: Partial<ReviewRecordView> = {}): ReviewRecordView {
  return {
    at: '2026-11-26T02:00:00Z',
    staff_id: 'st-li',
    staff_name: '李文',
    command: 'pass_first_review',
    command_label: '初审通过',
    reasons: [],
    ground_label: null,
    note: '',
    deadline: null,
    registration_number: null,
    ...over,
  };
}
