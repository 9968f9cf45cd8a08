import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import type { ApiError, AppStatus, FieldError, LoginInput, SessionView } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { applyFieldErrors } from '../shared/formErrors';
import { formKeys } from '../shared/keyboard';

const FIELDS = ['username', 'password'] as const;

export function LoginScreen({ status, onSignedIn }: { status: AppStatus; onSignedIn: (s: SessionView) => void }) {
  const [form] = Form.useForm<LoginInput>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ err: ApiError; rest: FieldError[] } | null>(null);

  const submit = async (v: LoginInput) => {
    setBusy(true);
    setError(null);
    try {
      const session = await api.login({ username: v.username ?? '', password: v.password ?? '' });
      onSignedIn(session);
    } catch (e) {
      const err = e as ApiError;
      setError({ err, rest: applyFieldErrors(form, err, FIELDS) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="screen-center">
      <Card className="login-card" variant="borderless">
        <Typography.Title level={3} className="login-office">
          {status.office?.name ?? t('app.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('login.station', { station: status.station_name })}</Typography.Paragraph>
        <Form<LoginInput>
          form={form}
          name="login"
          layout="vertical"
          onFinish={submit}
          onKeyDownCapture={formKeys(() => form.submit(), { ctrlS: false })}
        >
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('login.username') }) }]}
          >
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('common.required', { field: t('login.password') }) }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && (
            <Alert
              className="form-alert"
              type="error"
              showIcon
              data-testid="login-error"
              message={error.err.message || t('login.failed')}
              description={error.rest.length > 0 ? error.rest.map((f) => <div key={f.field + f.code}>{f.message}</div>) : undefined}
            />
          )}
          <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
