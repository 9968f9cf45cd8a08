// 登记簿 (admin): the former platform's registrations imported into the
// read-only historic register (check first, bad rows named and skipped), and
// the registration counters, whose next number an admin may set — the core
// refuses one at or below a number already in the ledger.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Input, InputNumber, Space, Table, Typography } from 'antd';
import { FolderOpenOutlined } from '@ant-design/icons';
import { open } from '@tauri-apps/plugin-dialog';
import type { ApiError, CounterView, RegisterImportView } from '../api/bindings';
import { intakeApi } from './api';
import { itx } from './texts';

const keyOf = (c: { prefix: string; year: number; letter: string }) => `${c.prefix}-${c.year}-${c.letter}`;
const serial = (n: number) => String(n).padStart(8, '0');

function CounterRow({ c, onSet }: { c: CounterView; onSet: (next: number) => Promise<void> }) {
  const [next, setNext] = useState<number | null>(c.next);
  return (
    <Space.Compact>
      <InputNumber
        min={1}
        value={next}
        onChange={(v) => setNext(v)}
        aria-label={itx('reg.col.next')}
        data-testid={`counter-next-${keyOf(c)}`}
      />
      <Button onClick={() => next !== null && void onSet(next)} data-testid={`counter-set-${keyOf(c)}`}>
        {itx('reg.set')}
      </Button>
    </Space.Compact>
  );
}

export function RegisterTab() {
  const [path, setPath] = useState('');
  const [view, setView] = useState<RegisterImportView | null>(null);
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [counters, setCounters] = useState<CounterView[]>([]);
  const [other, setOther] = useState({ prefix: '', year: new Date().getFullYear(), letter: '', next: 1 });

  const reload = useCallback(async () => {
    try {
      setCounters(await intakeApi.counters());
    } catch (e) {
      setError(e as ApiError);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const run = async (dryRun: boolean) => {
    const file = path.trim();
    if (file === '') return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const v = await intakeApi.importRegister({ path: file, dry_run: dryRun });
      setView(v);
      setPreviewed(dryRun ? file : null);
      if (!dryRun) await reload();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const set = async (c: { prefix: string; year: number; letter: string }, next: number) => {
    setError(null);
    setNotice(null);
    try {
      const done = await intakeApi.setCounter({ prefix: c.prefix, year: c.year, letter: c.letter, next });
      setNotice(itx('reg.setDone', { key: keyOf(done), next: serial(done.next) }));
      await reload();
    } catch (e) {
      const err = e as ApiError;
      setError(err.fields.length > 0 ? { ...err, message: err.fields.map((f) => f.message).join('；') } : err);
    }
  };

  const pick = async () => {
    const p = await open({ multiple: false, directory: false });
    if (typeof p === 'string') setPath(p);
  };

  const bad = view ? view.rows - view.imported : 0;
  return (
    <div data-testid="register-tab">
      <Typography.Paragraph type="secondary">{itx('reg.hint')}</Typography.Paragraph>
      <Space.Compact style={{ width: '100%' }}>
        <Button icon={<FolderOpenOutlined />} onClick={() => void pick()} data-testid="register-pick">
          {itx('reg.pick')}
        </Button>
        <Input
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder={itx('reg.path')}
          aria-label={itx('reg.path')}
          data-testid="register-path"
        />
        <Button onClick={() => void run(true)} loading={busy} data-testid="register-preview">
          {itx('reg.preview')}
        </Button>
        <Button
          type="primary"
          disabled={previewed !== path.trim() || !view || view.imported === 0 || busy}
          onClick={() => void run(false)}
          data-testid="register-import"
        >
          {itx('reg.import', { count: view?.dry_run ? view.imported : 0 })}
        </Button>
      </Space.Compact>
      {error && <Alert className="form-alert" type="error" showIcon message={error.message} data-testid="register-error" />}
      {notice && <Alert className="form-alert" type="success" showIcon message={notice} data-testid="register-notice" />}
      {view && (
        <Alert
          className="form-alert"
          type={bad > 0 ? 'warning' : view.dry_run ? 'info' : 'success'}
          showIcon
          data-testid="register-summary"
          message={itx(view.dry_run ? 'reg.previewed' : 'reg.imported', {
            file: view.file_name,
            rows: view.rows,
            count: view.imported,
            bad,
          })}
          description={
            view.problems.length > 0 && (
              <ul data-testid="register-problems">
                {view.problems.map((p, i) => (
                  <li key={i}>{`第 ${p.line} 行“${p.column}”：${p.message}`}</li>
                ))}
              </ul>
            )
          }
        />
      )}
      <Typography.Title level={5}>{itx('reg.counters')}</Typography.Title>
      <Table<CounterView>
        size="small"
        rowKey={keyOf}
        pagination={false}
        dataSource={counters}
        data-testid="counters"
        columns={[
          { title: itx('reg.col.key'), render: (_, c) => <span className="mono">{keyOf(c)}</span> },
          { title: itx('reg.col.known'), render: (_, c) => <span className="mono">{serial(c.highest_known)}</span> },
          {
            title: itx('reg.col.next'),
            render: (_, c) => <CounterRow key={`${keyOf(c)}-${c.next}`} c={c} onSet={(n) => set(c, n)} />,
          },
        ]}
      />
      <Space wrap style={{ marginTop: 8 }}>
        <span>{itx('reg.newCounter')}</span>
        <Input
          style={{ width: 120 }}
          placeholder={itx('reg.prefix')}
          aria-label={itx('reg.prefix')}
          value={other.prefix}
          onChange={(e) => setOther({ ...other, prefix: e.target.value })}
          data-testid="counter-new-prefix"
        />
        <InputNumber
          aria-label={itx('reg.year')}
          value={other.year}
          onChange={(v) => setOther({ ...other, year: v ?? other.year })}
          data-testid="counter-new-year"
        />
        <Input
          style={{ width: 96 }}
          placeholder={itx('reg.letter')}
          aria-label={itx('reg.letter')}
          value={other.letter}
          onChange={(e) => setOther({ ...other, letter: e.target.value })}
          data-testid="counter-new-letter"
        />
        <InputNumber
          min={1}
          aria-label={itx('reg.col.next')}
          value={other.next}
          onChange={(v) => setOther({ ...other, next: v ?? 1 })}
          data-testid="counter-new-next"
        />
        <Button onClick={() => void set(other, other.next)} data-testid="counter-new-set">
          {itx('reg.set')}
        </Button>
      </Space>
    </div>
  );
}
