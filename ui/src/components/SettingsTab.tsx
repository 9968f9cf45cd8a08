import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Form, InputNumber, Spin } from 'antd';
import type { ApiError, FieldError, SettingsView } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { applyFieldErrors } from '../lib/formErrors';
import { formKeys } from '../lib/keyboard';

type Values = { idle_lock_minutes: number | null };

export function SettingsTab({ onSaved }: { onSaved: (s: SettingsView) => void }) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ err: ApiError; rest: FieldError[] } | null>(null);

  /** Reads the settings; `keepTyped` keeps what is in the form (after a conflict). */
  const load = useCallback(
    async (keepTyped: boolean) => {
      setLoadError(null);
      try {
        const s = await api.getSettings();
        setSettings(s);
        if (!keepTyped) form.setFieldsValue({ idle_lock_minutes: s.idle_lock_minutes });
      } catch (e) {
        setLoadError(e as ApiError);
      }
    },
    [form],
  );

  useEffect(() => {
    void load(false);
  }, [load]);

  const submit = async (v: Values) => {
    if (!settings) return;
    setBusy(true);
    setError(null);
    try {
      const s = await api.updateSettings({ version: settings.version, idle_lock_minutes: v.idle_lock_minutes ?? 0 });
      setSettings(s);
      form.setFieldsValue({ idle_lock_minutes: s.idle_lock_minutes });
      onSaved(s);
      void message.success(t('common.saved'));
    } catch (e) {
      const err = e as ApiError;
      setError({ err, rest: applyFieldErrors(form, err, ['idle_lock_minutes']) });
    } finally {
      setBusy(false);
    }
  };

  if (loadError && !settings) return <Alert type="error" showIcon message={loadError.message || t('settings.loadFailed')} />;
  if (!settings) return <Spin />;

  return (
    <Form<Values>
      form={form}
      name="settings"
      layout="vertical"
      className="settings-form"
      onFinish={submit}
      onKeyDownCapture={formKeys(() => form.submit())}
    >
      <Form.Item name="idle_lock_minutes" label={t('settings.idle_lock_minutes')} extra={t('settings.idleHint')}>
        <InputNumber autoFocus precision={0} style={{ width: 160 }} />
      </Form.Item>
      {error && (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          data-testid="settings-error"
          message={error.err.message || t('settings.saveFailed')}
          description={
            <>
              {error.rest.map((f) => (
                <div key={f.field + f.code}>{f.message}</div>
              ))}
              {error.err.kind === 'conflict' && <div>{t('common.conflictHint')}</div>}
            </>
          }
          action={
            error.err.kind === 'conflict' ? (
              <Button size="small" onClick={() => void load(true).then(() => setError(null))}>
                {t('common.reload')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Button type="primary" htmlType="submit" loading={busy} data-testid="settings-save">
        {t('settings.save')}
      </Button>
    </Form>
  );
}
