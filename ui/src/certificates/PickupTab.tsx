// 自领: find the case (serial, registration number, name, ID number, or the acceptance notice's
// barcode), pick the certificates (an agency many at once), check the collector's ID with the ID
// panel and the documents they bring, record the handover and print the receipt to sign. The
// core refuses a handover before the e-invoice was sent, and says why beside each case.
import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Form, Input, Radio, Result, Select, Space, Table, Tag, Typography } from 'antd';
import type { InputRef } from 'antd';
import type { ApiError, CollectorKind, DocumentType, FieldError, HandoverView, PickupRow } from '../api/bindings';
import { IdCheckPanel } from '../shared/IdCheckPanel';
import { useIdCheck } from '../shared/useIdCheck';
import { DOC_TYPES, docTypeLabel } from '../shared/applicantOptions';
import { FileCacheProvider, FilePicker } from '../shared/files';
import { applyFieldErrors } from '../shared/formErrors';
import { deliveryApi } from './deliveryApi';
import { dt } from './deliveryTexts';

type CollectorForm = {
  collector: CollectorKind;
  name: string;
  id_type: DocumentType;
  id_number: string;
  id_checked: boolean;
  notice_seen: boolean;
  loss_statement_file: string | null;
  power_of_attorney_file: string | null;
};

const FIELDS = ['name', 'id_number', 'id_checked', 'notice_seen', 'loss_statement_file', 'power_of_attorney_file'];

export function PickupTab({ onChanged }: { onChanged?: () => void }) {
  return (
    <FileCacheProvider>
      <Pickup onChanged={onChanged} />
    </FileCacheProvider>
  );
}

