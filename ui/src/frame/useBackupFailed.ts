// A scheduled backup that failed (folder missing, disk full): the shell says
// so in the `backup-failed` event with the reason; the notice stays until
// closed. The failure is recorded too and shown in 管理 → 备份.
import { useEffect, useRef } from 'react';
import { App as AntApp } from 'antd';
import { listen } from '@tauri-apps/api/event';
import { t } from '../i18n';

/** The shell's event with a failed scheduled backup's message. */
export const BACKUP_FAILED = 'backup-failed';

export function useBackupFailed() {
  const { notification } = AntApp.useApp();
  const notify = useRef(notification);
  notify.current = notification;

  useEffect(() => {
    const unlisten = listen<string>(BACKUP_FAILED, (e) => {
      notify.current.error({
        message: t('backup.failedNotice'),
        description: `${e.payload} ${t('backup.failedHint')}`,
        duration: 0,
        props: { 'data-testid': 'backup-failed-notice' } as Record<string, string>,
      });
    });
    return () => {
      unlisten.then((u) => u()).catch(() => {});
    };
  }, []);
}
