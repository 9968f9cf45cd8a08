import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { DayReportInput, ExportInput, MarkInvoicesInput, RecordRefundInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { officeToday as today } from '../shared/officeTime';
import { DeskPage } from '../frame/DeskPage';
import { ALL_DESKS } from '../test/fixtures';
import { PaymentsDesk } from './PaymentsDesk';
import { CASES, INVOICES, overview, REFUNDS, report } from './testData';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;
const itemOf = (el: HTMLElement) => el.closest('.ant-form-item') as HTMLElement;
const retype = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
const inputOf = <T,>(c: { args: Record<string, unknown> | undefined }) => c.args?.input as T;

describe('the payments desk page', () => {
  it('shows the payments tabs instead of the generic queues, opening on 待缴费; a change reloads the overview', async () => {
    fakeCore({ payment_cases: () => CASES, refunds_due: () => REFUNDS, record_refund: () => null });
    const onReload = vi.fn();
    const { user } = renderWithProviders(<DeskPage desk={ALL_DESKS[1]} active overview={overview} error={undefined} onReload={onReload} />);
    expect(screen.getByTestId('desk-title')).toHaveTextContent('核款');
    expect(await screen.findByText('ZJ-2026-000101')).toBeInTheDocument();
    expect(screen.getByTestId('tab-pay-cases').closest('[role="tab"]')).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByTestId('tab-awaiting_payment_check')).toBeNull();
    for (const key of ['pay-check', 'pay-statement', 'pay-refunds', 'pay-invoices', 'pay-report']) {
      expect(screen.getByTestId(`tab-${key}`)).toBeInTheDocument();
    }
    await user.click(screen.getByTestId('tab-pay-refunds'));
    await user.click(await screen.findByTestId('refund-0'));
    await fill(user, field('refund_reference'), 'RF1');
    await user.click(screen.getByTestId('refund-ok'));
    await waitFor(() => expect(onReload).toHaveBeenCalledTimes(1));
  });
});

describe('待缴费 at volume', () => {
  it('says the list holds only the cases waiting longest when the core lists as many as it shows', async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ ...CASES[0], case_id: `c${i}`, serial: `ZJ-2026-${String(i).padStart(6, '0')}` }));
    fakeCore({ payment_cases: () => many, refunds_due: () => REFUNDS });
    renderWithProviders(<DeskPage desk={ALL_DESKS[1]} active overview={overview} error={undefined} onReload={vi.fn()} />);
    expect(await screen.findByTestId('pay-cases-shown-only')).toHaveTextContent('只列出等待最久的 200 件');
  });

  it('says nothing of the kind for a shorter list', async () => {
    fakeCore({ payment_cases: () => CASES, refunds_due: () => REFUNDS });
    renderWithProviders(<DeskPage desk={ALL_DESKS[1]} active overview={overview} error={undefined} onReload={vi.fn()} />);
    expect(await screen.findByText('ZJ-2026-000101')).toBeInTheDocument();
    expect(screen.queryByTestId('pay-cases-shown-only')).toBeNull();
  });
});

describe('退费', () => {
  it('records a refund with the method of the payment, the amount owed in fen and the typed date', async () => {
    let calls = 0;
    const core = fakeCore({
      payment_cases: () => CASES,
      refunds_due: () => (calls > 1 ? [] : REFUNDS),
      record_refund: () => {
        calls += 1;
        if (calls === 1) throw apiError('validation', '退费内容有误', [{ field: 'refund.reference', code: 'required', message: '请填写退费流水号' }]);
        return null;
      },
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={onChanged} />);
    await user.click(screen.getByTestId('tab-pay-refunds'));
    const row = (await screen.findByText('ZJ-2026-000090')).closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('支付宝转账');
    expect(row).toHaveTextContent('¥150.00');
    await user.click(screen.getByTestId('refund-0'));

    await screen.findByTestId('refund-form');
    expect(within(itemOf(field('refund_method'))).getByLabelText('支付宝退费')).toBeChecked();
    expect(field('refund_amount')).toHaveValue('150.00');
    expect(field('refund_refunded_on')).toHaveValue(today());
    retype(field('refund_refunded_on'), '2026/11/25');
    await user.click(screen.getByTestId('refund-ok'));
    expect(await screen.findByText('请填写退费流水号')).toBeInTheDocument();
    expect(itemOf(field('refund_reference'))).toHaveTextContent('请填写退费流水号');

    await fill(user, field('refund_reference'), 'RF20261125001');
    await user.click(screen.getByTestId('refund-ok'));
    await waitFor(() => expect(core.callsTo('record_refund')).toHaveLength(2));
    expect(inputOf<RecordRefundInput>(core.callsTo('record_refund')[1])).toEqual({
      case_id: 'case-9',
      refund: { method: 'alipay', amount_fen: 15000, reference: 'RF20261125001', refunded_on: '2026-11-25' },
    });
    expect(await screen.findByText('退费已登记')).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('没有应退费的案件')).toBeInTheDocument();
  });
});

