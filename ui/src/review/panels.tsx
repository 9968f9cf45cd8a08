// The right-hand column of a review: materials with previews, the ID checks of
// every party, possible duplicates, the review history and the reviewer's checklist.
import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, Button, Checkbox, Empty, List, Modal, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import type { ApiError, CaseDetail, DocumentType, DuplicateView, FilingDraft, ReviewRecordView } from '../api/bindings';
import { IdCheckPanel } from '../shared/IdCheckPanel';
import { useIdCheck } from '../shared/useIdCheck';
import { fmtDate, fmtDateTime } from '../shared/format';
import { fmtSize } from '../filing/draft';
import { FilePreview, NotDownloaded, useFileView } from '../shared/files';
import { label } from '../filing/options';
import { reviewApi } from './api';
import { DraftSummary } from './DraftSummary';
import { CHECKLIST } from './options';
import { rt } from './texts';

export function Panel({ title, extra, children, testId }: { title: string; extra?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="review-panel" data-testid={testId}>
      <div className="review-panel-head">
        <Typography.Title level={5} className="review-section">
          {title}
        </Typography.Title>
        {extra}
      </div>
      {children}
    </section>
  );
}

// ---------------------------------------------------------------- 材料

type Material = { key: string; what: string; id: string };

/** Every file of the filing, in order: samples, other files, each party's files. */
export function materialsOf(d: FilingDraft): Material[] {
  const out: Material[] = [];
  d.samples.forEach((id, i) => out.push({ key: `s-${i}`, what: rt('materials.sample', { n: i + 1 }), id }));
  d.other_files.forEach((id, i) => out.push({ key: `o-${i}`, what: rt('materials.other', { n: i + 1 }), id }));
  d.owners.forEach((o, i) =>
    o.files.forEach((f, j) =>
      out.push({
        key: `p-${i}-${j}`,
        what: rt('materials.party', { who: `${rt('summary.owner', { n: i + 1 })} ${o.name}`.trim(), kind: label('attachment', f.kind) }),
        id: f.file_id,
      }),
    ),
  );
  d.writer?.files.forEach((f, j) =>
    out.push({
      key: `w-${j}`,
      what: rt('materials.party', { who: `${rt('section.writer')} ${d.writer?.name ?? ''}`.trim(), kind: label('attachment', f.kind) }),
      id: f.file_id,
    }),
  );
  return out;
}

function FileName({ id }: { id: string }) {
  const f = useFileView(id);
  return (
    <span>
      {f ? f.original_name : <Typography.Text type="secondary">{id}</Typography.Text>}
      {f && <NotDownloaded file={f} />}
    </span>
  );
}
function FileSize({ id }: { id: string }) {
  const f = useFileView(id);
  return <span>{f ? fmtSize(f.size) : ''}</span>;
}

export function MaterialsPanel({ draft }: { draft: FilingDraft }) {
  const rows = useMemo(() => materialsOf(draft), [draft]);
  const [preview, setPreview] = useState<string | null>(null);
  return (
    <Panel title={rt('section.materials')} testId="review-materials">
      {rows.length === 0 ? (
        <Typography.Text type="secondary">{rt('materials.none')}</Typography.Text>
      ) : (
        <Table<Material & { n: number }>
          size="small"
          pagination={false}
          rowKey="key"
          dataSource={rows.map((r, n) => ({ ...r, n }))}
          columns={[
            {
              title: rt('materials.col.what'),
              key: 'what',
              // The panel is narrow: what the file is, and its name below it.
              render: (_, r) => (
                <div className="review-material">
                  <div>{r.what}</div>
                  <Typography.Text type="secondary" className="review-material-name">
                    <FileName id={r.id} />
                  </Typography.Text>
                </div>
              ),
            },
            { title: rt('materials.col.size'), key: 'size', width: 76, render: (_, r) => <FileSize id={r.id} /> },
            {
              title: '',
              key: 'preview',
              width: 72,
              render: (_, r) => (
                <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setPreview(r.id)} data-testid={`review-preview-${r.n}`}>
                  {rt('btn.preview')}
                </Button>
              ),
            },
          ]}
        />
      )}
      <FilePreview id={preview} onClose={() => setPreview(null)} />
    </Panel>
  );
}

