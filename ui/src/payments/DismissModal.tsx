// 不是登记费: an imported credit that is not a registration fee, with the note why.
import { useState } from 'react';
import { Button, Form, Input, Modal } from 'antd';
import type { ApiError, StatementLineView } from '../api/bindings';
import { formKeys } from '../shared/keyboard';
import { paymentsApi } from './api';
import { ErrorAlert } from './common';
import { fmtYuan } from './money';
import { pt } from './texts';

function DismissBody({ line, onClose, onDone }: { line: StatementLineView; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);

  const submit = async () => {
    if (busy || line.id === null) return;
    const note = ((form.getFieldValue('note') as string | undefined) ?? '').trim();
    if (note === '') {
      form.setFields([{ name: 'note', errors: [pt('dismiss.noteRequired')] }]);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await paymentsApi.dismissStatementLine({ line_id: line.id, note });
      onDone();
    } catch (e) {
      const err = e as ApiError;
      const mine = err.fields.filter((f) => f.field === 'note');
      if (mine.length > 0) form.setFields([{ name: 'note', errors: mine.map((f) => f.message) }]);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={pt('dismiss.title', { payer: line.payer, amount: fmtYuan(line.amount_fen) })}
      onCancel={onClose}
      maskClosable={false}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {pt('btn.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void submit()} data-testid="dismiss-ok">
          {pt('dismiss.submit')}
        </Button>,
      ]}
    >
      <Form form={form} name="dismiss" layout="vertical" onKeyDownCapture={formKeys(() => void submit())}>
        <Form.Item name="note" label={pt('dismiss.note')}>
          <Input.TextArea
            rows={3}
            autoFocus
            placeholder={pt('dismiss.placeholder')}
            onChange={() => form.setFields([{ name: 'note', errors: [] }])}
            data-testid="dismiss-note"
          />
        </Form.Item>
        {failure && <ErrorAlert err={failure} testId="dismiss-error" />}
      </Form>
    </Modal>
  );
}

export function DismissModal({ line, onClose, onDone }: { line: StatementLineView | null; onClose: () => void; onDone: () => void }) {
  if (!line) return null;
  return <DismissBody key={line.id ?? line.line} line={line} onClose={onClose} onDone={onDone} />;
}
