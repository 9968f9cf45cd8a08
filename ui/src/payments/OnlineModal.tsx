// 在线支付确认: the platform's receipt (reference and amount) for a case paid
// online; the core chooses the method if none was chosen and accepts the case.
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import type { ButtonProps } from 'antd';
import type { ApiError, PaymentCaseRow } from '../api/bindings';
import { formKeys } from '../shared/keyboard';
import { paymentsApi } from './api';
import { fmtYuan, parseYuan } from './money';
import { pt } from './texts';

type Values = { reference: string; amount: string };

export function OnlineModal({ row, onClose, onDone }: { row: PaymentCaseRow | null; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (row) {
      form.setFieldsValue({ reference: '', amount: fmtYuan(row.short_fen || row.owed_fen).replace('¥', '') });
      setError(null);
    }
  }, [row, form]);

  const submit = async () => {
    if (!row || busy) return;
    const v = form.getFieldsValue(true) as Values;
    const amount = parseYuan(v.amount);
    if (!amount.ok) {
      form.setFields([{ name: 'amount', errors: [amount.error] }]);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await paymentsApi.confirmOnlinePayment({
        case_id: row.case_id,
        version: row.version,
        platform_reference: v.reference ?? '',
        amount_fen: amount.value,
      });
      onDone();
    } catch (e) {
      const err = e as ApiError;
      setError(err.fields.length > 0 ? err.fields.map((f) => f.message).join('；') : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={row !== null}
      title={pt('online.title', { serial: row?.serial ?? '' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={pt('online.ok')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'online-ok' } as ButtonProps}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) document.getElementById('online_reference')?.focus();
      }}
    >
      <div data-testid="online-modal" onKeyDownCapture={formKeys(() => void submit())}>
        <Form<Values> form={form} name="online" layout="vertical">
          <Form.Item name="reference" label={pt('online.reference')}>
            <Input autoComplete="off" placeholder={pt('online.referencePlaceholder')} />
          </Form.Item>
          <Form.Item name="amount" label={pt('online.amount')}>
            <Input prefix="¥" autoComplete="off" inputMode="decimal" />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon message={error} data-testid="online-error" />}
      </div>
    </Modal>
  );
}
