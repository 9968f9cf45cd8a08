// The enum values of a filing for Selects, Radios and Checkboxes, labelled from
// the filing texts. Which combinations are allowed is the core's rule.
import { DOC_TYPES } from '../shared/applicantOptions';
import type {
  Acquisition,
  AttachmentKind,
  Attribution,
  CreationNature,
  Delivery,
  Ownership,
  PartyKind,
  PublicationStatus,
  Right,
  SignedAs,
  WorkCategory,
} from '../api/bindings';
import { ft } from './texts';
import type { FilingTextKey } from './texts';

export const CATEGORIES: ReadonlyArray<WorkCategory> = [
  'text',
  'oral',
  'music',
  'drama',
  'quyi',
  'dance',
  'acrobatics',
  'fine_art',
  'architecture',
  'photography',
  'audiovisual',
  'engineering_drawing',
  'product_drawing',
  'map',
  'schematic',
  'model',
  'other',
];
export const NATURES: ReadonlyArray<CreationNature> = ['original', 'adaptation', 'translation', 'compilation', 'annotation', 'arrangement', 'other'];
export const PUBLICATIONS: ReadonlyArray<PublicationStatus> = ['published', 'unpublished'];
export const ATTRIBUTIONS: ReadonlyArray<Attribution> = ['individual', 'joint', 'employment', 'corporate', 'commissioned', 'other'];
export const ACQUISITIONS: ReadonlyArray<Acquisition> = ['original', 'inheritance', 'succession', 'other'];
export const OWNERSHIPS: ReadonlyArray<Ownership> = ['full', 'partial'];
export const RIGHTS: ReadonlyArray<Right> = [
  'publication',
  'attribution',
  'alteration',
  'integrity',
  'reproduction',
  'distribution',
  'rental',
  'exhibition',
  'performance',
  'presentation',
  'broadcasting',
  'network_dissemination',
  'cinematography',
  'adaptation',
  'translation',
  'compilation',
  'other',
];
export const PARTY_KINDS: ReadonlyArray<PartyKind> = ['natural_person', 'organisation'];
export const SIGNED_AS: ReadonlyArray<SignedAs> = ['real_name', 'alias', 'anonymous'];
export const ATTACHMENT_KINDS: ReadonlyArray<AttachmentKind> = [
  'identity_proof',
  'residence_proof',
  'business_licence',
  'guardian_identity',
  'household_register',
];
export const DELIVERIES: ReadonlyArray<Delivery> = ['mail', 'pickup'];
/** The same document types, in the same order, as the applicant profile's form. */
export { DOC_TYPES };

export const label = (prefix: string, value: string | null | undefined): string =>
  value ? ft(`${prefix}.${value}` as FilingTextKey) : '';

const opts = <T extends string>(prefix: string, values: ReadonlyArray<T>) => values.map((v) => ({ value: v, label: label(prefix, v) }));

export const categoryOptions = () => opts('category', CATEGORIES);
export const natureOptions = () => opts('nature', NATURES);
export const publicationOptions = () => opts('publication', PUBLICATIONS);
export const attributionOptions = () => opts('attribution', ATTRIBUTIONS);
export const acquisitionOptions = () => opts('acquisition', ACQUISITIONS);
export const ownershipOptions = () => opts('ownership', OWNERSHIPS);
export const rightOptions = () => opts('right', RIGHTS);
export const partyKindOptions = () => opts('partyKind', PARTY_KINDS);
export const signedAsOptions = () => opts('signedAs', SIGNED_AS);
export const attachmentOptions = () => opts('attachment', ATTACHMENT_KINDS);
export const deliveryOptions = () => opts('delivery', DELIVERIES);
export const docTypeOptions = () => opts('docType', DOC_TYPES);
