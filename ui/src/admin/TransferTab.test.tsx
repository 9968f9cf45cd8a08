import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OfficeNode, TransferCaseInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { caseDetail } from '../filing/testData';
import { TransferTab } from './TransferTab';

const counts = { counter: 0, payment: 0, review: 0, registered: 0, other: 0, overdue: 0 };
const TREE: OfficeNode[] = [
  { code: 'ZJ', name: '浙江省版权局', parent_code: null, depth: 0, own: true, counts },
  { code: 'ZJHZ', name: '杭州市版权局', parent_code: 'ZJ', depth: 1, own: false, counts },
  { code: 'ZJNB', name: '宁波市版权局', parent_code: 'ZJ', depth: 1, own: false, counts },
];

async function openDialog(user: ReturnType<typeof renderWithProviders>['user']) {
  await fill(user, screen.getByTestId('transfer-key'), 'ZJ-2026-000001');
  await user.click(screen.getByTestId('transfer-find'));
  expect(await screen.findByTestId('transfer-state')).toHaveTextContent('待初审');
  await user.click(screen.getByTestId('transfer-open'));
  fireEvent.mouseDown((await screen.findByTestId('transfer-office')).querySelector('.ant-select-selector') as HTMLElement);
  await user.click(await screen.findByTitle(/宁波市版权局（ZJNB）/));
}

describe('案件移交', () => {
  it('finds a case and transfers it to an office of the tree with the reason', async () => {
    const found = caseDetail({ state: 'awaiting_first_review', state_label: '待初审', version: 4 });
    const core = fakeCore({
      office_tree: () => TREE,
      case_detail: () => found,
      transfer_case: () => ({ ...found, version: 5 }),
    });
    const { user } = renderWithProviders(<TransferTab />);
    await openDialog(user);
    await fill(user, screen.getByTestId('transfer-reason'), '申请人迁居宁波');
    await user.click(screen.getByTestId('transfer-submit'));
    await waitFor(() => expect(core.callsTo('transfer_case')).toHaveLength(1));
    expect(core.callsTo('transfer_case')[0].args?.input as TransferCaseInput).toEqual({
      case_id: found.id,
      version: 4,
      office_code: 'ZJNB',
      reason: '申请人迁居宁波',
    });
    expect(await screen.findByText(/已移交到宁波市版权局/)).toBeInTheDocument();
  });

  it('shows the core’s refusal in the dialog, naming the field', async () => {
    fakeCore({
      office_tree: () => TREE,
      case_detail: () => caseDetail({ state: 'awaiting_first_review', state_label: '待初审' }),
      transfer_case: () => {
        throw apiError('validation', '请检查输入', [{ field: 'reason', code: 'required', message: '请填写移交原因' }]);
      },
    });
    const { user } = renderWithProviders(<TransferTab />);
    await openDialog(user);
    await user.click(screen.getByTestId('transfer-submit'));
    expect(await screen.findByTestId('transfer-dialog-error')).toHaveTextContent('请填写移交原因');
    expect(screen.getByTestId('transfer-reason')).toBeInTheDocument();
  });
});
