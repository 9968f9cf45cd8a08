import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Badge, Button, Empty, Spin, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { TabsProps } from 'antd';
import type { ApiError, CaseHit, Desk, DeskOption, DeskOverview, Queue } from '../api/bindings';
import { t } from '../i18n';
import { ApplicantsTab } from '../counter/ApplicantsTab';
import { IntakeTab } from '../intake/IntakeTab';
import { itx } from '../intake/texts';
import { OfficeTreeTab } from '../admin/OfficeTreeTab';
import { StatsTab } from '../reports/StatsTab';
import { stx } from '../reports/texts';
import { QueueTable } from '../shared/QueueTable';
import { FilingWorkspace } from '../filing/FilingWorkspace';
import { PaymentsDesk } from '../payments/PaymentsDesk';
import { CertificateDesk } from '../certificates/CertificateDesk';
import { ReviewWorkspace } from '../review/ReviewWorkspace';
import type { ReviewRow } from '../review/ReviewWorkspace';
import { useSyncPulled } from '../sync/useSyncStatus';

const APPLICANTS = 'applicants';

/** A case found in the top bar, to open at this desk (`nonce` tells one request from the next). */
export type OpenRequest = { desk: Desk; hit: CaseHit; nonce: number };
/** A case to look up in one of the desk's queues. */
export type Lookup = { queue: Queue; serial: string; nonce: number };

/**
 * A working desk: its title and its queues as tabs, each a compact table.
 * The counter desk has the applicant profiles (用户信息) as its first tab;
 * the desk still opens on its first queue.
 */
export function DeskPage({
  desk,
  active,
  overview,
  error,
  onReload,
  mayChangeApplicantCategory = false,
  openRequest = null,
}: {
  desk: DeskOption;
  /** only the desk on screen carries data-testid="desk-title" */
  active: boolean;
  overview: DeskOverview | undefined;
  error: ApiError | undefined;
  onReload: () => void;
  /** the core's word: this person may change an applicant's category */
  mayChangeApplicantCategory?: boolean;
  /** a case found in the top bar, to be opened here */
  openRequest?: OpenRequest | null;
}) {
  const isCounter = desk.desk === 'counter';
  const isPayments = desk.desk === 'payments';
  const isCertificates = desk.desk === 'certificates';
  const [tab, setTab] = useState<string | undefined>(undefined);
  /** The filing open at the counter: a case key, '' for a new one, null for none. */
  const [filing, setFiling] = useState<string | null>(null);
  /** The case open at a review desk (初审, 终审), with the queue row it came from. */
  const reviewDesk = desk.desk === 'first_review' || desk.desk === 'final_review' ? desk.desk : null;
  const [reviewing, setReviewing] = useState<ReviewRow | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const changed = () => {
    setReloadKey((k) => k + 1);
    onReload();
  };
  // Work done at another station (or the server's numbers) arrived: the queues show it.
  const reloadRef = useRef(onReload);
  reloadRef.current = onReload;
  useSyncPulled(
    useCallback(() => {
      setReloadKey((k) => k + 1);
      reloadRef.current();
    }, []),
  );
  const queues = overview?.queues ?? [];

  // A case found in the top bar opens as a click on its queue row would: the
  // counter opens the filing (unless another one is open), a review desk its
  // workspace, any other desk the queue with the case looked up.
  const { message } = AntApp.useApp();
  const [found, setFound] = useState<Lookup | null>(null);
  const handled = useRef(0);
  useEffect(() => {
    if (!openRequest || openRequest.nonce === handled.current) return;
    handled.current = openRequest.nonce;
    const { hit } = openRequest;
    if (isCounter) {
      if (filing !== null && filing !== hit.case.serial) {
        void message.warning(t('search.counterBusy', { serial: filing || t('search.untitled') }));
      } else {
        setFiling(hit.case.serial);
      }
    } else if (reviewDesk) {
      setReviewing(hit.case);
    } else {
      setTab(hit.queue);
      setFound({ queue: hit.queue, serial: hit.case.serial, nonce: openRequest.nonce });
    }
  }, [openRequest, isCounter, reviewDesk, filing, message]);

  const items: NonNullable<TabsProps['items']> = queues.map((q) => ({
    key: q.queue,
    label: (
      <span data-testid={`tab-${q.queue}`}>
        {q.label} <Badge count={q.count} showZero color={q.count > 0 ? 'blue' : '#bfbfbf'} overflowCount={99999} />
        {q.overdue > 0 && (
          <Tag color="red" className="queue-overdue" data-testid={`overdue-${q.queue}`}>
            {t('desk.overdue', { n: q.overdue })}
          </Tag>
        )}
      </span>
    ),
    children: (
      <QueueTable
        queue={q.queue}
        label={q.label}
        reloadKey={reloadKey}
        lookup={found?.queue === q.queue ? found.serial : undefined}
        onOpen={isCounter ? (row) => setFiling(row.serial) : reviewDesk ? setReviewing : undefined}
      />
    ),
  }));
  if (desk.desk === 'reports') {
    items.push({
      key: 'offices',
      label: <span data-testid="tab-offices">{t('offices.tab')}</span>,
      children: <OfficeTreeTab canAdd={false} />,
    });
    items.push({
      key: 'stats',
      label: <span data-testid="tab-stats">{stx('tab')}</span>,
      children: <StatsTab />,
    });
  }
  if (isCounter) {
    items.unshift({
      key: APPLICANTS,
      label: <span data-testid="tab-applicants">{t('desk.tab.applicants')}</span>,
      children: <ApplicantsTab active={active && (tab ?? queues[0]?.queue ?? APPLICANTS) === APPLICANTS} canChangeCategory={mayChangeApplicantCategory} />,
    });
    items.push({
      key: 'intake',
      label: <span data-testid="tab-intake">{itx('tab')}</span>,
      children: <IntakeTab onChanged={changed} />,
    });
  }
  const activeKey = tab ?? queues[0]?.queue ?? (isCounter ? APPLICANTS : undefined);

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
      {overview && items.length === 0 && !isPayments && !isCertificates && <Empty />}
      {isPayments ? (
        overview && <PaymentsDesk overview={overview} onChanged={changed} lookup={found} />
      ) : isCertificates ? (
        <CertificateDesk onChanged={changed} queueTabs={items} tab={tab} onTab={setTab} />
      ) : filing !== null ? (
        <FilingWorkspace
          caseKey={filing || undefined}
          onSaved={(c) => {
            setFiling(c.serial);
            changed();
          }}
          onClose={() => {
            setFiling(null);
            changed();
          }}
        />
      ) : reviewDesk && reviewing ? (
        <ReviewWorkspace
          key={reviewing.serial}
          caseKey={reviewing.serial}
          desk={reviewDesk}
          row={reviewing}
          onChanged={changed}
          onClose={() => {
            setReviewing(null);
            changed();
          }}
        />
      ) : (
        items.length > 0 && (
          <Tabs
            activeKey={activeKey}
            onChange={setTab}
            items={items}
            tabBarExtraContent={
              isCounter ? (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setFiling('')} data-testid="filing-new">
                  {t('desk.newFiling')}
                </Button>
              ) : undefined
            }
          />
        )
      )}
    </div>
  );
}
