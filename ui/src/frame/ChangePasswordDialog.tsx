import { useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Modal, Typography } from 'antd';
import type { InputRef } from 'antd';
import type { ApiError, FieldError } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { applyFieldErrors } from '../shared/formErrors';
import { focusIfIdle, formKeys } from '../shared/keyboard';

type Values = { old_password: string; new_password: string; new_password_confirm: string };
const FIELDS = ['old_password', 'new_password', 'new_password_confirm'] as const;

/**
 * 修改密码. When `forced` (the core says the person must change it), the dialog
 * cannot be dismissed; only a successful change or signing out ends it.
 */
export function ChangePasswordDialog({
  open,
  forced,
  minChars,
  onDone,
  onCancel,
  onLogout,
}: {
  open: boolean;
  forced: boolean;
  minChars: number;
  onDone: () => void;
  onCancel: () => void;
  onLogout: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ err: ApiError; rest: FieldError[] } | null>(null);
  const first = useRef<InputRef>(null);
  const { message } = AntApp.useApp();

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await api.changePassword({ old_password: v.old_password ?? '', new_password: v.new_password ?? '' });
      void message.success(t('password.changed'));
      form.resetFields();
      onDone();
    } catch (e) {
      const err = e as ApiError;
      setError({ err, rest: applyFieldErrors(form, err, FIELDS) });
    } finally {
      setBusy(false);
    }
  };

  const footer = [
    forced ? (
      <Button key="logout" onClick={onLogout}>
        {t('frame.logout')}
      </Button>
    ) : (
      <Button key="cancel" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
    ),
    <Button key="ok" type="primary" loading={busy} onClick={() => form.submit()} data-testid="password-submit">
      {t('password.submit')}
    </Button>,
  ];

  return (
    <Modal
      open={open}
      title={t('password.title')}
      closable={!forced}
      maskClosable={false}
      keyboard={!forced}
      onCancel={forced ? undefined : onCancel}
      footer={footer}
      forceRender
      afterOpenChange={(o) => {
        if (o) focusIfIdle(first.current);
      }}
      zIndex={1500}
    >
      {forced && <Alert type="warning" showIcon className="form-alert" message={t('password.forcedNotice')} />}
      <Form<Values>
        form={form}
        name="password"
        layout="vertical"
        onFinish={submit}
        onKeyDownCapture={formKeys(() => form.submit())}
      >
        <Form.Item
          name="old_password"
          label={t('password.old_password')}
          rules={[{ required: true, message: t('common.required', { field: t('password.old_password') }) }]}
        >
          <Input.Password ref={first} autoFocus autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="new_password"
          label={t('password.new_password')}
          extra={<Typography.Text type="secondary">{t('password.hint', { min: minChars })}</Typography.Text>}
          rules={[{ required: true, message: t('common.required', { field: t('password.new_password') }) }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="new_password_confirm"
          label={t('password.new_password_confirm')}
          dependencies={['new_password']}
          rules={[
            { required: true, message: t('common.required', { field: t('password.new_password_confirm') }) },
            ({ getFieldValue }) => ({
              validator: (_r, value) =>
                !value || getFieldValue('new_password') === value ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error && (
          <Alert
            type="error"
            showIcon
            data-testid="password-error"
            message={error.err.message || t('password.failed')}
            description={error.rest.length > 0 ? error.rest.map((f) => <div key={f.field + f.code}>{f.message}</div>) : undefined}
          />
        )}
      </Form>
    </Modal>
  );
}
