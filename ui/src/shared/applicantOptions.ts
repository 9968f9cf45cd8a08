// The enum values of the applicant profile for Select/Radio options, labelled
// from the i18n catalogue. Which combinations are allowed is the core's rule.
import type { ApplicantCategory, DocumentType, ProofKind } from '../api/bindings';
import { t } from '../i18n';

export const DOC_TYPES: ReadonlyArray<DocumentType> = [
  'resident_id',
  'uscc',
  'hk_macao_permit',
  'taiwan_permit',
  'residence_permit',
  'foreign_permanent_id',
  'passport',
  'other',
];

export const PROOF_KINDS: ReadonlyArray<ProofKind> = [
  'id_front',
  'id_back',
  'licence',
  'household_register',
  'guardian_id',
  'residence_proof',
  'power_of_attorney',
  'other',
];

export const CATEGORIES: ReadonlyArray<ApplicantCategory> = ['individual', 'organisation', 'agency', 'lawyer'];

export const docTypeLabel = (d: DocumentType): string => t(`docType.${d}` as const);
export const categoryLabel = (c: ApplicantCategory): string => t(`category.${c}` as const);

export const proofKindOptions = () => PROOF_KINDS.map((k) => ({ value: k, label: t(`proofKind.${k}` as const) }));
export const docTypeOptions = () => DOC_TYPES.map((d) => ({ value: d, label: docTypeLabel(d) }));
export const categoryOptions = () => CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) }));

/** A form convenience when a new profile's category changes (the core still validates the pair). */
export function defaultIdType(c: ApplicantCategory): DocumentType {
  return c === 'organisation' || c === 'agency' ? 'uscc' : 'resident_id';
}
