// 批量受理: the office's template for agencies, then their filled-in sheet and
// folder of files checked row by row (preview), then one draft per good row
// for one applicant, with progress and 取消, and a summary of what was made.
import { useRef, useState } from 'react';
import { Alert, Button, Input, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { listen } from '@tauri-apps/api/event';
import { open } from '@tauri-apps/plugin-dialog';
import type {
  ApiError,
  ApplicantView,
  BatchSubmitView,
  FilingImportView,
  IntakeProgress,
  IntakeRowView,
  RowProblem,
} from '../api/bindings';
import { intakeApi } from './api';
import { BatchSigning } from './BatchSigning';
import { itx } from './texts';

/** The core's event with a batch import's progress. */
export const INTAKE_PROGRESS = 'intake-progress';

const problemText = (p: RowProblem) => (p.column ? `“${p.column}”：${p.message}` : p.message);

function RowResult({ row, submit }: { row: IntakeRowView; submit?: BatchSubmitView }) {
  if (row.serial)
    return (
      <Space direction="vertical" size={0}>
        <Tag color="green" data-testid={`made-${row.line}`}>
          {itx('made', { serial: row.serial })}
        </Tag>
        {submit &&
          (submit.submitted ? (
            <Tag color="orange" data-testid={`submitted-${row.line}`}>
              {itx('submitted')}
            </Tag>
          ) : (
            <Typography.Text type="danger" data-testid={`not-submitted-${row.line}`}>
              {submit.message}
            </Typography.Text>
          ))}
      </Space>
    );
  if (row.problems.length === 0) return <Tag color="blue" data-testid={`ok-${row.line}`}>{itx('ok')}</Tag>;
  return (
    <ul className="intake-problems" data-testid={`problems-${row.line}`}>
      {row.problems.map((p, i) => (
        <li key={i}>
          <Typography.Text type="danger">{problemText(p)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

async function pickOne(directory: boolean): Promise<string | null> {
  const picked = await open({ multiple: false, directory });
  if (picked === null || picked === undefined) return null;
  return Array.isArray(picked) ? (picked[0] ?? null) : picked;
}

export function IntakeTab({ onChanged }: { onChanged: () => void }) {
  const [applicants, setApplicants] = useState<ApplicantView[]>([]);
  const [applicant, setApplicant] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const [folder, setFolder] = useState('');
  const [view, setView] = useState<FilingImportView | null>(null);
  /** what the preview on screen was made from (导入 imports exactly that) */
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [progress, setProgress] = useState<IntakeProgress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [submits, setSubmits] = useState<BatchSubmitView[] | null>(null);
  const cancelRequested = useRef(false);

  const key = `${applicant ?? ''}\n${path.trim()}\n${folder.trim()}`;

  const search = async (q: string) => {
    if (q.trim() === '') return;
    try {
      setApplicants(await intakeApi.findApplicants(q));
    } catch (e) {
      setError(e as ApiError);
    }
  };

  const template = async () => {
    setError(null);
    try {
      setNotice(itx('template.done', { path: await intakeApi.saveTemplate() }));
    } catch (e) {
      setError(e as ApiError);
    }
  };

  const missing = (): string | null => {
    if (!applicant) return itx('applicant.required');
    if (path.trim() === '') return itx('sheet.required');
    if (folder.trim() === '') return itx('folder.required');
    return null;
  };

  const run = async (dryRun: boolean) => {
    const why = missing();
    if (why || !applicant) {
      setError({ kind: 'validation', message: why ?? itx('applicant.required'), fields: [] });
      return;
    }
    setBusy(dryRun ? 'preview' : 'import');
    setError(null);
    setNotice(null);
    setProgress(null);
    setCancelling(false);
    cancelRequested.current = false;
    let unlisten: () => void = () => {};
    try {
      unlisten = await listen<IntakeProgress>(INTAKE_PROGRESS, (e) => setProgress(e.payload));
    } catch {
      // Without events only the bar is lost.
    }
    try {
      const v = await intakeApi.importFilings({
        path: path.trim(),
        files_dir: folder.trim(),
        applicant_id: applicant,
        dry_run: dryRun,
      });
      setView(v);
      setSubmits(null);
      setPreviewed(dryRun && v.sheet_problems.length === 0 ? key : null);
      if (!dryRun) onChanged();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      unlisten();
      setBusy(null);
      setProgress(null);
      setCancelling(false);
    }
  };

  const made = view && !view.dry_run ? view.rows.filter((r) => r.case_id !== null) : [];
  const submitAll = async () => {
    setError(null);
    setBusy('import');
    try {
      setSubmits(await intakeApi.submitMany(made.map((r) => r.case_id ?? '')));
      onChanged();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(null);
    }
  };

  const cancel = async () => {
    cancelRequested.current = true;
    setCancelling(true);
    try {
      await intakeApi.cancel();
    } catch (e) {
      setCancelling(false);
      setError(e as ApiError);
    }
  };

  const pick = async (directory: boolean) => {
    try {
      const p = await pickOne(directory);
      if (p) (directory ? setFolder : setPath)(p);
    } catch (e) {
      setError({ kind: 'storage', message: e instanceof Error ? e.message : String(e), fields: [] });
    }
  };

  const bad = view ? view.rows.filter((r) => r.problems.length > 0).length : 0;
  const canImport = previewed === key && view !== null && view.dry_run && view.good > 0 && busy === null;

  return (
    <div data-testid="intake" className="intake">
      <Typography.Paragraph type="secondary">{itx('hint')}</Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Button icon={<DownloadOutlined />} onClick={() => void template()} data-testid="intake-template">
          {itx('template')}
        </Button>
        <Space wrap>
          <span>{itx('applicant')}</span>
          <Select
            showSearch
            filterOption={false}
            style={{ width: 360 }}
            placeholder={itx('applicant.placeholder')}
            aria-label={itx('applicant')}
            value={applicant ?? undefined}
            onSearch={(q) => void search(q)}
            onChange={(v: string) => setApplicant(v)}
            options={applicants.map((a) => ({ value: a.id, label: `${a.name}（${a.id_number_masked}）` }))}
            data-testid="intake-applicant"
          />
        </Space>
        <Space.Compact style={{ width: '100%' }}>
          <Button icon={<FolderOpenOutlined />} onClick={() => void pick(false)} data-testid="intake-pick-sheet">
            {itx('sheet.pick')}
          </Button>
          <Input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder={itx('sheet.placeholder')}
            aria-label={itx('sheet')}
            data-testid="intake-sheet"
          />
        </Space.Compact>
        <Space.Compact style={{ width: '100%' }}>
          <Button icon={<FolderOpenOutlined />} onClick={() => void pick(true)} data-testid="intake-pick-folder">
            {itx('folder.pick')}
          </Button>
          <Input
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
            placeholder={itx('folder.placeholder')}
            aria-label={itx('folder')}
            data-testid="intake-folder"
          />
        </Space.Compact>
        <Space>
          <Button onClick={() => void run(true)} loading={busy === 'preview'} data-testid="intake-preview">
            {itx('preview')}
          </Button>
          <Button
            type="primary"
            disabled={!canImport}
            loading={busy === 'import'}
            onClick={() => void run(false)}
            data-testid="intake-import"
          >
            {itx('import', { count: view?.dry_run ? view.good : 0 })}
          </Button>
        </Space>
      </Space>
      {busy === 'import' && (
        <div className="intake-progress" data-testid="intake-progress">
          <Progress
            percent={progress && progress.total > 0 ? Math.floor((progress.done * 100) / progress.total) : 0}
            status="active"
            size="small"
          />
          <Typography.Text type="secondary" data-testid="intake-progress-text">
            {cancelling ? itx('cancelling') : itx('progress', { done: progress?.done ?? 0, total: progress?.total ?? view?.good ?? 0 })}
          </Typography.Text>
          <Button size="small" onClick={() => void cancel()} disabled={cancelling} data-testid="intake-cancel">
            {itx('cancel')}
          </Button>
        </div>
      )}
      {notice && <Alert className="form-alert" type="success" showIcon message={notice} data-testid="intake-notice" />}
      {error && <Alert className="form-alert" type="error" showIcon message={error.message || itx('failed')} data-testid="intake-error" />}
      {view && view.sheet_problems.length > 0 && (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          data-testid="intake-sheet-problems"
          message={itx('sheetProblems')}
          description={
            <ul>
              {view.sheet_problems.map((p, i) => (
                <li key={i}>{problemText(p)}</li>
              ))}
            </ul>
          }
        />
      )}
      {view && view.sheet_problems.length === 0 && (
        <>
          <Alert
            className="form-alert"
            type={view.dry_run ? (bad > 0 ? 'warning' : 'info') : view.cancelled ? 'warning' : 'success'}
            showIcon
            data-testid="intake-summary"
            message={
              view.dry_run
                ? itx('summary.preview', { file: view.file_name, rows: view.rows.length, good: view.good, bad })
                : view.cancelled
                  ? itx('summary.cancelled', { created: view.created })
                  : itx('summary.done', { applicant: view.applicant_name, created: view.created, bad })
            }
          />
          {made.length > 0 && submits === null && (
            <Button onClick={() => void submitAll()} loading={busy === 'import'} data-testid="intake-submit-all">
              {itx('submit', { count: made.length })}
            </Button>
          )}
          {submits && (
            <Alert
              className="form-alert"
              type={submits.every((x) => x.submitted) ? 'success' : 'warning'}
              showIcon
              data-testid="intake-submit-summary"
              message={itx('submit.summary', {
                done: submits.filter((x) => x.submitted).length,
                bad: submits.filter((x) => !x.submitted).length,
              })}
            />
          )}
          {submits && submits.some((x) => x.submitted) && (
            <BatchSigning caseIds={submits.filter((x) => x.submitted).map((x) => x.case_id)} onChanged={onChanged} />
          )}
          <Table<IntakeRowView>
            size="small"
            rowKey="line"
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            dataSource={view.rows}
            data-testid="intake-rows"
            rowClassName={(r) => (r.problems.length > 0 ? 'intake-row-bad' : '')}
            columns={[
              { title: itx('col.line'), dataIndex: 'line', width: 64 },
              { title: itx('col.title'), dataIndex: 'title', width: 180 },
              { title: itx('col.category'), dataIndex: 'category_label', width: 90 },
              { title: itx('col.owners'), width: 140, render: (_, r) => r.owners.join('、') },
              { title: itx('col.files'), width: 220, render: (_, r) => r.files.join('；') },
              {
                title: itx('col.result'),
                render: (_, r) => <RowResult row={r} submit={submits?.find((x) => x.case_id === r.case_id)} />,
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
