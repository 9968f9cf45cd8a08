// 登记号核对 (管理 → 同步, an enrolled station): the numbers audit of the
// office's record, asked of the server — per prefix/year/letter, issued =
// used + voided + returned + outstanding, the numbers of unknown fate, and
// the numbers each station holds unused (this station's marked). The core
// reads it and says whether each series balances; this screen draws it.
import { useState } from 'react';
import { Alert, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import type { ApiError, LeaseHoldingView, NumberSeriesView, NumbersAuditView } from '../api/bindings';
import { syncApi } from './api';
import { st } from './texts';

export function NumbersAudit() {
  const [audit, setAudit] = useState<NumbersAuditView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setBusy(true);
    setError(null);
    try {
      setAudit(await syncApi.numbersAudit());
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      className="sync-numbers"
      title={st('numbers.title')}
      data-testid="numbers-audit"
      extra={
        <Button size="small" icon={<AuditOutlined />} loading={busy} onClick={() => void load()} data-testid="numbers-audit-load">
          {audit ? st('numbers.reload') : st('numbers.load')}
        </Button>
      }
    >
      {!audit && !error && <Typography.Text type="secondary">{st('numbers.intro')}</Typography.Text>}
      {error && <Alert type="error" showIcon message={st('numbers.failed')} description={error.message} data-testid="numbers-audit-error" />}
      {audit && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert
            type={audit.balanced ? 'success' : 'error'}
            showIcon
            message={audit.balanced ? st('numbers.balanced') : st('numbers.unbalanced')}
            data-testid="numbers-audit-verdict"
          />
          <Table<NumberSeriesView>
            size="small"
            pagination={false}
            rowKey="series"
            dataSource={audit.series}
            data-testid="numbers-series"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={st('numbers.none')} /> }}
            columns={[
              { title: st('numbers.col.series'), dataIndex: 'series' },
              { title: st('numbers.col.issued'), dataIndex: 'issued', align: 'right' },
              { title: st('numbers.col.used'), dataIndex: 'used', align: 'right' },
              { title: st('numbers.col.voided'), dataIndex: 'voided', align: 'right' },
              { title: st('numbers.col.returned'), dataIndex: 'returned', align: 'right' },
              { title: st('numbers.col.outstanding'), dataIndex: 'outstanding', align: 'right' },
              {
                title: st('numbers.col.check'),
                key: 'check',
                render: (_: unknown, s: NumberSeriesView) =>
                  s.balanced ? (
                    <Tag color="green">{st('numbers.ok')}</Tag>
                  ) : (
                    <span data-testid="numbers-unknown">
                      <Tag color="red">{st('numbers.unknown', { count: s.unknown.length })}</Tag>
                      {s.unknown.join('、')}
                    </span>
                  ),
              },
            ]}
          />
          <Typography.Title level={5}>{st('numbers.leases')}</Typography.Title>
          <Table<LeaseHoldingView>
            size="small"
            pagination={false}
            rowKey={(l) => `${l.station_name}:${l.series}`}
            dataSource={audit.leases}
            data-testid="numbers-leases"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={st('numbers.noLeases')} /> }}
            columns={[
              {
                title: st('numbers.col.station'),
                key: 'station',
                render: (_: unknown, l: LeaseHoldingView) => (
                  <>
                    {l.station_name}
                    {l.this_station && <Tag style={{ marginLeft: 8 }}>{st('numbers.thisStation')}</Tag>}
                  </>
                ),
              },
              { title: st('numbers.col.series'), dataIndex: 'series' },
              { title: st('numbers.col.unused'), dataIndex: 'unused', align: 'right' },
              { title: st('numbers.col.numbers'), key: 'numbers', render: (_: unknown, l: LeaseHoldingView) => l.numbers.join('、') },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
