import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { InboxItemView } from '../api/bindings';
import type { FilingWorkspaceProps } from '../filing/FilingWorkspace';
import { apiError, fakeCore } from '../test/backend';
import { renderWithProviders } from '../test/render';
import { InboxList } from './InboxList';
import { rejectedFiling } from './testData';

// The filing form itself is tested beside it; here it only saves.
vi.mock('../filing/FilingWorkspace', () => ({
  FilingWorkspace: ({ onSaved, prefill }: FilingWorkspaceProps) => (
    <div data-testid="fake-filing">
      {String((prefill as { title?: string } | undefined)?.title ?? '')}
      <button data-testid="fake-save" onClick={() => onSaved?.({} as never)}>
        保存
      </button>
    </div>
  ),
}));

describe('需处理: the comparison and what was entered', () => {
  it('draws the core\'s labels and display values, never the raw columns or the payload', async () => {
    fakeCore({ sync_inbox: () => [rejectedFiling()] });
    renderWithProviders(<InboxList />);
    const item = await screen.findByTestId('inbox-item');
    const row = within(item).getByTestId('inbox-row');
    expect(row).toHaveTextContent('案件 ZJ-A5AC-20261207-0001');
    expect(row).not.toHaveTextContent('["c1"]');
    expect(within(row).getByText('作品名称')).toBeInTheDocument();
    expect(within(row).getByText('填报内容 · 著作权人 1 · 证件号码')).toBeInTheDocument();
    expect(within(row).queryByText('title')).toBeNull();
    expect(row).not.toHaveTextContent('draft.owners');
    const entered = within(item).getByTestId('inbox-entered');
    expect(within(entered).getByText('填报内容 · 作品类别')).toBeInTheDocument();
    expect(within(entered).getByText('美术')).toBeInTheDocument();
    // The payload itself (codes, paths) is only for 重做.
    expect(entered).not.toHaveTextContent('draft.category');
    expect(entered).not.toHaveTextContent('art');
  });
});

describe('需处理 → 重做', () => {
  it('saving the redone filing closes the entry: the core is told once and the inbox no longer lists it', async () => {
    let inbox: InboxItemView[] = [rejectedFiling()];
    const core = fakeCore({
      sync_inbox: () => inbox,
      close_redone_inbox_item: () => {
        inbox = [];
        return null;
      },
    });
    const changed = vi.fn();
    const { user } = renderWithProviders(<InboxList onChanged={changed} />);
    const item = await screen.findByTestId('inbox-item');
    await user.click(within(item).getByTestId('inbox-redo'));
    expect(await screen.findByTestId('fake-filing')).toHaveTextContent('西湖春晓');
    expect(screen.getByText(/保存后此条自动移出需处理/)).toBeInTheDocument();
    expect(core.callsTo('close_redone_inbox_item')).toHaveLength(0);
    await user.click(screen.getByTestId('fake-save'));
    await waitFor(() => expect(core.callsTo('close_redone_inbox_item')).toHaveLength(1));
    expect(core.callsTo('close_redone_inbox_item')[0].args).toEqual({ input: { entry_id: 'e1' } });
    expect(await screen.findByText('没有被服务器拒绝的记录')).toBeInTheDocument();
    expect(changed).toHaveBeenCalled();
    // Saving again in the same form does not ask twice.
    await user.click(screen.getByTestId('fake-save'));
    expect(core.callsTo('close_redone_inbox_item')).toHaveLength(1);
  });

  it('a command without a form: 已重新办理 closes it once the core agrees, else says why and keeps it', async () => {
    let inbox: InboxItemView[] = [rejectedFiling({ command: 'first_review', command_words: '初审', payload: { decision: 'pass' } })];
    let redone = false;
    const core = fakeCore({
      sync_inbox: () => inbox,
      close_redone_inbox_item: () => {
        if (!redone) {
          throw apiError('refused', '这条被拒绝的记录还没有重新办理：请在重做的表单中保存后再关闭，或选择放弃');
        }
        inbox = [];
        return null;
      },
    });
    const { user } = renderWithProviders(<InboxList />);
    await user.click(within(await screen.findByTestId('inbox-item')).getByTestId('inbox-redo'));
    await user.click(await screen.findByTestId('inbox-redone'));
    expect(await screen.findByTestId('inbox-redone-error')).toHaveTextContent('还没有重新办理');
    expect(screen.getByTestId('inbox-item')).toBeInTheDocument();
    redone = true;
    await user.click(screen.getByTestId('inbox-redone'));
    expect(await screen.findByText('没有被服务器拒绝的记录')).toBeInTheDocument();
    expect(core.callsTo('close_redone_inbox_item')).toHaveLength(2);
    await waitFor(() => expect(screen.queryByTestId('inbox-redone')).toBeNull());
  });
});
