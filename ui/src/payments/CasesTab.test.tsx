import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AddFileInput, RecordTransferInput } from '../api/bindings';
import { AttachableProvider } from '../shared/files';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { PaymentsDesk } from './PaymentsDesk';
import { fileView } from '../filing/testData';
import { CASES, overview, transfer } from './testData';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;
const itemOf = (el: HTMLElement) => el.closest('.ant-form-item') as HTMLElement;
/** Replaces a prefilled value at once. */
const retype = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
const inputOf = <T,>(c: { args: Record<string, unknown> | undefined }) => c.args?.input as T;

/** Ticks a case's checkbox in the 待缴费 table. */
async function tick(user: ReturnType<typeof renderWithProviders>['user'], serial: string) {
  const row = (await screen.findByText(serial)).closest('tr') as HTMLElement;
  await user.click(within(row).getByRole('checkbox'));
}

describe('待缴费 and 登记转账', () => {
  it('opens on 待缴费 with amounts, the balance and the badges', async () => {
    fakeCore({ payment_cases: () => CASES });
    renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    const table = await screen.findByTestId('pay-cases');
    await within(table).findByText('断桥残雪');
    const row = screen.getByText('ZJ-2026-000102').closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('¥1,350.50');
    expect(row).toHaveTextContent('¥20.00');
    expect(screen.getByText('ZJ-2026-000103').closest('tr')).toHaveTextContent('待核款');
    expect(screen.getByTestId('tab-pay-cases')).toHaveTextContent(/待缴费\s*2/);
    expect(screen.getByTestId('tab-pay-check')).toHaveTextContent(/待核款\s*1/);
    // a case already awaiting the check cannot be ticked
    expect(within(screen.getByText('ZJ-2026-000103').closest('tr') as HTMLElement).getByRole('checkbox')).toBeDisabled();
  });

  it('records one transfer for two ticked cases in exact fen, with the receipt scan', async () => {
    const core = fakeCore({
      payment_cases: () => CASES,
      record_transfer: () => transfer(),
      add_file: () => fileView({ id: 'f-9', original_name: '回单.pdf', mime: 'application/pdf' }),
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={onChanged} />);
    await tick(user, 'ZJ-2026-000101');
    await tick(user, 'ZJ-2026-000102');
    await user.click(screen.getByTestId('transfer-new'));

    const form = await screen.findByTestId('transfer-form');
    await waitFor(() => expect(field('transfer_payer')).toHaveFocus());
    expect(within(form).getByTestId('share-serial-0')).toHaveTextContent('ZJ-2026-000101');
    expect(within(form).getByTestId('share-serial-1')).toHaveTextContent('ZJ-2026-000102');
    expect(within(form).getByTestId('share-amount-0')).toHaveValue('150.00');
    expect(within(form).getByTestId('share-amount-1')).toHaveValue('1350.50');

    await fill(user, field('transfer_payer'), '杭州某某文化有限公司');
    await fill(user, field('transfer_amount'), '1,500.50');
    retype(within(form).getByTestId('share-amount-1'), '1,350.50');
    retype(field('transfer_received_date'), '20261124');
    retype(field('transfer_received_time'), '1015');
    await fill(user, field('transfer_reference'), 'HZ001');
    await fill(user, field('transfer_payer_account'), '6222 0000 1111');
    expect(screen.getByTestId('transfer-sums')).toHaveTextContent('转账金额 ¥1,500.50，分配合计 ¥1,500.50');
    // the receipt scan by typed path (the native dialog cannot be driven here)
    await fill(user, screen.getByTestId('path-receipt'), '/home/desk/回单.pdf');
    await user.click(screen.getByTestId('add-receipt'));
    expect(await screen.findByTestId('receipt-file')).toHaveTextContent('回单.pdf');
    // added as a receipt, finance's purpose (not through the counter's desk)
    expect(inputOf<AddFileInput>(core.callsTo('add_file')[0])).toEqual({ path: '/home/desk/回单.pdf', purpose: 'receipt' });

    field('transfer_reference').focus();
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(core.callsTo('record_transfer')).toHaveLength(1));
    expect(inputOf<RecordTransferInput>(core.callsTo('record_transfer')[0])).toEqual({
      transfer: {
        method: 'bank_transfer',
        payer: '杭州某某文化有限公司',
        payer_account: '6222 0000 1111',
        payer_bank: '',
        amount_fen: 150050,
        received_at: '2026-11-24T10:15:00',
        reference: 'HZ001',
        purpose: '',
      },
      receipt_file_id: 'f-9',
      shares: [
        { case_id: 'case-1', amount_fen: 15000 },
        { case_id: 'case-2', amount_fen: 135050 },
      ],
    } satisfies RecordTransferInput);
    expect(await screen.findByText('已登记，待另一位核款人员确认')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('transfer-form')).toBeNull());
    expect(onChanged).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(core.callsTo('payment_cases').length).toBeGreaterThanOrEqual(2));
  });

  it('a refused record puts each message under its field (a share under its row) and keeps the input', async () => {
    const core = fakeCore({
      payment_cases: () => CASES,
      record_transfer: () => {
        throw apiError('validation', '登记内容有误', [
          { field: 'transfer.payer', code: 'required', message: '请填写付款人（户名）' },
          { field: 'transfer.reference', code: 'taken', message: '流水号 HZ001 已登记过' },
          { field: 'shares[1].amount_fen', code: 'over', message: '超过本案尚差' },
          { field: 'shares', code: 'sum', message: '分配合计超过转账金额' },
        ]);
      },
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={onChanged} />);
    await tick(user, 'ZJ-2026-000101');
    await tick(user, 'ZJ-2026-000102');
    await user.click(screen.getByTestId('transfer-new'));
    const form = await screen.findByTestId('transfer-form');
    await fill(user, field('transfer_amount'), '300');
    await fill(user, field('transfer_reference'), 'HZ001');
    retype(within(form).getByTestId('share-amount-1'), '1,350.50');
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(core.callsTo('record_transfer')).toHaveLength(1));

    await waitFor(() => expect(itemOf(field('transfer_payer'))).toHaveTextContent('请填写付款人（户名）'));
    expect(itemOf(field('transfer_reference'))).toHaveTextContent('流水号 HZ001 已登记过');
    expect(itemOf(within(form).getByTestId('share-amount-1'))).toHaveTextContent('超过本案尚差');
    expect(itemOf(within(form).getByTestId('share-amount-0'))).not.toHaveTextContent('超过本案尚差');
    expect(screen.getByTestId('shares-error')).toHaveTextContent('分配合计超过转账金额');
    expect(screen.getByTestId('transfer-error')).toHaveTextContent('登记内容有误');
    // nothing typed is lost
    expect(field('transfer_amount')).toHaveValue('300');
    expect(field('transfer_reference')).toHaveValue('HZ001');
    expect(within(form).getByTestId('share-amount-1')).toHaveValue('1,350.50');
    expect(onChanged).not.toHaveBeenCalled();

    // typing a fix clears its message
    await fill(user, field('transfer_payer'), '杭州某某文化有限公司');
    await waitFor(() => expect(itemOf(field('transfer_payer'))).not.toHaveTextContent('请填写付款人'));
    expect(itemOf(field('transfer_reference'))).toHaveTextContent('已登记过');
  });

  it('an amount that is not yuan is named under the field and nothing is sent; a case is added by serial', async () => {
    const core = fakeCore({
      payment_cases: (args) => {
        const search = (args?.input as { search: string | null }).search;
        return search ? CASES.filter((c) => c.serial.endsWith(search)) : CASES;
      },
      record_transfer: () => transfer(),
    });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    await screen.findByText('ZJ-2026-000101');
    await user.click(screen.getByTestId('transfer-new'));
    await screen.findByTestId('transfer-form');

    await fill(user, screen.getByTestId('share-search'), '000102');
    await user.keyboard('{Enter}');
    await user.click(await screen.findByTestId('share-add-0'));
    expect(screen.getByTestId('share-serial-0')).toHaveTextContent('ZJ-2026-000102');
    expect(screen.getByTestId('share-amount-0')).toHaveValue('1350.50');

    await fill(user, field('transfer_payer'), '李四');
    await user.keyboard('{Enter}');
    expect(field('transfer_payer_account')).toHaveFocus();
    await fill(user, field('transfer_amount'), '1350.5.0');
    await waitFor(() => expect(itemOf(field('transfer_amount'))).toHaveTextContent('金额只能有一个小数点'));
    await user.click(screen.getByTestId('transfer-submit'));
    expect(await screen.findByTestId('transfer-error')).toHaveTextContent('请按提示修改');
    expect(core.callsTo('record_transfer')).toHaveLength(0);
    expect(field('transfer_amount')).toHaveValue('1350.5.0');
  });
});

