// 加入服务器: server address, the one-time code and the CA fingerprint the
// server's administrator gave. Used at first start (加入已有机构) and by an
// admin in 管理 → 同步; the core checks everything and names the field.
import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import type { ApiError, FieldError, SyncStatusView } from '../api/bindings';
import { applyFieldErrors } from '../shared/formErrors';
import { formKeys } from '../shared/keyboard';
import { syncApi } from './api';
import type { EnrolInput } from './api';
import { st } from './texts';

const FIELDS = ['server_url', 'code', 'fingerprint'] as const;

export function EnrolForm({ onEnrolled, autoFocus }: { onEnrolled: (s: SyncStatusView) => void; autoFocus?: boolean }) {
  const [form] = Form.useForm<EnrolInput>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ err: ApiError; rest: FieldError[] } | null>(null);

  const submit = async (v: EnrolInput) => {
    setBusy(true);
    setError(null);
    try {
      const s = await syncApi.enrol({
        server_url: (v.server_url ?? '').trim(),
        code: (v.code ?? '').trim(),
        fingerprint: (v.fingerprint ?? '').trim(),
      });
      onEnrolled(s);
    } catch (e) {
      const err = e as ApiError;
      setError({ err, rest: applyFieldErrors(form, err, FIELDS) });
    } finally {
      setBusy(false);
    }
  };

  const req = (field: string) => [{ required: true, whitespace: true, message: st('enrol.required', { field }) }];

  return (
    <Form<EnrolInput>
      form={form}
      name="enrol"
      layout="vertical"
      onFinish={(v) => void submit(v)}
      onKeyDownCapture={formKeys(() => form.submit())}
      data-testid="enrol-form"
    >
      <Form.Item name="server_url" label={st('enrol.server')} rules={req(st('enrol.server'))}>
        <Input autoFocus={autoFocus} placeholder={st('enrol.serverPlaceholder')} autoComplete="off" data-testid="enrol-server" />
      </Form.Item>
      <Form.Item name="code" label={st('enrol.code')} rules={req(st('enrol.code'))}>
        <Input autoComplete="off" data-testid="enrol-code" />
      </Form.Item>
      <Form.Item name="fingerprint" label={st('enrol.fingerprint')} rules={req(st('enrol.fingerprint'))}>
        <Input.TextArea autoSize placeholder={st('enrol.fingerprintPlaceholder')} data-testid="enrol-fingerprint" />
      </Form.Item>
      {error && (error.rest.length > 0 || error.err.fields.length === 0) && (
        <Alert className="form-alert" type="error" showIcon message={st('enrol.failed')} description={error.err.message} data-testid="enrol-error" />
      )}
      <Button type="primary" htmlType="submit" loading={busy} data-testid="enrol-submit">
        {st('enrol.submit')}
      </Button>
    </Form>
  );
}
