// 查阅记录: who read full ID numbers, addresses or identity scans, when, of which
// case or profile (the core logs every such read; this lists them).
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Empty, Form, Input, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { SearchOutlined } from '@ant-design/icons';
import type { AccessLogEntry, AccessLogInput, ApiError } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { fmtDateTime } from '../shared/format';
import { liveRule, parseDay } from '../payments/money';

export const ACCESS_LOG_LIMIT = 500;

type Values = { staff: string; case: string; from: string; to: string };

const blank = (s: string | undefined) => (s ?? '').trim() === '';

export function AccessLogTab() {
  const [form] = Form.useForm<Values>();
  const [rows, setRows] = useState<AccessLogEntry[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  /** The filters typed, or null after putting a date's message under its field. */
  const filters = (): AccessLogInput | null => {
    const v = form.getFieldsValue(true) as Partial<Values>;
    const day = (name: 'from' | 'to') => {
      if (blank(v[name])) return { ok: true as const, value: null };
      const p = parseDay(v[name]);
      if (!p.ok) form.setFields([{ name, errors: [p.error] }]);
      return p.ok ? { ok: true as const, value: p.value } : { ok: false as const };
    };
    const from = day('from');
    const to = day('to');
    if (!from.ok || !to.ok) return null;
    return {
      staff: blank(v.staff) ? null : (v.staff ?? '').trim(),
      case: blank(v.case) ? null : (v.case ?? '').trim(),
      from: from.value,
      to: to.value,
      limit: ACCESS_LOG_LIMIT,
    };
  };

  const load = useCallback(async (input: AccessLogInput) => {
    setLoading(true);
    setError(null);
    try {
      setRows(await api.accessLog(input));
    } catch (e) {
      const err = e as ApiError;
      setError(err);
      const dates = err.fields.filter((f) => f.field === 'from' || f.field === 'to');
      if (dates.length > 0) form.setFields(dates.map((f) => ({ name: f.field as 'from' | 'to', errors: [f.message] })));
    } finally {
      setLoading(false);
    }
  }, [form]);

  useEffect(() => {
    void load({ staff: null, case: null, from: null, to: null, limit: ACCESS_LOG_LIMIT });
  }, [load]);

  const query = () => {
    const input = filters();
    if (input) void load(input);
  };

  const columns: ColumnsType<AccessLogEntry> = [
    { title: t('access.col.at'), dataIndex: 'at', key: 'at', width: 170, render: (v: string) => fmtDateTime(v) },
    {
      title: t('access.col.staff'),
      key: 'staff',
      width: 160,
      render: (_v, r) => `${r.staff_name ?? '—'}（${r.staff_username ?? '—'}）`,
    },
    { title: t('access.col.what'), dataIndex: 'what_label', key: 'what', width: 170 },
    { title: t('access.col.case'), dataIndex: 'serial', key: 'case', width: 220, className: 'mono', render: (v: string | null) => v ?? '' },
    { title: t('access.col.applicant'), dataIndex: 'applicant_name', key: 'applicant', width: 160, render: (v: string | null) => v ?? '' },
    { title: t('access.col.file'), dataIndex: 'file_name', key: 'file', ellipsis: true, render: (v: string | null) => v ?? '' },
  ];

  return (
    <div data-testid="access-log">
      <Typography.Paragraph type="secondary">{t('access.hint')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        name="access-log"
        layout="inline"
        className="toolbar"
        initialValues={{ staff: '', case: '', from: '', to: '' }}
        onValuesChange={(changed: Partial<Values>) => form.setFields(Object.keys(changed).map((name) => ({ name: name as keyof Values, errors: [] })))}
        onFinish={query}
      >
        <Form.Item name="staff" label={t('access.staff')}>
          <Input autoComplete="off" allowClear data-testid="access-staff" />
        </Form.Item>
        <Form.Item name="case" label={t('access.case')}>
          <Input autoComplete="off" allowClear className="mono" data-testid="access-case" />
        </Form.Item>
        <Form.Item name="from" label={t('access.from')} rules={[liveRule(parseDay, true)]}>
          <Input autoComplete="off" placeholder="2026-11-25" data-testid="access-from" />
        </Form.Item>
        <Form.Item name="to" label={t('access.to')} rules={[liveRule(parseDay, true)]}>
          <Input autoComplete="off" placeholder="2026-11-25" data-testid="access-to" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={loading} data-testid="access-query">
            {t('access.query')}
          </Button>
        </Form.Item>
      </Form>
      {error && <Alert className="form-alert" type="error" showIcon message={error.message} data-testid="access-error" />}
      <Table<AccessLogEntry>
        size="small"
        rowKey="seq"
        columns={columns}
        dataSource={rows}
        loading={loading}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('access.empty')} /> }}
        pagination={{ pageSize: 20, showSizeChanger: false }}
      />
    </div>
  );
}
