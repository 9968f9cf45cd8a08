import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { CaseHit, CaseSearchInput, CaseSearchResult, QueueInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { ALL_DESKS } from '../test/fixtures';
import { fill, renderWithProviders } from '../test/render';
import { SERIAL, reviewRow } from '../review/testData';
import { DeskPage } from './DeskPage';
import type { Lookup, OpenRequest } from './DeskPage';
import { GlobalSearch, isFindShortcut } from './GlobalSearch';
import { PaymentsDesk } from '../payments/PaymentsDesk';
import { CASES, overview as paymentsOverview } from '../payments/testData';

function hit(over: Partial<CaseHit> = {}): CaseHit {
  return { case: reviewRow(), queue: 'first_review', queue_label: '待初审', desks: ['first_review', 'reports'], has_acceptance_notice: false, ...over };
}

const registered = hit({
  case: reviewRow({
    id: 'case-2',
    serial: 'ZJ-E89X-20261120-0002',
    title: '钱塘潮声',
    state: 'registered',
    state_label: '已登记',
    stage: 'registered',
    days_left: null,
    registration_number: '浙作登字-2026-C-00000001',
  }),
  queue: 'registered',
  queue_label: '已登记',
  desks: [],
});

const searchInput = (c: { args: Record<string, unknown> | undefined }) => c.args?.input as CaseSearchInput;

describe('顶栏查找案件', () => {
  it('asks the core once typing rests, lists what it found and opens the chosen case at a desk', async () => {
    const core = fakeCore({ search_cases: (): CaseSearchResult => ({ hits: [hit(), registered], total: 2, more: false, historic: [] }) });
    const onOpenAt = vi.fn();
    const { user } = renderWithProviders(<GlobalSearch desks={ALL_DESKS} onOpenAt={onOpenAt} />);
    await fill(user, screen.getByTestId('global-search'), '西湖');
    const first = await screen.findByTestId('global-search-option-0');
    expect(core.callsTo('search_cases').map(searchInput)).toEqual([{ text: '西湖' }]);
    expect(first).toHaveTextContent(SERIAL);
    expect(first).toHaveTextContent('待初审');
    expect(first).toHaveTextContent('西湖春色');
    expect(first).toHaveTextContent('张三');
    expect(screen.getByTestId('global-search-option-1')).toHaveTextContent('浙作登字-2026-C-00000001');

    // Enter takes the first (active) option: the case at a glance.
    fireEvent.keyDown(screen.getByTestId('global-search'), { key: 'Enter', keyCode: 13, which: 13 });
    const glance = await screen.findByTestId('case-glance');
    expect(screen.getByTestId('glance-serial')).toHaveTextContent(SERIAL);
    expect(screen.getByTestId('glance-state')).toHaveTextContent('待初审');
    expect(screen.getByTestId('days-left')).toHaveTextContent('剩 4 个工作日');
    expect(within(glance).getByTestId('glance-queue')).toHaveTextContent('待初审');
    expect(glance).toHaveTextContent('2027-01-08');
    // One button per desk of the person that works the queue, the working desk first.
    expect(screen.getByTestId('glance-open-first_review')).toHaveTextContent('到初审打开');
    expect(screen.getByTestId('glance-open-reports')).toHaveTextContent('到统计打开');
    // The core did not say this person may print its acceptance notice.
    expect(screen.queryByTestId('glance-acceptance-notice')).toBeNull();
    await user.click(screen.getByTestId('glance-open-first_review'));
    expect(onOpenAt).toHaveBeenCalledWith('first_review', hit());
  });

  it('says when only part is shown, when nothing matches and when the search failed', async () => {
    let answer: () => CaseSearchResult = () => ({ hits: [hit()], total: 37, more: false, historic: [] });
    fakeCore({ search_cases: () => answer() });
    const { user } = renderWithProviders(<GlobalSearch desks={ALL_DESKS} onOpenAt={vi.fn()} />);
    const box = screen.getByTestId('global-search');
    await fill(user, box, 'ZJ');
    expect(await screen.findByTestId('global-search-more')).toHaveTextContent('共 37 件，先列出最近填报或修改的 1 件');

    answer = () => ({ hits: [hit()], total: 200, more: true, historic: [] });
    fireEvent.change(box, { target: { value: 'ZJ-' } });
    await waitFor(() => expect(screen.getByTestId('global-search-more')).toHaveTextContent('200 件以上'));

    answer = () => ({ hits: [], total: 0, more: false, historic: [] });
    fireEvent.change(box, { target: { value: '没有这件' } });
    expect(await screen.findByTestId('global-search-none')).toHaveTextContent('没有找到与“没有这件”相符的案件');

    answer = () => {
      throw apiError('storage', '数据库暂时无法读取');
    };
    fireEvent.change(box, { target: { value: '再找一次' } });
    expect(await screen.findByTestId('global-search-error')).toHaveTextContent('数据库暂时无法读取');
    // What was typed stays.
    expect(box).toHaveValue('再找一次');
  });

  it('lists the old register’s registrations that match, read-only', async () => {
    fakeCore({
      search_cases: (): CaseSearchResult => ({
        hits: [],
        total: 0,
        more: false,
        historic: [
          {
            number: '浙作登字-2025-F-00000120',
            registered_on: '2025-06-30',
            title: '湖山晨雾',
            category_label: '美术',
            owners: ['周明', '林娜'],
            authors: ['周明'],
            completed_on: '2025年3月',
            published_on: null,
            revoked: true,
            revoke_reason: '登记事项与事实不符',
          },
        ],
      }),
    });
    const { user } = renderWithProviders(<GlobalSearch desks={ALL_DESKS} onOpenAt={vi.fn()} />);
    await fill(user, screen.getByTestId('global-search'), '湖山');
    const line = await screen.findByTestId('global-search-historic-0');
    expect(line).toHaveTextContent('历史登记·已撤销');
    expect(line).toHaveTextContent('浙作登字-2025-F-00000120');
    expect(line).toHaveTextContent('湖山晨雾');
    expect(line).toHaveTextContent('周明、林娜');
    expect(screen.queryByTestId('global-search-none')).toBeNull();
  });

  it('shows a case no desk of the person works, read-only', async () => {
    fakeCore({ search_cases: (): CaseSearchResult => ({ hits: [registered], total: 1, more: false, historic: [] }) });
    const { user } = renderWithProviders(<GlobalSearch desks={ALL_DESKS} onOpenAt={vi.fn()} />);
    await fill(user, screen.getByTestId('global-search'), '浙作登字-2026-C-00000001');
    await user.click(await screen.findByTestId('global-search-option-0'));
    expect(await screen.findByTestId('glance-no-desk')).toHaveTextContent('“已登记”中的案件不在您的岗位上办理');
    expect(screen.getByTestId('case-glance')).toHaveTextContent('浙作登字-2026-C-00000001');
    expect(screen.queryByTestId('days-left')).toBeNull();
  });

  it('prints the acceptance notice of an accepted case the counter no longer works, and says why when it cannot', async () => {
    // Payment confirmed: the case left the counter's queues for 待初审.
    const accepted = hit({ desks: [], has_acceptance_notice: true });
    let print: () => string = () => 'D:\\RegDesk\\打印\\受理通知书-ZJ.pdf';
    const core = fakeCore({
      search_cases: (): CaseSearchResult => ({ hits: [accepted], total: 1, more: false, historic: [] }),
      print_acceptance_notice: () => print(),
    });
    const { user } = renderWithProviders(<GlobalSearch desks={ALL_DESKS.filter((d) => d.desk === 'counter')} onOpenAt={vi.fn()} />);
    await fill(user, screen.getByTestId('global-search'), SERIAL);
    await user.click(await screen.findByTestId('global-search-option-0'));
    expect(await screen.findByTestId('glance-no-desk')).toHaveTextContent('“待初审”中的案件不在您的岗位上办理');
    const button = screen.getByTestId('glance-acceptance-notice');
    expect(button).toHaveTextContent('打印受理通知书');
    await user.click(button);
    expect(await screen.findByText('受理通知书已生成：D:\\RegDesk\\打印\\受理通知书-ZJ.pdf')).toBeInTheDocument();
    expect(core.callsTo('print_acceptance_notice').map((c) => c.args)).toEqual([{ input: { key: SERIAL } }]);

    print = () => {
      throw apiError('permission', '您没有“打印受理通知书”的权限，需要受理、财务、制证发证之一');
    };
    await user.click(button);
    expect(await screen.findByText('无法生成受理通知书：您没有“打印受理通知书”的权限，需要受理、财务、制证发证之一')).toBeInTheDocument();
    // The drawer stays open on the case.
    expect(screen.getByTestId('case-glance')).toBeInTheDocument();
  });

  it('Ctrl+K puts the cursor in the box from anywhere', async () => {
    fakeCore({});
    renderWithProviders(
      <>
        <input data-testid="elsewhere" />
        <GlobalSearch desks={ALL_DESKS} onOpenAt={vi.fn()} />
      </>,
    );
    screen.getByTestId('elsewhere').focus();
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    expect(screen.getByTestId('global-search')).toHaveFocus();
    expect(isFindShortcut(new KeyboardEvent('keydown', { key: 'K', ctrlKey: true }))).toBe(true);
    expect(isFindShortcut(new KeyboardEvent('keydown', { key: 'k' }))).toBe(false);
    expect(isFindShortcut(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, shiftKey: true }))).toBe(false);
  });
});

