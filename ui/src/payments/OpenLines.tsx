// 待人工处理: imported statement lines the matching could not settle. Each is either
// allocated to cases (it becomes a recorded transfer) or dismissed as not a fee.
import { useState } from 'react';
import { App as AntApp, Button, Empty, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { StatementLineView } from '../api/bindings';
import { paymentsApi } from './api';
import { ErrorAlert } from './common';
import { DismissModal } from './DismissModal';
import { ResolveModal } from './ResolveModal';
import { Candidates, DecisionTag, lineColumns } from './StatementLines';
import { pt } from './texts';
import { useLoaded } from '../shared/useLoaded';

export function OpenLines({ reloadKey, onChanged }: { reloadKey: number; onChanged: () => void }) {
  const { message } = AntApp.useApp();
  const { data: lines, loading, error } = useLoaded(paymentsApi.openStatementLines, [] as StatementLineView[], reloadKey);
  const [resolving, setResolving] = useState<StatementLineView | null>(null);
  const [dismissing, setDismissing] = useState<StatementLineView | null>(null);

  const columns: ColumnsType<StatementLineView> = [
    ...lineColumns(),
    {
      title: pt('statement.col.decision'),
      key: 'decision',
      width: 150,
      render: (_v, l) => (
        <>
          <DecisionTag line={l} />
          <Candidates line={l} />
        </>
      ),
    },
    {
      title: pt('col.actions'),
      key: 'actions',
      width: 190,
      fixed: 'right',
      render: (_v, l, i) => (
        <Space size={0}>
          <Button size="small" type="link" onClick={() => setResolving(l)} disabled={l.amount_fen === null} data-testid={`resolve-${i}`}>
            {pt('open.resolve')}
          </Button>
          <Button size="small" type="link" onClick={() => setDismissing(l)} data-testid={`dismiss-${i}`}>
            {pt('open.dismiss')}
          </Button>
        </Space>
      ),
    },
  ];

  const done = (text: string) => {
    void message.success(text);
    onChanged(); // reloads this list through reloadKey
  };

  return (
    <div data-testid="open-lines" className="pay-open-lines">
      <Typography.Title level={5}>
        {pt('open.title')} <Typography.Text type="secondary">{pt('open.count', { count: lines.length })}</Typography.Text>
      </Typography.Title>
      {error && <ErrorAlert err={error} testId="open-lines-error" fallback={pt('common.loadFailed')} />}
      <Table<StatementLineView>
        size="small"
        rowKey={(l) => l.id ?? String(l.line)}
        columns={columns}
        dataSource={lines}
        loading={loading}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1400 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={pt('open.empty')} /> }}
      />
      <ResolveModal
        line={resolving}
        onClose={() => setResolving(null)}
        onDone={() => {
          setResolving(null);
          done(pt('open.resolved'));
        }}
      />
      <DismissModal
        line={dismissing}
        onClose={() => setDismissing(null)}
        onDone={() => {
          setDismissing(null);
          done(pt('open.dismissed'));
        }}
      />
    </div>
  );
}
