// 待缴费: the cases awaiting payment or its check, with what they owe and what is
// recorded; tick cases and 登记转账 or 登记在线支付 for them (the same form: one
// finance person records, another confirms on 待核款).
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Empty, Input, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import type { ApiError, PaymentCaseRow, PaymentMethod } from '../api/bindings';
import { fmtDateTime } from '../shared/format';
import { paymentsApi } from './api';
import { ErrorAlert, StateTag, takesMethod } from './common';
import { fmtYuan } from './money';
import { TransferForm } from './TransferForm';
import { pt } from './texts';
import { useLookupSearch } from '../shared/useLookupSearch';

/** The most cases the core lists at once (`PAYMENT_CASES_SHOWN` in the store's payments/method.rs). */
const SHOWN = 200;

export function CasesTab({ reloadKey, onChanged, lookup }: { reloadKey: number; onChanged: () => void; lookup?: string }) {
  const { message } = AntApp.useApp();
  const { typed, setTyped, search, setSearch } = useLookupSearch(lookup);
  const [rows, setRows] = useState<PaymentCaseRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  /** the method of the payment being recorded (the form is open) */
  const [formMethod, setFormMethod] = useState<PaymentMethod | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const found = await paymentsApi.paymentCases(search.trim() || null);
      setRows(found);
      setSelected((sel) => sel.filter((id) => found.some((r) => r.case_id === id && (r.takes_transfer || r.takes_online_payment))));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setLoading(false);
    }
  }, [search]);

  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  const columns: ColumnsType<PaymentCaseRow> = [
    // At 1280 px the columns do not all fit: the table scrolls sideways with
    // the serial kept in view, and the title never shrinks out of sight.
    { title: pt('col.serial'), dataIndex: 'serial', key: 'serial', fixed: 'left', onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    { title: pt('col.title'), dataIndex: 'title', key: 'title', width: 180, ellipsis: true },
    { title: pt('col.applicant'), dataIndex: 'applicant_name', key: 'applicant', width: 150, ellipsis: true },
    { title: pt('col.state'), key: 'state', width: 100, render: (_v, r) => <StateTag state={r.state} label={r.state_label} /> },
    { title: pt('col.owed'), key: 'owed', width: 110, align: 'right', render: (_v, r) => fmtYuan(r.owed_fen) },
    { title: pt('col.covered'), key: 'covered', width: 110, align: 'right', render: (_v, r) => fmtYuan(r.covered_fen) },
    {
      title: pt('col.short'),
      key: 'short',
      width: 110,
      align: 'right',
      render: (_v, r) => (r.short_fen > 0 ? <Typography.Text type="warning">{fmtYuan(r.short_fen)}</Typography.Text> : fmtYuan(0)),
    },
    { title: pt('col.method'), key: 'method', width: 120, render: (_v, r) => r.method_label ?? pt('method.none') },
    {
      title: pt('col.balance'),
      key: 'balance',
      width: 110,
      align: 'right',
      render: (_v, r) => (r.applicant_balance_fen > 0 ? fmtYuan(r.applicant_balance_fen) : ''),
    },
    { title: pt('col.since'), key: 'since', width: 150, render: (_v, r) => fmtDateTime(r.awaiting_since) },
  ];

  const chosen = rows.filter((r) => selected.includes(r.case_id));
  return (
    <div data-testid="pay-cases">
      <div className="pay-toolbar">
        <Input.Search
          className="pay-search"
          allowClear
          placeholder={pt('cases.search')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(v) => setSearch(v)}
          data-testid="pay-search"
          aria-label={pt('cases.search')}
        />
        <Typography.Text type="secondary" className="pay-hint">
          {chosen.length > 0 ? pt('cases.selected', { count: chosen.length }) : pt('cases.hint')}
        </Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormMethod('bank_transfer')} data-testid="transfer-new">
          {pt('cases.newTransfer')}
        </Button>
        <Button icon={<PlusOutlined />} onClick={() => setFormMethod('online')} data-testid="online-new">
          {pt('cases.newOnline')}
        </Button>
      </div>
      {error && <ErrorAlert err={error} testId="cases-error" fallback={pt('common.loadFailed')} />}
      {rows.length >= SHOWN && (
        <Typography.Paragraph type="secondary" data-testid="pay-cases-shown-only">
          {pt('cases.shownOnly', { count: SHOWN })}
        </Typography.Paragraph>
      )}
      <Table<PaymentCaseRow>
        size="small"
        rowKey="case_id"
        columns={columns}
        dataSource={rows}
        loading={loading}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        rowSelection={{
          fixed: true,
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as string[]),
          // The core says which cases take a payment (待缴费, any method or the one chosen).
          getCheckboxProps: (r) => ({ disabled: !r.takes_transfer && !r.takes_online_payment }),
        }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={pt('cases.empty')} /> }}
      />
      <TransferForm
        open={formMethod !== null}
        method={formMethod ?? 'bank_transfer'}
        cases={chosen.filter((r) => takesMethod(r, formMethod ?? 'bank_transfer'))}
        onClose={() => setFormMethod(null)}
        onDone={() => {
          setFormMethod(null);
          setSelected([]);
          void message.success(pt('transfer.done'));
          onChanged(); // the desk reloads its tabs (reloadKey) and its badges
        }}
      />
    </div>
  );
}
