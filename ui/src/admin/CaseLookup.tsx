// Finds one case by serial or registration number (admin corrections) and
// shows what identifies it.
import { useState } from 'react';
import { Alert, Button, Descriptions, Input, Space, Tag } from 'antd';
import type { ApiError, CaseDetail } from '../api/bindings';
import { call } from '../api/client';
import { t } from '../i18n';

export function CaseLookup({ testKey, onFound }: { testKey: string; onFound: (c: CaseDetail | null) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);

  const find = async () => {
    setError(null);
    onFound(null);
    if (key.trim() === '') return;
    try {
      onFound(await call<CaseDetail>('case_detail', { input: { key: key.trim() } }));
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  return (
    <>
      <Space.Compact style={{ width: 520 }}>
        <Input
          value={key}
          onChange={(e) => setKey(e.target.value)}
          onPressEnter={() => void find()}
          placeholder={t('revoke.find')}
          data-testid={`${testKey}-key`}
          autoComplete="off"
        />
        <Button onClick={() => void find()} data-testid={`${testKey}-find`}>
          {t('revoke.findButton')}
        </Button>
      </Space.Compact>
      {error && <Alert type="error" showIcon message={error} data-testid={`${testKey}-error`} className="form-alert" />}
    </>
  );
}

/** What identifies the case found. */
export function CaseFacts({ c, testKey }: { c: CaseDetail; testKey: string }) {
  return (
    <Descriptions
      size="small"
      bordered
      column={2}
      items={[
        { key: 'serial', label: t('revoke.serial'), children: c.serial },
        { key: 'state', label: t('revoke.state'), children: <Tag data-testid={`${testKey}-state`}>{c.state_label}</Tag> },
        { key: 'regno', label: t('revoke.regno'), children: c.registration_number ?? '—' },
        { key: 'title', label: t('revoke.title'), children: c.draft.work.title },
        { key: 'applicant', label: t('revoke.applicant'), children: c.applicant_name },
      ]}
    />
  );
}
