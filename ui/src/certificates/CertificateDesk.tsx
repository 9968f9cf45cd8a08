// 制证发证台: the certificate desk's tabs. Each tab is one entry of TABS
// (key, label, content), so a desk's work is added as one more entry.
import { useState } from 'react';
import { Tabs } from 'antd';
import type { TabsProps } from 'antd';
import { ct } from './texts';
import { ToPrintTab } from './ToPrintTab';

type DeskTab = { key: string; label: string; render: (p: { reloadKey: number; onChanged: () => void }) => React.ReactNode };

const TABS: DeskTab[] = [{ key: 'to-print', label: ct('tab.to-print'), render: (p) => <ToPrintTab {...p} /> }];

export function CertificateDesk({ onChanged }: { onChanged: () => void }) {
  const [reloadKey, setReloadKey] = useState(0);
  const changed = () => {
    setReloadKey((k) => k + 1);
    onChanged();
  };
  const items: NonNullable<TabsProps['items']> = TABS.map((tab) => ({
    key: tab.key,
    label: <span data-testid={`tab-${tab.key}`}>{tab.label}</span>,
    children: tab.render({ reloadKey, onChanged: changed }),
  }));
  return <Tabs defaultActiveKey={TABS[0].key} items={items} destroyOnHidden={false} />;
}
