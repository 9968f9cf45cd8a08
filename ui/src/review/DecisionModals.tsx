// The dialogs of a review decision: 退回补正 (templated reasons + free text),
// 拟不予登记 (ground + note) and 退回初审 (note). Each focuses its first field,
// Enter moves on, Ctrl+Enter confirms; a failure keeps what was typed.
import { useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, Button, Checkbox, Form, Input, Modal, Select, Typography } from 'antd';
import type { RefSelectProps } from 'antd';
import type { ApiError, RefusalGround } from '../api/bindings';
import { focusIfIdle, formKeys } from '../shared/keyboard';
import { RETURN_TEMPLATES, refusalGroundOptions } from './options';
import { rt } from './texts';

/** What the workspace's submit answers: null when done, the core's failure otherwise. */
export type Submit<T> = (value: T) => Promise<ApiError | null>;

/** The core's failure, prominently: a four-eyes or state refusal says what to do. */
export function DecisionError({ err, action }: { err: ApiError; action?: ReactNode }) {
  const refused = err.kind === 'refused' || err.kind === 'permission';
  return (
    <Alert
      className="review-error"
      type="error"
      showIcon
      data-testid="review-error"
      message={refused ? <strong>{err.message}</strong> : rt('error.failed', { message: err.message })}
      description={
        refused ? (
          <>
            <div>{rt('error.refusedTitle')}</div>
            <div>{rt('error.refusedHint')}</div>
          </>
        ) : err.kind === 'conflict' ? (
          rt('error.conflictHint')
        ) : err.fields.length > 0 ? (
          err.fields.map((f) => <div key={`${f.field}-${f.code}`}>{f.message}</div>)
        ) : undefined
      }
      action={action}
    />
  );
}

function DecisionModal({
  open,
  title,
  testId,
  okText,
  okTestId,
  danger,
  busy,
  onOk,
  onClose,
  onOpened,
  children,
}: {
  open: boolean;
  title: string;
  testId: string;
  okText: string;
  okTestId: string;
  danger?: boolean;
  busy: boolean;
  onOk: () => void;
  onClose: () => void;
  onOpened: () => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      width={560}
      afterOpenChange={(o) => {
        if (o) onOpened();
      }}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {rt('btn.cancel')}
        </Button>,
        <Button key="ok" type="primary" danger={danger} loading={busy} onClick={onOk} data-testid={okTestId}>
          {okText}
        </Button>,
      ]}
    >
      <div data-testid={testId} onKeyDownCapture={formKeys(onOk, { ctrlS: false })}>
        {children}
        <Typography.Text type="secondary" className="review-keys">
          {rt('act.keys')}
        </Typography.Text>
      </div>
    </Modal>
  );
}

/** Runs a submit, keeping the dialog (and its input) on failure. */
function useSubmit<T>(submit: Submit<T>) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const run = async (v: T) => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    const err = await submit(v);
    setBusy(false);
    if (err) setFailure(err);
  };
  return { busy, failure, run, reset: () => setFailure(null) };
}

// ---------------------------------------------------------------- 退回补正

export function ReturnModal({ open, onClose, onSubmit }: { open: boolean; onClose: () => void; onSubmit: Submit<string[]> }) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [other, setOther] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, failure, run, reset } = useSubmit(onSubmit);
  const close = () => {
    reset();
    onClose();
  };
  const box = useRef<HTMLDivElement | null>(null);

  const submit = () => {
    // In the order shown, then the free text line by line.
    const reasons = [
      ...RETURN_TEMPLATES.filter((t) => chosen.includes(t)),
      ...other
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== ''),
    ];
    if (reasons.length === 0) {
      setMissing(true);
      return;
    }
    void run(reasons);
  };

  return (
    <DecisionModal
      open={open}
      title={rt('return.title')}
      testId="return-modal"
      okText={rt('return.ok')}
      okTestId="return-ok"
      danger
      busy={busy}
      onOk={submit}
      onClose={close}
      onOpened={() => focusIfIdle(box.current?.querySelector<HTMLInputElement>('input[type=checkbox]'))}
    >
      <Form layout="vertical" component="div">
        <Form.Item label={rt('return.templates')} validateStatus={missing ? 'error' : undefined}>
          <div ref={box}>
            <Checkbox.Group
              className="review-templates"
              value={chosen}
              onChange={(v) => {
                setChosen(v as string[]);
                setMissing(false);
              }}
              options={RETURN_TEMPLATES.map((t, i) => ({
                value: t,
                label: <span data-testid={`return-reason-${i}`}>{t}</span>,
              }))}
            />
          </div>
        </Form.Item>
        <Form.Item
          label={rt('return.other')}
          extra={rt('return.hint')}
          validateStatus={missing ? 'error' : undefined}
          help={missing ? <span data-testid="return-need-reason">{rt('return.needReason')}</span> : undefined}
        >
          <Input.TextArea
            rows={3}
            value={other}
            onChange={(e) => {
              setOther(e.target.value);
              setMissing(false);
            }}
            placeholder={rt('return.otherPlaceholder')}
            data-testid="return-other"
          />
        </Form.Item>
      </Form>
      {failure && <DecisionError err={failure} />}
    </DecisionModal>
  );
}

