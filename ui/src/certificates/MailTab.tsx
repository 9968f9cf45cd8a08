// 邮寄 (SF Express 到付): pack registered mail cases into one shipment per recipient and print
// their labels, then scan each label's shipment code and SF's waybill (a scanner types fast and
// ends with Enter) to mark the shipment 已寄出; SF's bulk-order sheet and the day's list.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { InputRef } from 'antd';
import type { ApiError, MailCaseRow, MailDesk, ShipmentView } from '../api/bindings';
import { deliveryApi } from './deliveryApi';
import { dt } from './deliveryTexts';

/** `reloadKey` changes when another tab of the desk changed cases (a batch printed). */
export function MailTab({ onChanged, reloadKey = 0 }: { onChanged?: () => void; reloadKey?: number }) {
  const { message } = AntApp.useApp();
  const [desk, setDesk] = useState<MailDesk | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [current, setCurrent] = useState<ShipmentView | null>(null);
  const [scan, setScan] = useState('');
  const [scanError, setScanError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const scanRef = useRef<InputRef>(null);

  const reload = useCallback(() => {
    deliveryApi.mailDesk().then(
      (d) => {
        setDesk(d);
        setLoadError(null);
        setCurrent((c) => (c ? (d.open.find((s) => s.id === c.id) ?? null) : null));
      },
      (e: ApiError) => setLoadError(e),
    );
  }, []);
  useEffect(reload, [reload, reloadKey]);
  useEffect(() => scanRef.current?.focus(), []);

  const opened = (path: string) => void message.success(dt('common.opened', { path }));
  const failed = (e: ApiError) => void message.error(e.message || dt('common.failed'));

  const prepare = async () => {
    setBusy(true);
    try {
      const made = await deliveryApi.prepareShipments(selected);
      void message.success(dt('mail.prepared', { n: made.length }));
      setSelected([]);
      opened(await deliveryApi.printLabels(made.map((s) => s.id)));
      reload();
      onChanged?.();
    } catch (e) {
      failed(e as ApiError);
      reload();
    } finally {
      setBusy(false);
      scanRef.current?.focus();
    }
  };

  const submitScan = async () => {
    const value = scan.trim();
    if (value === '') return;
    setScanError(null);
    const shipment = desk?.open.find((s) => s.code.toUpperCase() === value.toUpperCase()) ?? null;
    if (shipment) {
      setCurrent(shipment);
      setScan('');
      return;
    }
    if (/^YJ-/i.test(value)) {
      setScanError(`找不到待寄出的邮件 ${value}：可能已寄出，请核对面单`);
      return;
    }
    if (!current) {
      setScanError(dt('mail.noCurrent'));
      return;
    }
    setBusy(true);
    try {
      const done = await deliveryApi.scanWaybill({ shipment: current.id, waybill: value });
      void message.success(dt('mail.shippedOk', { code: done.code, waybill: done.waybill ?? '' }));
      setCurrent(null);
      setScan('');
      reload();
      onChanged?.();
    } catch (e) {
      const err = e as ApiError;
      setScanError(err.fields.find((f) => f.field === 'waybill')?.message ?? err.message);
    } finally {
      setBusy(false);
      scanRef.current?.focus();
    }
  };

  const shipmentColumns = [
    { title: dt('col.code'), dataIndex: 'code', key: 'code' },
    { title: dt('col.recipient'), dataIndex: 'recipient_name', key: 'name' },
    { title: dt('col.phone'), dataIndex: 'recipient_phone', key: 'phone' },
    { title: dt('col.address'), dataIndex: 'postal_address', key: 'address' },
    { title: dt('col.count'), key: 'count', render: (_: unknown, s: ShipmentView) => s.cases.length },
    {
      title: dt('col.number'),
      key: 'numbers',
      render: (_: unknown, s: ShipmentView) => s.cases.map((c) => c.registration_number).join('、'),
    },
  ];

  return (
    <div className="delivery-mail" data-testid="mail-tab">
      {loadError && <Alert type="error" showIcon message={loadError.message || dt('common.loadFailed')} />}
      <Card size="small" title={dt('mail.scan')} className="delivery-scan">
        {/* Enter submits once, through the input (no form submit besides it). */}
        <Form layout="vertical" component="div">
          <Form.Item
            label={current ? dt('mail.current', { code: current.code, name: current.recipient_name, n: current.cases.length }) : dt('mail.scanHelp')}
            validateStatus={scanError ? 'error' : undefined}
            help={scanError ?? undefined}
          >
            <Input
              ref={scanRef}
              autoFocus
              value={scan}
              disabled={busy}
              onChange={(e) => setScan(e.target.value)}
              onPressEnter={() => void submitScan()}
              placeholder="YJ-… / SF…"
              data-testid="mail-scan"
            />
          </Form.Item>
        </Form>
      </Card>

      <Typography.Title level={5}>{dt('mail.waiting')}</Typography.Title>
      <Space className="delivery-actions">
        <Button type="primary" disabled={selected.length === 0 || busy} onClick={() => void prepare()} data-testid="mail-prepare">
          {dt('mail.prepare')}
        </Button>
      </Space>
      <Table<MailCaseRow>
        size="small"
        rowKey="case_id"
        pagination={false}
        dataSource={desk?.waiting ?? []}
        loading={!desk && !loadError}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as string[]),
          getCheckboxProps: (r) => ({ disabled: r.problem !== null, 'data-testid': `mail-pick-${r.serial}` }) as object,
        }}
        columns={[
          { title: dt('col.number'), dataIndex: 'registration_number', key: 'number' },
          { title: dt('col.title'), dataIndex: 'title', key: 'title' },
          { title: dt('col.recipient'), dataIndex: 'recipient_name', key: 'name' },
          { title: dt('col.phone'), dataIndex: 'recipient_phone', key: 'phone' },
          { title: dt('col.address'), dataIndex: 'postal_address', key: 'address' },
          {
            title: dt('col.problem'),
            key: 'problem',
            render: (_: unknown, r: MailCaseRow) => (r.problem ? <Typography.Text type="danger">{r.problem}</Typography.Text> : null),
          },
        ]}
      />

      <Typography.Title level={5}>{dt('mail.open')}</Typography.Title>
      <Space className="delivery-actions">
        <Button
          disabled={!desk || desk.open.length === 0}
          onClick={() => deliveryApi.exportSfOrders(desk?.open.map((s) => s.id) ?? []).then(opened, failed)}
          data-testid="mail-sf"
        >
          {dt('mail.sf')}
        </Button>
      </Space>
      <Table<ShipmentView>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={desk?.open ?? []}
        onRow={(s) => ({ onClick: () => setCurrent(s), 'data-testid': `shipment-${s.code}` }) as object}
        rowClassName={(s) => (s.id === current?.id ? 'ant-table-row-selected' : '')}
        columns={[
          ...shipmentColumns,
          {
            title: dt('col.printed'),
            key: 'labels',
            render: (_: unknown, s: ShipmentView) => (
              <Button
                size="small"
                onClick={(e) => {
                  e.stopPropagation();
                  deliveryApi.printLabels([s.id]).then((p) => {
                    opened(p);
                    reload();
                  }, failed);
                }}
              >
                {dt('mail.labels')} {s.labels_printed > 0 ? <Tag>{s.labels_printed}</Tag> : null}
              </Button>
            ),
          },
        ]}
      />

      <Typography.Title level={5}>{dt('mail.shipped')}</Typography.Title>
      <Space className="delivery-actions">
        <Button onClick={() => deliveryApi.printShippingList(false).then(opened, failed)} data-testid="mail-list-pdf">
          {dt('mail.listPdf')}
        </Button>
        <Button onClick={() => deliveryApi.printShippingList(true).then(opened, failed)} data-testid="mail-list-xlsx">
          {dt('mail.listXlsx')}
        </Button>
      </Space>
      <Table<ShipmentView>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={desk?.shipped_today ?? []}
        columns={[{ title: dt('col.waybill'), dataIndex: 'waybill', key: 'waybill' }, ...shipmentColumns]}
      />
    </div>
  );
}
