// The station's sync status, kept current by the shell's `sync-status` event
// (sent after every round of the background sync) and re-read after a local change.
import { useCallback, useEffect, useState } from 'react';
import { listen } from '@tauri-apps/api/event';
import type { ApiError, SyncStatusView } from '../api/bindings';
import { onChanged } from '../api/client';
import { SYNC_PULLED, SYNC_STATUS, syncApi } from './api';

export function useSyncStatus(): { status: SyncStatusView | null; error: ApiError | null; reload: () => void } {
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const reload = useCallback(() => {
    syncApi.status().then(
      (s) => {
        setStatus(s);
        setError(null);
      },
      (e: ApiError) => setError(e),
    );
  }, []);

  useEffect(() => {
    reload();
    const unlisten = listen<SyncStatusView>(SYNC_STATUS, (e) => {
      setStatus(e.payload);
      setError(null);
    });
    const off = onChanged(reload);
    return () => {
      off();
      unlisten.then((u) => u()).catch(() => {});
    };
  }, [reload]);

  return { status, error, reload };
}

/** Calls `f` whenever entries from the server were applied (queues and open cases reload). */
export function useSyncPulled(f: () => void) {
  useEffect(() => {
    const unlisten = listen<number>(SYNC_PULLED, () => f());
    return () => {
      unlisten.then((u) => u()).catch(() => {});
    };
  }, [f]);
}