// ---------------------------------------------------------------- 证件核验

type IdLine = { key: string; who: string; type: DocumentType | null; number: string };

export function idLinesOf(d: FilingDraft): IdLine[] {
  const out: IdLine[] = [];
  d.owners.forEach((o, i) => {
    out.push({ key: `o-${i}`, who: rt('id.owner', { n: i + 1, name: o.name }), type: o.id_type, number: o.id_number });
    if (o.guardian_id_number.trim() !== '') {
      out.push({
        key: `og-${i}`,
        who: rt('id.ownerGuardian', { n: i + 1, name: o.guardian_name }),
        type: o.guardian_id_type,
        number: o.guardian_id_number,
      });
    }
  });
  if (d.writer) {
    const w = d.writer;
    out.push({ key: 'w', who: rt('id.writer', { name: w.name }), type: w.id_type, number: w.id_number });
    if (w.guardian_id_number.trim() !== '') {
      out.push({ key: 'wg', who: rt('id.writerGuardian', { name: w.guardian_name }), type: w.guardian_id_type, number: w.guardian_id_number });
    }
  }
  return out;
}

function IdLineCheck({ line, n, masked }: { line: IdLine; n: number; masked: boolean }) {
  // No typing here: ask the core at once (a masked number is not checked).
  const check = useIdCheck(line.type, masked ? '' : line.number, 0);
  return (
    <div className="review-id" data-testid={`review-id-${n}`}>
      <Typography.Text strong>{line.who}</Typography.Text>{' '}
      <Typography.Text className="mono">{line.number.trim() === '' ? rt('id.noNumber') : line.number}</Typography.Text>
      {line.number.trim() !== '' &&
        (masked ? (
          <Typography.Text type="secondary" data-testid={`review-id-masked-${n}`}>
            {' '}
            {rt('id.masked')}
          </Typography.Text>
        ) : (
          <IdCheckPanel check={check} />
        ))}
    </div>
  );
}

/** The case's ID numbers, each checked by the core; `masked` while the numbers are not revealed. */
export function IdChecksPanel({ draft, masked = false }: { draft: FilingDraft; masked?: boolean }) {
  const lines = useMemo(() => idLinesOf(draft), [draft]);
  return (
    <Panel title={rt('section.idChecks')} testId="review-idchecks">
      {lines.length === 0 ? (
        <Typography.Text type="secondary">{rt('id.none')}</Typography.Text>
      ) : (
        lines.map((l, n) => <IdLineCheck key={l.key} line={l} n={n} masked={masked} />)
      )}
    </Panel>
  );
}

// ---------------------------------------------------------------- 疑似重复

/** The filing of a possible duplicate, read-only, beside the one under review. */
function DuplicateModal({ serial, onClose }: { serial: string | null; onClose: () => void }) {
  const [c, setC] = useState<CaseDetail | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    setC(null);
    setFailure(null);
    if (!serial) return;
    let live = true;
    reviewApi.caseDetail(serial).then(
      (x) => live && setC(x),
      (e: ApiError) => live && setFailure(e.message),
    );
    return () => {
      live = false;
    };
  }, [serial]);
  return (
    <Modal open={serial !== null} onCancel={onClose} footer={null} width={880} title={rt('dup.title', { serial: serial ?? '' })} destroyOnHidden>
      <div data-testid="duplicate-modal">
        {failure ? (
          <Alert type="error" showIcon message={failure} />
        ) : c ? (
          <>
            <Typography.Paragraph>
              <Tag>{c.state_label}</Tag>
              {c.registration_number ? rt('dup.regno', { regno: c.registration_number }) : ''}
            </Typography.Paragraph>
            <DraftSummary draft={c.draft} applicantName={c.applicant_name} />
          </>
        ) : (
          <Spin />
        )}
      </div>
    </Modal>
  );
}

