// The seven steps of 作品填报. Each renders its part of the ONE filing form
// (field names mirror the core's FilingDraft); all steps stay mounted so nothing
// typed is ever lost and the core's messages can be put under any field.
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, Radio, Select, Typography } from 'antd';
import type { RadioChangeEvent } from 'antd';
import { DeleteOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import type { ApplicantView, Attribution, DocumentType, FilingDraft, PartyKind } from '../api/bindings';
import { IdCheckPanel } from '../shared/IdCheckPanel';
import { focusableFields } from '../shared/keyboard';
import { useIdCheck } from '../shared/useIdCheck';
import { FileListInput, PartyFilesInput } from '../shared/files';
import { emptyAuthor, emptyOwner, toDraft } from './draft';
import {
  acquisitionOptions,
  attributionOptions,
  categoryOptions,
  deliveryOptions,
  docTypeOptions,
  label,
  natureOptions,
  ownershipOptions,
  partyKindOptions,
  publicationOptions,
  rightOptions,
  signedAsOptions,
} from './options';
import { join, text } from './summary';
import { ft } from './texts';
import type { FilingTextKey } from './texts';

/** Problems the core names for a whole list or for a missing writer. */
export type ListErrors = { owners?: string[]; authors?: string[]; writer?: string[] };

const useValue = <T,>(name: (string | number)[] | string): T | undefined => {
  const form = Form.useFormInstance();
  return Form.useWatch(name, { form, preserve: true }) as T | undefined;
};

const filled = (s: unknown) => typeof s === 'string' && s.trim() !== '';

function Section({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div className="filing-section-head">
      <Typography.Title level={5} className="filing-section">
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}

function ListError({ messages, testId }: { messages?: string[]; testId: string }) {
  if (!messages || messages.length === 0) return null;
  return (
    <div className="ant-form-item-explain-error filing-list-error" role="alert" data-testid={testId}>
      {messages.join('；')}
    </div>
  );
}

// ---------------------------------------------------------------- 1 作品信息

export function WorkStep() {
  const nature = useValue<string | null>(['work', 'nature']);
  const natureNote = useValue<string>(['work', 'nature_note']);
  const publication = useValue<string | null>(['work', 'publication']);
  const firstOn = useValue<string>(['work', 'first_published_on']);
  const firstPlace = useValue<string>(['work', 'first_published_place']);
  const showNote = (nature !== null && nature !== undefined && nature !== 'original') || filled(natureNote);
  const showPublished = publication === 'published' || filled(firstOn) || filled(firstPlace);

  return (
    <>
      <Form.Item name={['work', 'title']} label={ft('work.title')}>
        <Input autoFocus autoComplete="off" />
      </Form.Item>
      <div className="form-row">
        <Form.Item name={['work', 'category']} label={ft('work.category')}>
          <Select showSearch optionFilterProp="label" options={categoryOptions()} placeholder={ft('work.categoryPlaceholder')} />
        </Form.Item>
        <Form.Item name={['work', 'completed_on']} label={ft('work.completed_on')}>
          <Input autoComplete="off" placeholder="2026-11-25" title={ft('work.datePlaceholder')} className="mono" />
        </Form.Item>
        <Form.Item name={['work', 'completed_place']} label={ft('work.completed_place')}>
          <Input autoComplete="off" />
        </Form.Item>
      </div>
      <Typography.Text type="secondary" className="filing-date-hint">
        {ft('work.datePlaceholder')}
      </Typography.Text>
      <Form.Item name={['work', 'nature']} label={ft('work.nature')}>
        <Radio.Group optionType="button" buttonStyle="solid" options={natureOptions()} />
      </Form.Item>
      {showNote && (
        <Form.Item name={['work', 'nature_note']} label={ft('work.nature_note')}>
          <Input autoComplete="off" placeholder={ft('work.nature_note.placeholder')} />
        </Form.Item>
      )}
      <Form.Item name={['work', 'publication']} label={ft('work.publication')}>
        <Radio.Group optionType="button" buttonStyle="solid" options={publicationOptions()} />
      </Form.Item>
      {showPublished && (
        <div className="form-row">
          <Form.Item name={['work', 'first_published_on']} label={ft('work.first_published_on')}>
            <Input autoComplete="off" placeholder="2026-11-25" className="mono" />
          </Form.Item>
          <Form.Item name={['work', 'first_published_place']} label={ft('work.first_published_place')}>
            <Input autoComplete="off" />
          </Form.Item>
        </div>
      )}
    </>
  );
}

// ---------------------------------------------------------------- 2 权利信息

/** A radio group whose change is first asked about (`guard`); a refused change keeps the old value. */
function GuardedRadio<T extends string>({
  value,
  onChange,
  guard,
  options,
  id,
}: {
  value?: T | null;
  onChange?: (v: T) => void;
  guard: (next: T) => Promise<boolean>;
  options: { value: T; label: string }[];
  id?: string;
}) {
  // Changes are asked about one after the other (arrow keys may move faster than
  // the core answers); the group stays enabled so the keyboard focus stays in it.
  const chain = useRef<Promise<void>>(Promise.resolve());
  return (
    <Radio.Group
      id={id}
      value={value ?? undefined}
      optionType="button"
      buttonStyle="solid"
      options={options}
      onChange={(e: RadioChangeEvent) => {
        const next = e.target.value as T;
        if (next === value) return;
        chain.current = chain.current.then(async () => {
          if (await guard(next)) onChange?.(next);
        });
      }}
    />
  );
}

export function RightsStep({ guardAttribution }: { guardAttribution: (next: Attribution) => Promise<boolean> }) {
  const ownership = useValue<string | null>(['work', 'ownership']);
  const rights = useValue<string[]>(['work', 'rights']) ?? [];
  const otherNote = useValue<string>(['work', 'other_rights_note']);
  const showRights = ownership === 'partial' || rights.length > 0;
  const showOther = rights.includes('other') || filled(otherNote);

  return (
    <>
      <Form.Item name={['work', 'attribution']} label={ft('work.attribution')} extra={ft('work.attributionHint')}>
        <GuardedRadio<Attribution> guard={guardAttribution} options={attributionOptions()} />
      </Form.Item>
      <Form.Item name={['work', 'acquisition']} label={ft('work.acquisition')}>
        <Radio.Group optionType="button" buttonStyle="solid" options={acquisitionOptions()} />
      </Form.Item>
      <Form.Item name={['work', 'ownership']} label={ft('work.ownership')}>
        <Radio.Group optionType="button" buttonStyle="solid" options={ownershipOptions()} />
      </Form.Item>
      {showRights && (
        <Form.Item name={['work', 'rights']} label={ft('work.rights')}>
          <Checkbox.Group options={rightOptions()} className="filing-rights" />
        </Form.Item>
      )}
      {showOther && (
        <Form.Item name={['work', 'other_rights_note']} label={ft('work.other_rights_note')}>
          <Input autoComplete="off" />
        </Form.Item>
      )}
    </>
  );
}

// ---------------------------------------------------------------- 3 当事人

const defaultIdType = (k: PartyKind): DocumentType => (k === 'organisation' ? 'uscc' : 'resident_id');

/** ID type + number with the ID check panel beside them (and the guardian's, for a minor). */
function IdentityFields({
  base,
  rel,
  onUseKnown,
  guardianTestId,
}: {
  /** Absolute path of the party: ['owners', 0] or ['writer']. */
  base: (string | number)[];
  /** The path Form.Items use (relative inside a Form.List). */
  rel: (string | number)[];
  onUseKnown?: (a: ApplicantView) => void;
  guardianTestId: string;
}) {
  const idType = useValue<DocumentType | null>([...base, 'id_type']);
  const idNumber = useValue<string>([...base, 'id_number']);
  const gName = useValue<string>([...base, 'guardian_name']);
  const gType = useValue<DocumentType | null>([...base, 'guardian_id_type']);
  const gNumber = useValue<string>([...base, 'guardian_id_number']);
  const check = useIdCheck(idType ?? null, idNumber ?? '');
  const gCheck = useIdCheck(gType ?? null, gNumber ?? '');
  const [wantGuardian, setWantGuardian] = useState(false);
  const needsGuardian = Boolean(check.view?.consequences.some((c) => c.code === 'guardian_required'));
  const showGuardian = wantGuardian || needsGuardian || filled(gName) || filled(gNumber);

  return (
    <>
      <div className="filing-id-row">
        <div className="filing-id-fields">
          <Form.Item name={[...rel, 'id_type']} label={ft('party.id_type')}>
            <Select<DocumentType> showSearch optionFilterProp="label" options={docTypeOptions()} />
          </Form.Item>
          <Form.Item name={[...rel, 'id_number']} label={ft('party.id_number')} extra={ft('party.idHint')}>
            <Input autoComplete="off" spellCheck={false} className="id-number-input" />
          </Form.Item>
        </div>
        <div className="filing-id-panel">
          <IdCheckPanel check={check} onUseKnown={onUseKnown} />
        </div>
      </div>
      {showGuardian ? (
        <div className="filing-guardian">
          <Typography.Text strong>{ft('party.guardian')}</Typography.Text>
          <div className="filing-id-row">
            <div className="filing-id-fields">
              <Form.Item name={[...rel, 'guardian_name']} label={ft('party.guardian_name')}>
                <Input autoComplete="off" />
              </Form.Item>
              <Form.Item name={[...rel, 'guardian_id_type']} label={ft('party.guardian_id_type')}>
                <Select<DocumentType> showSearch optionFilterProp="label" options={docTypeOptions()} />
              </Form.Item>
              <Form.Item name={[...rel, 'guardian_id_number']} label={ft('party.guardian_id_number')}>
                <Input autoComplete="off" spellCheck={false} className="id-number-input" />
              </Form.Item>
            </div>
            <div className="filing-id-panel">
              <IdCheckPanel check={gCheck} />
            </div>
          </div>
        </div>
      ) : (
        <Button type="link" size="small" className="filing-add-guardian" onClick={() => setWantGuardian(true)} data-testid={guardianTestId}>
          {ft('btn.addGuardian')}
        </Button>
      )}
    </>
  );
}

function OwnerCard({ index, onRemove, markDirty }: { index: number; onRemove: () => void; markDirty: () => void }) {
  const form = Form.useFormInstance();
  const base = ['owners', index];
  const kind = useValue<PartyKind | null>([...base, 'kind']);
  const useKnown = (a: ApplicantView) => {
    const kind: PartyKind = a.category === 'individual' || a.category === 'lawyer' ? 'natural_person' : 'organisation';
    form.setFieldValue([...base, 'kind'], kind);
    form.setFieldValue([...base, 'name'], a.name);
    // The number typed is the profile's (that is how it was found); the view's is masked.
    form.setFieldValue([...base, 'id_type'], a.id_type);
    form.setFieldValue([...base, 'handling_person'], a.handler_name);
    form.setFieldValue([...base, 'region'], a.region ?? '');
    markDirty();
  };
  return (
    <Card
      size="small"
      className="filing-party"
      data-testid={`owner-${index}`}
      title={ft('party.owner', { n: index + 1 })}
      extra={
        <Button size="small" type="link" danger icon={<DeleteOutlined />} onClick={onRemove} data-testid={`owner-remove-${index}`}>
          {ft('btn.remove')}
        </Button>
      }
    >
      <Form.Item name={[index, 'kind']} label={ft('party.kind')}>
        <Radio.Group
          options={partyKindOptions()}
          onChange={(e: RadioChangeEvent) => {
            const cur = form.getFieldValue([...base, 'id_type']) as DocumentType | null | undefined;
            if (!cur) form.setFieldValue([...base, 'id_type'], defaultIdType(e.target.value as PartyKind));
          }}
        />
      </Form.Item>
      <Form.Item name={[index, 'name']} label={ft('party.name')}>
        <Input autoComplete="off" />
      </Form.Item>
      <IdentityFields base={base} rel={[index]} onUseKnown={useKnown} guardianTestId={`owner-guardian-${index}`} />
      <div className="form-row">
        <Form.Item name={[index, 'handling_person']} label={ft('party.handling_person')}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name={[index, 'region']} label={ft('party.region')}>
          <Input autoComplete="off" />
        </Form.Item>
      </div>
      <Form.Item name={[index, 'files']} label={ft('party.files')}>
        <PartyFilesInput testKey={`owners-${index}`} suggestedKind={kind === 'organisation' ? 'business_licence' : 'identity_proof'} />
      </Form.Item>
    </Card>
  );
}

function AuthorCard({ index, onRemove }: { index: number; onRemove: () => void }) {
  return (
    <Card
      size="small"
      className="filing-party"
      data-testid={`author-${index}`}
      title={ft('party.author', { n: index + 1 })}
      extra={
        <Button size="small" type="link" danger icon={<DeleteOutlined />} onClick={onRemove} data-testid={`author-remove-${index}`}>
          {ft('btn.remove')}
        </Button>
      }
    >
      <div className="form-row">
        <Form.Item name={[index, 'kind']} label={ft('party.kind')}>
          <Radio.Group options={partyKindOptions()} />
        </Form.Item>
        <Form.Item name={[index, 'signed_as']} label={ft('party.signed_as')}>
          <Radio.Group options={signedAsOptions()} />
        </Form.Item>
      </div>
      <div className="form-row">
        <Form.Item name={[index, 'name']} label={ft('party.name')}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name={[index, 'signed_name']} label={ft('party.signed_name')}>
          <Input autoComplete="off" placeholder={ft('party.signed_name.placeholder')} />
        </Form.Item>
      </div>
    </Card>
  );
}

function WriterSection({
  messages,
  markDirty,
  onAdd,
  onRemove,
}: {
  messages?: string[];
  markDirty: () => void;
  onAdd: () => void;
  onRemove: () => void;
}) {
  const form = Form.useFormInstance();
  const writer = useValue<FilingDraft['writer']>('writer');
  const useKnown = (a: ApplicantView) => {
    form.setFieldValue(['writer', 'name'], a.name);
    // The number typed is the profile's (that is how it was found); the view's is masked.
    form.setFieldValue(['writer', 'id_type'], a.id_type);
    markDirty();
  };
  return (
    <>
      <Section>{ft('party.writer')}</Section>
      <ListError messages={messages} testId="list-error-writer" />
      {writer ? (
        <Card
          size="small"
          className="filing-party"
          data-testid="writer"
          title={ft('party.writer')}
          extra={
            <Button size="small" type="link" danger icon={<DeleteOutlined />} onClick={onRemove} data-testid="writer-remove">
              {ft('btn.removeWriter')}
            </Button>
          }
        >
          <Form.Item name={['writer', 'name']} label={ft('party.name')}>
            <Input autoComplete="off" />
          </Form.Item>
          <IdentityFields base={['writer']} rel={['writer']} onUseKnown={useKnown} guardianTestId="writer-guardian" />
          <Form.Item name={['writer', 'files']} label={ft('party.files')}>
            <PartyFilesInput testKey="writer-0" />
          </Form.Item>
        </Card>
      ) : (
        <div className="filing-no-writer">
          <Typography.Text type="secondary">{ft('party.noWriter')}</Typography.Text>
          <Button
            icon={<UserAddOutlined />}
            onClick={() => {
              onAdd();
              focusFirstIn('writer');
            }}
            data-testid="writer-add"
          >
            {ft('btn.addWriter')}
          </Button>
        </div>
      )}
    </>
  );
}

export function PartiesStep({
  listErrors,
  markDirty,
  onAddWriter,
  onRemoveWriter,
}: {
  listErrors: ListErrors;
  markDirty: () => void;
  onAddWriter: () => void;
  onRemoveWriter: () => void;
}) {
  const form = Form.useFormInstance();

  /** 按著作权人填写作者: empty author rows are replaced by the owners (the core still checks). */
  const copyOwners = () => {
    const d = toDraft(form.getFieldsValue(true));
    const kept = d.authors.filter((a) => filled(a.name));
    const names = new Set(kept.map((a) => a.name.trim()));
    const added = d.owners
      .filter((o) => filled(o.name) && !names.has(o.name.trim()))
      .map((o) => ({ ...emptyAuthor(), kind: o.kind, name: o.name, signed_as: 'real_name' as const }));
    form.setFieldValue('authors', [...kept, ...added]);
    markDirty();
  };

  return (
    <>
      <Section>{ft('party.owners')}</Section>
      <Typography.Paragraph type="secondary" className="filing-note">
        {ft('party.idHint')}
      </Typography.Paragraph>
      <ListError messages={listErrors.owners} testId="list-error-owners" />
      <Form.List name="owners">
        {(fields, { add, remove }) => (
          <>
            {fields.length === 0 && <Typography.Paragraph type="secondary">{ft('party.noOwners')}</Typography.Paragraph>}
            {fields.map((f) => (
              <OwnerCard key={f.key} index={f.name} onRemove={() => remove(f.name)} markDirty={markDirty} />
            ))}
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => {
                add(emptyOwner());
                focusFirstIn(`owner-${fields.length}`);
              }}
              data-testid="owner-add" className="filing-add">
              {ft('btn.addOwner')}
            </Button>
          </>
        )}
      </Form.List>

      <Section
        extra={
          <Button size="small" onClick={copyOwners} data-testid="author-copy-owners">
            {ft('btn.copyOwners')}
          </Button>
        }
      >
        {ft('party.authors')}
      </Section>
      <ListError messages={listErrors.authors} testId="list-error-authors" />
      <Form.List name="authors">
        {(fields, { add, remove }) => (
          <>
            {fields.length === 0 && <Typography.Paragraph type="secondary">{ft('party.noAuthors')}</Typography.Paragraph>}
            {fields.map((f) => (
              <AuthorCard key={f.key} index={f.name} onRemove={() => remove(f.name)} />
            ))}
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => {
                add(emptyAuthor());
                focusFirstIn(`author-${fields.length}`);
              }}
              data-testid="author-add" className="filing-add">
              {ft('btn.addAuthor')}
            </Button>
          </>
        )}
      </Form.List>

      <WriterSection messages={listErrors.writer} markDirty={markDirty} onAdd={onAddWriter} onRemove={onRemoveWriter} />
    </>
  );
}

