// 管理 › 发证设置: the label stock, the office as sender on the labels, and the columns of SF's
// bulk-order sheet (header as SF's template names it → what goes in it).
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Select, Space, Spin } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ApiError, DeliverySettingsView, LabelSize, SfField, UpdateDeliverySettingsInput } from '../api/bindings';
import { call } from '../api/client';
import { applyFieldErrors } from '../shared/formErrors';
import { dt } from './deliveryTexts';

const SIZES: { value: LabelSize; label: string }[] = [
  { value: 'mm100x150', label: '100×150 毫米（默认）' },
  { value: 'mm100x180', label: '100×180 毫米' },
  { value: 'mm100x210', label: '100×210 毫米' },
  { value: 'mm76x130', label: '76×130 毫米' },
];

const FIELDS: { value: SfField; label: string }[] = [
  { value: 'order_ref', label: '邮件编号' },
  { value: 'recipient_name', label: '收件人' },
  { value: 'recipient_phone', label: '收件电话' },
  { value: 'recipient_address', label: '收件地址' },
  { value: 'sender_name', label: '寄件单位' },
  { value: 'sender_phone', label: '寄件电话' },
  { value: 'sender_address', label: '寄件地址' },
  { value: 'contents', label: '托寄物（作品登记证书）' },
  { value: 'quantity', label: '件数' },
  { value: 'payment', label: '付款方式（到付）' },
  { value: 'remark', label: '备注（登记号）' },
];

type Values = Omit<UpdateDeliverySettingsInput, 'version'>;

export function DeliverySettingsTab() {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [view, setView] = useState<DeliverySettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call<DeliverySettingsView>('delivery_settings').then(
      (v) => {
        setView(v);
        form.setFieldsValue(v);
      },
      (e: ApiError) => setError(e.message),
    );
  }, [form]);

  const save = async (v: Values) => {
    if (!view) return;
    setError(null);
    try {
      const saved = await call<DeliverySettingsView>('update_delivery_settings', { input: { ...v, version: view.version } });
      setView(saved);
      form.setFieldsValue(saved);
      void message.success(dt('settings.saved'));
    } catch (e) {
      const err = e as ApiError;
      const known = (v.sf_columns ?? []).map((_, i) => `sf_columns.${i}.header`);
      const rest = applyFieldErrors(
        form,
        { ...err, fields: err.fields.map((f) => ({ ...f, field: f.field.replace(/\[(\d+)\]/g, '.$1') })) },
        known,
      );
      setError([err.message, ...rest.map((f) => f.message)].filter((m, i, a) => m && a.indexOf(m) === i).join('；'));
    }
  };

  if (!view && !error) return <Spin />;
  return (
    <div data-testid="delivery-settings">
      {error && <Alert type="error" showIcon message={error} data-testid="delivery-settings-error" />}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void save(v)} style={{ maxWidth: 720 }}>
        <Form.Item name="label_size" label={dt('settings.labelSize')}>
          <Select options={SIZES} data-testid="delivery-label-size" />
        </Form.Item>
        <Form.Item name="sender_name" label={dt('settings.senderName')} extra={dt('settings.senderNameHint')}>
          <Input />
        </Form.Item>
        <Form.Item name="sender_phone" label={dt('settings.senderPhone')}>
          <Input />
        </Form.Item>
        <Form.Item name="sender_address" label={dt('settings.senderAddress')}>
          <Input />
        </Form.Item>
        <Form.Item label={dt('settings.sfColumns')} extra={dt('settings.sfColumnsHint')}>
          <Form.List name="sf_columns">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'header']}>
                      <Input placeholder={dt('settings.header')} style={{ width: 220 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'field']}>
                      <Select options={FIELDS} style={{ width: 220 }} />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="remove" />
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ header: '', field: 'remark' })}>
                  {dt('settings.addColumn')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="delivery-settings-save">
          {dt('settings.save')}
        </Button>
      </Form>
    </div>
  );
}
