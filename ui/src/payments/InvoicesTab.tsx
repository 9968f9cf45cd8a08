// 电子发票: paid cases still without an e-invoice; export the list for the invoicing
// system, then mark the ticked cases as issued with the invoice number.
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Empty, Form, Input, Modal, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ExportOutlined } from '@ant-design/icons';
import type { ApiError, InvoiceDueRow } from '../api/bindings';
import { fmtDate } from '../shared/format';
import { formKeys } from '../shared/keyboard';
import { paymentsApi } from './api';
import { ErrorAlert, putFieldErrors, useExport } from './common';
import { fmtYuan } from './money';
import { pt } from './texts';

function MarkModal({ caseIds, onClose, onDone }: { caseIds: string[]; onClose: () => void; onDone: (count: number) => void }) {
  const [form] = Form.useForm<{ invoice_number: string }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ err: ApiError; rest: ApiError['fields'] } | null>(null);

  const submit = async () => {
    if (busy) return;
    const number = ((form.getFieldValue('invoice_number') as string | undefined) ?? '').trim();
    if (number === '') {
      form.setFields([{ name: 'invoice_number', errors: [pt('invoice.numberRequired')] }]);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      onDone(await paymentsApi.markInvoicesIssued({ case_ids: caseIds, invoice_number: number }));
    } catch (e) {
      const err = e as ApiError;
      setFailure({ err, rest: putFieldErrors(form, err, (f) => (f === 'invoice_number' ? 'invoice_number' : null)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={pt('invoice.markTitle', { count: caseIds.length })}
      onCancel={onClose}
      maskClosable={false}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {pt('btn.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void submit()} data-testid="invoice-ok">
          {pt('invoice.mark')}
        </Button>,
      ]}
    >
      <Form form={form} name="invoice" layout="vertical" onKeyDownCapture={formKeys(() => void submit())}>
        <Form.Item name="invoice_number" label={pt('invoice.number')} extra={pt('invoice.numberHint')}>
          <Input
            autoFocus
            autoComplete="off"
            onChange={() => form.setFields([{ name: 'invoice_number', errors: [] }])}
            data-testid="invoice-number"
          />
        </Form.Item>
        {failure && <ErrorAlert err={failure.err} rest={failure.rest} testId="invoice-error" />}
      </Form>
    </Modal>
  );
}

export function InvoicesTab({ reloadKey, onChanged }: { reloadKey: number; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<InvoiceDueRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [marking, setMarking] = useState(false);
  const exporter = useExport();

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const found = await paymentsApi.invoicesDue();
      setRows(found);
      setSelected((sel) => sel.filter((id) => found.some((r) => r.case_id === id)));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, reloadKey]);

  const columns: ColumnsType<InvoiceDueRow> = [
    { title: pt('col.serial'), dataIndex: 'serial', key: 'serial', width: 150 },
    { title: pt('col.title'), dataIndex: 'title', key: 'title', ellipsis: true },
    { title: pt('invoice.payer'), dataIndex: 'payer_name', key: 'payer', width: 160, ellipsis: true },
    { title: pt('invoice.taxId'), dataIndex: 'tax_id', key: 'tax', width: 190, className: 'mono' },
    { title: pt('invoice.amount'), key: 'amount', width: 110, align: 'right', render: (_v, r) => fmtYuan(r.amount_fen) },
    { title: pt('invoice.paidOn'), key: 'paid', width: 110, render: (_v, r) => fmtDate(r.paid_on) },
    { title: pt('invoice.email'), dataIndex: 'email', key: 'email', width: 200, ellipsis: true },
  ];

  return (
    <div data-testid="pay-invoices">
      <div className="pay-toolbar">
        <Button
          icon={<ExportOutlined />}
          loading={exporter.busy}
          onClick={() => void exporter.run({ kind: 'invoice_list_xlsx', report: null })}
          data-testid="invoice-export"
        >
          {pt('invoice.export')}
        </Button>
        <Button type="primary" disabled={selected.length === 0} onClick={() => setMarking(true)} data-testid="invoice-mark">
          {pt('invoice.markButton', { count: selected.length })}
        </Button>
        <Typography.Text type="secondary">{pt('invoice.hint')}</Typography.Text>
      </div>
      {exporter.view}
      {error && <ErrorAlert err={error} testId="invoices-error" fallback={pt('common.loadFailed')} />}
      <Table<InvoiceDueRow>
        size="small"
        rowKey="case_id"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={{ pageSize: 100, hideOnSinglePage: true, showSizeChanger: false }}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={pt('invoice.empty')} /> }}
      />
      {marking && (
        <MarkModal
          caseIds={selected}
          onClose={() => setMarking(false)}
          onDone={(count) => {
            setMarking(false);
            setSelected([]);
            void message.success(pt('invoice.done', { count }));
            onChanged();
          }}
        />
      )}
    </div>
  );
}
