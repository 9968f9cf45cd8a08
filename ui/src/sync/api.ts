// The sync commands (同步).
import { call } from '../api/client';
import type { DiscardInboxInput, InboxItemView, SnapshotProgress, SyncStatusView } from '../api/bindings';

/** 加入服务器: what the server's administrator gave (the shell's `EnrolInput`). */
export type EnrolInput = { server_url: string; code: string; fingerprint: string };

/** What one round of sync did (`regdesk_sync::station::SyncOutcome`). */
export type SyncOutcome = {
  pushed: number;
  accepted: number;
  rejected: number;
  pulled: number;
  cursor: number;
  /** Why the round stopped early, in Chinese (null: it completed). */
  error: string | null;
};

/** The shell's events. */
export const SYNC_STATUS = 'sync-status';
export const SYNC_PULLED = 'sync-pulled';
export const SNAPSHOT_PROGRESS = 'sync-snapshot-progress';

export const syncApi = {
  status: () => call<SyncStatusView>('sync_status'),
  inbox: () => call<InboxItemView[]>('sync_inbox'),
  syncNow: () => call<SyncOutcome>('sync_now'),
  discard: (input: DiscardInboxInput) => call<null>('discard_inbox_item', { input }),
  enrol: (input: EnrolInput) => call<SyncStatusView>('enrol_station', { input }),
  firstSync: () => call<SnapshotProgress>('first_sync'),
  cancelFirstSync: () => call<null>('cancel_first_sync'),
};
