// The filing draft as the form holds it, and the paths the core uses to name
// its fields. No rule lives here: the core decides what is valid.
import type {
  AuthorDraft,
  CaseDetail,
  DocumentType,
  FilingDraft,
  OwnerDraft,
  PartyFile,
  UnfitParty,
  WorkDraft,
  WriterDraft,
} from '../api/bindings';

export const EMPTY_WORK: WorkDraft = {
  title: '',
  category: null,
  nature: null,
  nature_note: '',
  completed_on: '',
  completed_place: '',
  publication: null,
  first_published_on: '',
  first_published_place: '',
  attribution: null,
  acquisition: null,
  ownership: null,
  rights: [],
  other_rights_note: '',
};

export const emptyOwner = (): OwnerDraft => ({
  kind: null,
  name: '',
  id_type: null,
  id_number: '',
  handling_person: '',
  region: '',
  guardian_name: '',
  guardian_id_type: null,
  guardian_id_number: '',
  files: [],
});

export const emptyAuthor = (): AuthorDraft => ({ kind: null, name: '', signed_as: null, signed_name: '' });

/** A writer (执笔者) is a person: the resident ID card is offered first. */
export const emptyWriter = (): WriterDraft => ({
  name: '',
  id_type: 'resident_id',
  id_number: '',
  guardian_name: '',
  guardian_id_type: null,
  guardian_id_number: '',
  files: [],
});

/** A new filing starts with one (empty) owner and one author row. */
export function newDraft(): FilingDraft {
  return {
    work: { ...EMPTY_WORK, rights: [] },
    owners: [emptyOwner()],
    authors: [emptyAuthor()],
    writer: null,
    samples: [],
    other_files: [],
    description: '',
    creation_story: '',
    delivery: null,
    recipient_name: '',
    recipient_phone: '',
    postal_address: '',
    invoice_email: '',
  };
}

type Loose<T> = { [K in keyof T]?: T[K] | null | undefined };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const opt = <T>(v: T | null | undefined): T | null => (v === undefined || v === null ? null : v);
const files = (v: unknown): PartyFile[] => (Array.isArray(v) ? (v as PartyFile[]).filter((f) => f && typeof f.file_id === 'string') : []);
const ids = (v: unknown): string[] => (Array.isArray(v) ? (v as unknown[]).filter((x): x is string => typeof x === 'string') : []);

/** What the form holds, as the core's FilingDraft (as typed: the core trims and checks). */
export function toDraft(values: unknown): FilingDraft {
  const v = (values ?? {}) as Loose<FilingDraft>;
  const w = (v.work ?? {}) as Loose<WorkDraft>;
  const owners = Array.isArray(v.owners) ? v.owners : [];
  const authors = Array.isArray(v.authors) ? v.authors : [];
  const wr = v.writer as Loose<WriterDraft> | null | undefined;
  return {
    work: {
      title: str(w.title),
      category: opt(w.category),
      nature: opt(w.nature),
      nature_note: str(w.nature_note),
      completed_on: str(w.completed_on),
      completed_place: str(w.completed_place),
      publication: opt(w.publication),
      first_published_on: str(w.first_published_on),
      first_published_place: str(w.first_published_place),
      attribution: opt(w.attribution),
      acquisition: opt(w.acquisition),
      ownership: opt(w.ownership),
      rights: Array.isArray(w.rights) ? [...w.rights] : [],
      other_rights_note: str(w.other_rights_note),
    },
    owners: owners.map((o0) => {
      const o = (o0 ?? {}) as Loose<OwnerDraft>;
      return {
        kind: opt(o.kind),
        name: str(o.name),
        id_type: opt(o.id_type),
        id_number: str(o.id_number),
        handling_person: str(o.handling_person),
        region: str(o.region),
        guardian_name: str(o.guardian_name),
        guardian_id_type: opt(o.guardian_id_type),
        guardian_id_number: str(o.guardian_id_number),
        files: files(o.files),
      };
    }),
    authors: authors.map((a0) => {
      const a = (a0 ?? {}) as Loose<AuthorDraft>;
      return { kind: opt(a.kind), name: str(a.name), signed_as: opt(a.signed_as), signed_name: str(a.signed_name) };
    }),
    writer: wr
      ? {
          name: str(wr.name),
          id_type: opt(wr.id_type),
          id_number: str(wr.id_number),
          guardian_name: str(wr.guardian_name),
          guardian_id_type: opt(wr.guardian_id_type),
          guardian_id_number: str(wr.guardian_id_number),
          files: files(wr.files),
        }
      : null,
    samples: ids(v.samples),
    other_files: ids(v.other_files),
    description: str(v.description),
    creation_story: str(v.creation_story),
    delivery: opt(v.delivery),
    recipient_name: str(v.recipient_name),
    recipient_phone: str(v.recipient_phone),
    postal_address: str(v.postal_address),
    invoice_email: str(v.invoice_email),
  };
}

export type NamePath = (string | number)[];

