// 收费日报: per day and channel, what arrived, was confirmed, waits, was rejected or
// refunded; totals below; export as PDF or Excel (opened in the system program).
import { useEffect, useState } from 'react';
import { Button, Form, Input, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FileExcelOutlined, FilePdfOutlined, SearchOutlined } from '@ant-design/icons';
import type { ApiError, DayReportInput, DayReportLine, DayReportView, ExportKind } from '../api/bindings';
import { formKeys } from '../shared/keyboard';
import { paymentsApi } from './api';
import { clearChanged, ErrorAlert, putFieldErrors, useExport } from './common';
import { fmtYuan, liveRule, parseDay } from './money';
import { officeToday } from '../shared/officeTime';
import { pt } from './texts';

type Values = { from: string; to: string };

const sum = (fen: number, count: number) => (count > 0 ? pt('report.sum', { amount: fmtYuan(fen), count }) : '—');

export function ReportTab({ reloadKey }: { reloadKey: number }) {
  const [form] = Form.useForm<Values>();
  const [view, setView] = useState<DayReportView | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<{ err: ApiError; rest: ApiError['fields'] } | null>(null);
  const exporter = useExport();

  /** The period typed, or null after putting the messages under the fields. */
  const period = (): DayReportInput | null => {
    const v = form.getFieldsValue(true) as Values;
    const from = parseDay(v.from);
    const to = parseDay(v.to);
    if (!from.ok || !to.ok) {
      form.setFields([
        ...(from.ok ? [] : [{ name: 'from' as const, errors: [from.error] }]),
        ...(to.ok ? [] : [{ name: 'to' as const, errors: [to.error] }]),
      ]);
      return null;
    }
    return { from: from.value, to: to.value };
  };

  const query = async () => {
    const p = period();
    if (!p) return;
    setLoading(true);
    setFailure(null);
    try {
      setView(await paymentsApi.dayReport(p));
    } catch (e) {
      const err = e as ApiError;
      setFailure({ err, rest: putFieldErrors(form, err, (f) => (f === 'from' || f === 'to' ? f : null)) });
    } finally {
      setLoading(false);
    }
  };

  const exportAs = (kind: ExportKind) => {
    const p = period();
    if (p) void exporter.run({ kind, report: p });
  };

  useEffect(() => {
    void query();
    // the report of the period on screen follows the desk's changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reloadKey]);

  const columns: ColumnsType<DayReportLine> = [
    { title: pt('report.day'), key: 'day', width: 110, render: (_v, l) => l.row.day },
    { title: pt('report.method'), dataIndex: 'method_label', key: 'method', width: 130 },
    { title: pt('report.receivedCount'), key: 'rc', width: 90, align: 'right', render: (_v, l) => l.row.received_count },
    { title: pt('report.receivedAmount'), key: 'ra', width: 120, align: 'right', render: (_v, l) => fmtYuan(l.row.received_fen) },
    { title: pt('report.confirmed'), key: 'confirmed', align: 'right', render: (_v, l) => sum(l.row.confirmed_fen, l.row.confirmed_count) },
    { title: pt('report.pending'), key: 'pending', align: 'right', render: (_v, l) => sum(l.row.pending_fen, l.row.pending_count) },
    { title: pt('report.rejected'), key: 'rejected', align: 'right', render: (_v, l) => sum(l.row.rejected_fen, l.row.rejected_count) },
    { title: pt('report.refunded'), key: 'refunded', align: 'right', render: (_v, l) => sum(l.row.refunded_fen, l.row.refunded_count) },
  ];

  const t = view?.totals;
  return (
    <div data-testid="pay-report">
      <div onKeyDownCapture={formKeys(() => void query(), { ctrlS: false })}>
        <Form<Values>
          form={form}
          name="report"
          layout="inline"
          className="pay-report-form"
          initialValues={{ from: officeToday(), to: officeToday() }}
          onValuesChange={(changed: Partial<Values>) => clearChanged(form, changed)}
        >
          <Form.Item name="from" label={pt('report.from')} rules={[liveRule(parseDay)]}>
            <Input autoComplete="off" placeholder={pt('date.placeholder')} data-testid="report-from" />
          </Form.Item>
          <Form.Item name="to" label={pt('report.to')} rules={[liveRule(parseDay)]}>
            <Input autoComplete="off" placeholder={pt('date.placeholder')} data-testid="report-to" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" icon={<SearchOutlined />} loading={loading} onClick={() => void query()} data-testid="report-query">
              {pt('report.query')}
            </Button>
          </Form.Item>
          <Form.Item>
            <Button icon={<FilePdfOutlined />} loading={exporter.busy} onClick={() => exportAs('day_report_pdf')} data-testid="report-pdf">
              {pt('report.pdf')}
            </Button>
          </Form.Item>
          <Form.Item>
            <Button
              icon={<FileExcelOutlined />}
              loading={exporter.busy}
              onClick={() => exportAs('day_report_xlsx')}
              data-testid="report-xlsx"
            >
              {pt('report.xlsx')}
            </Button>
          </Form.Item>
        </Form>
      </div>
      {exporter.view}
      {failure && <ErrorAlert err={failure.err} rest={failure.rest} testId="report-error" />}
      {view && (
        <Typography.Paragraph type="secondary" data-testid="report-period">
          {pt('report.period', { from: view.from, to: view.to })}
        </Typography.Paragraph>
      )}
      <Table<DayReportLine>
        size="small"
        rowKey={(l) => `${l.row.day}-${l.row.method}`}
        columns={columns}
        dataSource={view?.lines ?? []}
        loading={loading}
        pagination={false}
        data-testid="report-table"
        locale={{ emptyText: pt('report.empty') }}
        summary={() =>
          t ? (
            <Table.Summary.Row className="pay-report-totals" data-testid="report-totals">
              <Table.Summary.Cell index={0} colSpan={2}>
                <strong>{pt('report.totals')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {t.received_count}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                {fmtYuan(t.received_fen)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                {sum(t.confirmed_fen, t.confirmed_count)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                {sum(t.pending_fen, t.pending_count)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                {sum(t.rejected_fen, t.rejected_count)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={7} align="right">
                {sum(t.refunded_fen, t.refunded_count)}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : undefined
        }
      />
      {view?.audit_head && (
        <Typography.Text type="secondary" data-testid="report-audit-head">
          {pt('report.auditHead', { seq: view.audit_head.seq, hash: view.audit_head.hash_prefix })}
        </Typography.Text>
      )}
    </div>
  );
}
