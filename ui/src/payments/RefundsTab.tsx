// 退费: cases whose fee is to be paid back (不予登记 and the like).
import { useState } from 'react';
import { App as AntApp, Button, Empty, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { RefundDueRow } from '../api/bindings';
import { paymentsApi } from './api';
import { ErrorAlert } from './common';
import { fmtYuan } from './money';
import { RefundModal } from './RefundModal';
import { pt } from './texts';
import { useLoaded } from '../shared/useLoaded';

export function RefundsTab({ reloadKey, onChanged }: { reloadKey: number; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const { data: rows, loading, error } = useLoaded(paymentsApi.refundsDue, [] as RefundDueRow[], reloadKey);
  const [open, setOpen] = useState<RefundDueRow | null>(null);

  const columns: ColumnsType<RefundDueRow> = [
    { title: pt('col.serial'), dataIndex: 'serial', key: 'serial', width: 150 },
    { title: pt('col.title'), dataIndex: 'title', key: 'title', ellipsis: true },
    { title: pt('col.applicant'), dataIndex: 'applicant_name', key: 'applicant', width: 150, ellipsis: true },
    { title: pt('col.state'), dataIndex: 'state_label', key: 'state', width: 110 },
    { title: pt('col.paidBy'), key: 'paid_by', width: 130, render: (_v, r) => (r.paid_by ? pt(`method.${r.paid_by}`) : '') },
    { title: pt('col.refundOwed'), key: 'owed', width: 110, align: 'right', render: (_v, r) => fmtYuan(r.owed_fen) },
    {
      title: pt('col.actions'),
      key: 'actions',
      width: 100,
      render: (_v, r, i) => (
        <Button size="small" type="link" onClick={() => setOpen(r)} data-testid={`refund-${i}`}>
          {pt('refund.new')}
        </Button>
      ),
    },
  ];

  return (
    <div data-testid="pay-refunds">
      {error && <ErrorAlert err={error} testId="refunds-error" fallback={pt('common.loadFailed')} />}
      <Table<RefundDueRow>
        size="small"
        rowKey="case_id"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={pt('refund.empty')} /> }}
      />
      <RefundModal
        row={open}
        onClose={() => setOpen(null)}
        onDone={() => {
          setOpen(null);
          void message.success(pt('refund.done'));
          onChanged();
        }}
      />
    </div>
  );
}
