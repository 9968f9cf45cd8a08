import { act, screen, waitFor, within } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it, vi } from 'vitest';
import type { DismissLineInput, ImportStatementInput, ResolveLineInput, StatementProgress } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { PaymentsDesk } from './PaymentsDesk';
import { CASES, overview, statement, transfer } from './testData';

const inputOf = <T,>(c: { args: Record<string, unknown> | undefined }) => c.args?.input as T;
const PATH = '/home/desk/流水/icbc-20261124.csv';

const waiting = () => [
  { ...statement().lines[1], id: 'l-3', already_imported: true },
  { ...statement().lines[2], id: 'l-4', already_imported: true },
];

describe('银行流水', () => {
  it('previews every line with its decision, then imports for real', async () => {
    let imported = false;
    const core = fakeCore({
      payment_cases: () => CASES,
      import_statement: (args) => {
        const input = args?.input as ImportStatementInput;
        if (!input.dry_run) imported = true;
        return statement({ dry_run: input.dry_run, import_id: input.dry_run ? null : 'imp-1' });
      },
      open_statement_lines: () => (imported ? waiting() : []),
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={onChanged} />);
    await user.click(screen.getByTestId('tab-pay-statement'));
    expect(await screen.findByText('没有待人工处理的流水')).toBeInTheDocument();
    expect(screen.getByTestId('statement-import')).toBeDisabled();

    await fill(user, screen.getByTestId('statement-path'), PATH);
    await user.click(screen.getByTestId('statement-preview'));
    expect(await screen.findByTestId('statement-summary')).toHaveTextContent('预览“icbc-20261124.csv”（尚未导入）');
    expect(inputOf<ImportStatementInput>(core.callsTo('import_statement')[0])).toEqual({ path: PATH, dry_run: true });
    expect(screen.getByTestId('statement-summary')).toHaveTextContent('CSV（GBK，逗号分隔）');
    expect(screen.getByTestId('count-matched')).toHaveTextContent('1');
    expect(screen.getByTestId('count-waiting')).toHaveTextContent('2');

    const lines = screen.getByTestId('statement-lines');
    expect(within(lines).getByTestId('decision-2')).toHaveTextContent('已匹配');
    expect(within(lines).getByTestId('decision-2')).toHaveClass('ant-tag-green');
    expect(within(lines).getByTestId('decision-3')).toHaveClass('ant-tag-orange');
    expect(within(lines).getByTestId('decision-4')).toHaveTextContent('未匹配');
    expect(within(lines).getByTestId('decision-5')).toHaveTextContent('忽略');
    expect(within(lines).getByTestId('matched-2')).toHaveTextContent('ZJ-2026-000101');
    expect(within(lines).getByText('¥5.00')).toBeInTheDocument(); // the debit line
    await user.click(within(lines).getByTestId('cands-3'));
    expect(await screen.findByText('金额相符；付款人相近')).toBeInTheDocument();
    expect(screen.getByText('得分 70')).toBeInTheDocument();
    expect(screen.getByTestId('statement-skipped')).toHaveTextContent('跳过的行（2）');
    expect(onChanged).not.toHaveBeenCalled();

    await user.click(screen.getByTestId('statement-import'));
    await waitFor(() => expect(core.callsTo('import_statement')).toHaveLength(2));
    expect(inputOf<ImportStatementInput>(core.callsTo('import_statement')[1])).toEqual({ path: PATH, dry_run: false });
    expect(await screen.findByText('已导入“icbc-20261124.csv”')).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalledTimes(1);
    const open = screen.getByTestId('open-lines');
    expect(await within(open).findByText('王五')).toBeInTheDocument();
  });

  it('shows how far a long import has come and 取消 stops it, keeping the preview', async () => {
    let finish: ((v: unknown) => void) | null = null;
    let fail: ((e: unknown) => void) | null = null;
    const core = fakeCore({
      payment_cases: () => CASES,
      open_statement_lines: () => [],
      import_statement: (args) => {
        const input = args?.input as ImportStatementInput;
        if (input.dry_run) return statement({ dry_run: true });
        return new Promise((resolve, reject) => {
          finish = resolve;
          fail = reject;
        });
      },
      cancel_statement_import: () => null,
    });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={vi.fn()} />);
    await user.click(screen.getByTestId('tab-pay-statement'));
    await fill(user, screen.getByTestId('statement-path'), PATH);
    await user.click(screen.getByTestId('statement-preview'));
    await screen.findByTestId('statement-summary');
    await user.click(screen.getByTestId('statement-import'));
    await waitFor(() => expect(finish).not.toBeNull());

    await act(() => emit('statement-progress', { done: 400, total: 1000 } satisfies StatementProgress));
    expect(await screen.findByTestId('statement-progress-text')).toHaveTextContent('正在比对第 400 / 1000 行');
    expect(screen.getByTestId('statement-progress').querySelector('.ant-progress')).toHaveAttribute('aria-valuenow', '40');

    await user.click(screen.getByTestId('statement-cancel'));
    await waitFor(() => expect(core.callsTo('cancel_statement_import')).toHaveLength(1));
    expect(screen.getByTestId('statement-progress-text')).toHaveTextContent('正在取消…');
    await act(async () => {
      fail?.(apiError('refused', '已取消导入“icbc-20261124.csv”：比对到第 412 行（共 1000 行）时停止，没有记录任何一行。'));
    });
    expect(await screen.findByTestId('statement-cancelled')).toHaveTextContent('没有记录任何一行');
    expect(screen.queryByTestId('statement-error')).toBeNull();
    expect(screen.queryByTestId('statement-progress')).toBeNull();
    // The preview stays, and can be imported again.
    expect(screen.getByTestId('statement-summary')).toHaveTextContent('预览');
    expect(screen.getByTestId('statement-import')).toBeEnabled();
  });

  it('allocates a waiting line to a candidate case with the line amount; dismisses another with a note', async () => {
    let left = waiting();
    const core = fakeCore({
      payment_cases: () => CASES,
      open_statement_lines: () => left,
      resolve_statement_line: (args) => {
        const input = args?.input as ResolveLineInput;
        left = left.filter((l) => l.id !== input.line_id);
        return transfer({ from_statement: true });
      },
      dismiss_statement_line: (args) => {
        const input = args?.input as DismissLineInput;
        left = left.filter((l) => l.id !== input.line_id);
        return null;
      },
    });
    const { user } = renderWithProviders(<PaymentsDesk overview={overview} onChanged={() => {}} />);
    await user.click(screen.getByTestId('tab-pay-statement'));
    const open = screen.getByTestId('open-lines');
    await within(open).findByText('王五');

    await user.click(within(open).getByTestId('resolve-0'));
    const form = await screen.findByTestId('resolve-form');
    await waitFor(() => expect(within(form).getByTestId('cand-add-0')).toBeEnabled());
    await user.click(within(form).getByTestId('cand-add-0'));
    expect(within(form).getByTestId('share-serial-0')).toHaveTextContent('ZJ-2026-000102');
    expect(within(form).getByTestId('share-amount-0')).toHaveValue('300.00');
    expect(within(form).getByTestId('transfer-sums')).toHaveTextContent('转账金额 ¥300.00，分配合计 ¥300.00');
    await user.click(screen.getByTestId('resolve-ok'));
    await waitFor(() => expect(core.callsTo('resolve_statement_line')).toHaveLength(1));
    expect(inputOf<ResolveLineInput>(core.callsTo('resolve_statement_line')[0])).toEqual({
      line_id: 'l-3',
      shares: [{ case_id: 'case-2', amount_fen: 30000 }],
    });
    await waitFor(() => expect(screen.queryByTestId('resolve-form')).toBeNull());

    await waitFor(() => expect(within(open).queryByText('李四')).toBeNull());
    await user.click(within(open).getByTestId('dismiss-0'));
    await user.click(await screen.findByTestId('dismiss-ok'));
    expect(await screen.findByText('请说明这笔入账为什么不是登记费')).toBeInTheDocument();
    await fill(user, screen.getByTestId('dismiss-note'), '货款，非登记费');
    await user.click(screen.getByTestId('dismiss-ok'));
    await waitFor(() => expect(core.callsTo('dismiss_statement_line')).toHaveLength(1));
    expect(inputOf<DismissLineInput>(core.callsTo('dismiss_statement_line')[0])).toEqual({ line_id: 'l-4', note: '货款，非登记费' });
    expect(await within(open).findByText('没有待人工处理的流水')).toBeInTheDocument();
  });
});
