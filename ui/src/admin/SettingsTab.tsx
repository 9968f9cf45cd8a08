import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Divider, Form, InputNumber, Space, Spin, Switch, Typography } from 'antd';
import type { ApiError, FieldError, SettingsView } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { applyFieldErrors } from '../shared/formErrors';
import { formKeys } from '../shared/keyboard';

type Values = {
  idle_lock_minutes: number | null;
  review_working_days: number | null;
  correction_notice_days: number | null;
  correction_period_days: number | null;
  /** The fee as typed, in yuan. */
  fee_yuan: number | null;
};

const FIELDS = ['idle_lock_minutes', 'review_working_days', 'correction_notice_days', 'correction_period_days'] as const;

function toForm(s: SettingsView): Values {
  return {
    idle_lock_minutes: s.idle_lock_minutes,
    review_working_days: s.review_working_days,
    correction_notice_days: s.correction_notice_days,
    correction_period_days: s.correction_period_days,
    fee_yuan: s.fee_per_work_fen / 100,
  };
}

export function SettingsTab({ onSaved }: { onSaved: (s: SettingsView) => void }) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [keyWhere, setKeyWhere] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ err: ApiError; rest: FieldError[] } | null>(null);

  /** Reads the settings; `keepTyped` keeps what is in the form (after a conflict). */
  const load = useCallback(
    async (keepTyped: boolean) => {
      setLoadError(null);
      try {
        const s = await api.settings();
        setSettings(s);
        if (!keepTyped) form.setFieldsValue(toForm(s));
      } catch (e) {
        setLoadError(e as ApiError);
      }
    },
    [form],
  );

  useEffect(() => {
    void load(false);
  }, [load]);

  useEffect(() => {
    let live = true;
    api.keyLocation().then(
      (where) => live && setKeyWhere({ ok: true, text: where }),
      (e: ApiError) => live && setKeyWhere({ ok: false, text: e.message }),
    );
    return () => {
      live = false;
    };
  }, []);

  // 一人一表: its own command; the form's typed values stay as they are.
  const [batchError, setBatchError] = useState<string | null>(null);
  const toggleBatchForm = async (allowed: boolean) => {
    if (!settings) return;
    setBatchError(null);
    try {
      await api.setBatchSigningForm({ version: settings.version, allowed });
      const s = await api.settings();
      setSettings(s);
      onSaved(s);
      void message.success(t('common.saved'));
    } catch (e) {
      setBatchError((e as ApiError).message);
    }
  };

  // 登记号租用: its own command, shared with every station and the server.
  const [lease, setLease] = useState<{ size: number | null; refill: number | null } | null>(null);
  const [leaseError, setLeaseError] = useState<ApiError | null>(null);
  const [leaseBusy, setLeaseBusy] = useState(false);
  // What is typed (a cleared box stays empty), else the settings as read.
  const leaseSize = lease ? lease.size : (settings?.number_lease_size ?? null);
  const leaseRefill = lease ? lease.refill : (settings?.number_refill_at ?? null);
  const saveLeases = async () => {
    if (!settings) return;
    setLeaseBusy(true);
    setLeaseError(null);
    try {
      const s = await api.setNumberLeases({ version: settings.version, lease_size: leaseSize ?? 0, refill_at: leaseRefill ?? 0 });
      setSettings(s);
      setLease(null);
      onSaved(s);
      void message.success(t('common.saved'));
    } catch (e) {
      setLeaseError(e as ApiError);
    } finally {
      setLeaseBusy(false);
    }
  };

  const submit = async (v: Values) => {
    if (!settings) return;
    setBusy(true);
    setError(null);
    try {
      const s = await api.updateSettings({
        version: settings.version,
        idle_lock_minutes: v.idle_lock_minutes ?? 0,
        review_working_days: v.review_working_days ?? 0,
        correction_notice_days: v.correction_notice_days ?? 0,
        correction_period_days: v.correction_period_days ?? 0,
        // Money crosses as integer fen.
        fee_per_work_fen: Math.round((v.fee_yuan ?? 0) * 100),
      });
      setSettings(s);
      form.setFieldsValue(toForm(s));
      onSaved(s);
      void message.success(t('common.saved'));
    } catch (e) {
      const err = e as ApiError;
      // The fee's errors belong under the yuan field.
      const mapped = { ...err, fields: err.fields.map((f) => (f.field === 'fee_per_work_fen' ? { ...f, field: 'fee_yuan' } : f)) };
      setError({ err, rest: applyFieldErrors(form, mapped, [...FIELDS, 'fee_yuan']) });
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
        <InputNumber autoFocus precision={0} min={0} style={{ width: 160 }} />
      </Form.Item>
      <Divider orientation="left" plain>
        {t('settings.casePeriods')}
      </Divider>
      <Space size="large" wrap align="start">
        <Form.Item name="review_working_days" label={t('settings.review_working_days')}>
          <InputNumber precision={0} min={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="correction_notice_days" label={t('settings.correction_notice_days')}>
          <InputNumber precision={0} min={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="correction_period_days" label={t('settings.correction_period_days')}>
          <InputNumber precision={0} min={0} style={{ width: 160 }} />
        </Form.Item>
      </Space>
      <Divider orientation="left" plain>
        {t('settings.fee')}
      </Divider>
      <Form.Item name="fee_yuan" label={t('settings.fee_yuan')} extra={t('settings.feeHint')}>
        <InputNumber precision={2} min={0} step={10} prefix="¥" style={{ width: 160 }} />
      </Form.Item>
      <Divider orientation="left" plain>
        {t('settings.signing')}
      </Divider>
      <Space align="start" style={{ marginBottom: 16 }}>
        <Switch checked={settings.batch_signing_form} onChange={(on) => void toggleBatchForm(on)} data-testid="settings-batch-signing" />
        <div>
          <div>{t('settings.batchSigningForm')}</div>
          <Typography.Text type="secondary">{t('settings.batchSigningHint')}</Typography.Text>
          {batchError && (
            <Alert type="error" showIcon message={batchError} data-testid="settings-batch-signing-error" />
          )}
        </div>
      </Space>
      <Divider orientation="left" plain>
        {t('settings.numberLeases')}
      </Divider>
      <Typography.Paragraph type="secondary">{t('settings.numberLeasesHint')}</Typography.Paragraph>
      <Space size="large" wrap align="end" style={{ marginBottom: 16 }}>
        <div>
          <div>{t('settings.number_lease_size')}</div>
          <InputNumber
            precision={0}
            min={0}
            value={leaseSize}
            onChange={(v) => setLease({ size: v, refill: leaseRefill })}
            style={{ width: 160 }}
            data-testid="settings-lease-size"
          />
        </div>
        <div>
          <div>{t('settings.number_refill_at')}</div>
          <InputNumber
            precision={0}
            min={0}
            value={leaseRefill}
            onChange={(v) => setLease({ size: leaseSize, refill: v })}
            style={{ width: 160 }}
            data-testid="settings-refill-at"
          />
        </div>
        <Button onClick={() => void saveLeases()} loading={leaseBusy} data-testid="settings-leases-save">
          {t('settings.saveNumberLeases')}
        </Button>
      </Space>
      {leaseError && (
        <Alert
          type="error"
          showIcon
          data-testid="settings-leases-error"
          style={{ marginBottom: 16 }}
          message={leaseError.message || t('settings.saveFailed')}
          description={leaseError.fields.map((f) => (
            <div key={f.field + f.code}>{f.message}</div>
          ))}
        />
      )}
      <Divider orientation="left" plain>
        {t('settings.encryption')}
      </Divider>
      {keyWhere && (
        <Alert
          data-testid="settings-key-note"
          type={keyWhere.ok ? 'info' : 'warning'}
          showIcon
          message={keyWhere.ok ? t('settings.keyNote', { where: keyWhere.text }) : keyWhere.text}
          style={{ marginBottom: 16 }}
        />
      )}
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
