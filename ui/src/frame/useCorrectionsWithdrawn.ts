// 补正逾期视为撤回: the core withdraws corrections left past their deadline by
// itself (the shell runs it on start and every hour, whoever is signed in) and
// says which in the `corrections-withdrawn` event. After sign-in the frame asks
// once more, so the person sees what was withdrawn; the notice names the cases.
// Failures are silent (the core tries again within the hour).
import { useEffect, useRef } from 'react';
import { App as AntApp } from 'antd';
import { listen } from '@tauri-apps/api/event';
import { reviewApi } from '../review/api';
import { rt } from '../review/texts';

/** The shell's event with the serials the rules withdrew. */
export const CORRECTIONS_WITHDRAWN = 'corrections-withdrawn';

export function useCorrectionsWithdrawn() {
  const { notification } = AntApp.useApp();
  const notify = useRef(notification);
  notify.current = notification;

  useEffect(() => {
    let live = true;
    const show = (serials: string[]) => {
      if (live && serials.length > 0) {
        notify.current.warning({
          message: rt('expire.title'),
          description: rt('expire.notice', { serials: serials.join('、') }),
          duration: 0,
          props: { 'data-testid': 'expire-notice' } as Record<string, string>,
        });
      }
    };
    const unlisten = listen<string[]>(CORRECTIONS_WITHDRAWN, (e) => show(e.payload));
    reviewApi.expireCorrections().then(show, (e) => console.warn('expire_corrections failed', e));
    return () => {
      live = false;
      // The window may be gone already (closing, tests): nothing left to stop then.
      unlisten.then((u) => u()).catch(() => {});
    };
  }, []);
}
