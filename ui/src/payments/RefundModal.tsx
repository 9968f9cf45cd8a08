// 登记退费: how and when the money went back, with the refund's reference.
import { useState } from 'react';
import { Button, Form, Input, Modal, Radio } from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import type { ApiError, FieldError, RefundDueRow, RefundMethod } from '../api/bindings';
import { formKeys } from '../shared/keyboard';
import { paymentsApi } from './api';
import { clearChanged, ErrorAlert, putFieldErrors } from './common';
import { fenToInput, fmtYuan, liveRule, parseDay, parseYuan } from './money';
import { officeToday } from '../shared/officeTime';
import { pt } from './texts';

type Values = { method: RefundMethod; amount: string; reference: string; refunded_on: string };

const defaultMethod = (r: RefundDueRow): RefundMethod =>
  r.paid_by === 'online' ? 'online' : r.paid_by === 'alipay_transfer' ? 'alipay' : 'bank_transfer';

function refundField(field: string): NamePath | null {
  const map: Record<string, string> = {
    'refund.method': 'method',
    'refund.amount_fen': 'amount',
    'refund.reference': 'reference',
    'refund.refunded_on': 'refunded_on',
  };
  return map[field] ?? null;
}

function RefundBody({ row, onClose, onDone }: { row: RefundDueRow; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ err: ApiError; rest: FieldError[] } | null>(null);

  const submit = async () => {
    if (busy) return;
    const v = form.getFieldsValue(true) as Values;
    const amount = parseYuan(v.amount);
    const day = parseDay(v.refunded_on);
    if (!amount.ok || !day.ok) {
      form.setFields([
        ...(amount.ok ? [] : [{ name: 'amount' as const, errors: [amount.error] }]),
        ...(day.ok ? [] : [{ name: 'refunded_on' as const, errors: [day.error] }]),
      ]);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await paymentsApi.recordRefund({
        case_id: row.case_id,
        refund: { method: v.method, amount_fen: amount.value, reference: v.reference ?? '', refunded_on: day.value },
      });
      onDone();
    } catch (e) {
      const err = e as ApiError;
      setFailure({ err, rest: putFieldErrors(form, err, refundField) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={pt('refund.title', { serial: row.serial })}
      onCancel={onClose}
      maskClosable={false}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {pt('btn.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void submit()} data-testid="refund-ok">
          {pt('refund.submit')}
        </Button>,
      ]}
    >
      <div data-testid="refund-form" onKeyDownCapture={formKeys(() => void submit())}>
        <Form<Values>
          form={form}
          name="refund"
          layout="vertical"
          initialValues={{ method: defaultMethod(row), amount: fenToInput(row.owed_fen), reference: '', refunded_on: officeToday() }}
          onValuesChange={(changed: Partial<Values>) => clearChanged(form, changed)}
        >
          <Form.Item name="method" label={pt('refund.method')}>
            <Radio.Group
              options={[
                { value: 'bank_transfer', label: pt('refundMethod.bank_transfer') },
                { value: 'alipay', label: pt('refundMethod.alipay') },
                { value: 'online', label: pt('refundMethod.online') },
              ]}
            />
          </Form.Item>
          <div className="form-row">
            <Form.Item
              name="amount"
              label={pt('refund.amount')}
              extra={pt('refund.owed', { amount: fmtYuan(row.owed_fen) })}
              rules={[liveRule(parseYuan)]}
            >
              <Input prefix="¥" autoComplete="off" inputMode="decimal" />
            </Form.Item>
            <Form.Item name="refunded_on" label={pt('refund.refunded_on')} rules={[liveRule(parseDay)]}>
              <Input autoComplete="off" placeholder={pt('date.placeholder')} />
            </Form.Item>
          </div>
          <Form.Item name="reference" label={pt('refund.reference')}>
            <Input autoFocus autoComplete="off" spellCheck={false} />
          </Form.Item>
          {failure && <ErrorAlert err={failure.err} rest={failure.rest} testId="refund-error" />}
        </Form>
      </div>
    </Modal>
  );
}

export function RefundModal({ row, onClose, onDone }: { row: RefundDueRow | null; onClose: () => void; onDone: () => void }) {
  if (!row) return null;
  return <RefundBody key={row.case_id} row={row} onClose={onClose} onDone={onDone} />;
}
