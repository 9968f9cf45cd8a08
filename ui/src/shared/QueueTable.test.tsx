import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CasePage, CaseRow, QueueInput } from '../api/bindings';
import { fakeCore } from '../test/backend';
import { renderWithProviders } from '../test/render';
import { QueueTable } from './QueueTable';

const row: CaseRow = {
  id: 'c1',
  serial: 'ZJ-D4WS-20261125-0001',
  title: '西湖十景之断桥残雪',
  category_label: '摄影',
  state: 'draft',
  state_label: '草稿',
  stage: 'draft',
  applicant_name: '林晓雨',
  created_at: '2026-11-25T01:30:00Z',
  accepted_on: null,
  due_on: null,
  days_left: null,
  deadline_level: null,
  due_pending: false,
  registration_number: null,
};

describe('queue table', () => {
  it('searches through the core and opens a row', async () => {
    const core = fakeCore({
      list_queue: (args) => {
        const input = args?.input as QueueInput;
        const rows = !input.search || input.search === '断桥' ? [row] : [];
        return { rows, total: rows.length, page: input.page, page_size: input.page_size, more: false, next: null, previous: null } satisfies CasePage;
      },
    });
    const onOpen = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<QueueTable queue="drafts" label="待提交（含退回）" onOpen={onOpen} />);
    expect(await screen.findByText('西湖十景之断桥残雪')).toBeInTheDocument();

    const box = screen.getByTestId('queue-search-drafts');
    await user.type(box, '没有这件{Enter}');
    await waitFor(() => expect(screen.queryByText('西湖十景之断桥残雪')).not.toBeInTheDocument());
    const last = core.callsTo('list_queue').at(-1)?.args?.input as QueueInput;
    expect(last.search).toBe('没有这件');
    expect(last.page).toBe(1);

    await user.clear(box);
    await user.type(box, '断桥{Enter}');
    await user.click(await screen.findByText('西湖十景之断桥残雪'));
    expect(onOpen).toHaveBeenCalledWith(row);
  });
});

describe('the working-day clock on a row', () => {
  const review = (over: Partial<CaseRow>): CaseRow => ({
    ...row,
    state: 'awaiting_first_review',
    state_label: '待初审',
    stage: 'waiting_office',
    accepted_on: '2026-11-02',
    due_on: '2026-12-14',
    ...over,
  });
  const page = (rows: CaseRow[]): CasePage => ({ rows, total: rows.length, page: 1, page_size: 20, more: false, next: null, previous: null });

  it('shows days left in the colour of the level the core gives (normal, soon, overdue) and a pending deadline', async () => {
    fakeCore({
      list_queue: () =>
        page([
          review({ id: 'a', days_left: 12, deadline_level: 'normal' }),
          review({ id: 'b', days_left: 3, deadline_level: 'soon' }),
          review({ id: 'c', days_left: -2, deadline_level: 'overdue' }),
          review({ id: 'd', due_on: null, days_left: null, due_pending: true }),
        ]),
    });
    renderWithProviders(<QueueTable queue="first_review" label="待初审" reloadKey={0} />);
    const tags = await screen.findAllByTestId('days-left');
    expect(tags.map((t) => t.textContent)).toEqual(['剩 12 个工作日', '剩 3 个工作日', '超期 2 个工作日']);
    expect(tags[0].className).toContain('blue');
    expect(tags[1].className).toContain('orange');
    expect(tags[2].className).toContain('red');
    expect(screen.getByTestId('due-pending')).toHaveTextContent('期限待定');
  });
});

describe('sorting a queue', () => {
  it('asks the core for the whole queue in the order of the clicked column', async () => {
    const core = fakeCore({ list_queue: () => ({ rows: [row], total: 1, page: 1, page_size: 20, more: false, next: null, previous: null }) });
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    renderWithProviders(<QueueTable queue="drafts" label="待提交" reloadKey={0} />);
    await screen.findByText(row.serial);
    await user.click(screen.getByText('作品名称'));
    await waitFor(() => expect((core.callsTo('list_queue').at(-1)?.args?.input as QueueInput).sort).toEqual({ key: 'title', descending: false }));
    await user.click(screen.getByText('作品名称'));
    await waitFor(() => expect((core.callsTo('list_queue').at(-1)?.args?.input as QueueInput).sort).toEqual({ key: 'title', descending: true }));
  });
});

