// The review desks where they meet the rest of the desk: the queue opens the
// workspace, the main frame withdraws overdue corrections, the counter resubmits.
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { DeskOverview, ResubmitInput, SessionView } from '../api/bindings';
import { DeskPage } from '../frame/DeskPage';
import { MainFrame } from '../frame/MainFrame';
import { fakeCore } from '../test/backend';
import { ALL_DESKS, session, status } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import { FilingWorkspace } from '../filing/FilingWorkspace';
import { caseDetail, filledDraft, idOk, ownerLine, stateFlags, writerLine } from '../filing/testData';
import { emit } from '@tauri-apps/api/event';
import { CORRECTIONS_WITHDRAWN } from '../frame/useCorrectionsWithdrawn';
import { SERIAL, reviewCase, reviewRow } from './testData';

const firstReview: DeskOverview = {
  desk: 'first_review',
  label: '初审',
  queues: [{ queue: 'first_review', label: '待初审', count: 1, overdue: 0 }],
};

describe('the review desk page', () => {
  it('a queue row opens the review workspace in place of the queues; 关闭 goes back and reloads', async () => {
    const onReload = vi.fn();
    const fc = fakeCore({
      list_queue: (args) => {
        const input = args?.input as { page: number; page_size: number };
        return { rows: [reviewRow({ days_left: -2, deadline_level: 'overdue' })], total: 1, page: input.page, page_size: input.page_size, more: false, next: null, previous: null };
      },
      case_detail: () => reviewCase(),
      check_id: idOk,
      possible_duplicates: () => [],
      review_history: () => [],
      file: () => {
        throw { kind: 'not_found', message: '没有这个文件', fields: [] };
      },
    });
    const { user } = renderWithProviders(
      <DeskPage desk={ALL_DESKS[2]} active overview={firstReview} error={undefined} onReload={onReload} />,
    );
    await user.click(await screen.findByText('西湖春色'));
    const ws = await screen.findByTestId('review-workspace');
    expect(screen.queryByTestId('tab-first_review')).toBeNull();
    expect(await within(ws).findByTestId('review-state')).toHaveTextContent('待初审');
    expect(inputOf(fc.callsTo('case_detail')[0])).toEqual({ key: SERIAL });
    // overdue: red, from the queue row
    const left = within(ws).getByTestId('review-days-left');
    expect(left).toHaveTextContent('已超期 2 个工作日');
    expect(left.className).toContain('red');

    await user.click(within(ws).getByTestId('review-close'));
    expect(await screen.findByTestId('tab-first_review')).toBeInTheDocument();
    expect(screen.queryByTestId('review-workspace')).toBeNull();
    expect(onReload).toHaveBeenCalled();
  });
});

const inputOf = <T,>(c: { args: Record<string, unknown> | undefined }) => c.args?.input as T;

function renderFrame(s: SessionView) {
  return renderWithProviders(
    <MainFrame
      status={status({ session: s })}
      session={s}
      largeText={false}
      onLargeText={() => {}}
      onLock={() => {}}
      onChangePassword={() => {}}
      onLogout={() => {}}
      onSettingsSaved={() => {}}
    />,
  );
}

describe('补正逾期视为撤回', () => {
  it('after sign-in the frame asks once and names the withdrawn cases; the hourly run of the core is shown as it comes', async () => {
    const fc = fakeCore({ expire_corrections: () => ['ZJ-K7QX-20261001-0003', 'ZJ-K7QX-20261002-0007'] });
    renderFrame(session({ roles: ['first_reviewer'], desks: [{ desk: 'first_review', label: '初审' }] }));
    expect(await screen.findByText('以下案件逾期未补正，已视为撤回：ZJ-K7QX-20261001-0003、ZJ-K7QX-20261002-0007')).toBeInTheDocument();
    expect(fc.callsTo('expire_corrections')).toHaveLength(1);
    expect(fc.callsTo('expire_corrections')[0].args ?? {}).toEqual({});

    await act(() => emit(CORRECTIONS_WITHDRAWN, ['ZJ-K7QX-20261003-0001']));
    expect(await screen.findByText('以下案件逾期未补正，已视为撤回：ZJ-K7QX-20261003-0001')).toBeInTheDocument();
    expect(fc.callsTo('expire_corrections')).toHaveLength(1);
  });

  it('failures are silent and nothing withdrawn shows nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fc = fakeCore({
      expire_corrections: () => {
        throw { kind: 'storage', message: '数据库忙', fields: [] };
      },
    });
    const { unmount } = renderFrame(session({ roles: ['admin'], desks: [{ desk: 'admin', label: '管理' }] }));
    await waitFor(() => expect(warn).toHaveBeenCalled());
    expect(fc.callsTo('expire_corrections')).toHaveLength(1);
    expect(screen.queryByText(/逾期未补正/)).toBeNull();
    unmount();
    warn.mockRestore();

    const fc2 = fakeCore({ expire_corrections: () => [] });
    renderFrame(session({ roles: ['counter_clerk'], desks: [{ desk: 'counter', label: '受理' }] }));
    await screen.findByTestId('desk-title');
    await waitFor(() => expect(fc2.callsTo('expire_corrections')).toHaveLength(1));
    expect(screen.queryByText(/逾期未补正/)).toBeNull();
  });
});

