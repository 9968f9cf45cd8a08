// 撤销登记 (admin): find a registered case by serial or registration number,
// choose the ground (试行办法 art. 6) and a note; the core decides and keeps
// the number visible as revoked.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Popconfirm, Select } from 'antd';
import type { ButtonProps } from 'antd';
import type { ApiError, CaseDetail, RevocationGround, RevokeInput } from '../api/bindings';
import { call } from '../api/client';
import { CaseFacts, CaseLookup } from './CaseLookup';
import { t } from '../i18n';

const GROUNDS: ReadonlyArray<RevocationGround> = [
  'refusal_ground_found_later',
  'facts_mismatch',
  'applicant_request',
  'duplicate_registration',
];

export function RevokeTab() {
  const { message } = AntApp.useApp();
  const [found, setFound] = useState<CaseDetail | null>(null);
  const [ground, setGround] = useState<RevocationGround | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const revoke = async () => {
    if (!found || !ground) {
      setError(t('revoke.needGround'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const input: RevokeInput = { case_id: found.id, version: found.version, ground, note };
      const c = await call<CaseDetail>('revoke_registration', { input });
      setFound(c);
      void message.success(t('revoke.done', { number: c.registration_number ?? '' }));
    } catch (e) {
      const err = e as ApiError;
      setError(err.fields.length > 0 ? err.fields.map((f) => f.message).join('；') : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="revoke-tab" data-testid="revoke-tab">
      <Alert type="info" showIcon message={t('revoke.hint')} className="form-alert" />
      <CaseLookup
        testKey="revoke"
        onFound={(c) => {
          setFound(c);
          setError(null);
        }}
      />
      {found && (
        <div className="revoke-case">
          <CaseFacts c={found} testKey="revoke" />
          {found.registered ? (
            <Form layout="vertical" className="revoke-form">
              <Form.Item label={t('revoke.ground')} required>
                <Select<RevocationGround>
                  value={ground ?? undefined}
                  onChange={setGround}
                  options={GROUNDS.map((g) => ({ value: g, label: t(`revoke.ground.${g}` as const) }))}
                  data-testid="revoke-ground"
                />
              </Form.Item>
              <Form.Item label={t('revoke.note')}>
                <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} data-testid="revoke-note" />
              </Form.Item>
              <Popconfirm
                title={t('revoke.confirm')}
                onConfirm={() => void revoke()}
                okButtonProps={{ danger: true, 'data-testid': 'revoke-ok' } as ButtonProps}
              >
                <Button danger loading={busy} data-testid="revoke-submit">
                  {t('revoke.submit')}
                </Button>
              </Popconfirm>
            </Form>
          ) : (
            <Alert type="warning" showIcon message={t('revoke.notRegistered', { state: found.state_label })} className="form-alert" />
          )}
        </div>
      )}
      {error && <Alert type="error" showIcon message={error} data-testid="revoke-error" className="form-alert" />}
    </div>
  );
}
