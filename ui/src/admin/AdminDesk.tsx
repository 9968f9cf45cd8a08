import { Tabs, Typography } from 'antd';
import type { DeskOption, RoleOption, SettingsView } from '../api/bindings';
import { t } from '../i18n';
import { AccessLogTab } from './AccessLogTab';
import { AuditTab } from './AuditTab';
import { BackupTab } from './BackupTab';
import { CalendarTab } from './CalendarTab';
import { CertificateSettingsTab } from './CertificateSettingsTab';
import { ct } from '../certificates/texts';
import { DeliverySettingsTab } from '../certificates/DeliverySettingsTab';
import { dt } from '../certificates/deliveryTexts';
import { MethodTab } from './MethodTab';
import { OfficeTreeTab } from './OfficeTreeTab';
import { RevokeTab } from './RevokeTab';
import { TransferTab } from './TransferTab';
import { RegisterTab } from '../intake/RegisterTab';
import { itx } from '../intake/texts';
import { SettingsTab } from './SettingsTab';
import { StaffTab } from './StaffTab';
import { SyncScreen } from '../sync/SyncScreen';
import { st } from '../sync/texts';

export function AdminDesk({
  desk,
  active,
  roleOptions,
  passwordMinChars,
  onSettingsSaved,
}: {
  desk: DeskOption;
  /** only the desk on screen carries data-testid="desk-title" */
  active: boolean;
  roleOptions: RoleOption[];
  passwordMinChars: number;
  onSettingsSaved: (s: SettingsView) => void;
}) {
  return (
    <div className="desk-page">
      <Typography.Title level={4} data-testid={active ? 'desk-title' : undefined} className="desk-title">
        {desk.label}
      </Typography.Title>
      <Tabs
        items={[
          {
            key: 'staff',
            label: <span data-testid="admin-tab-staff">{t('admin.tab.staff')}</span>,
            children: <StaffTab roleOptions={roleOptions} passwordMinChars={passwordMinChars} />,
          },
          {
            key: 'settings',
            label: <span data-testid="admin-tab-settings">{t('admin.tab.settings')}</span>,
            children: <SettingsTab onSaved={onSettingsSaved} />,
          },
          {
            key: 'calendar',
            label: <span data-testid="admin-tab-calendar">{t('admin.tab.calendar')}</span>,
            children: <CalendarTab />,
          },
          {
            key: 'offices',
            label: <span data-testid="admin-tab-offices">{t('offices.tab')}</span>,
            children: <OfficeTreeTab canAdd />,
          },
          {
            key: 'method',
            label: <span data-testid="admin-tab-method">{t('admin.tab.method')}</span>,
            children: <MethodTab />,
          },
          {
            key: 'revoke',
            label: <span data-testid="admin-tab-revoke">{t('admin.tab.revoke')}</span>,
            children: <RevokeTab />,
          },
          {
            key: 'transfer',
            label: <span data-testid="admin-tab-transfer">{t('admin.tab.transfer')}</span>,
            children: <TransferTab />,
          },
          {
            key: 'register',
            label: <span data-testid="admin-tab-register">{itx('reg.tab')}</span>,
            children: <RegisterTab />,
          },
          {
            key: 'certificates',
            label: <span data-testid="admin-tab-certificates">{ct('admin.tab')}</span>,
            children: <CertificateSettingsTab />,
          },
          {
            key: 'backup',
            label: <span data-testid="admin-tab-backup">{t('admin.tab.backup')}</span>,
            children: <BackupTab />,
          },
          {
            key: 'delivery',
            label: <span data-testid="admin-tab-delivery">{dt('settings.tab')}</span>,
            children: <DeliverySettingsTab />,
          },
          {
            key: 'sync',
            label: <span data-testid="admin-tab-sync">{st('tab')}</span>,
            children: <SyncScreen mayEnrol />,
          },
          {
            key: 'audit',
            label: <span data-testid="admin-tab-audit">{t('admin.tab.audit')}</span>,
            children: <AuditTab />,
          },
          {
            key: 'access',
            label: <span data-testid="admin-tab-access">{t('admin.tab.access')}</span>,
            children: <AccessLogTab />,
          },
        ]}
      />
    </div>
  );
}
