import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OfficeNode, QueueInput, SubordinateOfficeInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { OfficeTreeTab } from './OfficeTreeTab';

const counts = (over: Partial<OfficeNode['counts']> = {}): OfficeNode['counts'] => ({
  counter: 0,
  payment: 0,
  review: 0,
  registered: 0,
  other: 0,
  overdue: 0,
  ...over,
});
const TREE: OfficeNode[] = [
  { code: 'ZJ', name: '浙江省版权局', parent_code: null, depth: 0, own: true, counts: counts({ review: 3, overdue: 1 }) },
  { code: 'ZJHZ', name: '杭州市版权局', parent_code: 'ZJ', depth: 1, own: false, counts: counts({ review: 2 }) },
];

describe('机构树', () => {
  it('lists the offices with their counts and an office’s cases', async () => {
    const core = fakeCore({ office_tree: () => TREE });
    const { user } = renderWithProviders(<OfficeTreeTab canAdd={false} />);
    const hz = await screen.findByTestId('office-ZJHZ');
    expect(hz.closest('tr')).toHaveTextContent('2');
    expect(screen.getByTestId('office-ZJ').closest('tr')).toHaveTextContent('本机构');
    expect(screen.queryByTestId('office-add')).toBeNull();
    await user.click(hz);
    await screen.findByTestId('office-cases');
    await waitFor(() => expect(core.callsTo('list_queue').length).toBeGreaterThan(0));
    expect(core.callsTo('list_queue').at(-1)?.args?.input as QueueInput).toMatchObject({ queue: 'first_review', office: 'ZJHZ' });
  });

  it('an admin adds a subordinate office; the core’s refusal shows under its field', async () => {
    let refuse = true;
    const core = fakeCore({
      office_tree: () => TREE,
      add_subordinate_office: () => {
        if (refuse) throw apiError('validation', '请按提示修改', [{ field: 'code', code: 'taken', message: '机构代码 ZJHZ 已在机构树中，请换一个代码' }]);
        return [...TREE, { code: 'ZJNB', name: '宁波市版权局', parent_code: 'ZJ', depth: 1, own: false, counts: counts() }];
      },
    });
    const { user } = renderWithProviders(<OfficeTreeTab canAdd />);
    await screen.findByTestId('office-ZJHZ');
    await fill(user, document.getElementById('office_code') as HTMLElement, 'ZJHZ');
    await fill(user, document.getElementById('office_name') as HTMLElement, '宁波市版权局');
    await user.click(screen.getByTestId('office-add'));
    expect(await screen.findByText('机构代码 ZJHZ 已在机构树中，请换一个代码')).toBeInTheDocument();
    refuse = false;
    await user.clear(document.getElementById('office_code') as HTMLElement);
    await fill(user, document.getElementById('office_code') as HTMLElement, 'ZJNB');
    await user.click(screen.getByTestId('office-add'));
    expect(await screen.findByTestId('office-ZJNB')).toBeInTheDocument();
    expect(core.callsTo('add_subordinate_office')[1].args?.input as SubordinateOfficeInput).toMatchObject({ code: 'ZJNB', name: '宁波市版权局' });
  });
});