describe('a queue search with more matches than it counts', () => {
  it('shows the capped count as "200+" and pages through the cases it lists', async () => {
    const core = fakeCore({
      list_queue: (args) => {
        const input = args?.input as QueueInput;
        const many = input.search === 'ZJ-';
        const rows = Array.from({ length: many ? 20 : 1 }, (_v, i) => ({ ...row, id: `c${input.page}-${i}`, serial: `ZJ-${input.page}-${i}` }));
        return { rows, total: many ? 200 : 1, page: input.page, page_size: input.page_size, more: many, next: null, previous: null } satisfies CasePage;
      },
    });
    const user = userEvent.setup();
    renderWithProviders(<QueueTable queue="drafts" label="待提交（含退回）" />);
    expect(await screen.findByText('共 1 件')).toBeInTheDocument();
    expect(screen.queryByTestId('queue-total-many')).not.toBeInTheDocument();

    await user.type(screen.getByTestId('queue-search-drafts'), 'ZJ-{Enter}');
    expect(await screen.findByTestId('queue-total-many')).toHaveTextContent('200+ 件');
    await user.click(screen.getByTitle('10'));
    await waitFor(() => expect((core.callsTo('list_queue').at(-1)?.args?.input as QueueInput).page).toBe(10));
    expect(await screen.findByText('ZJ-10-0')).toBeInTheDocument();
  });
});

describe('paging a queue', () => {
  it('goes to the next and previous page by the cursors the core gave, and jumps to a page by its number', async () => {
    const core = fakeCore({
      list_queue: (args) => {
        const input = args?.input as QueueInput;
        // The fake core's cursors name the page they lead to.
        const page = input.cursor ? Number(input.cursor.split('-')[1]) : input.page;
        const rows = Array.from({ length: 20 }, (_v, i) => ({ ...row, id: `p${page}-${i}`, serial: `ZJ-P${page}-${i}` }));
        return {
          rows,
          total: 100,
          page,
          page_size: input.page_size,
          more: false,
          next: page < 5 ? `to-${page + 1}` : null,
          previous: page > 1 ? `to-${page - 1}` : null,
        } satisfies CasePage;
      },
    });
    const user = userEvent.setup({ pointerEventsCheck: 0 });
    renderWithProviders(<QueueTable queue="first_review" label="待初审" />);
    expect(await screen.findByText('ZJ-P1-0')).toBeInTheDocument();
    const lastInput = () => core.callsTo('list_queue').at(-1)?.args?.input as QueueInput;
    expect(lastInput().cursor).toBeUndefined();

    await user.click(screen.getByTitle('下一页'));
    expect(await screen.findByText('ZJ-P2-0')).toBeInTheDocument();
    expect(lastInput().cursor).toBe('to-2');
    await user.click(screen.getByTitle('下一页'));
    expect(await screen.findByText('ZJ-P3-0')).toBeInTheDocument();
    expect(lastInput().cursor).toBe('to-3');
    await user.click(screen.getByTitle('上一页'));
    expect(await screen.findByText('ZJ-P2-0')).toBeInTheDocument();
    expect(lastInput().cursor).toBe('to-2');

    // A page that is not next to the one shown: by its number (the last page is read from its end).
    await user.click(screen.getByTitle('5'));
    expect(await screen.findByText('ZJ-P5-0')).toBeInTheDocument();
    expect(lastInput()).toMatchObject({ page: 5 });
    expect(lastInput().cursor).toBeUndefined();
    // Any page by its number, typed into 跳至 … 页.
    const jumper = document.querySelector('.ant-pagination-options-quick-jumper input') as HTMLInputElement;
    expect(jumper).not.toBeNull();
    await user.type(jumper, '3');
    // Enter, as the jumper reads it (its legacy key code, which the typing helper leaves out).
    fireEvent.keyUp(jumper, { key: 'Enter', keyCode: 13 });
    expect(await screen.findByText('ZJ-P3-0')).toBeInTheDocument();
    expect(lastInput()).toMatchObject({ page: 3 });
    expect(lastInput().cursor).toBeUndefined();
    // A new order starts again at the first page, with no cursor.
    await user.click(screen.getByText('作品名称'));
    await waitFor(() => expect(lastInput().sort).toEqual({ key: 'title', descending: false }));
    expect(lastInput()).toMatchObject({ page: 1 });
    expect(lastInput().cursor).toBeUndefined();
  });
});
