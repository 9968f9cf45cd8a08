// The sync commands (同步).
import { call } from '../api/client';
import type {
  DiscardInboxInput,
  EnrolInput,
  InboxItemView,
  NumbersAuditView,
  RedoneInboxInput,
  SnapshotProgress,
  SyncOutcome,
  SyncStatusView,
} from '../api/bindings';

export type { EnrolInput, SyncOutcome };

/** The shell's events. */
export const SYNC_STATUS = 'sync-status';
export const SYNC_PULLED = 'sync-pulled';
export const SNAPSHOT_PROGRESS = 'sync-snapshot-progress';

export const syncApi = {
  status: () => call<SyncStatusView>('sync_status'),
  inbox: () => call<InboxItemView[]>('sync_inbox'),
  syncNow: () => call<SyncOutcome>('sync_now'),
  discard: (input: DiscardInboxInput) => call<null>('discard_inbox_item', { input }),
  redone: (input: RedoneInboxInput) => call<null>('close_redone_inbox_item', { input }),
  enrol: (input: EnrolInput) => call<SyncStatusView>('enrol_station', { input }),
  firstSync: () => call<SnapshotProgress>('first_sync'),
  cancelFirstSync: () => call<null>('cancel_first_sync'),
  /** 登记号核对: the server's numbers audit (who may view the audit). */
  numbersAudit: () => call<NumbersAuditView>('numbers_audit'),
};