/** `owners[1].id_number` → ['owners', 1, 'id_number']; `work.title` → ['work', 'title']. */
export function corePath(field: string): NamePath {
  const out: NamePath = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1] !== '') out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export const STEP_COUNT = 7;
export const REVIEW_STEP = 6;

const WORK_RIGHTS = new Set(['attribution', 'acquisition', 'ownership', 'rights', 'other_rights_note']);

/** The wizard step (0–6) that shows the field at `path`. */
export function stepOf(path: NamePath): number {
  const [head, second] = path;
  switch (head) {
    case 'work':
      return typeof second === 'string' && WORK_RIGHTS.has(second) ? 1 : 0;
    case 'owners':
    case 'authors':
    case 'writer':
      return 2;
    case 'samples':
    case 'other_files':
      return 3;
    case 'description':
    case 'creation_story':
      return 4;
    case 'delivery':
    case 'recipient_name':
    case 'recipient_phone':
    case 'postal_address':
    case 'invoice_email':
      return 5;
    default:
      return REVIEW_STEP;
  }
}

/**
 * The form field that shows the message for `path`: a path naming a whole
 * party (`owners[0]`, `writer`) shows under the party's name; the lists
 * themselves (`owners`, `authors`) have no field (null: shown with the list).
 */
export function displayPath(path: NamePath, hasWriter: boolean): NamePath | null {
  if (path.length === 2 && (path[0] === 'owners' || path[0] === 'authors') && typeof path[1] === 'number') {
    return [path[0], path[1], 'name'];
  }
  if (path.length === 1 && path[0] === 'writer') return hasWriter ? ['writer', 'name'] : null;
  if (path.length === 1 && (path[0] === 'owners' || path[0] === 'authors')) return null;
  return path;
}

/** Is one name path a prefix of the other (or equal)? */
export function related(a: NamePath, b: NamePath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Every leaf path of a (sparse) changed-values object from onValuesChange. */
export function changedPaths(changed: unknown, prefix: NamePath = []): NamePath[] {
  if (changed === null || typeof changed !== 'object') return [prefix];
  if (Array.isArray(changed)) {
    const out: NamePath[] = [];
    changed.forEach((item, i) => {
      if (item !== undefined) out.push(...changedPaths(item, [...prefix, i]));
    });
    return out.length > 0 ? out : [prefix];
  }
  const keys = Object.keys(changed as Record<string, unknown>);
  if (keys.length === 0) return [prefix];
  return keys.flatMap((k) => changedPaths((changed as Record<string, unknown>)[k], [...prefix, k]));
}

/** The draft without the parties that no longer fit (writer → null). */
export function withoutUnfit(draft: FilingDraft, unfit: UnfitParty[]): Pick<FilingDraft, 'owners' | 'authors' | 'writer'> {
  const dropOwners = new Set(unfit.filter((u) => u.role === 'owner').map((u) => u.index));
  const dropAuthors = new Set(unfit.filter((u) => u.role === 'author').map((u) => u.index));
  return {
    owners: draft.owners.filter((_, i) => !dropOwners.has(i)),
    authors: draft.authors.filter((_, i) => !dropAuthors.has(i)),
    writer: unfit.some((u) => u.role === 'writer') ? null : draft.writer,
  };
}

/** Whether the clerk may still change the filing: the core says so on every case (a new filing may). */
export function isEditable(d: CaseDetail | null): boolean {
  return d === null || d.editable;
}

/** Autosave never saves a change that would void signatures (the clerk is asked first). */
export function isAutosavable(d: CaseDetail | null): boolean {
  return d !== null && d.editable && !d.edit_voids_signatures;
}

/** 12.3 KB / 4.5 MB */
export function fmtSize(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(bytes / 1024, bytes > 0 ? 0.1 : 0).toFixed(1)} KB`;
}

/** An identity number typed on a step, with the path of its field. */
export type TypedId = { path: NamePath; doc_type: DocumentType | null; number: string };

/**
 * The identity numbers typed on wizard step `step` (owners', the writer's and
 * their guardians' on the parties step). Empty numbers are left out: a draft
 * may be incomplete; a wrong number blocks moving on (the core judges it).
 */
export function typedIds(values: Partial<FilingDraft>, step: number): TypedId[] {
  if (step !== stepOf(['owners'])) return [];
  const out: TypedId[] = [];
  const add = (path: NamePath, doc_type: DocumentType | null | undefined, number: string | undefined) => {
    if (number && number.trim() !== '') out.push({ path, doc_type: doc_type ?? null, number });
  };
  (values.owners ?? []).forEach((o, i) => {
    if (!o) return;
    add(['owners', i, 'id_number'], o.id_type, o.id_number);
    add(['owners', i, 'guardian_id_number'], o.guardian_id_type, o.guardian_id_number);
  });
  const w = values.writer;
  if (w) {
    add(['writer', 'id_number'], w.id_type, w.id_number);
    add(['writer', 'guardian_id_number'], w.guardian_id_type, w.guardian_id_number);
  }
  return out;
}
