import { screen, waitFor } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it, vi } from 'vitest';
import type { SnapshotProgress } from '../api/bindings';
import { fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { SNAPSHOT_PROGRESS } from './api';
import { JoinScreen, percent } from './JoinScreen';
import { enrolled } from './testData';

const progress = (rows_done: number, over: Partial<SnapshotProgress> = {}): SnapshotProgress => ({
  snapshot_id: 's1',
  rows_done,
  rows_total: 200_000,
  bytes_done: rows_done * 100,
  bytes_total: 20_000_000,
  done: false,
  ...over,
});

describe('加入已有机构', () => {
  it('percent is rows done of the total', () => {
    expect(percent(null)).toBe(0);
    expect(percent(progress(50_000))).toBe(25);
    expect(percent(progress(0, { rows_total: 0 }))).toBe(0);
    expect(percent(progress(1, { done: true }))).toBe(100);
  });

  it('enrols, shows the first sync with rows and MB, 取消 pauses it and 继续 finishes it', async () => {
    let release: ((p: SnapshotProgress) => void) | null = null;
    const core = fakeCore({
      enrol_station: () => enrolled({ snapshot: null }),
      first_sync: () => new Promise<SnapshotProgress>((r) => (release = r)),
      cancel_first_sync: () => {
        release?.(progress(100_000));
        return null;
      },
    });
    const onDone = vi.fn();
    const { user } = renderWithProviders(<JoinScreen resume={false} onBack={() => {}} onDone={onDone} />);
    await fill(user, screen.getByTestId('enrol-server'), 'https://192.168.1.10:8443');
    await fill(user, screen.getByTestId('enrol-code'), 'K7Q2-9XTM');
    await fill(user, screen.getByTestId('enrol-fingerprint'), 'AB:CD');
    await user.click(screen.getByTestId('enrol-submit'));
    await waitFor(() => expect(core.callsTo('first_sync')).toHaveLength(1));
    expect(screen.getByTestId('join-progress-text')).toHaveTextContent('正在连接服务器');
    await emit(SNAPSHOT_PROGRESS, progress(50_000));
    await waitFor(() => expect(screen.getByTestId('join-progress-text')).toHaveTextContent('已接收 50000 / 200000 行，4.8 / 19.1 MB'));
    expect(screen.getByTestId('join-progress')).toHaveTextContent('25%');
    await user.click(screen.getByTestId('join-cancel'));
    expect(await screen.findByTestId('join-paused')).toHaveTextContent('首次同步已暂停');
    expect(onDone).not.toHaveBeenCalled();
    // 继续 goes on to the end, then the sign-in.
    await user.click(screen.getByTestId('join-resume'));
    await waitFor(() => expect(core.callsTo('first_sync')).toHaveLength(2));
    release!(progress(200_000, { done: true }));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
  });

  it('a failed first sync says why and can go on', async () => {
    let n = 0;
    fakeCore({
      first_sync: () => {
        n += 1;
        if (n === 1) throw { kind: 'refused', message: '机构数据未接收完（下次从中断处继续）：无法连接同步服务器', fields: [] };
        return progress(200_000, { done: true });
      },
    });
    const onDone = vi.fn();
    const { user } = renderWithProviders(<JoinScreen resume progress={progress(10)} onDone={onDone} />);
    await user.click(screen.getByTestId('join-resume'));
    expect(await screen.findByTestId('join-error')).toHaveTextContent('无法连接同步服务器');
    await user.click(screen.getByTestId('join-resume'));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
  });
});

describe('first start', () => {
  it('offers 加入已有机构 beside 新建机构, and a joined station finishes its first sync before sign-in', async () => {
    const { status } = await import('../test/fixtures');
    const { renderDesk } = await import('../test/render');
    const sync = enrolled({ snapshot: progress(0, { rows_total: 0 }) });
    let joined = false;
    fakeCore({
      app_status: () => (joined ? status() : status({ setup_done: false, office: null })),
      sync_status: () => (joined ? { ...sync, snapshot: null } : { ...sync, enrolled: false }),
      enrol_station: () => sync,
      first_sync: () => {
        joined = true;
        return progress(200_000, { done: true });
      },
    });
    const { user } = renderDesk();
    await user.click(await screen.findByTestId('setup-join'));
    expect(screen.getByTestId('join-screen')).toBeInTheDocument();
    await user.click(screen.getByTestId('join-back'));
    expect(await screen.findByTestId('setup-join')).toBeInTheDocument();
    await user.click(screen.getByTestId('setup-join'));
    await fill(user, screen.getByTestId('enrol-server'), 'https://192.168.1.10:8443');
    await fill(user, screen.getByTestId('enrol-code'), 'K7Q2-9XTM');
    await fill(user, screen.getByTestId('enrol-fingerprint'), 'AB:CD');
    await user.click(screen.getByTestId('enrol-submit'));
    // All here: the sign-in screen.
    expect(await screen.findByTestId('login-submit', {}, { timeout: 30_000 })).toBeInTheDocument();
  }, 240_000);
});
