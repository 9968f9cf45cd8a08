// 退回: the reason is required (the applicant is told why the payment was not accepted).
import { useRef, useState } from 'react';
import { Button, Form, Input, Modal } from 'antd';
import type { ApiError, TransferView } from '../api/bindings';
import { focusIfIdle, formKeys } from '../shared/keyboard';
import { ErrorAlert } from './common';
import { fmtYuan } from './money';
import { pt } from './texts';

type Props = {
  transfer: TransferView | null;
  onClose: () => void;
  /** null when done; the failure otherwise (the dialog stays with the reason typed) */
  onReject: (reason: string) => Promise<ApiError | null>;
};

export function RejectModal(props: Props) {
  if (!props.transfer) return null;
  return <RejectBody key={props.transfer.id} {...props} transfer={props.transfer} />;
}

function RejectBody({ transfer, onClose, onReject }: Props & { transfer: TransferView }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const ref = useRef<HTMLTextAreaElement | null>(null);

  const submit = async () => {
    if (busy) return;
    const reason = ((form.getFieldValue('reason') as string | undefined) ?? '').trim();
    if (reason === '') {
      form.setFields([{ name: 'reason', errors: [pt('check.reasonRequired')] }]);
      return;
    }
    setBusy(true);
    setFailure(null);
    const err = await onReject(reason);
    setBusy(false);
    if (err) {
      const mine = err.fields.filter((f) => f.field === 'reason' || f.field === 'command.reason');
      if (mine.length > 0) form.setFields([{ name: 'reason', errors: mine.map((f) => f.message) }]);
      setFailure(err);
    }
  };

  return (
    <Modal
      open
      title={pt('check.rejectTitle', { amount: fmtYuan(transfer.amount_fen), payer: transfer.payer })}
      onCancel={onClose}
      maskClosable={false}
      afterOpenChange={(o) => {
        if (o) focusIfIdle(ref.current);
      }}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {pt('btn.cancel')}
        </Button>,
        <Button key="ok" danger type="primary" loading={busy} onClick={() => void submit()} data-testid="reject-ok">
          {pt('check.reject')}
        </Button>,
      ]}
    >
      <Form form={form} name="reject" layout="vertical" onKeyDownCapture={formKeys(() => void submit())}>
        <Form.Item name="reason" label={pt('check.rejectReason')} extra={pt('check.rejectHint')}>
          <Input.TextArea
            rows={3}
            autoFocus
            ref={(r) => {
              ref.current = r?.resizableTextArea?.textArea ?? null;
            }}
            onChange={() => form.setFields([{ name: 'reason', errors: [] }])}
            data-testid="reject-reason"
          />
        </Form.Item>
        {failure && <ErrorAlert err={failure} testId="reject-error" />}
      </Form>
    </Modal>
  );
}
