// 分配到案件: the cases one transfer pays, each with its amount (yuan as typed),
// plus a search by serial (or title, name) to add another case awaiting payment.
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Button, Form, Input, Space, Table, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ApiError, PaymentCaseRow, PaymentMethod, ShareInput } from '../api/bindings';
import { takesMethod } from './common';
import { paymentsApi } from './api';
import { fenToInput, fmtYuan, liveRule, parseYuan } from './money';
import { pt } from './texts';

/** One case of a transfer, as the form holds it. */
export type ShareRow = { case_id: string; serial: string; title: string; short_fen: number | null; amount: string };

export const shareOf = (r: PaymentCaseRow, amountFen?: number): ShareRow => ({
  case_id: r.case_id,
  serial: r.serial,
  title: r.title,
  short_fen: r.short_fen,
  amount: fenToInput(amountFen ?? r.short_fen),
});

/** The live line: 转账金额 ¥X，分配合计 ¥Y (plain sums; the core allocates). */
export function SumsLine({ amountFen }: { amountFen: number | null }) {
  const shares = (Form.useWatch('shares') as ShareRow[] | undefined) ?? [];
  let sum = 0;
  const bad: number[] = [];
  shares.forEach((s, i) => {
    const r = parseYuan(s?.amount);
    if (r.ok) sum += r.value;
    else bad.push(i + 1);
  });
  return (
    <Typography.Paragraph className="pay-sums" data-testid="transfer-sums">
      {pt('shares.sums', { amount: amountFen === null ? '—' : fmtYuan(amountFen), sum: fmtYuan(sum) })}
      {bad.length > 0 && (
        <Typography.Text type="warning" className="pay-sums-bad">
          {pt('shares.badRows', { rows: bad.join('、') })}
        </Typography.Text>
      )}
    </Typography.Paragraph>
  );
}

/** Search payment_cases and add a case awaiting payment that is not in the list yet. */
function CaseSearch({ taken, method, onAdd }: { taken: string[]; method: PaymentMethod; onAdd: (r: PaymentCaseRow) => void }) {
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<PaymentCaseRow[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const search = async () => {
    const query = q.trim();
    if (query === '') return;
    setBusy(true);
    setError(null);
    try {
      const found = (await paymentsApi.paymentCases(query)).filter((r) => takesMethod(r, method));
      setRows(found);
    } catch (e) {
      setError((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  const shown = (rows ?? []).filter((r) => !taken.includes(r.case_id));
  return (
    <div className="pay-case-search" data-own-enter="">
      <Input.Search
        size="small"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={() => void search()}
        loading={busy}
        placeholder={pt('shares.searchPlaceholder')}
        enterButton={pt('shares.search')}
        data-testid="share-search"
        aria-label={pt('shares.searchPlaceholder')}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {rows !== null && shown.length === 0 && !error && (
        <Typography.Text type="secondary" data-testid="share-search-none">
          {pt('shares.searchNone')}
        </Typography.Text>
      )}
      {shown.length > 0 && (
        <ul className="pay-search-results">
          {shown.map((r, i) => (
            <li key={r.case_id}>
              <Button
                size="small"
                type="link"
                icon={<PlusOutlined />}
                onClick={() => {
                  onAdd(r);
                  setRows((rs) => (rs ?? []).filter((x) => x.case_id !== r.case_id));
                }}
                data-testid={`share-add-${i}`}
              >
                {r.serial}
              </Button>
              <span>{r.title}</span> <Typography.Text type="secondary">{r.applicant_name}</Typography.Text>{' '}
              <Typography.Text type="secondary">{pt('shares.short', { amount: fmtYuan(r.short_fen) })}</Typography.Text>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The shares table (Form.List "shares"): serial, title, 尚差 and the amount input per
 * case; a message for `shares` as a whole below it. `amountFor` prefills an added case.
 */
export function SharesEditor({
  form,
  sharesError,
  amountFor,
  extra,
  method = 'bank_transfer',
}: {
  form: FormInstance;
  /** the payment's method: only cases that take it are offered */
  method?: PaymentMethod;
  sharesError?: string | null;
  amountFor?: (r: PaymentCaseRow, current: ShareRow[]) => number;
  extra?: ReactNode;
}) {
  const shares = (Form.useWatch('shares', form) as ShareRow[] | undefined) ?? [];
  return (
    <div className="pay-shares" data-testid="shares">
      <Form.List name="shares">
        {(fields, { add, remove }) => (
          <>
            <Table
              size="small"
              pagination={false}
              rowKey="key"
              dataSource={fields}
              locale={{ emptyText: pt('shares.none') }}
              columns={[
                {
                  title: pt('col.serial'),
                  key: 'serial',
                  width: 150,
                  render: (_v, f) => <span data-testid={`share-serial-${f.name}`}>{shares[f.name]?.serial}</span>,
                },
                { title: pt('col.title'), key: 'title', ellipsis: true, render: (_v, f) => shares[f.name]?.title },
                {
                  title: pt('col.short'),
                  key: 'short',
                  width: 110,
                  render: (_v, f) => {
                    const s = shares[f.name]?.short_fen;
                    return s === null || s === undefined ? '' : fmtYuan(s);
                  },
                },
                {
                  title: pt('shares.amount'),
                  key: 'amount',
                  width: 200,
                  render: (_v, f) => (
                    <Form.Item name={[f.name, 'amount']} rules={[liveRule(parseYuan)]} className="pay-share-amount">
                      <Input prefix="¥" autoComplete="off" inputMode="decimal" data-testid={`share-amount-${f.name}`} />
                    </Form.Item>
                  ),
                },
                {
                  title: '',
                  key: 'remove',
                  width: 50,
                  render: (_v, f) => (
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      onClick={() => remove(f.name)}
                      aria-label={pt('shares.remove')}
                      data-testid={`share-remove-${f.name}`}
                    />
                  ),
                },
              ]}
            />
            {sharesError && (
              <Typography.Text type="danger" data-testid="shares-error">
                {sharesError}
              </Typography.Text>
            )}
            <Space direction="vertical" className="pay-shares-add" size={4}>
              {extra}
              <CaseSearch
                taken={shares.map((s) => s.case_id)}
                method={method}
                onAdd={(r) => add(shareOf(r, amountFor ? amountFor(r, shares) : r.short_fen))}
              />
            </Space>
          </>
        )}
      </Form.List>
    </div>
  );
}

/** The shares as the core's ShareInput[], or the row messages for amounts that are not yuan. */
export function toShares(rows: ShareRow[]): { shares: ShareInput[]; errors: { index: number; error: string }[] } {
  const shares: ShareInput[] = [];
  const errors: { index: number; error: string }[] = [];
  rows.forEach((r, index) => {
    const p = parseYuan(r.amount);
    if (p.ok) shares.push({ case_id: r.case_id, amount_fen: p.value });
    else errors.push({ index, error: p.error });
  });
  return { shares, errors };
}
