import { useRef, useState, useEffect } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import type { InputRef } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import type { ApiError, SessionView } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { formKeys } from '../shared/keyboard';

type Values = { password: string };

/**
 * A full-window overlay. What lies underneath stays mounted, so nothing typed
 * there is lost; only the signed-in person's password unlocks it.
 */
export function LockScreen({
  session,
  onUnlocked,
  onLogout,
}: {
  session: SessionView;
  onUnlocked: (s: SessionView) => void;
  onLogout: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const input = useRef<InputRef>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const s = await api.unlockSession({ password: v.password ?? '' });
      onUnlocked(s);
    } catch (e) {
      const err = e as ApiError;
      setError(err);
      const own = err.fields.filter((f) => f.field === 'password');
      if (own.length > 0) form.setFields([{ name: 'password', errors: own.map((f) => f.message) }]);
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="lock-screen" data-testid="lock-screen" role="dialog" aria-modal="true" aria-label={t('lock.title')}>
      <div className="lock-card">
        <LockOutlined className="lock-icon" />
        <Typography.Title level={3}>{t('lock.title')}</Typography.Title>
        <Typography.Paragraph type="secondary" data-testid="lock-user">
          {t('lock.who', { name: session.display_name })}
        </Typography.Paragraph>
        <Form<Values> form={form} name="unlock" layout="vertical" onFinish={submit} onKeyDownCapture={formKeys(() => form.submit(), { ctrlS: false })}>
          <Form.Item
            name="password"
            label={t('lock.password')}
            rules={[{ required: true, message: t('common.required', { field: t('lock.password') }) }]}
          >
            <Input.Password ref={input} autoFocus autoComplete="current-password" />
          </Form.Item>
          {error && <Alert className="form-alert" type="error" showIcon data-testid="unlock-error" message={error.message || t('lock.failed')} />}
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="unlock-submit">
            {t('lock.submit')}
          </Button>
        </Form>
        <Button type="link" onClick={onLogout} data-testid="lock-logout" className="lock-logout">
          {t('lock.logout')}
        </Button>
      </div>
    </div>
  );
}
