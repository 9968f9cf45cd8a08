import { Alert, Badge, Button, Empty, Spin, Tabs, Typography } from 'antd';
import type { ApiError, DeskOption, DeskOverview } from '../api/bindings';
import { t } from '../i18n';
import { QueueTable } from './QueueTable';

/** A working desk: its title and its queues as tabs, each a compact table. */
export function DeskPage({
  desk,
  active,
  overview,
  error,
  onReload,
}: {
  desk: DeskOption;
  /** only the desk on screen carries data-testid="desk-title" */
  active: boolean;
  overview: DeskOverview | undefined;
  error: ApiError | undefined;
  onReload: () => void;
}) {
  return (
    <div className="desk-page">
      <Typography.Title level={4} data-testid={active ? 'desk-title' : undefined} className="desk-title">
        {desk.label}
      </Typography.Title>
      {error && (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          message={error.message || t('desk.overviewFailed')}
          action={
            <Button size="small" onClick={onReload}>
              {t('app.retry')}
            </Button>
          }
        />
      )}
      {!overview && !error && <Spin />}
      {overview && overview.queues.length === 0 && <Empty />}
      {overview && overview.queues.length > 0 && (
        <Tabs
          items={overview.queues.map((q) => ({
            key: q.queue,
            label: (
              <span data-testid={`tab-${q.queue}`}>
                {q.label} <Badge count={q.count} showZero color={q.count > 0 ? 'blue' : '#bfbfbf'} overflowCount={99999} />
              </span>
            ),
            children: <QueueTable queue={q.queue} label={q.label} />,
          }))}
        />
      )}
    </div>
  );
}
