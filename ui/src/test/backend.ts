// A fake core for component tests, on top of @tauri-apps/api/mocks' mockIPC.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { ApiError, Desk, DeskOverview, ErrorKind, FieldError, SyncStatusView } from '../api/bindings';
import { CHANGE_COMMANDS, READ_COMMANDS, type Command as ShellCommand } from '../api/commands';

/** The shell's commands, and the plugins' (`plugin:dialog|open`). */
type Command = ShellCommand | `plugin:${string}`;

export type Call = { cmd: string; args: Record<string, unknown> | undefined };
export type Handler = (args: Record<string, unknown> | undefined) => unknown;

export function apiError(kind: ErrorKind, message: string, fields: FieldError[] = []): ApiError {
  return { kind, message, fields };
}

const QUEUE_LABELS: Record<Desk, { queue: DeskOverview['queues'][number]['queue']; label: string }[]> = {
  counter: [
    { queue: 'drafts', label: '暂存' },
    { queue: 'awaiting_signature', label: '待签章' },
  ],
  payments: [{ queue: 'awaiting_payment_check', label: '待核款' }],
  first_review: [{ queue: 'first_review', label: '待初审' }],
  final_review: [{ queue: 'final_review', label: '待终审' }],
  certificates: [{ queue: 'registered', label: '已发证' }],
  reports: [{ queue: 'other', label: '其他' }],
  admin: [],
};

/** Every command the shell registers: a handler for anything else fails the test. */
const KNOWN: ReadonlySet<string> = new Set<string>([...READ_COMMANDS, ...CHANGE_COMMANDS]);

/** A station that works alone: the header's 单机. */
export const aloneSync: SyncStatusView = {
  enrolled: false,
  server_url: null,
  station_name: null,
  office_name: null,
  ca_fingerprint: null,
  enrolled_at: null,
  last_success: null,
  last_attempt: null,
  last_error: null,
  offline: false,
  pending: 0,
  inbox: 0,
  cursor: 0,
  snapshot: null,
};

/** Default answers: empty queues, so the frame can render. */
export const defaultHandlers: Partial<Record<Command, Handler>> = {
  desk_overview: (args) => {
    const desk = (args?.input as { desk: Desk }).desk;
    return { desk, label: desk, queues: QUEUE_LABELS[desk].map((q) => ({ ...q, count: 0, overdue: 0 })) } satisfies DeskOverview;
  },
  list_queue: (args) => {
    const input = args?.input as { page: number; page_size: number };
    return { rows: [], total: 0, page: input.page, page_size: input.page_size, more: false, next: null, previous: null };
  },
  lock_session: () => null,
  expire_corrections: () => [],
  logout: () => null,
  // The database opened: no damage to describe.
  damaged_database: () => null,
  // A station that works alone (not enrolled with a central server).
  sync_status: () => aloneSync,
  // The certificate desk: nothing waiting, no print service.
  certificate_queue: () => ({ rows: [], total: 0, more: false, next: null, previous: null }),
  system_printers: () => ({ service: false, printers: [] }),
};

/**
 * Installs a fake core. A handler that throws makes the invoke reject with
 * what it threw (an ApiError). Unknown commands fail the test loudly. Events
 * are mocked: `emit` from '@tauri-apps/api/event' reaches the screen's `listen`.
 */
export function fakeCore(handlers: Partial<Record<Command, Handler>>): { calls: Call[]; callsTo: (cmd: Command) => Call[] } {
  const calls: Call[] = [];
  const all = { ...defaultHandlers, ...handlers };
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown> | undefined;
    calls.push({ cmd, args: a });
    if (!KNOWN.has(cmd) && !cmd.startsWith('plugin:')) throw apiError('storage', `fake core: the shell has no command ${cmd}`);
    const h = all[cmd as Command];
    if (!h) throw apiError('storage', `fake core: no handler for ${cmd}`);
    return h(a);
  }, { shouldMockEvents: true });
  return { calls, callsTo: (cmd) => calls.filter((c) => c.cmd === cmd) };
}
