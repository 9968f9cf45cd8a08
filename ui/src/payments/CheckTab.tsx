// 待核款 (审核): another payments officer confirms or rejects each recorded transfer
// (maker-checker: whoever recorded it cannot confirm it). The filter shows the history.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Empty, Popconfirm, Select, Space, Spin, Tooltip } from 'antd';
import type { ButtonProps } from 'antd';
import type { ApiError, TransferCommand, TransferState, TransferView } from '../api/bindings';
import { paymentsApi } from './api';
import { ErrorAlert } from './common';
import { fmtYuan } from './money';
import { RejectModal } from './RejectModal';
import { TransferCard } from './TransferCard';
import { pt } from './texts';

type Filter = TransferState | 'all';

/** What a confirmation did: the cases that moved to 待初审 (and those that did not). */
function confirmSummary(t: TransferView): string {
  const moved = t.allocations.filter((a) => a.case_state === 'awaiting_first_review').map((a) => a.serial);
  const waiting = t.allocations.filter((a) => a.case_state !== 'awaiting_first_review').map((a) => `${a.serial}（${a.case_state_label}）`);
  const parts = [pt('check.confirmed', { amount: fmtYuan(t.amount_fen), payer: t.payer })];
  parts.push(moved.length > 0 ? pt('check.moved', { serials: moved.join('、') }) : pt('check.movedNone'));
  if (waiting.length > 0) parts.push(pt('check.notMoved', { serials: waiting.join('、') }));
  return parts.join(' ');
}

export function CheckTab({ reloadKey, onChanged }: { reloadKey: number; onChanged: () => void }) {
  const [filter, setFilter] = useState<Filter>('recorded');
  const [rows, setRows] = useState<TransferView[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<{ type: 'success' | 'info'; text: string } | null>(null);
  const [rejecting, setRejecting] = useState<TransferView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setLoadError(null);
    try {
      setRows(await paymentsApi.transfers(filter === 'all' ? null : filter));
    } catch (e) {
      setLoadError(e as ApiError);
      setRows((r) => r ?? []);
    } finally {
      setLoading(false);
    }
  }, [filter]);

  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  const check = async (t: TransferView, command: TransferCommand): Promise<ApiError | null> => {
    setBusy(t.id);
    setError(null);
    setResult(null);
    try {
      const done = await paymentsApi.checkTransfer({ id: t.id, version: t.version, command });
      setResult(
        command.command === 'confirm'
          ? { type: 'success', text: confirmSummary(done) }
          : { type: 'info', text: pt('check.rejected', { amount: fmtYuan(done.amount_fen), payer: done.payer }) },
      );
      onChanged();
      return null;
    } catch (e) {
      const err = e as ApiError;
      if (command.command === 'confirm') setError(err);
      if (err.kind === 'conflict') void load();
      return err;
    } finally {
      setBusy(null);
    }
  };

  const actions = (t: TransferView, i: number) =>
    t.state !== 'recorded' ? undefined : (
      <Space>
        {t.may_confirm ? (
          <Popconfirm
            title={pt('check.confirmTitle', { amount: fmtYuan(t.amount_fen), payer: t.payer })}
            description={pt('check.confirmHint')}
            okText={pt('check.confirm')}
            cancelText={pt('btn.cancel')}
            okButtonProps={{ 'data-testid': 'confirm-ok' } as ButtonProps}
            onConfirm={() => void check(t, { command: 'confirm' })}
          >
            <Button type="primary" size="small" loading={busy === t.id} data-testid={`confirm-${i}`}>
              {pt('check.confirm')}
            </Button>
          </Popconfirm>
        ) : (
          <Tooltip title={pt('check.makerCannot')}>
            {/* a disabled button has no mouse events: the span carries the tooltip */}
            <span className="pay-disabled-wrap" data-testid={`confirm-why-${i}`}>
              <Button type="primary" size="small" disabled data-testid={`confirm-${i}`}>
                {pt('check.confirm')}
              </Button>
            </span>
          </Tooltip>
        )}
        <Button danger size="small" onClick={() => setRejecting(t)} disabled={busy === t.id} data-testid={`reject-${i}`}>
          {pt('check.reject')}
        </Button>
      </Space>
    );

  return (
    <div data-testid="pay-check">
      <div className="pay-toolbar">
        <Select<Filter>
          value={filter}
          onChange={(v) => {
            setRows(null);
            setFilter(v);
          }}
          className="pay-filter"
          data-testid="check-filter"
          aria-label={pt('check.filter')}
          options={[
            { value: 'recorded', label: pt('transferState.recorded') },
            { value: 'confirmed', label: pt('transferState.confirmed') },
            { value: 'rejected', label: pt('transferState.rejected') },
            { value: 'all', label: pt('transferState.all') },
          ]}
        />
        <Button onClick={() => void load()} loading={loading}>
          {pt('btn.refresh')}
        </Button>
      </div>
      {result && <Alert className="form-alert" type={result.type} showIcon closable message={result.text} data-testid="check-result" />}
      {error && <ErrorAlert err={error} testId="check-error" />}
      {loadError && <ErrorAlert err={loadError} testId="check-load-error" fallback={pt('common.loadFailed')} />}
      {rows === null ? (
        <Spin />
      ) : rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filter === 'recorded' ? pt('check.empty') : pt('check.emptyHistory')} />
      ) : (
        <Space direction="vertical" className="pay-transfers" size={12}>
          {rows.map((t, i) => (
            <TransferCard key={t.id} t={t} index={i} actions={actions(t, i)} />
          ))}
        </Space>
      )}
      <RejectModal
        transfer={rejecting}
        onClose={() => setRejecting(null)}
        onReject={async (reason) => {
          const t = rejecting;
          if (!t) return null;
          const err = await check(t, { command: 'reject', reason });
          if (!err) setRejecting(null);
          return err;
        }}
      />
    </div>
  );
}