describe('a case found in the top bar opens at the desk', () => {
  const overviewOf = (desk: 'reports' | 'counter') => ({
    desk,
    label: desk,
    queues:
      desk === 'reports'
        ? [
            { queue: 'first_review' as const, label: '待初审', count: 3, overdue: 0 },
            { queue: 'registered' as const, label: '已登记', count: 1, overdue: 0 },
          ]
        : [{ queue: 'drafts' as const, label: '待提交', count: 1, overdue: 0 }],
  });

  it('at a desk of queues: that queue’s tab, with the case looked up', async () => {
    const core = fakeCore({});
    const request: OpenRequest = { desk: 'reports', hit: registered, nonce: 1 };
    renderWithProviders(
      <DeskPage desk={ALL_DESKS[5]} active overview={overviewOf('reports')} error={undefined} onReload={vi.fn()} openRequest={request} />,
    );
    await waitFor(() => expect(screen.getByTestId('tab-registered').closest('[role="tab"]')).toHaveAttribute('aria-selected', 'true'));
    expect(screen.getByTestId('queue-search-registered')).toHaveValue('ZJ-E89X-20261120-0002');
    await waitFor(() =>
      expect(core.callsTo('list_queue').map((c) => c.args?.input as QueueInput)).toContainEqual(
        expect.objectContaining({ queue: 'registered', search: 'ZJ-E89X-20261120-0002', page: 1 }),
      ),
    );
  });

  it('at the counter while another filing is open: says so and keeps that filing', async () => {
    fakeCore({});
    const draft = hit({
      case: reviewRow({ serial: 'ZJ-E89X-20261125-0009', state: 'draft', state_label: '草稿', stage: 'draft' }),
      queue: 'drafts',
      desks: ['counter'],
    });
    function Harness() {
      const [request, setRequest] = useState<OpenRequest | null>(null);
      return (
        <>
          <button data-testid="found" onClick={() => setRequest({ desk: 'counter', hit: draft, nonce: 1 })} />
          <DeskPage desk={ALL_DESKS[0]} active overview={overviewOf('counter')} error={undefined} onReload={vi.fn()} openRequest={request} />
        </>
      );
    }
    const { user } = renderWithProviders(<Harness />);
    await user.click(await screen.findByTestId('filing-new'));
    expect(await screen.findByTestId('filing-workspace')).toBeInTheDocument();
    await user.click(screen.getByTestId('found'));
    expect(await screen.findByText(/受理台正在填报/)).toBeInTheDocument();
    expect(screen.getByTestId('filing-workspace')).toBeInTheDocument();
  });

  it('at the payments desk: 待缴费 with the case looked up, or 待核款', async () => {
    const core = fakeCore({ payment_cases: () => CASES, transfers: () => [] });
    function Harness() {
      const [lookup, setLookup] = useState<Lookup | null>(null);
      return (
        <>
          <button data-testid="to-pay" onClick={() => setLookup({ queue: 'awaiting_payment', serial: 'ZJ-2026-000101', nonce: 1 })} />
          <button data-testid="to-check" onClick={() => setLookup({ queue: 'awaiting_payment_check', serial: 'ZJ-2026-000102', nonce: 2 })} />
          <PaymentsDesk overview={paymentsOverview} onChanged={vi.fn()} lookup={lookup} />
        </>
      );
    }
    const { user } = renderWithProviders(<Harness />);
    await user.click(screen.getByTestId('tab-pay-refunds'));
    await user.click(screen.getByTestId('to-pay'));
    await waitFor(() => expect(screen.getByTestId('tab-pay-cases').closest('[role="tab"]')).toHaveAttribute('aria-selected', 'true'));
    expect(screen.getByTestId('pay-search')).toHaveValue('ZJ-2026-000101');
    await waitFor(() => expect(core.callsTo('payment_cases').map((c) => c.args?.input)).toContainEqual({ search: 'ZJ-2026-000101' }));
    await user.click(screen.getByTestId('to-check'));
    await waitFor(() => expect(screen.getByTestId('tab-pay-check').closest('[role="tab"]')).toHaveAttribute('aria-selected', 'true'));
  });
});
