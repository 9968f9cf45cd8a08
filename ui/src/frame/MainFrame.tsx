import { useCallback, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Badge, Button, Drawer, Empty, Layout, Menu, Space, Switch, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  AuditOutlined,
  BarChartOutlined,
  CheckCircleOutlined,
  FileAddOutlined,
  IdcardOutlined,
  KeyOutlined,
  LockOutlined,
  LogoutOutlined,
  MoneyCollectOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import type { ApiError, AppStatus, CaseHit, Desk, DeskOverview, SessionView, SettingsView } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { AdminDesk } from '../admin/AdminDesk';
import { DeskPage } from './DeskPage';
import type { OpenRequest } from './DeskPage';
import { GlobalSearch } from './GlobalSearch';
import { RoleTags } from '../admin/StaffTab';
import { useCorrectionsWithdrawn } from './useCorrectionsWithdrawn';
import { AttachableProvider } from '../shared/files';
import { useBackupFailed } from './useBackupFailed';
import { SyncState } from '../sync/SyncState';
import { SyncScreen } from '../sync/SyncScreen';
import { useSyncStatus } from '../sync/useSyncStatus';
import { onOpenSync } from '../sync/syncNav';
import { st } from '../sync/texts';

const DESK_ICON: Record<Desk, ReactNode> = {
  counter: <FileAddOutlined />,
  payments: <MoneyCollectOutlined />,
  first_review: <AuditOutlined />,
  final_review: <CheckCircleOutlined />,
  certificates: <IdcardOutlined />,
  reports: <BarChartOutlined />,
  admin: <SettingOutlined />,
};

/** The count shown on a desk's menu badge: its first (working) queue, as the core orders them. */
export function badgeCount(o: DeskOverview | undefined): number {
  return o?.queues[0]?.count ?? 0;
}

export function MainFrame({
  status,
  session,
  largeText,
  onLargeText,
  onLock,
  onChangePassword,
  onLogout,
  onSettingsSaved,
}: {
  status: AppStatus;
  session: SessionView;
  largeText: boolean;
  onLargeText: (on: boolean) => void;
  onLock: () => void;
  onChangePassword: () => void;
  onLogout: () => void;
  onSettingsSaved: (s: SettingsView) => void;
}) {
  const desks = session.desks;
  const { status: syncStatus } = useSyncStatus();
  const [syncOpen, setSyncOpen] = useState(false);
  useEffect(() => onOpenSync(() => setSyncOpen(true)), []);
  // Enrolling an office of its own is the administrator's (the core checks it again).
  const mayEnrol = desks.some((d) => d.desk === 'admin');
  // 补正逾期视为撤回: once after sign-in, then hourly (counter and admin only).
  useCorrectionsWithdrawn();
  // A scheduled backup that failed is told at once (the reason stays in 管理 → 备份).
  useBackupFailed();
  const [selected, setSelected] = useState<Desk | undefined>(desks[0]?.desk);
  // Desks visited once stay mounted (hidden), so switching desks loses nothing typed.
  const [visited, setVisited] = useState<Desk[]>(desks[0] ? [desks[0].desk] : []);
  const [overviews, setOverviews] = useState<Partial<Record<Desk, DeskOverview>>>({});
  const [overviewErrors, setOverviewErrors] = useState<Partial<Record<Desk, ApiError>>>({});

  const loadOverview = useCallback(async (desk: Desk) => {
    try {
      const o = await api.deskOverview(desk);
      setOverviews((m) => ({ ...m, [desk]: o }));
      setOverviewErrors((m) => ({ ...m, [desk]: undefined }));
    } catch (e) {
      setOverviewErrors((m) => ({ ...m, [desk]: e as ApiError }));
    }
  }, []);

  const deskKey = desks.map((d) => d.desk).join(',');
  useEffect(() => {
    desks.forEach((d) => {
      void loadOverview(d.desk);
    });
    // reload when the set of desks changes
  }, [deskKey, loadOverview]);

  useEffect(() => {
    if (!desks.some((d) => d.desk === selected)) {
      const first = desks[0]?.desk;
      setSelected(first);
      if (first) setVisited((v) => (v.includes(first) ? v : [...v, first]));
    }
  }, [deskKey, selected, desks]);

  const select = (desk: Desk) => {
    setSelected(desk);
    setVisited((v) => (v.includes(desk) ? v : [...v, desk]));
    void loadOverview(desk);
  };

  /** A case found in the top bar, to be opened at one of the person's desks. */
  const [openRequest, setOpenRequest] = useState<OpenRequest | null>(null);
  const openAt = (desk: Desk, hit: CaseHit) => {
    select(desk);
    setOpenRequest((r) => ({ desk, hit, nonce: (r?.nonce ?? 0) + 1 }));
  };

  const items: MenuProps['items'] = desks.map((d) => {
    const count = badgeCount(overviews[d.desk]);
    return {
      key: d.desk,
      icon: DESK_ICON[d.desk],
      'data-testid': `menu-${d.desk}`,
      label: (
        <span className="menu-label">
          <span>{d.label}</span>
          {count > 0 && <Badge count={count} overflowCount={999} size="small" className="menu-badge" />}
        </span>
      ),
    } as NonNullable<MenuProps['items']>[number];
  });

  return (
    <Layout className="frame">
      <Layout.Sider width={188} theme="light" className="frame-sider">
        <div className="frame-brand">{t('app.title')}</div>
        <Menu mode="inline" selectedKeys={selected ? [selected] : []} items={items} onClick={(e) => select(e.key as Desk)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="frame-header">
          <Space size="small" className="frame-where">
            <Typography.Text strong data-testid="office-station">
              {status.station_office_name ?? status.office?.name ?? ''} · {status.station_name}
            </Typography.Text>
            <SyncState status={syncStatus} onOpen={() => setSyncOpen(true)} />
          </Space>
          <div className="frame-search">
            <GlobalSearch desks={desks} onOpenAt={openAt} />
          </div>
          <Space size="small" className="frame-actions">
            <span data-testid="current-user" className="current-user">
              <Typography.Text strong>{session.display_name}</Typography.Text>{' '}
              <RoleTags roles={session.roles} options={status.role_options} />
            </span>
            <Space size={4}>
              <Typography.Text type="secondary">{t('frame.largeText')}</Typography.Text>
              <Switch size="small" checked={largeText} onChange={onLargeText} data-testid="large-text" />
            </Space>
            <Tooltip title={t('frame.lock')}>
              <Button size="small" icon={<LockOutlined />} onClick={onLock} data-testid="lock-button" aria-label={t('frame.lock')} />
            </Tooltip>
            <Tooltip title={t('frame.changePassword')}>
              <Button size="small" icon={<KeyOutlined />} onClick={onChangePassword} data-testid="change-password-button" aria-label={t('frame.changePassword')} />
            </Tooltip>
            <Tooltip title={t('frame.logout')}>
              <Button size="small" icon={<LogoutOutlined />} onClick={onLogout} data-testid="logout-button" aria-label={t('frame.logout')} />
            </Tooltip>
          </Space>
        </Layout.Header>
        <Layout.Content className="frame-content">
          <AttachableProvider value={session.attachable}>
          {desks.length === 0 && <Empty description={t('frame.noDesks')} />}
          {desks
            .filter((d) => visited.includes(d.desk))
            .map((d) => (
              <div key={d.desk} hidden={d.desk !== selected} data-desk={d.desk}>
                {d.desk === 'admin' ? (
                  <AdminDesk
                    desk={d}
                    active={d.desk === selected}
                    roleOptions={status.role_options}
                    passwordMinChars={status.password_min_chars}
                    onSettingsSaved={onSettingsSaved}
                  />
                ) : (
                  <DeskPage
                    desk={d}
                    active={d.desk === selected}
                    overview={overviews[d.desk]}
                    error={overviewErrors[d.desk]}
                    onReload={() => void loadOverview(d.desk)}
                    mayChangeApplicantCategory={session.may_change_applicant_category}
                    openRequest={openRequest?.desk === d.desk ? openRequest : null}
                  />
                )}
              </div>
            ))}
          </AttachableProvider>
        </Layout.Content>
      </Layout>
      <Drawer
        open={syncOpen}
        title={st('drawer.title')}
        width={880}
        onClose={() => setSyncOpen(false)}
        destroyOnHidden
        data-testid="sync-drawer"
      >
        <SyncScreen mayEnrol={mayEnrol} />
      </Drawer>
    </Layout>
  );
}
