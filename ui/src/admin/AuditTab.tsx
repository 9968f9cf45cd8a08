import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Empty, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { ApiError, AuditEntryView, AuditReport } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { fmtDateTime } from '../shared/format';

export const AUDIT_LIMIT = 200;

export function AuditTab() {
  const [rows, setRows] = useState<AuditEntryView[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<AuditReport | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setRows(await api.recentAudit(AUDIT_LIMIT));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const verify = async () => {
    setVerifying(true);
    setError(null);
    try {
      setReport(await api.verifyAudit());
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setVerifying(false);
    }
  };

  const columns: ColumnsType<AuditEntryView> = [
    { title: t('audit.col.seq'), dataIndex: 'seq', key: 'seq', width: 80 },
    { title: t('audit.col.at'), dataIndex: 'at', key: 'at', width: 170, render: (v: string) => fmtDateTime(v) },
    { title: t('audit.col.staff'), dataIndex: 'staff_name', key: 'staff', width: 120, render: (v: string | null) => v ?? t('audit.system') },
    { title: t('audit.col.command'), dataIndex: 'command', key: 'command', width: 180 },
    { title: t('audit.col.entity'), dataIndex: 'entity', key: 'entity', width: 120 },
    { title: t('audit.col.entity_id'), dataIndex: 'entity_id', key: 'entity_id', ellipsis: true },
  ];

  return (
    <div>
      <Space className="toolbar">
        <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verifying} onClick={() => void verify()} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>
          {t('audit.reload')}
        </Button>
      </Space>
      {report && (
        <Alert
          className="form-alert"
          data-testid="audit-result"
          type={report.ok ? 'success' : 'error'}
          showIcon
          message={report.message}
          description={
            <>
              <div>{t('audit.entries', { count: report.entries })}</div>
              <div>{t('audit.rows', { count: report.rows_checked })}</div>
              {report.anchored_seq !== null && <div>{t('audit.anchored', { seq: report.anchored_seq })}</div>}
              {report.server && (
                <div data-testid="audit-server" data-compared={report.server.compared ? 'yes' : 'no'}>
                  <Typography.Text type={report.server.compared ? undefined : 'warning'}>{report.server.message}</Typography.Text>
                </div>
              )}
              {report.first_broken !== null && <div>{t('audit.brokenAt', { seq: report.first_broken })}</div>}
              {report.problems.length > 0 && (
                <ul className="audit-problems" data-testid="audit-problems">
                  {report.problems.map((p, i) => (
                    <li key={i} data-kind={p.kind}>
                      {p.message}
                    </li>
                  ))}
                </ul>
              )}
              {report.problems_total > report.problems.length && (
                <div>{t('audit.moreProblems', { count: report.problems_total - report.problems.length })}</div>
              )}
            </>
          }
        />
      )}
      {error && <Alert className="form-alert" type="error" showIcon message={error.message || t('audit.loadFailed')} />}
      <Table<AuditEntryView>
        size="small"
        rowKey="seq"
        columns={columns}
        dataSource={rows}
        loading={loading}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.empty')} /> }}
        pagination={{ pageSize: 20, showSizeChanger: false }}
      />
    </div>
  );
}