describe('电子发票', () => {
  it('exports the list and marks the ticked cases with the invoice number', async () => {
    const core = fakeCore({
      payment_cases: () => CASES,
      invoices_due: () => INVOICES,
      export_document: () => '/data/exports/开票清单-2026-11-25.xlsx',
      mark_invoices_issued: () => 2,
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={onChanged} />);
    await user.click(screen.getByTestId('tab-pay-invoices'));
    await screen.findByText('ZJ-2026-000070');

    await user.click(screen.getByTestId('invoice-export'));
    expect(await screen.findByTestId('export-path')).toHaveTextContent('已导出：/data/exports/开票清单-2026-11-25.xlsx');
    expect(inputOf<ExportInput>(core.callsTo('export_document')[0])).toEqual({ kind: 'invoice_list_xlsx', report: null });

    expect(screen.getByTestId('invoice-mark')).toBeDisabled();
    for (const serial of ['ZJ-2026-000070', 'ZJ-2026-000080']) {
      await user.click(within(screen.getByText(serial).closest('tr') as HTMLElement).getByRole('checkbox'));
    }
    await user.click(screen.getByTestId('invoice-mark'));
    const number = await screen.findByTestId('invoice-number');
    await user.click(screen.getByTestId('invoice-ok'));
    expect(await screen.findByText('请填写发票号码（或开票批次号）')).toBeInTheDocument();
    await fill(user, number, 'FP2026112501');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(core.callsTo('mark_invoices_issued')).toHaveLength(1));
    expect(inputOf<MarkInvoicesInput>(core.callsTo('mark_invoices_issued')[0])).toEqual({
      case_ids: ['case-7', 'case-8'],
      invoice_number: 'FP2026112501',
    });
    expect(await screen.findByText('已标记 2 件已开票')).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalledTimes(1);
  });
});

describe('收费日报', () => {
  it('shows today’s report with its totals, queries a typed period and exports it', async () => {
    const core = fakeCore({
      payment_cases: () => CASES,
      day_report: (args) => {
        const input = args?.input as DayReportInput;
        return report(input.from, input.to);
      },
      export_document: (args) => `/data/exports/收费日报.${(args?.input as ExportInput).kind === 'day_report_pdf' ? 'pdf' : 'xlsx'}`,
    });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    await user.click(screen.getByTestId('tab-pay-report'));
    const totals = await screen.findByTestId('report-totals');
    expect(inputOf<DayReportInput>(core.callsTo('day_report')[0])).toEqual({ from: today(), to: today() });
    expect(totals).toHaveTextContent('合计');
    expect(totals).toHaveTextContent('¥1,650.50');
    expect(totals).toHaveTextContent('¥150.00（1 笔）');
    const table = screen.getByTestId('report-table');
    expect(within(table).getByText('支付宝转账').closest('tr')).toHaveTextContent('¥1,350.50');
    expect(screen.getByTestId('report-audit-head')).toHaveTextContent('审计链末条：第 1024 条，哈希 3f5a0c9e1b2d4f68');

    retype(screen.getByTestId('report-from'), '20261101');
    retype(screen.getByTestId('report-to'), '2026/11/30');
    await user.click(screen.getByTestId('report-query'));
    await waitFor(() => expect(core.callsTo('day_report')).toHaveLength(2));
    expect(inputOf<DayReportInput>(core.callsTo('day_report')[1])).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(await screen.findByTestId('report-period')).toHaveTextContent('2026-11-01 至 2026-11-30');

    await user.click(screen.getByTestId('report-pdf'));
    expect(await screen.findByTestId('export-path')).toHaveTextContent('已导出：/data/exports/收费日报.pdf');
    expect(inputOf<ExportInput>(core.callsTo('export_document')[0])).toEqual({
      kind: 'day_report_pdf',
      report: { from: '2026-11-01', to: '2026-11-30' },
    });
    await user.click(screen.getByTestId('report-xlsx'));
    await waitFor(() => expect(core.callsTo('export_document')).toHaveLength(2));
    expect(inputOf<ExportInput>(core.callsTo('export_document')[1]).kind).toBe('day_report_xlsx');

    // a date that does not exist is named and not sent
    retype(screen.getByTestId('report-to'), '2026-02-30');
    await user.click(screen.getByTestId('report-query'));
    expect(await screen.findByText('2026-02-30 不是有效日期')).toBeInTheDocument();
    expect(core.callsTo('day_report')).toHaveLength(2);
  });
});
