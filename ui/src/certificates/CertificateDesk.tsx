// 制证发证台: the certificate desk's tabs. The desk's own work is the TABS
// list (key, label, content: one entry per tab); the desk's queues from the
// overview (已登记, where a case found in the top bar is looked up) follow it.
import { useState } from 'react';
import { Tabs } from 'antd';
import type { TabsProps } from 'antd';
import { ct } from './texts';
import { ToPrintTab } from './ToPrintTab';
import { MailTab } from './MailTab';
import { PickupTab } from './PickupTab';
import { dt } from './deliveryTexts';
import './certificates.css';

type TabItems = NonNullable<TabsProps['items']>;
type DeskTab = { key: string; label: string; render: (p: { reloadKey: number; onChanged: () => void }) => React.ReactNode };

const TABS: DeskTab[] = [
  { key: 'to-print', label: ct('tab.to-print'), render: (p) => <ToPrintTab {...p} /> },
  { key: 'mail', label: dt('tab.mail'), render: (p) => <MailTab onChanged={p.onChanged} reloadKey={p.reloadKey} /> },
  { key: 'pickup', label: dt('tab.pickup'), render: (p) => <PickupTab onChanged={p.onChanged} /> },
];

export function CertificateDesk({
  onChanged,
  queueTabs = [],
  tab,
  onTab,
}: {
  onChanged: () => void;
  /** the desk's queues as the frame shows them */
  queueTabs?: TabItems;
  /** the tab on screen when the frame chooses it (a case found in the top bar) */
  tab?: string;
  onTab?: (key: string) => void;
}) {
  const [reloadKey, setReloadKey] = useState(0);
  const [own, setOwn] = useState<string>(TABS[0].key);
  const changed = () => {
    setReloadKey((k) => k + 1);
    onChanged();
  };
  const items: TabItems = [
    ...TABS.map((t) => ({
      key: t.key,
      label: <span data-testid={`tab-${t.key}`}>{t.label}</span>,
      children: t.render({ reloadKey, onChanged: changed }),
    })),
    ...queueTabs,
  ];
  return (
    <Tabs
      activeKey={tab ?? own}
      onChange={(k) => {
        setOwn(k);
        onTab?.(k);
      }}
      items={items}
    />
  );
}
