import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeskOverview } from '../api/bindings';
import { fakeCore } from '../test/backend';
import { ALL_DESKS } from '../test/fixtures';
import { renderWithProviders } from '../test/render';
import { DeskPage } from './DeskPage';

const counter: DeskOverview = {
  desk: 'counter',
  label: '受理',
  queues: [
    { queue: 'drafts', label: '暂存', count: 2, overdue: 0 },
    { queue: 'awaiting_signature', label: '待签章', count: 0, overdue: 0 },
  ],
};

describe('the desk page', () => {
  it('the counter desk has 用户信息 first beside its queues and still opens on its queue', async () => {
    fakeCore({});
    const { user } = renderWithProviders(
      <DeskPage desk={ALL_DESKS[0]} active overview={counter} error={undefined} onReload={() => {}} />,
    );
    const tabs = screen.getAllByRole('tab').map((t) => t.textContent);
    expect(tabs[0]).toBe('用户信息');
    expect(tabs.slice(1).map((t) => t?.replace(/\d+$/, ''))).toEqual(['暂存 ', '待签章 ', '批量受理']);
    expect(await screen.findByText('暂无暂存作品')).toBeInTheDocument();
    await user.click(screen.getByTestId('tab-applicants'));
    await waitFor(() => expect(screen.getByTestId('applicant-search')).toHaveFocus());
    expect(screen.getByTestId('applicant-new')).toBeInTheDocument();
    // 批量受理 comes last, with the template and the import.
    await user.click(screen.getByTestId('tab-intake'));
    expect(await screen.findByTestId('intake-template')).toBeInTheDocument();
  });

  it('other desks have no 用户信息 tab', () => {
    fakeCore({});
    renderWithProviders(
      <DeskPage
        desk={ALL_DESKS[2]}
        active
        overview={{ desk: 'first_review', label: '初审', queues: [{ queue: 'first_review', label: '待初审', count: 0, overdue: 0 }] }}
        error={undefined}
        onReload={() => {}}
      />,
    );
    expect(screen.queryByTestId('tab-applicants')).toBeNull();
    expect(screen.getByTestId('tab-first_review')).toBeInTheDocument();
  });

  it('a review queue shows how many cases are overdue', () => {
    fakeCore({});
    renderWithProviders(
      <DeskPage
        desk={ALL_DESKS[2]}
        active
        overview={{ desk: 'first_review', label: '初审', queues: [{ queue: 'first_review', label: '待初审', count: 5, overdue: 2 }] }}
        error={undefined}
        onReload={() => {}}
      />,
    );
    expect(screen.getByTestId('overdue-first_review')).toHaveTextContent('超期 2');
  });
});
