import { useState } from 'react';
import { Alert, Button, Card, Divider, Form, Input, Select, Typography } from 'antd';
import type { ApiError, AppStatus, FieldError, SessionView, SetupInput } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { applyFieldErrors } from '../shared/formErrors';
import { formKeys } from '../shared/keyboard';
import { st } from '../sync/texts';

type SetupValues = {
  office: { name: string; office_code: string; reg_prefix: string; province_code: string };
  station_name: string;
  admin: { username: string; display_name: string; password: string; password_confirm: string };
};

const FIELDS = [
  'office.name',
  'office.office_code',
  'office.reg_prefix',
  'office.province_code',
  'station_name',
  'admin.username',
  'admin.display_name',
  'admin.password',
  'admin.password_confirm',
] as const;

export const DEFAULT_PROVINCE = '33';
export const DEFAULT_REG_PREFIX = '浙作登字';

export function SetupScreen({ status, onDone, onJoin }: { status: AppStatus; onDone: (s: SessionView) => void; onJoin?: () => void }) {
  const [form] = Form.useForm<SetupValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ err: ApiError; rest: FieldError[] } | null>(null);

  const provinceDefault = status.provinces.some((p) => p.code === DEFAULT_PROVINCE)
    ? DEFAULT_PROVINCE
    : status.provinces[0]?.code;

  const submit = async (v: SetupValues) => {
    const input: SetupInput = {
      office: {
        name: v.office.name ?? '',
        office_code: v.office.office_code ?? '',
        reg_prefix: v.office.reg_prefix ?? '',
        province_code: v.office.province_code ?? '',
      },
      station_name: v.station_name ?? '',
      // The first person is the office's administrator; the core decides what that grants.
      admin: { username: v.admin.username ?? '', display_name: v.admin.display_name ?? '', roles: ['admin'], password: v.admin.password ?? '' },
    };
    setBusy(true);
    setError(null);
    try {
      const session = await api.setupOffice(input);
      onDone(session);
    } catch (e) {
      const err = e as ApiError;
      const rest = applyFieldErrors(form, err, FIELDS);
      setError({ err, rest });
    } finally {
      setBusy(false);
    }
  };

  const req = (label: string) => [{ required: true, whitespace: true, message: t('common.required', { field: label }) }];

  return (
    <div className="screen-center">
      <Card className="setup-card" variant="borderless">
        <Typography.Title level={3}>{t('setup.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('setup.intro')}</Typography.Paragraph>
        {onJoin && (
          <Alert
            className="form-alert"
            type="info"
            message={st('join.chooseHint')}
            action={
              <Button onClick={onJoin} data-testid="setup-join">
                {st('join.choose')}
              </Button>
            }
          />
        )}
        <Form<SetupValues>
          form={form}
          name="setup"
          layout="vertical"
          requiredMark
          initialValues={{ office: { reg_prefix: DEFAULT_REG_PREFIX, province_code: provinceDefault } }}
          onFinish={submit}
          onKeyDownCapture={formKeys(() => form.submit())}
        >
          <Divider orientation="left">{t('setup.section.office')}</Divider>
          <Form.Item name={['office', 'name']} label={t('setup.office.name')} rules={req(t('setup.office.name'))}>
            <Input autoFocus placeholder={t('setup.office.name.placeholder')} autoComplete="off" />
          </Form.Item>
          <div className="form-row">
            <Form.Item name={['office', 'office_code']} label={t('setup.office.office_code')} rules={req(t('setup.office.office_code'))}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name={['office', 'reg_prefix']} label={t('setup.office.reg_prefix')} rules={req(t('setup.office.reg_prefix'))}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name={['office', 'province_code']} label={t('setup.office.province_code')} rules={req(t('setup.office.province_code'))}>
              <Select
                showSearch
                optionFilterProp="label"
                options={status.provinces.map((p) => ({ value: p.code, label: `${p.code} ${p.name}` }))}
              />
            </Form.Item>
          </div>

          <Divider orientation="left">{t('setup.section.station')}</Divider>
          <Form.Item name="station_name" label={t('setup.station_name')} rules={req(t('setup.station_name'))}>
            <Input placeholder={t('setup.station_name.placeholder')} autoComplete="off" />
          </Form.Item>

          <Divider orientation="left">{t('setup.section.admin')}</Divider>
          <div className="form-row">
            <Form.Item name={['admin', 'username']} label={t('setup.admin.username')} rules={req(t('setup.admin.username'))}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name={['admin', 'display_name']} label={t('setup.admin.display_name')} rules={req(t('setup.admin.display_name'))}>
              <Input autoComplete="off" />
            </Form.Item>
          </div>
          <div className="form-row">
            <Form.Item
              name={['admin', 'password']}
              label={t('setup.admin.password')}
              extra={t('password.hint', { min: status.password_min_chars })}
              rules={[{ required: true, message: t('common.required', { field: t('setup.admin.password') }) }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name={['admin', 'password_confirm']}
              label={t('setup.admin.password_confirm')}
              dependencies={[['admin', 'password']]}
              rules={[
                { required: true, message: t('common.required', { field: t('setup.admin.password_confirm') }) },
                ({ getFieldValue }) => ({
                  validator: (_r, value) =>
                    !value || getFieldValue(['admin', 'password']) === value
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('password.mismatch'))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </div>

          {error && (
            <Alert
              className="form-alert"
              type="error"
              showIcon
              message={error.err.message || t('setup.failed')}
              description={
                error.rest.length > 0 ? error.rest.map((f) => <div key={f.field + f.code}>{f.message}</div>) : undefined
              }
              data-testid="setup-error"
            />
          )}
          <Button type="primary" htmlType="submit" size="large" loading={busy} data-testid="setup-submit" block>
            {t('setup.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
