// 银行流水: choose a statement file, preview what each line would become (dry run),
// import it for real; below, the lines that wait for a person.
import { useRef, useState } from 'react';
import { Alert, Button, Collapse, Descriptions, Input, Progress, Space, Typography } from 'antd';
import { FolderOpenOutlined } from '@ant-design/icons';
import { listen } from '@tauri-apps/api/event';
import type { ApiError, StatementImportView, StatementProgress } from '../api/bindings';
import { pickPaths } from '../shared/files';
import { paymentsApi } from './api';
import { ErrorAlert } from './common';
import { OpenLines } from './OpenLines';
import { StatementLines } from './StatementLines';
import { pt } from './texts';

function Summary({ view }: { view: StatementImportView }) {
  return (
    <div data-testid="statement-summary" className="pay-statement-summary">
      <Alert
        className="form-alert"
        type={view.dry_run ? 'info' : 'success'}
        showIcon
        message={view.dry_run ? pt('statement.previewed', { file: view.file_name }) : pt('statement.imported', { file: view.file_name })}
        description={
          <Descriptions size="small" column={4}>
            <Descriptions.Item label={pt('statement.format')}>{view.format_label}</Descriptions.Item>
            <Descriptions.Item label={pt('statement.headerLine')}>{view.header_line}</Descriptions.Item>
            <Descriptions.Item label={pt('statement.lines')}>{view.lines.length}</Descriptions.Item>
            <Descriptions.Item label={pt('statement.matched')}>
              <span data-testid="count-matched">{view.matched}</span>
            </Descriptions.Item>
            <Descriptions.Item label={pt('statement.waiting')}>
              <span data-testid="count-waiting">{view.waiting}</span>
            </Descriptions.Item>
            <Descriptions.Item label={pt('statement.ignored')}>
              <span data-testid="count-ignored">{view.ignored}</span>
            </Descriptions.Item>
            <Descriptions.Item label={pt('statement.alreadyImported')}>
              <span data-testid="count-already">{view.already_imported}</span>
            </Descriptions.Item>
          </Descriptions>
        }
      />
      {view.skipped.length > 0 && (
        <Collapse
          size="small"
          data-testid="statement-skipped"
          items={[
            {
              key: 'skipped',
              label: pt('statement.skipped', { count: view.skipped.length }),
              children: (
                <ul className="pay-skipped">
                  {view.skipped.map((s, i) => (
                    <li key={i}>{s}</li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}

/** The core's event with a statement import's progress. */
export const STATEMENT_PROGRESS = 'statement-progress';

export function StatementTab({ reloadKey, onChanged }: { reloadKey: number; onChanged: () => void }) {
  const [path, setPath] = useState('');
  const [view, setView] = useState<StatementImportView | null>(null);
  /** the path the preview on screen was made from (导入 imports exactly that) */
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  /** how far the core's matching has come (long statements), and whether 取消 was asked */
  const [progress, setProgress] = useState<StatementProgress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelled, setCancelled] = useState<string | null>(null);

  /** Follows the core's progress events; a failure to listen only loses the bar. */
  const follow = async (): Promise<() => void> => {
    try {
      return await listen<StatementProgress>(STATEMENT_PROGRESS, (e) => setProgress(e.payload));
    } catch {
      return () => {};
    }
  };

  const cancelRequested = useRef(false);
  const cancel = async () => {
    cancelRequested.current = true;
    setCancelling(true);
    try {
      await paymentsApi.cancelStatementImport();
    } catch (e) {
      setCancelling(false);
      setError(e as ApiError);
    }
  };

  const run = async (p: string, dryRun: boolean) => {
    const file = p.trim();
    if (file === '') {
      setError({ kind: 'validation', message: pt('statement.pathRequired'), fields: [] });
      return;
    }
    setBusy(dryRun ? 'preview' : 'import');
    setError(null);
    setCancelled(null);
    setCancelling(false);
    setProgress(null);
    const unlisten = await follow();
    try {
      const v = await paymentsApi.importStatement({ path: file, dry_run: dryRun });
      setView(v);
      setPreviewed(dryRun ? file : null);
      if (!dryRun) onChanged();
    } catch (e) {
      const err = e as ApiError;
      // After 取消 the core answers that it stopped and recorded nothing: a notice, not a failure.
      if (err.kind === 'refused' && cancelRequested.current) setCancelled(err.message);
      else setError(err);
    } finally {
      unlisten();
      cancelRequested.current = false;
      setBusy(null);
      setProgress(null);
      setCancelling(false);
    }
  };

  const pick = async () => {
    try {
      const [p] = await pickPaths(false);
      if (p) {
        setPath(p);
        await run(p, true);
      }
    } catch (e) {
      setError({ kind: 'storage', message: e instanceof Error ? e.message : String(e), fields: [] });
    }
  };

  const canImport = previewed !== null && previewed === path.trim() && busy === null;
  return (
    <div data-testid="pay-statement">
      <div className="pay-toolbar">
        <Button icon={<FolderOpenOutlined />} onClick={() => void pick()} data-testid="statement-pick">
          {pt('statement.pick')}
        </Button>
        <Space.Compact className="pay-statement-path">
          <Input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            onPressEnter={() => void run(path, true)}
            placeholder={pt('statement.pathPlaceholder')}
            aria-label={pt('statement.pathPlaceholder')}
            data-testid="statement-path"
          />
          <Button onClick={() => void run(path, true)} loading={busy === 'preview'} data-testid="statement-preview">
            {pt('statement.preview')}
          </Button>
        </Space.Compact>
        <Button
          type="primary"
          disabled={!canImport}
          loading={busy === 'import'}
          onClick={() => void run(path, false)}
          data-testid="statement-import"
        >
          {pt('statement.import')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{pt('statement.hint')}</Typography.Paragraph>
      {busy !== null && progress !== null && (
        <div className="pay-statement-progress" data-testid="statement-progress">
          <Progress
            percent={progress.total > 0 ? Math.floor((progress.done * 100) / progress.total) : 0}
            status="active"
            size="small"
            showInfo={false}
          />
          <Typography.Text type="secondary" data-testid="statement-progress-text">
            {cancelling ? pt('statement.cancelling') : pt('statement.progress', { done: progress.done, total: progress.total })}
          </Typography.Text>
          <Button size="small" onClick={() => void cancel()} disabled={cancelling} data-testid="statement-cancel">
            {pt('statement.cancel')}
          </Button>
        </div>
      )}
      {cancelled && <Alert className="form-alert" type="info" showIcon message={cancelled} data-testid="statement-cancelled" />}
      {error && <ErrorAlert err={error} rest={error.fields} testId="statement-error" />}
      {view && (
        <>
          <Summary view={view} />
          <StatementLines lines={view.lines} testId="statement-lines" />
        </>
      )}
      <OpenLines reloadKey={reloadKey} onChanged={onChanged} />
    </div>
  );
}
