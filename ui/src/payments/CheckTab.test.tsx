import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CheckTransferInput, TransfersInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { PaymentsDesk } from './PaymentsDesk';
import { CASES, overview, transfer } from './testData';

const inputOf = <T,>(c: { args: Record<string, unknown> | undefined }) => c.args?.input as T;

async function openCheck(user: ReturnType<typeof renderWithProviders>['user']) {
  await user.click(screen.getByTestId('tab-pay-check'));
  return screen.findByTestId('transfer-0');
}

describe('待核款', () => {
  it('the person who recorded a transfer sees 确认收款 disabled with the reason', async () => {
    fakeCore({ payment_cases: () => CASES, transfers: () => [transfer({ may_confirm: false })] });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    const card = await openCheck(user);
    expect(card).toHaveTextContent('杭州某某文化有限公司');
    expect(card).toHaveTextContent('¥300.00');
    expect(card).toHaveTextContent('HZ20261124001');
    expect(card).toHaveTextContent('王会计');
    expect(within(card).getByTestId('allocations-0')).toHaveTextContent('ZJ-2026-000102');
    const confirm = screen.getByTestId('confirm-0');
    expect(confirm).toBeDisabled();
    await user.hover(screen.getByTestId('confirm-why-0'));
    expect(await screen.findByText('由您登记，须另一位核款人员确认')).toBeInTheDocument();
  });

  it('another officer confirms: check_transfer gets confirm and the cases now in 待初审 are named', async () => {
    const core = fakeCore({
      payment_cases: () => CASES,
      transfers: () => [transfer({ over_fen: 1000 })],
      check_transfer: () =>
        transfer({
          state: 'confirmed',
          state_label: '已确认',
          version: 2,
          allocations: transfer().allocations.map((a) => ({
            ...a,
            case_state: 'awaiting_first_review',
            case_state_label: '待初审',
            has_acceptance_notice: true,
          })),
        }),
      print_acceptance_notice: () => '/prints/ZJ-2026-000101-受理通知书.pdf',
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={onChanged} />);
    const card = await openCheck(user);
    expect(inputOf<TransfersInput>(core.callsTo('transfers')[0])).toEqual({ state: 'recorded' });
    expect(card).toHaveTextContent('¥10.00，确认后计入用户余额');
    await user.click(screen.getByTestId('confirm-0'));
    await user.click(await screen.findByTestId('confirm-ok'));
    await waitFor(() => expect(core.callsTo('check_transfer')).toHaveLength(1));
    expect(inputOf<CheckTransferInput>(core.callsTo('check_transfer')[0])).toEqual({
      id: 't-1',
      version: 1,
      command: { command: 'confirm' },
    });
    expect(await screen.findByTestId('check-result')).toHaveTextContent('进入待初审：ZJ-2026-000101、ZJ-2026-000102');
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('prints the acceptance notice of a case the core says was accepted, and only then', async () => {
    const core = fakeCore({
      payment_cases: () => CASES,
      transfers: () => [
        transfer({
          allocations: [
            { ...transfer().allocations[0], case_state: 'awaiting_first_review', case_state_label: '待初审', has_acceptance_notice: true },
            transfer().allocations[1],
          ],
        }),
      ],
      print_acceptance_notice: () => '/prints/ZJ-2026-000101-受理通知书.pdf',
    });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    await openCheck(user);
    expect(screen.queryByTestId('acceptance-notice-ZJ-2026-000102')).toBeNull();
    await user.click(screen.getByTestId('acceptance-notice-ZJ-2026-000101'));
    await waitFor(() => expect(core.callsTo('print_acceptance_notice')).toHaveLength(1));
    expect(inputOf<{ key: string }>(core.callsTo('print_acceptance_notice')[0])).toEqual({ key: 'ZJ-2026-000101' });
    expect(await screen.findByText('受理通知书已生成：/prints/ZJ-2026-000101-受理通知书.pdf')).toBeInTheDocument();
  });

  it('a refusal from the core is shown as it came', async () => {
    fakeCore({
      payment_cases: () => CASES,
      transfers: () => [transfer()],
      check_transfer: () => {
        throw apiError('refused', '同一笔转账的登记人和确认人不能是同一人');
      },
    });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    await openCheck(user);
    await user.click(screen.getByTestId('confirm-0'));
    await user.click(await screen.findByTestId('confirm-ok'));
    expect(await screen.findByTestId('check-error')).toHaveTextContent('同一笔转账的登记人和确认人不能是同一人');
  });

  it('rejecting asks for the reason and sends it', async () => {
    const core = fakeCore({
      payment_cases: () => CASES,
      transfers: () => [transfer({ may_confirm: false })],
      check_transfer: () => transfer({ state: 'rejected', state_label: '已退回', reject_reason: '金额与回单不符', version: 2 }),
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={onChanged} />);
    await openCheck(user);
    // the maker may still reject (the core decides)
    await user.click(screen.getByTestId('reject-0'));
    const reason = await screen.findByTestId('reject-reason');
    await user.click(screen.getByTestId('reject-ok'));
    expect(await screen.findByText('请填写退回原因')).toBeInTheDocument();
    expect(core.callsTo('check_transfer')).toHaveLength(0);

    await fill(user, reason, '金额与回单不符');
    await user.click(screen.getByTestId('reject-ok'));
    await waitFor(() => expect(core.callsTo('check_transfer')).toHaveLength(1));
    expect(inputOf<CheckTransferInput>(core.callsTo('check_transfer')[0])).toEqual({
      id: 't-1',
      version: 1,
      command: { command: 'reject', reason: '金额与回单不符' },
    });
    await waitFor(() => expect(screen.queryByTestId('reject-reason')).toBeNull());
    expect(screen.getByTestId('check-result')).toHaveTextContent('已退回');
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('the filter shows the history of confirmed transfers', async () => {
    const core = fakeCore({
      payment_cases: () => CASES,
      transfers: (args) => {
        const state = (args?.input as TransfersInput).state;
        if (state !== 'confirmed') return [];
        return [transfer({ state: 'confirmed', state_label: '已确认', checked_by_name: '李出纳', checked_at: '2026-11-24T15:00:00+08:00' })];
      },
    });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    await user.click(screen.getByTestId('tab-pay-check'));
    expect(await screen.findByText('没有待核款的转账')).toBeInTheDocument();
    await user.click(screen.getByTestId('check-filter').querySelector('input') ?? screen.getByTestId('check-filter'));
    await user.click(await screen.findByTitle('已确认'));
    const card = await screen.findByTestId('transfer-0');
    expect(card).toHaveTextContent('李出纳');
    expect(screen.queryByTestId('confirm-0')).toBeNull();
    expect(inputOf<TransfersInput>(core.callsTo('transfers').at(-1)!)).toEqual({ state: 'confirmed' });
  });
});
