import { useEffect, useRef } from 'react';

export const ACTIVITY_EVENTS = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart', 'pointerdown'] as const;

/**
 * Calls `onIdle` once after `minutes` without keyboard or mouse activity on the
 * window. Any activity restarts the count. Nothing runs when `enabled` is false
 * or `minutes` is not a positive number.
 */
export function useIdleLock(minutes: number, onIdle: () => void, enabled: boolean = true): void {
  const onIdleRef = useRef(onIdle);
  onIdleRef.current = onIdle;

  useEffect(() => {
    if (!enabled || !(minutes > 0)) return undefined;
    const ms = minutes * 60_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let fired = false;
    const arm = () => {
      if (fired) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        fired = true;
        onIdleRef.current();
      }, ms);
    };
    arm();
    const opts: AddEventListenerOptions = { passive: true, capture: true };
    ACTIVITY_EVENTS.forEach((name) => window.addEventListener(name, arm, opts));
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      ACTIVITY_EVENTS.forEach((name) => window.removeEventListener(name, arm, opts));
    };
  }, [minutes, enabled]);
}