// ---------------------------------------------------------------- 拟不予登记

export function RefuseModal({
  open,
  onClose,
  onSubmit,
}: {
  open: boolean;
  onClose: () => void;
  onSubmit: Submit<{ ground: RefusalGround; note: string }>;
}) {
  const [ground, setGround] = useState<RefusalGround | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, failure, run, reset } = useSubmit(onSubmit);
  const close = () => {
    reset();
    onClose();
  };
  const select = useRef<RefSelectProps | null>(null);

  const submit = () => {
    if (!ground) {
      setMissing(true);
      return;
    }
    void run({ ground, note: note.trim() });
  };

  return (
    <DecisionModal
      open={open}
      title={rt('refuse.title')}
      testId="refuse-modal"
      okText={rt('refuse.ok')}
      okTestId="refuse-ok"
      danger
      busy={busy}
      onOk={submit}
      onClose={close}
      onOpened={() => focusIfIdle(select.current)}
    >
      <Form layout="vertical" component="div">
        <Form.Item
          label={rt('refuse.ground')}
          validateStatus={missing ? 'error' : undefined}
          help={missing ? <span data-testid="refuse-need-ground">{rt('refuse.needGround')}</span> : undefined}
        >
          <Select<RefusalGround>
            ref={select}
            value={ground ?? undefined}
            onChange={(g) => {
              setGround(g);
              setMissing(false);
            }}
            options={refusalGroundOptions()}
            placeholder={rt('refuse.groundPlaceholder')}
            data-testid="refuse-ground"
            aria-label={rt('refuse.ground')}
          />
        </Form.Item>
        <Form.Item label={rt('refuse.note')}>
          <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder={rt('refuse.notePlaceholder')} data-testid="refuse-note" />
        </Form.Item>
      </Form>
      {failure && <DecisionError err={failure} />}
    </DecisionModal>
  );
}

// ---------------------------------------------------------------- 退回初审

export function SendBackModal({ open, onClose, onSubmit }: { open: boolean; onClose: () => void; onSubmit: Submit<string> }) {
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const { busy, failure, run, reset } = useSubmit(onSubmit);
  const close = () => {
    reset();
    onClose();
  };
  const area = useRef<HTMLTextAreaElement | null>(null);

  const submit = () => {
    if (note.trim() === '') {
      setMissing(true);
      return;
    }
    void run(note.trim());
  };

  return (
    <DecisionModal
      open={open}
      title={rt('sendBack.title')}
      testId="send-back-modal"
      okText={rt('sendBack.ok')}
      okTestId="send-back-ok"
      busy={busy}
      onOk={submit}
      onClose={close}
      onOpened={() => focusIfIdle(area.current)}
    >
      <Form layout="vertical" component="div">
        <Form.Item
          label={rt('sendBack.note')}
          validateStatus={missing ? 'error' : undefined}
          help={missing ? <span data-testid="send-back-need-note">{rt('sendBack.needNote')}</span> : undefined}
        >
          <Input.TextArea
            rows={4}
            autoFocus
            ref={(r) => {
              area.current = r?.resizableTextArea?.textArea ?? null;
            }}
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
              setMissing(false);
            }}
            placeholder={rt('sendBack.notePlaceholder')}
            data-testid="send-back-note"
          />
        </Form.Item>
      </Form>
      {failure && <DecisionError err={failure} />}
    </DecisionModal>
  );
}
