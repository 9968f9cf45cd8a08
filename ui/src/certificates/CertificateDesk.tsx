// 制证发证台: the desk's tabs. Each tab is a component of its own; the array below is the desk.
import { useState } from 'react';
import { Tabs } from 'antd';
import type { TabsProps } from 'antd';
import { MailTab } from './MailTab';
import { PickupTab } from './PickupTab';
import { dt } from './texts';
import './certificates.css';

export function CertificateDesk({ onChanged }: { onChanged?: () => void }) {
  const [tab, setTab] = useState('mail');
  const items: TabsProps['items'] = [
    { key: 'mail', label: <span data-testid="tab-mail">{dt('tab.mail')}</span>, children: <MailTab onChanged={onChanged} /> },
    { key: 'pickup', label: <span data-testid="tab-pickup">{dt('tab.pickup')}</span>, children: <PickupTab onChanged={onChanged} /> },
  ];
  return (
<Tabs activeKey={tab} onChange={setTab} items={items} destroyInactiveTabPane />
  );
}