/** After adding a party card: the keyboard continues in its first field. */
function focusFirstIn(testId: string) {
  setTimeout(() => {
    const card = document.querySelector(`[data-testid="${testId}"]`);
    const first = card ? focusableFields(card as HTMLElement)[0] : undefined;
    first?.focus();
  }, 30);
}

// ---------------------------------------------------------------- 4 样本与附件

export function FilesStep() {
  return (
    <>
      <Typography.Paragraph type="secondary" className="filing-note">
        {ft('files.hint')}
      </Typography.Paragraph>
      <Form.Item name="samples" label={ft('files.samples')}>
        <FileListInput testKey="sample" pickLabel={ft('btn.pickSamples')} />
      </Form.Item>
      <Form.Item name="other_files" label={ft('files.other')}>
        <FileListInput testKey="other" pickLabel={ft('btn.pickOther')} />
      </Form.Item>
    </>
  );
}

// ---------------------------------------------------------------- 5 作品说明

const HINTED = new Set(['text', 'music', 'fine_art', 'photography']);

export function DescriptionStep() {
  const category = useValue<string | null>(['work', 'category']);
  const hint = (category && HINTED.has(category) ? `desc.hint.${category}` : 'desc.hint.general') as FilingTextKey;
  return (
    <>
      <Alert type="info" showIcon className="filing-hint" message={ft(hint)} data-testid="description-hint" />
      <Form.Item name="description" label={ft('desc.description')}>
        <Input.TextArea rows={6} showCount />
      </Form.Item>
      <Form.Item name="creation_story" label={ft('desc.creation_story')}>
        <Input.TextArea rows={6} showCount />
      </Form.Item>
    </>
  );
}

