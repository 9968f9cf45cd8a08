// One transfer as the checker sees it: who paid what, when, under which reference,
// who recorded it, and how it is split over the cases.
import type { ReactNode } from 'react';
import { App as AntApp, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { FileDoneOutlined } from '@ant-design/icons';
import type { AllocationView, ApiError, TransferState, TransferView } from '../api/bindings';
import { paymentsApi } from './api';
import { fmtDateTime } from '../shared/format';
import { StateTag } from './common';
import { fmtYuan } from './money';
import { pt } from './texts';

const TRANSFER_COLOR: Record<TransferState, string> = { recorded: 'blue', confirmed: 'green', rejected: 'red' };

/** 受理通知书 of an accepted case: shown where the core says the case was accepted. */
function NoticeButton({ a }: { a: AllocationView }) {
  const { message } = AntApp.useApp();
  if (!a.has_acceptance_notice) return null;
  const print = async () => {
    try {
      void message.success(pt('notice.printed', { path: await paymentsApi.printAcceptanceNotice(a.serial) }));
    } catch (e) {
      void message.error(pt('notice.failed', { message: (e as ApiError).message }));
    }
  };
  return (
    <Button size="small" icon={<FileDoneOutlined />} onClick={() => void print()} data-testid={`acceptance-notice-${a.serial}`}>
      {pt('notice.print')}
    </Button>
  );
}

export function TransferCard({ t, index, actions }: { t: TransferView; index: number; actions?: ReactNode }) {
  return (
    <Card
      size="small"
      className="pay-transfer"
      data-testid={`transfer-${index}`}
      title={
        <Space wrap>
          <Tag color={TRANSFER_COLOR[t.state]}>{t.state_label}</Tag>
          <span className="pay-transfer-payer">{t.payer}</span>
          <span className="pay-transfer-amount" data-testid={`transfer-amount-${index}`}>
            {fmtYuan(t.amount_fen)}
          </span>
          <Typography.Text type="secondary">{t.method_label}</Typography.Text>
          {t.from_statement && <Tag>{pt('check.fromStatement')}</Tag>}
        </Space>
      }
      extra={actions}
    >
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={pt('check.receivedAt')}>{fmtDateTime(t.received_at)}</Descriptions.Item>
        <Descriptions.Item label={t.method === 'online' ? pt('online.reference') : pt('check.reference')}>
          <span className="mono">{t.reference}</span>
        </Descriptions.Item>
        <Descriptions.Item label={pt('check.account')}>{[t.payer_account, t.payer_bank].filter(Boolean).join(' · ')}</Descriptions.Item>
        {t.purpose && <Descriptions.Item label={pt('check.purpose')}>{t.purpose}</Descriptions.Item>}
        <Descriptions.Item label={pt('check.recorded')}>
          {pt('check.byAt', { name: t.recorded_by_name, time: fmtDateTime(t.recorded_at) })}
        </Descriptions.Item>
        {t.checked_by_name && (
          <Descriptions.Item label={pt('check.checked')}>
            {pt('check.byAt', { name: t.checked_by_name, time: fmtDateTime(t.checked_at) })}
          </Descriptions.Item>
        )}
        {t.over_fen > 0 && (
          <Descriptions.Item label={pt('check.over')}>
            <Typography.Text type="warning" data-testid={`transfer-over-${index}`}>
              {pt('check.overNote', { amount: fmtYuan(t.over_fen) })}
            </Typography.Text>
          </Descriptions.Item>
        )}
        {t.reject_reason && (
          <Descriptions.Item label={pt('check.rejectReason')}>
            <Typography.Text type="danger">{t.reject_reason}</Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Table<AllocationView>
        size="small"
        pagination={false}
        rowKey="case_id"
        dataSource={t.allocations}
        data-testid={`allocations-${index}`}
        columns={[
          { title: pt('col.serial'), dataIndex: 'serial', key: 'serial', width: 150 },
          { title: pt('col.title'), dataIndex: 'title', key: 'title', ellipsis: true },
          { title: pt('col.allocated'), key: 'amount', width: 120, align: 'right', render: (_v, a) => fmtYuan(a.amount_fen) },
          {
            title: pt('col.state'),
            key: 'state',
            width: 110,
            render: (_v, a) => <StateTag state={a.case_state} label={a.case_state_label} />,
          },
          { title: pt('col.notice'), key: 'notice', width: 150, render: (_v, a) => <NoticeButton a={a} /> },
        ]}
      />
    </Card>
  );
}
