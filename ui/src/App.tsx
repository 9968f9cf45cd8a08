import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ApiError, AppStatus, DamagedDatabase, SessionView, SettingsView, SyncStatusView } from './api/bindings';
import { api, onChanged, onDamaged, onSessionError } from './api/client';
import { ChangePasswordDialog } from './frame/ChangePasswordDialog';
import { DamagedScreen } from './frame/DamagedScreen';
import { LockScreen } from './frame/LockScreen';
import { LoginScreen } from './frame/LoginScreen';
import { MainFrame } from './frame/MainFrame';
import { SetupScreen } from './frame/SetupScreen';
import { JoinScreen } from './sync/JoinScreen';
import { syncApi } from './sync/api';
import { useIdleLock } from './shared/useIdleLock';
import { t } from './i18n';
import './shared/format';
import { loadLargeText, saveLargeText } from './shared/prefs';
import { setOfficeUtcOffset } from './shared/officeTime';

export const FONT_FAMILY = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

export function themeFor(largeText: boolean) {
  return { token: { fontFamily: FONT_FAMILY, fontSize: largeText ? 16 : 14 } };
}

/** The desk: first start → sign-in → main frame (with the lock screen and the password dialog over it). */
export function Desk() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [damaged, setDamaged] = useState<DamagedDatabase | null>(null);
  const [session, setSession] = useState<SessionView | null>(null);
  const [largeText, setLargeText] = useState<boolean>(() => loadLargeText());
  const [pwOpen, setPwOpen] = useState(false);
  /** The station's sync: a joined station finishes its first sync before anyone signs in. */
  const [sync, setSync] = useState<SyncStatusView | null>(null);
  const [joining, setJoining] = useState(false);
  const frameRef = useRef<HTMLDivElement>(null);

  const refresh = useCallback(async () => {
    try {
      const s = await api.appStatus();
      setOfficeUtcOffset(s.office_utc_offset_hours);
      setStatus(s);
      setSession(s.session);
      setLoadError(null);
      setSync(await syncApi.status().catch(() => null));
    } catch (e) {
      const err = e as ApiError;
      setLoadError(err);
      // A damaged database gets its own screen with the way back, never the sign-in.
      if (err.kind === 'damaged') {
        setDamaged(await api.damagedDatabase().catch(() => null));
      }
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // A call that finds no session goes back to sign-in; a locked one shows the lock screen.
  useEffect(
    () =>
      onSessionError((kind) => {
        if (kind === 'not_signed_in') {
          setSession(null);
          setPwOpen(false);
        } else {
          setSession((s) => (s ? { ...s, locked: true } : s));
        }
      }),
    [],
  );

  // The checks of a large database run after the desk opened: damage found then switches to its screen.
  useEffect(
    () =>
      onDamaged((err) => {
        setStatus(null);
        setLoadError(err);
        void api
          .damagedDatabase()
          .then(setDamaged)
          .catch(() => undefined);
      }),
    [],
  );

  // After any change, re-read the status: the pending-sync count in the header follows the journal.
  useEffect(
    () =>
      onChanged(() => {
        void api
          .appStatus()
          .then((st) => {
          setOfficeUtcOffset(st.office_utc_offset_hours);
          setStatus(st);
        })
          .catch(() => undefined);
      }),
    [],
  );

  const signedIn = (s: SessionView) => {
    setSession(s);
    // office, pending changes and the idle minutes may have changed
    void api
      .appStatus()
      .then((st) => {
          setOfficeUtcOffset(st.office_utc_offset_hours);
          setStatus(st);
        })
      .catch(() => undefined);
  };

  const lock = useCallback(async () => {
    try {
      await api.lockSession();
    } catch {
      // lock the screen all the same; the core answers the next call as locked
    }
    setSession((s) => (s ? { ...s, locked: true } : s));
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // signed out here whatever the core said
    }
    setSession(null);
    setPwOpen(false);
  }, []);

  const locked = session?.locked ?? false;
  useIdleLock(status?.idle_lock_minutes ?? 0, () => void lock(), session !== null && !locked);

  // Keep the keyboard away from what lies under the lock screen.
  useEffect(() => {
    const el = frameRef.current;
    if (!el) return;
    if (locked) {
      el.setAttribute('inert', '');
      el.setAttribute('aria-hidden', 'true');
    } else {
      el.removeAttribute('inert');
      el.removeAttribute('aria-hidden');
    }
  }, [locked, session]);

  const toggleLarge = (on: boolean) => {
    setLargeText(on);
    saveLargeText(on);
  };

  const settingsSaved = (s: SettingsView) => setStatus((st) => (st ? { ...st, idle_lock_minutes: s.idle_lock_minutes } : st));

  let body;
  if (!status && loadError?.kind === 'damaged') {
    body = <DamagedScreen error={loadError} info={damaged} />;
  } else if (!status) {
    body = loadError ? (
      <div className="screen-center">
        <Alert
          type="error"
          showIcon
          message={t('app.loadFailed')}
          description={loadError.message}
          action={<Button onClick={() => void refresh()}>{t('app.retry')}</Button>}
        />
      </div>
    ) : (
      <div className="screen-center">
        <Spin tip={t('app.loading')}>
          <div style={{ width: 240, height: 80 }} />
        </Spin>
      </div>
    );
  } else if (sync?.enrolled && (sync.snapshot !== null || !status.setup_done)) {
    body = <JoinScreen resume progress={sync.snapshot} onDone={() => void refresh()} />;
  } else if (!status.setup_done && joining) {
    body = <JoinScreen resume={false} onBack={() => setJoining(false)} onDone={() => void refresh()} />;
  } else if (!status.setup_done) {
    body = (
      <SetupScreen
        status={status}
        onJoin={() => setJoining(true)}
        onDone={(s) => {
          setSession(s);
          void refresh();
        }}
      />
    );
  } else if (!session) {
    body = <LoginScreen status={status} onSignedIn={signedIn} />;
  } else {
    body = (
      <>
        <div ref={frameRef} className="frame-holder">
          <MainFrame
            key={session.staff_id}
            status={status}
            session={session}
            largeText={largeText}
            onLargeText={toggleLarge}
            onLock={() => void lock()}
            onChangePassword={() => setPwOpen(true)}
            onLogout={() => void logout()}
            onSettingsSaved={settingsSaved}
          />
        </div>
        <ChangePasswordDialog
          open={!locked && (pwOpen || session.must_change_password)}
          forced={session.must_change_password}
          minChars={status.password_min_chars}
          onDone={() => {
            setPwOpen(false);
            setSession((s) => (s ? { ...s, must_change_password: false } : s));
          }}
          onCancel={() => setPwOpen(false)}
          onLogout={() => void logout()}
        />
        {locked && <LockScreen session={session} onUnlocked={(s) => setSession(s)} onLogout={() => void logout()} />}
      </>
    );
  }

  return (
    <ConfigProvider locale={zhCN} theme={themeFor(largeText)}>
      <AntApp className={largeText ? 'app large-text' : 'app'}>{body}</AntApp>
    </ConfigProvider>
  );
}

export default Desk;