// ---------------------------------------------------------------- 6 领取与发票

export function DeliveryStep() {
  const delivery = useValue<string | null>('delivery');
  const rn = useValue<string>('recipient_name');
  const rp = useValue<string>('recipient_phone');
  const pa = useValue<string>('postal_address');
  const showMail = delivery === 'mail' || filled(rn) || filled(rp) || filled(pa);
  return (
    <>
      <Form.Item name="invoice_email" label={ft('delivery.invoice_email')}>
        <Input autoComplete="off" inputMode="email" />
      </Form.Item>
      <Form.Item name="delivery" label={ft('delivery.delivery')} extra={ft('delivery.hint')}>
        <Radio.Group optionType="button" buttonStyle="solid" options={deliveryOptions()} />
      </Form.Item>
      {showMail && (
        <>
          <div className="form-row">
            <Form.Item name="recipient_name" label={ft('delivery.recipient_name')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="recipient_phone" label={ft('delivery.recipient_phone')}>
              <Input autoComplete="off" inputMode="tel" />
            </Form.Item>
          </div>
          <Form.Item name="postal_address" label={ft('delivery.postal_address')}>
            <Input autoComplete="off" />
          </Form.Item>
        </>
      )}
    </>
  );
}

// ---------------------------------------------------------------- 7 核对与提交

export function ReviewStep({
  applicantName,
  canSubmit,
  submitting,
  submitted,
  locked = false,
  readOnly = false,
  onSubmit,
}: {
  applicantName: string | null;
  canSubmit: boolean;
  submitting: boolean;
  submitted: boolean;
  /** Past signing: the content can no longer change. */
  locked?: boolean;
  /** Another office's case: the banner above the steps says why it may not change. */
  readOnly?: boolean;
  onSubmit: () => void;
}) {
  const form = Form.useFormInstance();
  const d = toDraft(form.getFieldsValue(true));
  const w = d.work;
  const rights = w.ownership === 'partial' ? w.rights.map((r) => label('right', r)).join('、') : w.ownership === 'full' ? ft('review.rightsAll') : '';

  const items = [
    { key: 'title', label: ft('work.title'), children: text(w.title), span: 2 },
    { key: 'category', label: ft('work.category'), children: text(label('category', w.category)) },
    { key: 'nature', label: ft('work.nature'), children: text(join([label('nature', w.nature), w.nature_note])) },
    { key: 'completed', label: ft('work.completed_on'), children: text(join([w.completed_on, w.completed_place])) },
    {
      key: 'publication',
      label: ft('work.publication'),
      children: text(join([label('publication', w.publication), w.first_published_on, w.first_published_place])),
    },
    { key: 'attribution', label: ft('work.attribution'), children: text(label('attribution', w.attribution)) },
    { key: 'acquisition', label: ft('work.acquisition'), children: text(label('acquisition', w.acquisition)) },
    { key: 'ownership', label: ft('work.ownership'), children: text(join([label('ownership', w.ownership), rights, w.other_rights_note])), span: 2 },
    {
      key: 'owners',
      label: ft('party.owners'),
      span: 2,
      children:
        d.owners.length === 0
          ? text('')
          : d.owners.map((o, i) => (
              <div key={i}>
                {ft('review.partyLine', {
                  name: o.name || ft('review.empty'),
                  kind: label('partyKind', o.kind) || '—',
                  idType: label('docType', o.id_type) || '—',
                  idNumber: o.id_number,
                })}
              </div>
            )),
    },
    {
      key: 'authors',
      label: ft('party.authors'),
      span: 2,
      children:
        d.authors.length === 0
          ? text('')
          : d.authors.map((a, i) => (
              <div key={i}>
                {ft('review.authorLine', {
                  name: a.name || ft('review.empty'),
                  kind: label('partyKind', a.kind) || '—',
                  signedAs: label('signedAs', a.signed_as) || '—',
                  signedName: a.signed_name ? ` ${a.signed_name}` : '',
                })}
              </div>
            )),
    },
    ...(d.writer
      ? [
          {
            key: 'writer',
            label: ft('party.writer'),
            span: 2,
            children: ft('review.partyLine', {
              name: d.writer.name || ft('review.empty'),
              kind: label('partyKind', 'natural_person'),
              idType: label('docType', d.writer.id_type) || '—',
              idNumber: d.writer.id_number,
            }),
          },
        ]
      : []),
    { key: 'samples', label: ft('files.samples'), children: ft('review.files', { count: d.samples.length }) },
    { key: 'other', label: ft('files.other'), children: ft('review.files', { count: d.other_files.length }) },
    { key: 'description', label: ft('desc.description'), children: <div className="filing-pre">{text(d.description)}</div>, span: 2 },
    { key: 'story', label: ft('desc.creation_story'), children: <div className="filing-pre">{text(d.creation_story)}</div>, span: 2 },
    { key: 'invoice', label: ft('delivery.invoice_email'), children: text(d.invoice_email) },
    {
      key: 'delivery',
      label: ft('delivery.delivery'),
      children: text(
        d.delivery === 'mail'
          ? join([label('delivery', d.delivery), d.recipient_name, d.recipient_phone, d.postal_address])
          : label('delivery', d.delivery),
      ),
    },
    ...(applicantName ? [{ key: 'applicant', label: ft('review.applicant'), children: applicantName, span: 2 }] : []),
  ];

  return (
    <div className="filing-review">
      <Section>{ft('review.title')}</Section>
      <Descriptions bordered size="small" column={2} items={items} data-testid="filing-summary" className="filing-summary" />
      {readOnly ? null : locked ? (
        <Alert className="filing-hint" type="info" showIcon message={ft('review.lockedNote')} />
      ) : submitted ? (
        <Alert className="filing-hint" type="info" showIcon message={ft('review.submittedNote')} />
      ) : (
        <Typography.Paragraph type="secondary" className="filing-note">
          {ft('review.hint')}
        </Typography.Paragraph>
      )}
      {canSubmit && (
        <Button type="primary" size="large" onClick={onSubmit} loading={submitting} data-testid="filing-submit">
          {ft('btn.submit')}
        </Button>
      )}
    </div>
  );
}
