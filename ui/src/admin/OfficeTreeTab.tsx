// 机构树: this office and its subordinate offices with their cases by stage and
// overdue; a supervisor picks an office to list its cases. An admin adds
// subordinate offices (their cases arrive by sync).
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ApiError, OfficeNode, Queue, SubordinateOfficeInput } from '../api/bindings';
import { call } from '../api/client';
import { t } from '../i18n';
import { formKeys } from '../shared/keyboard';
import { QueueTable } from '../shared/QueueTable';

const QUEUES: ReadonlyArray<Queue> = [
  'drafts',
  'awaiting_signature',
  'awaiting_payment',
  'awaiting_payment_check',
  'first_review',
  'final_review',
  'registered',
  'other',
];

export function OfficeTreeTab({ canAdd }: { canAdd: boolean }) {
  const [nodes, setNodes] = useState<OfficeNode[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [office, setOffice] = useState<string | null>(null);
  const [queue, setQueue] = useState<Queue>('first_review');

  const load = useCallback(() => {
    call<OfficeNode[]>('office_tree').then(setNodes, (e: ApiError) => setError(e.message));
  }, []);
  useEffect(load, [load]);

  const selected = nodes.find((n) => n.code === office);
  return (
    <div data-testid="office-tree">
      <Typography.Paragraph type="secondary">{t('offices.hint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} className="form-alert" />}
      <Table<OfficeNode>
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={nodes}
        onRow={(n) => ({ onClick: () => setOffice(n.code), className: 'queue-row-open' })}
        rowClassName={(n) => (n.code === office ? 'ant-table-row-selected' : '')}
        columns={[
          {
            title: t('offices.col.office'),
            key: 'office',
            render: (_v, n) => (
              <span style={{ paddingLeft: n.depth * 20 }} data-testid={`office-${n.code}`}>
                {n.name} <Typography.Text type="secondary">{n.code}</Typography.Text> {n.own && <Tag>{t('offices.own')}</Tag>}
              </span>
            ),
          },
          { title: t('offices.col.counter'), key: 'counter', width: 80, align: 'right', render: (_v, n) => n.counts.counter },
          { title: t('offices.col.payment'), key: 'payment', width: 80, align: 'right', render: (_v, n) => n.counts.payment },
          { title: t('offices.col.review'), key: 'review', width: 80, align: 'right', render: (_v, n) => n.counts.review },
          { title: t('offices.col.registered'), key: 'registered', width: 80, align: 'right', render: (_v, n) => n.counts.registered },
          { title: t('offices.col.other'), key: 'other', width: 80, align: 'right', render: (_v, n) => n.counts.other },
          {
            title: t('offices.col.overdue'),
            key: 'overdue',
            width: 80,
            align: 'right',
            render: (_v, n) => (n.counts.overdue > 0 ? <Tag color="red">{n.counts.overdue}</Tag> : 0),
          },
        ]}
      />
      {canAdd && <AddOffice nodes={nodes} onAdded={setNodes} />}
      {selected && (
        <div className="office-cases" data-testid="office-cases">
          <Space className="office-cases-head">
            <Typography.Text strong>{t('offices.casesOf', { name: selected.name })}</Typography.Text>
            <Select<Queue>
              value={queue}
              onChange={setQueue}
              options={QUEUES.map((q) => ({ value: q, label: t(`offices.queue.${q}` as const) }))}
              style={{ width: 180 }}
              data-testid="office-queue"
            />
          </Space>
          <QueueTable key={`${selected.code}-${queue}`} queue={queue} label={t(`offices.queue.${queue}` as const)} office={selected.code} />
        </div>
      )}
    </div>
  );
}

type AddValues = SubordinateOfficeInput;

function AddOffice({ nodes, onAdded }: { nodes: OfficeNode[]; onAdded: (n: OfficeNode[]) => void }) {
  const [form] = Form.useForm<AddValues>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = form.getFieldsValue(true) as Partial<AddValues>;
    setBusy(true);
    setFailure(null);
    try {
      const input: SubordinateOfficeInput = { code: v.code ?? '', name: v.name ?? '', parent_code: v.parent_code ?? '' };
      onAdded(await call<OfficeNode[]>('add_subordinate_office', { input }));
      form.resetFields();
    } catch (e) {
      const err = e as ApiError;
      const known: ReadonlyArray<keyof AddValues> = ['code', 'name', 'parent_code'];
      form.setFields(
        err.fields
          .filter((f) => (known as ReadonlyArray<string>).includes(f.field))
          .map((f) => ({ name: f.field as keyof AddValues, errors: [f.message] })),
      );
      setFailure(err.fields.length > 0 ? null : err.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="office-add" onKeyDownCapture={formKeys(() => void submit())}>
      <Typography.Title level={5}>{t('offices.add')}</Typography.Title>
      <Form<AddValues> form={form} name="office" layout="inline">
        <Form.Item name="code" label={t('offices.code')}>
          <Input autoComplete="off" style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="name" label={t('offices.name')}>
          <Input autoComplete="off" style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="parent_code" label={t('offices.parent')}>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 220 }}
            options={nodes.map((n) => ({ value: n.code, label: `${n.name}（${n.code}）` }))}
          />
        </Form.Item>
        <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="office-add">
          {t('offices.addButton')}
        </Button>
      </Form>
      {failure && <Alert type="error" showIcon message={failure} className="form-alert" />}
    </div>
  );
}