describe('登记在线支付', () => {
  it('records an online payment like a transfer: the platform reference, the amount in fen, the payment record', async () => {
    const core = fakeCore({
      payment_cases: () => CASES,
      record_transfer: () => transfer({ method: 'online', method_label: '在线支付', reference: 'WX4200001234' }),
      add_file: () => fileView({ id: 'f-7', original_name: '支付记录.png', mime: 'image/png' }),
    });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    await tick(user, 'ZJ-2026-000101');
    await user.click(screen.getByTestId('online-new'));
    const form = await screen.findByTestId('transfer-form');
    expect(screen.getByText('登记在线支付', { selector: '.ant-modal-title' })).toBeInTheDocument();
    expect(within(form).getByRole('radio', { name: '在线支付' })).toBeChecked();
    expect(itemOf(field('transfer_reference'))).toHaveTextContent('平台交易号');
    expect(within(form).getByTestId('share-serial-0')).toHaveTextContent('ZJ-2026-000101');
    await fill(user, field('transfer_payer'), '张三');
    await fill(user, field('transfer_amount'), '150');
    retype(field('transfer_received_date'), '2026-11-24');
    retype(field('transfer_received_time'), '09:05');
    await fill(user, field('transfer_reference'), 'wx 4200 0012 34');
    await fill(user, screen.getByTestId('path-receipt'), '/home/desk/支付记录.png');
    await user.click(screen.getByTestId('add-receipt'));
    expect(await screen.findByTestId('receipt-file')).toHaveTextContent('支付记录.png');
    expect(inputOf<AddFileInput>(core.callsTo('add_file')[0])).toEqual({ path: '/home/desk/支付记录.png', purpose: 'receipt' });
    await user.click(screen.getByTestId('transfer-submit'));
    await waitFor(() => expect(core.callsTo('record_transfer')).toHaveLength(1));
    expect(inputOf<RecordTransferInput>(core.callsTo('record_transfer')[0])).toEqual({
      transfer: {
        method: 'online',
        payer: '张三',
        payer_account: '',
        payer_bank: '',
        amount_fen: 15000,
        received_at: '2026-11-24T09:05:00',
        reference: 'wx 4200 0012 34',
        purpose: '',
      },
      receipt_file_id: 'f-7',
      shares: [{ case_id: 'case-1', amount_fen: 15000 }],
    } satisfies RecordTransferInput);
    expect(await screen.findByText('已登记，待另一位核款人员确认')).toBeInTheDocument();
  });

  it('a platform reference already held by another case is named under 平台交易号 and the input kept', async () => {
    fakeCore({
      payment_cases: () => CASES,
      record_transfer: () => {
        throw apiError('validation', '登记内容有误', [
          {
            field: 'transfer.reference',
            code: 'taken',
            message: '平台交易号 WX1 已登记过（张三，¥150.00，待核款，案件 ZJ-2026-000099），同一笔在线支付不能重复登记',
          },
        ]);
      },
    });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    await tick(user, 'ZJ-2026-000101');
    await user.click(screen.getByTestId('online-new'));
    await screen.findByTestId('transfer-form');
    await fill(user, field('transfer_payer'), '张三');
    await fill(user, field('transfer_amount'), '150');
    await fill(user, field('transfer_reference'), 'WX1');
    await user.click(screen.getByTestId('transfer-submit'));
    await waitFor(() => expect(itemOf(field('transfer_reference'))).toHaveTextContent('案件 ZJ-2026-000099'));
    expect(field('transfer_reference')).toHaveValue('WX1');
  });

  it('offers each form only the cases the core says take that method', async () => {
    const bank = { ...CASES[0], method: 'bank_transfer' as const, method_label: '银行公对公转账', takes_online_payment: false };
    const online = {
      ...CASES[1],
      method: 'online' as const,
      method_label: '在线支付',
      takes_transfer: false,
      takes_online_payment: true,
    };
    fakeCore({ payment_cases: () => [bank, online, CASES[2]] });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    await tick(user, bank.serial);
    await tick(user, online.serial);
    const checking = screen.getByText(CASES[2].serial).closest('tr') as HTMLElement;
    expect(within(checking).getByRole('checkbox')).toBeDisabled();
    await user.click(screen.getByTestId('online-new'));
    let form = await screen.findByTestId('transfer-form');
    expect(within(form).getByTestId('share-serial-0')).toHaveTextContent(online.serial);
    expect(within(form).queryByTestId('share-serial-1')).toBeNull();
    await user.click(screen.getByRole('button', { name: /取\s*消/ }));
    await waitFor(() => expect(screen.queryByTestId('transfer-form')).toBeNull());
    await user.click(screen.getByTestId('transfer-new'));
    form = await screen.findByTestId('transfer-form');
    expect(within(form).getByTestId('share-serial-0')).toHaveTextContent(bank.serial);
    expect(within(form).queryByTestId('share-serial-1')).toBeNull();
  });
});

describe('回单 upload follows what the person may attach', () => {
  it('shows the receipt picker only to a person who may attach a receipt', async () => {
    fakeCore({ payment_cases: () => CASES });
    const { user, unmount } = renderWithProviders(
      <AttachableProvider value={['receipt']}>
        <PaymentsDesk overview={overview} onChanged={() => {}} />
      </AttachableProvider>,
    );
    await screen.findByText('ZJ-2026-000101');
    await user.click(screen.getByTestId('transfer-new'));
    await screen.findByTestId('transfer-form');
    expect(screen.getByTestId('pick-receipt')).toBeInTheDocument();
    unmount();

    fakeCore({ payment_cases: () => CASES });
    const second = renderWithProviders(
      <AttachableProvider value={['sample', 'identity_proof', 'signed_form']}>
        <PaymentsDesk overview={overview} onChanged={() => {}} />
      </AttachableProvider>,
    );
    await screen.findByText('ZJ-2026-000101');
    await second.user.click(screen.getByTestId('transfer-new'));
    await screen.findByTestId('transfer-form');
    expect(screen.queryByTestId('pick-receipt')).toBeNull();
    expect(screen.queryByTestId('path-receipt')).toBeNull();
  });
});