describe('补正后重新提交', () => {
  it('when everyone has signed again, the signing panel resubmits without a new fee and shows 待初审', async () => {
    const signed = caseDetail({
      state: 'awaiting_signatures',
      state_label: '待签章',
      stage: 'waiting_applicant',
      version: 12,
      draft: filledDraft(),
      signing: [ownerLine(0, '张三', 'signed', '2026-12-01T10:00:00+08:00'), writerLine('王执笔', 'signed', 'ZWFW-9')],
      // a correction round in which everyone has signed again: the core says it waits for resubmission
      awaits_resubmission: true,
    });
    const onSaved = vi.fn();
    const fc = fakeCore({
      reveal_case: () => signed,
      check_id: idOk,
      resubmit: () => ({ ...signed, ...stateFlags('awaiting_first_review'), version: 13, state: 'awaiting_first_review', state_label: '待初审', stage: 'waiting_office' }),
    });
    const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" onSaved={onSaved} />);
    const panel = await screen.findByTestId('signing-panel');
    await user.click(await within(panel).findByTestId('resubmit'));
    await waitFor(() => expect(fc.callsTo('resubmit')).toHaveLength(1));
    expect(inputOf<ResubmitInput>(fc.callsTo('resubmit')[0])).toEqual({ case_id: 'case-1', version: 12 });
    expect(await screen.findByTestId('resubmit-done')).toHaveTextContent('已重新提交，进入待初审');
    expect(screen.getByTestId('filing-state')).toHaveTextContent('待初审');
    expect(screen.queryByTestId('resubmit')).toBeNull();
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ state: 'awaiting_first_review' }));
  });

  it('is not offered while a signature is missing, nor after the first signing round (待缴费)', async () => {
    const waiting = caseDetail({
      state: 'awaiting_signatures',
      state_label: '待签章',
      version: 12,
      draft: filledDraft(),
      signing: [ownerLine(0, '张三', 'signed', '2026-12-01T10:00:00+08:00'), writerLine('王执笔', 'current')],
    });
    fakeCore({ reveal_case: () => waiting, check_id: idOk });
    const { unmount } = renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await screen.findByTestId('signing-panel');
    expect(screen.getByTestId('sign-1')).toBeInTheDocument();
    expect(screen.queryByTestId('resubmit')).toBeNull();
    unmount();

    fakeCore({
      reveal_case: () => ({
        ...waiting,
        state: 'awaiting_payment',
        state_label: '待缴费',
        editable: false,
        edit_voids_signatures: false,
        signing: [ownerLine(0, '张三', 'signed', '2026-12-01T10:00:00+08:00'), writerLine('王执笔', 'signed', 'ZWFW-9')],
      }),
      check_id: idOk,
    });
    renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await screen.findByTestId('signing-done');
    expect(screen.queryByTestId('resubmit')).toBeNull();
  });
});

describe('the top bar', () => {
  it("names the station's own office on a subordinate office's station, else the office", async () => {
    fakeCore({ expire_corrections: () => [] });
    const s = session({ roles: ['first_reviewer'], desks: [{ desk: 'first_review', label: '初审' }] });
    const frame = (over: Parameters<typeof status>[0]) => (
      <MainFrame
        status={status({ session: s, station_name: '杭州市局主管', ...over })}
        session={s}
        largeText={false}
        onLargeText={() => {}}
        onLock={() => {}}
        onChangePassword={() => {}}
        onLogout={() => {}}
        onSettingsSaved={() => {}}
      />
    );
    const city = renderWithProviders(frame({ station_office_name: '杭州市版权局' }));
    expect(await screen.findByTestId('office-station')).toHaveTextContent('杭州市版权局 · 杭州市局主管');
    city.unmount();
    renderWithProviders(frame({ station_office_name: null }));
    expect(await screen.findByTestId('office-station')).toHaveTextContent('浙江省版权局 · 杭州市局主管');
  });
});
