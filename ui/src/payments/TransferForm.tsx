// 登记转账 / 登记在线支付 (制单): one payment — an offline transfer, or an online
// payment from the platform's record under its 平台交易号 — the cases it pays and how
// much each; another finance person confirms it on 待核款. A refused save keeps
// everything typed and shows each message under its field.
import { useRef, useState } from 'react';
import { Button, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import type { InputRef } from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import type { ApiError, FieldError, PaymentCaseRow, PaymentMethod, RecordTransferInput, TransferView } from '../api/bindings';
import { FileCacheProvider } from '../shared/files';
import { focusIfIdle, formKeys } from '../shared/keyboard';
import { paymentsApi } from './api';
import { clearChanged, ErrorAlert, putFieldErrors, takesMethod } from './common';
import { liveRule, parseClock, parseDay, parseYuan } from './money';
import { officeClockNow, officeToday } from '../shared/officeTime';
import { ReceiptInput } from './ReceiptInput';
import { shareOf, SharesEditor, SumsLine, toShares } from './SharesEditor';
import type { ShareRow } from './SharesEditor';
import { pt } from './texts';

type Values = {
  method: PaymentMethod;
  payer: string;
  payer_account: string;
  payer_bank: string;
  /** yuan as typed */
  amount: string;
  received_date: string;
  received_time: string;
  reference: string;
  purpose: string;
  receipt_file_id: string | null;
  shares: ShareRow[];
};

const TEXT_FIELDS = ['method', 'payer', 'payer_account', 'payer_bank', 'reference', 'purpose'];

/** Where a FieldError of record_transfer goes on this form (null: the general message). */
export function transferField(field: string): NamePath | null {
  const m = /^shares\[(\d+)\]\.(amount_fen|case_id)$/.exec(field);
  if (m) return ['shares', Number(m[1]), 'amount'];
  if (field === 'receipt_file_id') return 'receipt_file_id';
  if (field === 'transfer.amount_fen') return 'amount';
  if (field === 'transfer.received_at') return 'received_date';
  const name = field.startsWith('transfer.') ? field.slice('transfer.'.length) : null;
  return name !== null && TEXT_FIELDS.includes(name) ? name : null;
}

type Failure = { err: ApiError; rest: FieldError[] };

function TransferFormBody({
  method: initialMethod,
  cases,
  onClose,
  onDone,
}: {
  method: PaymentMethod;
  cases: PaymentCaseRow[];
  onClose: () => void;
  onDone: (t: TransferView) => void;
}) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [sharesError, setSharesError] = useState<string | null>(null);
  const payerRef = useRef<InputRef>(null);
  const amountText = Form.useWatch('amount', form) as string | undefined;
  const amount = parseYuan(amountText);
  const method = (Form.useWatch('method', form) as PaymentMethod | undefined) ?? initialMethod;
  const online = method === 'online';

  const initial: Values = {
    method: initialMethod,
    payer: '',
    payer_account: '',
    payer_bank: '',
    amount: '',
    received_date: officeToday(),
    received_time: officeClockNow(),
    reference: '',
    purpose: '',
    receipt_file_id: null,
    shares: cases.filter((c) => takesMethod(c, initialMethod)).map((c) => shareOf(c)),
  };

  const submit = async () => {
    if (busy) return;
    const v = form.getFieldsValue(true) as Values;
    const amountFen = parseYuan(v.amount);
    const day = parseDay(v.received_date);
    const clock = parseClock(v.received_time);
    const shares = toShares(v.shares ?? []);
    const local: { name: NamePath; errors: string[] }[] = [];
    if (!amountFen.ok) local.push({ name: 'amount', errors: [amountFen.error] });
    if (!day.ok) local.push({ name: 'received_date', errors: [day.error] });
    if (!clock.ok) local.push({ name: 'received_time', errors: [clock.error] });
    shares.errors.forEach((e) => local.push({ name: ['shares', e.index, 'amount'], errors: [e.error] }));
    if (local.length > 0 || !amountFen.ok || !day.ok || !clock.ok) {
      form.setFields(local);
      setFailure({ err: { kind: 'validation', message: pt('common.fixFields'), fields: [] }, rest: [] });
      return;
    }
    const input: RecordTransferInput = {
      transfer: {
        method: v.method,
        payer: v.payer ?? '',
        payer_account: v.payer_account ?? '',
        payer_bank: v.payer_bank ?? '',
        amount_fen: amountFen.value,
        received_at: `${day.value}T${clock.value}`,
        reference: v.reference ?? '',
        purpose: v.purpose ?? '',
      },
      receipt_file_id: v.receipt_file_id ?? null,
      shares: shares.shares,
    };
    setBusy(true);
    setFailure(null);
    setSharesError(null);
    try {
      onDone(await paymentsApi.recordTransfer(input));
    } catch (e) {
      const err = e as ApiError;
      const whole = err.fields.filter((f) => f.field === 'shares');
      if (whole.length > 0) setSharesError(whole.map((f) => f.message).join('；'));
      const rest = putFieldErrors(form, { ...err, fields: err.fields.filter((f) => f.field !== 'shares') }, transferField);
      setFailure({ err, rest });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={900}
      title={online ? pt('online.title') : pt('transfer.title')}
      onCancel={onClose}
      maskClosable={false}
      afterOpenChange={(o) => {
        if (o) focusIfIdle(payerRef.current);
      }}
      footer={
        <Space>
          <Typography.Text type="secondary">{pt('transfer.keys')}</Typography.Text>
          <Button onClick={onClose}>{pt('btn.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="transfer-submit">
            {pt('transfer.submit')}
          </Button>
        </Space>
      }
    >
      <div data-testid="transfer-form" onKeyDownCapture={formKeys(() => void submit())}>
        <Form<Values>
          form={form}
          name="transfer"
          layout="vertical"
          initialValues={initial}
          onValuesChange={(changed: Partial<Values>) => {
            clearChanged(form, changed);
            if ('shares' in changed) setSharesError(null);
          }}
        >
          <Form.Item name="method" label={pt('transfer.method')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: 'bank_transfer', label: pt('method.bank_transfer') },
                { value: 'alipay_transfer', label: pt('method.alipay_transfer') },
                { value: 'online', label: pt('method.online') },
              ]}
            />
          </Form.Item>
          <div className="form-row">
            <Form.Item name="payer" label={pt('transfer.payer')}>
              <Input ref={payerRef} autoFocus autoComplete="off" />
            </Form.Item>
            <Form.Item name="payer_account" label={pt('transfer.payer_account')}>
              <Input autoComplete="off" spellCheck={false} />
            </Form.Item>
            <Form.Item name="payer_bank" label={pt('transfer.payer_bank')}>
              <Input autoComplete="off" />
            </Form.Item>
          </div>
          <div className="form-row">
            <Form.Item name="amount" label={online ? pt('online.amount') : pt('transfer.amount')} rules={[liveRule(parseYuan)]}>
              <Input prefix="¥" autoComplete="off" inputMode="decimal" placeholder={pt('money.placeholder')} />
            </Form.Item>
            <Form.Item name="received_date" label={online ? pt('online.received_date') : pt('transfer.received_date')} rules={[liveRule(parseDay)]}>
              <Input autoComplete="off" placeholder={pt('date.placeholder')} />
            </Form.Item>
            <Form.Item name="received_time" label={online ? pt('online.received_time') : pt('transfer.received_time')} rules={[liveRule(parseClock)]}>
              <Input autoComplete="off" placeholder={pt('time.placeholder')} />
            </Form.Item>
          </div>
          <div className="form-row">
            <Form.Item name="reference" label={online ? pt('online.reference') : pt('transfer.reference')}>
              <Input autoComplete="off" spellCheck={false} placeholder={online ? pt('online.referencePlaceholder') : undefined} />
            </Form.Item>
            <Form.Item name="purpose" label={pt('transfer.purpose')}>
              <Input autoComplete="off" />
            </Form.Item>
          </div>
          <Form.Item name="receipt_file_id" label={online ? pt('online.receipt') : pt('transfer.receipt')}>
            <ReceiptInput online={online} />
          </Form.Item>
          <Typography.Title level={5}>{pt('transfer.shares')}</Typography.Title>
          <SharesEditor form={form} sharesError={sharesError} method={method} />
          <SumsLine amountFen={amount.ok ? amount.value : null} />
          {failure && <ErrorAlert err={failure.err} rest={failure.rest} testId="transfer-error" fallback={pt('transfer.failed')} />}
        </Form>
      </div>
    </Modal>
  );
}

/** The dialog, rendered only while open (with its own file cache for the receipt scan). */
export function TransferForm({
  open,
  method = 'bank_transfer',
  cases,
  onClose,
  onDone,
}: {
  open: boolean;
  /** the method the form opens with (登记转账: a bank transfer; 登记在线支付: online) */
  method?: PaymentMethod;
  /** the cases ticked in the table (those awaiting payment become the first shares) */
  cases: PaymentCaseRow[];
  onClose: () => void;
  onDone: (t: TransferView) => void;
}) {
  if (!open) return null;
  return (
    <FileCacheProvider>
      <TransferFormBody method={method} cases={cases} onClose={onClose} onDone={onDone} />
    </FileCacheProvider>
  );
}
