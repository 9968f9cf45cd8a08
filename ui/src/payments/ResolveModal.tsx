// 分配到案件: a statement line becomes a recorded transfer split over the chosen cases
// (a candidate of the matching, or any case awaiting payment found by search).
import { useEffect, useState } from 'react';
import { Button, Descriptions, Form, Modal, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { ApiError, FieldError, PaymentCaseRow, StatementLineView } from '../api/bindings';
import { formKeys } from '../shared/keyboard';
import { paymentsApi } from './api';
import { ErrorAlert, putFieldErrors } from './common';
import { fmtYuan } from './money';
import { shareOf, SharesEditor, SumsLine, toShares } from './SharesEditor';
import type { ShareRow } from './SharesEditor';
import { pt } from './texts';

type Values = { shares: ShareRow[] };

/** The first case takes the whole line amount; further cases start at what they are short. */
const amountFor = (line: StatementLineView) => (r: PaymentCaseRow, current: ShareRow[]) =>
  current.length === 0 ? (line.amount_fen ?? r.short_fen) : r.short_fen;

function ResolveBody({ line, onClose, onDone }: { line: StatementLineView; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<Values>();
  const [cases, setCases] = useState<PaymentCaseRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ err: ApiError; rest: FieldError[] } | null>(null);
  const [sharesError, setSharesError] = useState<string | null>(null);
  const shares = (Form.useWatch('shares', form) as ShareRow[] | undefined) ?? [];

  useEffect(() => {
    paymentsApi.paymentCases(null).then(
      (rows) => setCases(rows.filter((r) => r.takes_transfer)),
      () => setCases([]),
    );
  }, []);

  const candidates = line.candidates.filter((c) => c.case_id !== null);
  const others = line.candidates.filter((c) => c.case_id === null);
  const add = (r: PaymentCaseRow) => form.setFieldsValue({ shares: [...shares, shareOf(r, amountFor(line)(r, shares))] });

  const submit = async () => {
    if (busy) return;
    const rows = (form.getFieldValue('shares') as ShareRow[] | undefined) ?? [];
    const parsed = toShares(rows);
    if (parsed.errors.length > 0) {
      form.setFields(parsed.errors.map((e) => ({ name: ['shares', e.index, 'amount'], errors: [e.error] })));
      return;
    }
    if (line.id === null) return;
    setBusy(true);
    setFailure(null);
    setSharesError(null);
    try {
      await paymentsApi.resolveStatementLine({ line_id: line.id, shares: parsed.shares });
      onDone();
    } catch (e) {
      const err = e as ApiError;
      const whole = err.fields.filter((f) => f.field === 'shares');
      if (whole.length > 0) setSharesError(whole.map((f) => f.message).join('；'));
      const rest = putFieldErrors(form, { ...err, fields: err.fields.filter((f) => f.field !== 'shares') }, (field) => {
        const m = /^shares\[(\d+)\]\.(amount_fen|case_id)$/.exec(field);
        return m ? ['shares', Number(m[1]), 'amount'] : null;
      });
      setFailure({ err, rest });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={860}
      title={pt('resolve.title', { line: line.line })}
      onCancel={onClose}
      maskClosable={false}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {pt('btn.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={busy}
          disabled={shares.length === 0}
          onClick={() => void submit()}
          data-testid="resolve-ok"
        >
          {pt('resolve.submit')}
        </Button>,
      ]}
    >
      <div data-testid="resolve-form" onKeyDownCapture={formKeys(() => void submit())}>
        <Descriptions size="small" column={3} className="pay-line-facts">
          <Descriptions.Item label={pt('statement.col.payer')}>{line.payer}</Descriptions.Item>
          <Descriptions.Item label={pt('statement.col.credit')}>{fmtYuan(line.amount_fen)}</Descriptions.Item>
          <Descriptions.Item label={pt('statement.col.date')}>{[line.date, line.time].filter(Boolean).join(' ')}</Descriptions.Item>
          <Descriptions.Item label={pt('statement.col.reference')}>{line.reference}</Descriptions.Item>
          <Descriptions.Item label={pt('statement.col.memo')} span={2}>
            {line.memo}
          </Descriptions.Item>
        </Descriptions>
        <Form<Values>
          form={form}
          name="resolve"
          layout="vertical"
          initialValues={{ shares: [] }}
          onValuesChange={(changed: Partial<Values>) => {
            if ('shares' in changed) setSharesError(null);
          }}
        >
          <SharesEditor
            form={form}
            sharesError={sharesError}
            amountFor={amountFor(line)}
            extra={
              candidates.length > 0 || others.length > 0 ? (
                <Space wrap size={4} className="pay-candidate-buttons">
                  <Typography.Text type="secondary">{pt('resolve.candidates')}</Typography.Text>
                  {candidates.map((c, i) => {
                    const row = cases.find((r) => r.case_id === c.case_id);
                    const taken = shares.some((s) => s.case_id === c.case_id);
                    return (
                      <Button
                        key={`${c.case_id}-${i}`}
                        size="small"
                        icon={<PlusOutlined />}
                        disabled={!row || taken}
                        title={c.reasons.join('；')}
                        onClick={() => row && add(row)}
                        data-testid={`cand-add-${i}`}
                      >
                        {pt('resolve.candidate', { label: c.label, score: c.score })}
                      </Button>
                    );
                  })}
                  {others.map((c, i) => (
                    <Typography.Text key={`o-${i}`} type="secondary">
                      {pt('resolve.otherCandidate', { label: c.label })}
                    </Typography.Text>
                  ))}
                </Space>
              ) : undefined
            }
          />
          <SumsLine amountFen={line.amount_fen} />
          {failure && <ErrorAlert err={failure.err} rest={failure.rest} testId="resolve-error" />}
        </Form>
      </div>
    </Modal>
  );
}

export function ResolveModal({ line, onClose, onDone }: { line: StatementLineView | null; onClose: () => void; onDone: () => void }) {
  if (!line) return null;
  return <ResolveBody key={line.id ?? line.line} line={line} onClose={onClose} onDone={onDone} />;
}
