// 核款台: record offline transfers, check them (another officer confirms), import bank
// statements, refunds, e-invoices and the daily fee report, as tabs.
import { useEffect, useState } from 'react';
import { Badge, Tabs } from 'antd';
import type { TabsProps } from 'antd';
import type { DeskOverview, Queue } from '../api/bindings';
import type { Lookup } from '../frame/DeskPage';
import '../filing/filing.css';
import { CasesTab } from './CasesTab';
import { CheckTab } from './CheckTab';
import { InvoicesTab } from './InvoicesTab';
import { RefundsTab } from './RefundsTab';
import { ReportTab } from './ReportTab';
import { StatementTab } from './StatementTab';
import { pt } from './texts';
import type { PaymentTextKey } from './texts';
import './payments.css';

export type PaymentsTab = 'pay-cases' | 'pay-check' | 'pay-statement' | 'pay-refunds' | 'pay-invoices' | 'pay-report';

/** The desk's queue whose count a tab's badge shows. */
const BADGE_QUEUE: Partial<Record<PaymentsTab, Queue>> = {
  'pay-cases': 'awaiting_payment',
  'pay-check': 'awaiting_payment_check',
};

export function PaymentsDesk({
  overview,
  onChanged,
  lookup = null,
}: {
  overview: DeskOverview | undefined;
  onChanged: () => void;
  /** a case found in the top bar: its tab opens (待缴费 with the case looked up) */
  lookup?: Lookup | null;
}) {
  const [tab, setTab] = useState<PaymentsTab>('pay-cases');
  useEffect(() => {
    if (lookup) setTab(lookup.queue === 'awaiting_payment_check' ? 'pay-check' : 'pay-cases');
  }, [lookup]);
  const [reloadKey, setReloadKey] = useState(0);
  const changed = () => {
    setReloadKey((k) => k + 1);
    onChanged();
  };

  const label = (key: PaymentsTab) => {
    const queue = BADGE_QUEUE[key];
    const count = queue ? overview?.queues.find((q) => q.queue === queue)?.count : undefined;
    return (
      <span data-testid={`tab-${key}`}>
        {pt(`tab.${key}` as PaymentTextKey)}
        {count !== undefined && (
          <>
            {' '}
            <Badge count={count} showZero color={count > 0 ? 'blue' : '#bfbfbf'} overflowCount={99999} />
          </>
        )}
      </span>
    );
  };

  const props = { reloadKey, onChanged: changed };
  const items: NonNullable<TabsProps['items']> = [
    { key: 'pay-cases', label: label('pay-cases'), children: <CasesTab {...props} lookup={lookup?.queue === 'awaiting_payment' ? lookup.serial : undefined} /> },
    { key: 'pay-check', label: label('pay-check'), children: <CheckTab {...props} /> },
    { key: 'pay-statement', label: label('pay-statement'), children: <StatementTab {...props} /> },
    { key: 'pay-refunds', label: label('pay-refunds'), children: <RefundsTab {...props} /> },
    { key: 'pay-invoices', label: label('pay-invoices'), children: <InvoicesTab {...props} /> },
    { key: 'pay-report', label: label('pay-report'), children: <ReportTab reloadKey={reloadKey} /> },
  ];
  return <Tabs className="payments-desk" activeKey={tab} onChange={(k) => setTab(k as PaymentsTab)} items={items} />;
}
