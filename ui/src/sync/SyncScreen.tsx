// 同步 (管理 → 同步, and from the header's sync state): the server, this
// station's name, the pinned CA's fingerprint, the last successful sync, the
// last error in words, what waits, the position, 立即同步 with its outcome,
// and the 需处理 inbox. An admin of a station that works alone enrols it here;
// on an enrolled station an admin also audits the office's registration numbers.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Space, Spin, Typography } from 'antd';
import { SyncOutlined } from '@ant-design/icons';
import type { ApiError } from '../api/bindings';
import { fmtDateTime } from '../shared/format';
import { EnrolForm } from './EnrolForm';
import { InboxList } from './InboxList';
import { NumbersAudit } from './NumbersAudit';
import { syncApi } from './api';
import type { SyncOutcome } from './api';
import { useSyncStatus } from './useSyncStatus';
import { st } from './texts';

export function SyncScreen({ mayEnrol }: { mayEnrol: boolean }) {
  const { message } = AntApp.useApp();
  const { status, error, reload } = useSyncStatus();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<SyncOutcome | null>(null);
  const [nowError, setNowError] = useState<ApiError | null>(null);
  const [inboxKey, setInboxKey] = useState(0);

  const syncNow = async () => {
    setBusy(true);
    setNowError(null);
    setOutcome(null);
    try {
      const o = await syncApi.syncNow();
      setOutcome(o);
      setInboxKey((k) => k + 1);
    } catch (e) {
      setNowError(e as ApiError);
    } finally {
      setBusy(false);
      reload();
    }
  };

  if (error && !status) {
    return (
      <Alert
        type="error"
        showIcon
        message={st('loadFailed')}
        description={error.message}
        action={<Button size="small" onClick={reload}>{st('retry')}</Button>}
      />
    );
  }
  if (!status) return <Spin />;

  if (!status.enrolled) {
    return (
      <div className="sync-screen" data-testid="sync-screen">
        <Alert type="info" showIcon message={st('notEnrolled')} description={mayEnrol ? undefined : st('notEnrolledAdmin')} data-testid="sync-not-enrolled" />
        {mayEnrol && (
          <Card size="small" title={st('enrol.title')} className="sync-enrol">
            <Typography.Paragraph type="secondary">{st('enrol.intro')}</Typography.Paragraph>
            <EnrolForm
              onEnrolled={(s) => {
                message.success(st('enrol.done', { server: s.server_url ?? '', station: s.station_name ?? '' }));
                reload();
              }}
            />
          </Card>
        )}
      </div>
    );
  }

  const outcomeText =
    outcome &&
    st('now.outcome', { pushed: outcome.pushed, accepted: outcome.accepted, rejected: outcome.rejected, pulled: outcome.pulled, cursor: outcome.cursor });
  return (
    <div className="sync-screen" data-testid="sync-screen">
      <Descriptions size="small" bordered column={2} data-testid="sync-details">
        <Descriptions.Item label={st('field.server')}>
          <span data-testid="sync-server">{status.server_url}</span>
        </Descriptions.Item>
        <Descriptions.Item label={st('field.station')}>
          <span data-testid="sync-station">{status.station_name}</span>
        </Descriptions.Item>
        <Descriptions.Item label={st('field.office')}>{status.office_name}</Descriptions.Item>
        <Descriptions.Item label={st('field.enrolledAt')}>{fmtDateTime(status.enrolled_at)}</Descriptions.Item>
        <Descriptions.Item label={st('field.fingerprint')} span={2}>
          <Typography.Text code copyable data-testid="sync-fingerprint">
            {status.ca_fingerprint}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={st('field.lastSuccess')}>
          <span data-testid="sync-last-success">{status.last_success ? fmtDateTime(status.last_success) : st('never')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={st('field.lastAttempt')}>{status.last_attempt ? fmtDateTime(status.last_attempt) : st('never')}</Descriptions.Item>
        <Descriptions.Item label={st('field.lastError')} span={2}>
          {status.last_error ? (
            <Typography.Text type="danger" data-testid="sync-last-error">
              {status.last_error}
            </Typography.Text>
          ) : (
            st('none')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={st('field.pending')}>
          <span data-testid="sync-pending">{st('field.pendingCount', { count: status.pending })}</span>
        </Descriptions.Item>
        <Descriptions.Item label={st('field.inbox')}>
          <span data-testid="sync-inbox-count">{st('field.inboxCount', { count: status.inbox })}</span>
        </Descriptions.Item>
        <Descriptions.Item label={st('field.cursor')}>
          <span data-testid="sync-cursor">{status.cursor}</span>
        </Descriptions.Item>
      </Descriptions>
      <Space className="sync-actions">
        <Button type="primary" icon={<SyncOutlined spin={busy} />} loading={busy} onClick={() => void syncNow()} data-testid="sync-now">
          {st('now')}
        </Button>
      </Space>
      {outcome && (
        <Alert
          className="form-alert"
          type={outcome.error ? 'warning' : 'success'}
          showIcon
          message={outcome.error ? st('now.failed') : st('now.done')}
          description={
            <>
              <div data-testid="sync-outcome">{outcomeText}</div>
              {outcome.error && <div data-testid="sync-outcome-error">{outcome.error}</div>}
              {outcome.rejected > 0 && <div>{st('now.rejectedHint')}</div>}
            </>
          }
        />
      )}
      {nowError && <Alert className="form-alert" type="error" showIcon message={st('now.failed')} description={nowError.message} data-testid="sync-now-error" />}
      <InboxList key={inboxKey} onChanged={reload} />
      {mayEnrol && <NumbersAudit />}
    </div>
  );
}