function Pickup({ onChanged }: { onChanged?: () => void }) {
  const { message } = AntApp.useApp();
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<PickupRow[] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [rest, setRest] = useState<FieldError[]>([]);
  const [done, setDone] = useState<HandoverView | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<CollectorForm>();
  const searchRef = useRef<InputRef>(null);
  const idType = Form.useWatch('id_type', form);
  const idNumber = Form.useWatch('id_number', form);
  const collector = Form.useWatch('collector', form);
  const noticeSeen = Form.useWatch('notice_seen', form);
  const check = useIdCheck(idType, idNumber);

  useEffect(() => searchRef.current?.focus(), []);

  const find = async (q: string) => {
    const value = q.trim();
    if (value === '') return;
    setError(null);
    try {
      const found = await deliveryApi.pickupFind(value);
      setRows(found);
      setDone(null);
      // A scanned notice names one case: pick it when it can be handed over.
      const ready = found.filter((r) => r.can_hand_over).map((r) => r.case_id);
      setSelected(found.length === 1 ? ready : []);
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  const submit = async (v: CollectorForm) => {
    setBusy(true);
    setRest([]);
    try {
      const h = await deliveryApi.handOver({
        case_ids: selected,
        collector: {
          collector: v.collector,
          name: v.name ?? '',
          id_type: v.id_type,
          id_number: v.id_number ?? '',
          id_checked: v.id_checked ?? false,
          notice_seen: v.notice_seen ?? false,
          loss_statement_file: v.loss_statement_file ?? null,
          power_of_attorney_file: v.collector === 'agent' ? (v.power_of_attorney_file ?? null) : null,
        },
      });
      setDone(h);
      setSelected([]);
      setRows(null);
      form.resetFields();
      onChanged?.();
    } catch (e) {
      const err = e as ApiError;
      const left = applyFieldErrors(form, err, FIELDS);
      setRest(left.length > 0 || err.fields.length === 0 ? [{ field: '', code: err.kind, message: err.message }, ...left] : []);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="delivery-pickup" data-testid="pickup-tab">
      <Input.Search
        ref={searchRef}
        autoFocus
        enterButton={dt('pickup.find')}
        placeholder={dt('pickup.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onSearch={(q) => void find(q)}
        data-testid="pickup-search"
      />
      {error && <Alert type="error" showIcon message={error} />}
      {done && (
        <Result
          status="success"
          title={dt('pickup.done', { number: done.number, name: done.collector_name, n: done.cases.length })}
          extra={
            <Button
              type="primary"
              data-testid="pickup-receipt"
              onClick={() =>
                deliveryApi.printHandoverReceipt(done.number).then(
                  (path) => void message.success(dt('common.opened', { path })),
                  (e: ApiError) => void message.error(e.message),
                )
              }
            >
              {dt('pickup.receipt')}
            </Button>
          }
        />
      )}
      {rows && (
        <Table<PickupRow>
          size="small"
          rowKey="case_id"
          pagination={false}
          dataSource={rows}
          locale={{ emptyText: dt('pickup.none') }}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (keys) => setSelected(keys as string[]),
            getCheckboxProps: (r) => ({ disabled: !r.can_hand_over, 'data-testid': `pickup-pick-${r.serial}` }) as object,
          }}
          columns={[
            { title: dt('col.serial'), dataIndex: 'serial', key: 'serial' },
            { title: dt('col.number'), dataIndex: 'registration_number', key: 'number' },
            { title: dt('col.title'), dataIndex: 'title', key: 'title' },
            { title: dt('col.applicant'), dataIndex: 'applicant_name', key: 'applicant' },
            { title: dt('col.delivery'), dataIndex: 'delivery_label', key: 'delivery' },
            {
              title: dt('col.ready'),
              key: 'ready',
              render: (_: unknown, r: PickupRow) =>
                r.can_hand_over ? (
                  <Tag color="green">{dt('pickup.ready')}</Tag>
                ) : (
                  <Typography.Text type="danger" data-testid={`pickup-blocked-${r.serial}`}>
                    {r.blocked_reason}
                  </Typography.Text>
                ),
            },
            {
              title: '',
              key: 'notice',
              render: (_: unknown, r: PickupRow) => (
                <Button
                  size="small"
                  type="link"
                  onClick={() =>
                    deliveryApi.printAcceptanceNotice(r.serial).then(
                      (path) => void message.success(dt('common.opened', { path })),
                      (e: ApiError) => void message.error(e.message),
                    )
                  }
                >
                  {dt('pickup.notice')}
                </Button>
              ),
            },
          ]}
        />
      )}
      {selected.length > 0 && (
        <Card size="small" title={dt('pickup.selected', { n: selected.length })} className="delivery-handover">
          {rest.map((f, i) => (
            <Alert key={i} type="error" showIcon message={f.message} data-testid="pickup-error" />
          ))}
          <div className="delivery-handover-body">
            <Form<CollectorForm>
              form={form}
              layout="vertical"
              initialValues={{ collector: 'own', id_type: 'resident_id', id_checked: false, notice_seen: false }}
              onFinish={(v) => void submit(v)}
            >
              <Form.Item name="collector" label={dt('pickup.collector')}>
                <Radio.Group data-testid="pickup-collector">
                  <Radio value="own">{dt('pickup.own')}</Radio>
                  <Radio value="agent">
                    <span data-testid="pickup-agent">{dt('pickup.agent')}</span>
                  </Radio>
                </Radio.Group>
              </Form.Item>
              <Space align="start" wrap>
                <Form.Item name="name" label={dt('pickup.name')}>
                  <Input data-testid="pickup-name" />
                </Form.Item>
                <Form.Item name="id_type" label={dt('pickup.idType')}>
                  <Select style={{ width: 200 }} options={DOC_TYPES.map((d) => ({ value: d, label: docTypeLabel(d) }))} />
                </Form.Item>
                <Form.Item name="id_number" label={dt('pickup.idNumber')}>
                  <Input data-testid="pickup-id-number" style={{ width: 240 }} />
                </Form.Item>
              </Space>
              <Form.Item name="id_checked" valuePropName="checked">
                <Checkbox>
                  <span data-testid="pickup-id-checked">{dt('pickup.idChecked')}</span>
                </Checkbox>
              </Form.Item>
              <Form.Item name="notice_seen" valuePropName="checked">
                <Checkbox>
                  <span data-testid="pickup-notice-seen">{dt('pickup.noticeSeen')}</span>
                </Checkbox>
              </Form.Item>
              {!noticeSeen && (
                <Form.Item name="loss_statement_file" label={dt('pickup.loss')}>
                  <FileField purpose="loss_statement" testKey="loss" pick={dt('pickup.pickLoss')} />
                </Form.Item>
              )}
              {collector === 'agent' && (
                <Form.Item name="power_of_attorney_file" label={dt('pickup.poa')}>
                  <FileField purpose="power_of_attorney" testKey="poa" pick={dt('pickup.pickPoa')} />
                </Form.Item>
              )}
              <Button type="primary" htmlType="submit" loading={busy} data-testid="pickup-submit">
                {dt('pickup.submit')}
              </Button>
            </Form>
            <IdCheckPanel check={check} />
          </div>
        </Card>
      )}
    </div>
  );
}

/** One scanned document for a form field: the file picker, then the chosen file's id. */
function FileField({
  id,
  value,
  onChange,
  purpose,
  testKey,
  pick,
}: {
  id?: string;
  value?: string | null;
  onChange?: (v: string | null) => void;
  purpose: 'loss_statement' | 'power_of_attorney';
  testKey: string;
  pick: string;
}) {
  return (
    <Space>
      <FilePicker id={id} purpose={purpose} testKey={testKey} pickLabel={pick} multiple={false} onAdded={(files) => onChange?.(files[0]?.id ?? null)} />
      {value && (
        <Tag color="green" data-testid={`${testKey}-file`}>
          ✓
        </Tag>
      )}
    </Space>
  );
}
