// 更改缴费方式 (admin): a case's payment method is fixed once chosen; an admin may
// change it, with a reason, while no transfer is recorded for it. The core decides.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Radio } from 'antd';
import type { ApiError, CaseDetail, ChangeMethodInput, PaymentMethod } from '../api/bindings';
import { call } from '../api/client';
import { CaseFacts, CaseLookup } from './CaseLookup';
import { t } from '../i18n';

const METHODS: ReadonlyArray<PaymentMethod> = ['online', 'bank_transfer', 'alipay_transfer'];

export function MethodTab() {
  const { message } = AntApp.useApp();
  const [found, setFound] = useState<CaseDetail | null>(null);
  const [method, setMethod] = useState<PaymentMethod | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = async () => {
    if (!found) return;
    if (!method) {
      setError(t('method.need'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const input: ChangeMethodInput = { case_id: found.id, version: found.version, method, reason };
      setFound(await call<CaseDetail>('change_payment_method', { input }));
      void message.success(t('method.done', { method: t(`method.${method}` as const) }));
    } catch (e) {
      const err = e as ApiError;
      setError(err.fields.length > 0 ? err.fields.map((f) => f.message).join('；') : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="method-tab">
      <Alert type="info" showIcon message={t('method.hint')} className="form-alert" />
      <CaseLookup
        testKey="method"
        onFound={(c) => {
          setFound(c);
          setError(null);
        }}
      />
      {found && (
        <div className="revoke-case">
          <CaseFacts c={found} testKey="method" />
          <Form layout="vertical" className="revoke-form">
            <Form.Item label={t('method.new')} required>
              <Radio.Group
                value={method}
                onChange={(e) => setMethod(e.target.value as PaymentMethod)}
                options={METHODS.map((m) => ({ value: m, label: t(`method.${m}` as const) }))}
                data-testid="method-choice"
              />
            </Form.Item>
            <Form.Item label={t('method.reason')} required>
              <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="method-reason" />
            </Form.Item>
            <Button type="primary" loading={busy} onClick={() => void change()} data-testid="method-submit">
              {t('method.submit')}
            </Button>
          </Form>
        </div>
      )}
      {error && <Alert type="error" showIcon message={error} data-testid="method-error" className="form-alert" />}
    </div>
  );
}
