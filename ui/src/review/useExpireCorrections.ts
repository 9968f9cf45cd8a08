// 补正逾期视为撤回: for the counter and the admin, ask the core once after
// sign-in and then every hour while the app runs; name the withdrawn cases.
// Failures are silent (the next run tries again).
import { useEffect, useRef } from 'react';
import { App as AntApp } from 'antd';
import type { Role } from '../api/bindings';
import { reviewApi } from './api';
import { rt } from './texts';

export const EXPIRE_INTERVAL_MS = 60 * 60 * 1000;

/** The roles that may withdraw overdue corrections (the core checks again). */
const MAY_EXPIRE: ReadonlyArray<Role> = ['counter_clerk', 'admin'];

export function useExpireCorrections(roles: ReadonlyArray<Role>) {
  const { notification } = AntApp.useApp();
  const notify = useRef(notification);
  notify.current = notification;
  const may = roles.some((r) => MAY_EXPIRE.includes(r));

  useEffect(() => {
    if (!may) return;
    let live = true;
    const run = async () => {
      try {
        const serials = await reviewApi.expireCorrections();
        if (live && serials.length > 0) {
          notify.current.warning({
            message: rt('expire.title'),
            description: rt('expire.notice', { serials: serials.join('、') }),
            duration: 0,
            props: { 'data-testid': 'expire-notice' } as Record<string, string>,
          });
        }
      } catch (e) {
        console.warn('expire_corrections failed', e);
      }
    };
    void run();
    const timer = setInterval(() => void run(), EXPIRE_INTERVAL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [may]);
}