export function DuplicatesPanel({ items, failure }: { items: DuplicateView[] | null; failure: ApiError | null }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Panel title={rt('section.duplicates')} testId="review-duplicates">
      {failure ? (
        <Alert type="warning" showIcon message={rt('dup.failed', { message: failure.message })} />
      ) : items === null ? null : items.length === 0 ? (
        <Typography.Text type="secondary" data-testid="review-no-duplicates">
          {rt('dup.none')}
        </Typography.Text>
      ) : (
        <>
          <Typography.Paragraph type="secondary" className="review-note">
            {rt('dup.hint')}
          </Typography.Paragraph>
          <List
            size="small"
            bordered
            dataSource={items}
            renderItem={(d, i) => (
              <List.Item
                data-testid={`duplicate-${i}`}
                actions={
                  // A registration of the old register has no case to open.
                  d.historic
                    ? []
                    : [
                        <Button key="open" size="small" type="link" onClick={() => setOpen(d.serial)} data-testid={`duplicate-open-${i}`}>
                          {rt('dup.open')}
                        </Button>,
                      ]
                }
              >
                <div>
                  <div>
                    <Typography.Text strong className="mono">
                      {d.serial}
                    </Typography.Text>{' '}
                    {d.title} <Tag color={d.historic ? 'purple' : undefined}>{d.state_label}</Tag>
                  </div>
                  <Typography.Text type="secondary">
                    {rt('dup.applicant', { name: d.applicant_name })}
                    {d.registration_number ? ` · ${rt('dup.regno', { regno: d.registration_number })}` : ''}
                  </Typography.Text>
                </div>
              </List.Item>
            )}
          />
          <DuplicateModal serial={open} onClose={() => setOpen(null)} />
        </>
      )}
    </Panel>
  );
}

// ---------------------------------------------------------------- 审查记录

export function HistoryPanel({ items, failure }: { items: ReviewRecordView[] | null; failure: ApiError | null }) {
  return (
    <Panel title={rt('section.history')} testId="review-history">
      {failure ? (
        <Alert type="warning" showIcon message={rt('history.failed', { message: failure.message })} />
      ) : items === null ? null : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={rt('history.none')} />
      ) : (
        <Timeline
          className="review-timeline"
          items={items.map((r, i) => ({
            key: `${r.at}-${i}`,
            color: r.command === 'approve' ? 'green' : r.command === 'confirm_refusal' || r.command === 'expire_correction' ? 'red' : 'blue',
            children: (
              <div data-testid={`history-${i}`}>
                <Typography.Text strong>{r.command_label}</Typography.Text>{' '}
                <Typography.Text type="secondary">{rt('history.by', { name: r.staff_name, time: fmtDateTime(r.at) })}</Typography.Text>
                {r.reasons.length > 0 && (
                  <div>
                    {rt('history.reasons')}：
                    <ol className="review-reasons">
                      {r.reasons.map((x, j) => (
                        <li key={j}>{x}</li>
                      ))}
                    </ol>
                  </div>
                )}
                {r.deadline && <div>{rt('history.deadline', { date: fmtDate(r.deadline) })}</div>}
                {r.ground_label && <div>{rt('history.ground', { ground: r.ground_label })}</div>}
                {r.note.trim() !== '' && <div className="review-pre">{rt('history.note', { note: r.note })}</div>}
                {r.registration_number && <div>{rt('history.regno', { regno: r.registration_number })}</div>}
              </div>
            ),
          }))}
        />
      )}
    </Panel>
  );
}

// ---------------------------------------------------------------- 审查要点

export function ChecklistPanel({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  return (
    <Panel
      title={rt('section.checklist')}
      extra={<Typography.Text type="secondary">{rt('check.hint', { done: value.length, total: CHECKLIST.length })}</Typography.Text>}
    >
      <div data-testid="checklist">
        <Checkbox.Group
          className="review-checklist"
          value={value}
          onChange={(v) => onChange(v as string[])}
          options={CHECKLIST.map((c) => ({ value: c.key, label: rt(c.text) }))}
        />
      </div>
    </Panel>
  );
}
