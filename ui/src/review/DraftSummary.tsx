// The whole filing, read-only, as the reviewer needs it: every field, the
// parties with their ID type and FULL number (the review desks need it).
import type { ReactNode } from 'react';
import { Descriptions, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import type { FilingDraft, OwnerDraft, WriterDraft } from '../api/bindings';
import { label } from '../filing/options';
import { join, text } from '../filing/summary';
import { ft } from '../filing/texts';
import { rt } from './texts';

type Items = NonNullable<DescriptionsProps['items']>;

function idText(type: OwnerDraft['id_type'], number: string): ReactNode {
  if (!type && number.trim() === '') return text('');
  return (
    <span>
      {label('docType', type) || '—'} <span className="mono review-id-number">{number}</span>
    </span>
  );
}

function guardianItems(p: Pick<OwnerDraft | WriterDraft, 'guardian_name' | 'guardian_id_type' | 'guardian_id_number'>): Items {
  if (p.guardian_name.trim() === '' && p.guardian_id_number.trim() === '') return [];
  return [
    { key: 'guardian', label: rt('summary.guardian'), children: text(p.guardian_name) },
    { key: 'guardian_id', label: ft('party.guardian_id_number'), children: idText(p.guardian_id_type, p.guardian_id_number) },
  ];
}

function Section({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={5} className="review-section">
      {children}
    </Typography.Title>
  );
}

export function DraftSummary({ draft, applicantName }: { draft: FilingDraft; applicantName?: string }) {
  const w = draft.work;
  const rights =
    w.ownership === 'partial' ? w.rights.map((r) => label('right', r)).join('、') : w.ownership === 'full' ? ft('review.rightsAll') : '';

  const work: Items = [
    { key: 'title', label: ft('work.title'), children: <span data-testid="summary-title">{text(w.title)}</span>, span: 2 },
    { key: 'category', label: ft('work.category'), children: text(label('category', w.category)) },
    { key: 'nature', label: ft('work.nature'), children: text(join([label('nature', w.nature), w.nature_note])) },
    { key: 'completed_on', label: ft('work.completed_on'), children: text(w.completed_on) },
    { key: 'completed_place', label: ft('work.completed_place'), children: text(w.completed_place) },
    { key: 'publication', label: ft('work.publication'), children: text(label('publication', w.publication)), span: 2 },
    ...(w.publication === 'published' || w.first_published_on || w.first_published_place
      ? [
          { key: 'first_on', label: ft('work.first_published_on'), children: text(w.first_published_on) },
          { key: 'first_place', label: ft('work.first_published_place'), children: text(w.first_published_place) },
        ]
      : []),
    ...(applicantName ? [{ key: 'applicant', label: rt('header.applicant'), children: applicantName, span: 2 }] : []),
  ];

  const rightsItems: Items = [
    { key: 'attribution', label: ft('work.attribution'), children: text(label('attribution', w.attribution)) },
    { key: 'acquisition', label: ft('work.acquisition'), children: text(label('acquisition', w.acquisition)) },
    { key: 'ownership', label: ft('work.ownership'), children: text(join([label('ownership', w.ownership), rights])), span: 2 },
    ...(w.other_rights_note.trim() !== ''
      ? [{ key: 'other', label: ft('work.other_rights_note'), children: w.other_rights_note, span: 2 }]
      : []),
  ];

  return (
    <div className="review-summary" data-testid="review-summary">
      <Section>{rt('section.work')}</Section>
      <Descriptions bordered size="small" column={2} items={work} />

      <Section>{rt('section.rights')}</Section>
      <Descriptions bordered size="small" column={2} items={rightsItems} />

      <Section>{rt('section.owners')}</Section>
      {draft.owners.length === 0 && <Typography.Text type="secondary">{rt('summary.none')}</Typography.Text>}
      {draft.owners.map((o, i) => (
        <Descriptions
          key={i}
          className="review-party"
          bordered
          size="small"
          column={2}
          title={rt('summary.owner', { n: i + 1 })}
          data-testid={`summary-owner-${i}`}
          items={[
            { key: 'name', label: ft('party.name'), children: text(o.name) },
            { key: 'kind', label: ft('party.kind'), children: text(label('partyKind', o.kind)) },
            { key: 'id', label: ft('party.id_number'), children: idText(o.id_type, o.id_number), span: 2 },
            { key: 'handling', label: ft('party.handling_person'), children: text(o.handling_person) },
            { key: 'region', label: ft('party.region'), children: text(o.region) },
            ...guardianItems(o),
            { key: 'files', label: ft('party.files'), children: rt('summary.fileCount', { count: o.files.length }), span: 2 },
          ]}
        />
      ))}

      <Section>{rt('section.authors')}</Section>
      {draft.authors.length === 0 && <Typography.Text type="secondary">{rt('summary.none')}</Typography.Text>}
      {draft.authors.length > 0 && (
        <Descriptions
          bordered
          size="small"
          column={1}
          data-testid="summary-authors"
          items={draft.authors.map((a, i) => ({
            key: String(i),
            label: rt('summary.author', { n: i + 1 }),
            children: ft('review.authorLine', {
              name: a.name || ft('review.empty'),
              kind: label('partyKind', a.kind) || '—',
              signedAs: label('signedAs', a.signed_as) || '—',
              signedName: a.signed_name ? ` ${a.signed_name}` : '',
            }),
          }))}
        />
      )}

      {draft.writer && (
        <>
          <Section>{rt('section.writer')}</Section>
          <Descriptions
            bordered
            size="small"
            column={2}
            data-testid="summary-writer"
            items={[
              { key: 'name', label: ft('party.name'), children: text(draft.writer.name), span: 2 },
              { key: 'id', label: ft('party.id_number'), children: idText(draft.writer.id_type, draft.writer.id_number), span: 2 },
              ...guardianItems(draft.writer),
              { key: 'files', label: ft('party.files'), children: rt('summary.fileCount', { count: draft.writer.files.length }), span: 2 },
            ]}
          />
        </>
      )}

      <Section>{rt('section.description')}</Section>
      <Descriptions
        bordered
        size="small"
        column={1}
        items={[
          { key: 'description', label: ft('desc.description'), children: <div className="review-pre">{text(draft.description)}</div> },
          { key: 'story', label: ft('desc.creation_story'), children: <div className="review-pre">{text(draft.creation_story)}</div> },
          { key: 'samples', label: ft('files.samples'), children: rt('summary.fileCount', { count: draft.samples.length }) },
          { key: 'other', label: ft('files.other'), children: rt('summary.fileCount', { count: draft.other_files.length }) },
        ]}
      />

      <Section>{rt('section.delivery')}</Section>
      <Descriptions
        bordered
        size="small"
        column={2}
        data-testid="summary-delivery"
        items={[
          { key: 'delivery', label: ft('delivery.delivery'), children: text(label('delivery', draft.delivery)) },
          { key: 'invoice', label: ft('delivery.invoice_email'), children: text(draft.invoice_email) },
          ...(draft.delivery === 'mail' || draft.recipient_name || draft.postal_address
            ? [
                { key: 'rname', label: ft('delivery.recipient_name'), children: text(draft.recipient_name) },
                { key: 'rphone', label: ft('delivery.recipient_phone'), children: text(draft.recipient_phone) },
                { key: 'address', label: ft('delivery.postal_address'), children: text(draft.postal_address), span: 2 },
              ]
            : []),
        ]}
      />
    </div>
  );
}
