// 案件移交 (admin): find a case by serial or registration number, then move it
// to another office of the office tree with the reason. The core checks the
// office, the case's scope and the version; the case then leaves the old
// office's stations and reaches the new office's.
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Modal, Select } from 'antd';
import type { ButtonProps } from 'antd';
import type { ApiError, CaseDetail, OfficeNode, TransferCaseInput } from '../api/bindings';
import { call } from '../api/client';
import { CaseFacts, CaseLookup } from './CaseLookup';
import { t } from '../i18n';

export function TransferTab() {
  const { message } = AntApp.useApp();
  const [found, setFound] = useState<CaseDetail | null>(null);
  const [offices, setOffices] = useState<OfficeNode[]>([]);
  const [open, setOpen] = useState(false);
  const [office, setOffice] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call<OfficeNode[]>('office_tree').then(setOffices, (e: ApiError) => setError(e.message));
  }, []);

  const transfer = async () => {
    if (!found) return;
    setBusy(true);
    setError(null);
    try {
      const input: TransferCaseInput = { case_id: found.id, version: found.version, office_code: office ?? '', reason };
      const c = await call<CaseDetail>('transfer_case', { input });
      setFound(c);
      setOpen(false);
      const name = offices.find((o) => o.code === office)?.name ?? office ?? '';
      void message.success(t('transfer.done', { serial: c.serial, office: name }));
    } catch (e) {
      const err = e as ApiError;
      setError(err.fields.length > 0 ? err.fields.map((f) => f.message).join('；') : err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="transfer-tab" data-testid="transfer-tab">
      <Alert type="info" showIcon message={t('transfer.hint')} className="form-alert" />
      <CaseLookup
        testKey="transfer"
        onFound={(c) => {
          setFound(c);
          setError(null);
        }}
      />
      {found && (
        <div className="revoke-case">
          <CaseFacts c={found} testKey="transfer" />
          <Button
            type="primary"
            onClick={() => {
              setOffice(null);
              setReason('');
              setError(null);
              setOpen(true);
            }}
            data-testid="transfer-open"
          >
            {t('transfer.button')}
          </Button>
        </div>
      )}
      <Modal
        open={open}
        title={t('transfer.title', { serial: found?.serial ?? '' })}
        okText={t('transfer.submit')}
        onOk={() => void transfer()}
        onCancel={() => setOpen(false)}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'transfer-submit' } as ButtonProps}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('transfer.office')} required>
            <Select<string>
              value={office ?? undefined}
              onChange={setOffice}
              placeholder={t('transfer.officePlaceholder')}
              options={offices.map((o) => ({
                value: o.code,
                label: `${'　'.repeat(o.depth)}${o.name}（${o.code}）`,
              }))}
              data-testid="transfer-office"
            />
          </Form.Item>
          <Form.Item label={t('transfer.reason')} required>
            <Input.TextArea
              rows={3}
              maxLength={200}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="transfer-reason"
            />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon message={error} data-testid="transfer-dialog-error" className="form-alert" />}
      </Modal>
      {error && !open && <Alert type="error" showIcon message={error} data-testid="transfer-error" className="form-alert" />}
    </div>
  );
}
