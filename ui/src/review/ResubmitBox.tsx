// 重新提交: a filing returned for correction, changed and signed again by
// everyone, goes back to first review without a new fee. In a correction round
// the core keeps the case in 待签章 once all have signed (no payment step); the
// box offers the resubmission then. The core decides whether it may.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Result } from 'antd';
import { SendOutlined } from '@ant-design/icons';
import type { ApiError, CaseDetail } from '../api/bindings';
import { reviewApi } from './api';
import { rt } from './texts';

export function ResubmitBox({ detail, onChange }: { detail: CaseDetail; onChange: (c: CaseDetail) => void }) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [doneFor, setDoneFor] = useState<string | null>(null);

  if (doneFor === detail.id && detail.state === 'awaiting_first_review') {
    return (
      <div data-testid="resubmit-done">
        <Result status="success" title={rt('resubmit.done')} subTitle={rt('resubmit.doneSub', { serial: detail.serial })} />
      </div>
    );
  }
  if (!detail.awaits_resubmission) return null;

  const resubmit = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const c = await reviewApi.resubmit({ case_id: detail.id, version: detail.version });
      setDoneFor(c.id);
      void message.success(rt('resubmit.done'));
      onChange(c);
    } catch (e) {
      setFailure(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="filing-resubmit" data-testid="resubmit-box">
      <Alert
        type="info"
        showIcon
        message={rt('resubmit.title')}
        description={rt('resubmit.hint')}
        action={
          <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => void resubmit()} data-testid="resubmit">
            {rt('resubmit.btn')}
          </Button>
        }
      />
      {failure && (
        <Alert
          className="filing-alert"
          type="error"
          showIcon
          data-testid="resubmit-error"
          message={rt('resubmit.failed', { message: failure.message })}
        />
      )}
    </div>
  );
}
