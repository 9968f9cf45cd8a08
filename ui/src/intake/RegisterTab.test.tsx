import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CounterView, RegisterImportInput, RegisterImportView, SetCounterInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { RegisterTab } from './RegisterTab';

const FILE = '/home/admin/旧平台/登记簿2026.xlsx';

const counter = (over: Partial<CounterView> = {}): CounterView => ({
  prefix: '浙作登字',
  year: 2026,
  letter: 'F',
  next: 1,
  highest_known: 0,
  ...over,
});

const report = (over: Partial<RegisterImportView> = {}): RegisterImportView => ({
  file_name: '登记簿2026.xlsx',
  dry_run: true,
  rows: 3,
  imported: 2,
  problems: [{ line: 4, column: '登记号', code: 'other_prefix', message: '登记号的前缀“沪作登字”不是本机构的“浙作登字”，请核对是否为本机构的登记' }],
  counters: [counter({ next: 501, highest_known: 500 })],
  ...over,
});

describe('登记簿', () => {
  it('checks the old register, names the rows it skips, imports the rest and shows the counters after it', async () => {
    let counters = [counter()];
    const core = fakeCore({
      registration_counters: () => counters,
      import_register: (args) => {
        const input = args?.input as RegisterImportInput;
        if (!input.dry_run) counters = [counter({ next: 501, highest_known: 500 })];
        return report({ dry_run: input.dry_run });
      },
    });
    const { user } = renderWithProviders(<RegisterTab />);
    expect(await screen.findByTestId('counter-next-浙作登字-2026-F')).toHaveValue('1');
    expect(screen.getByTestId('register-import')).toBeDisabled();
    await fill(user, screen.getByTestId('register-path'), FILE);
    await user.click(screen.getByTestId('register-preview'));
    expect(await screen.findByTestId('register-summary')).toHaveTextContent('“登记簿2026.xlsx”：共 3 行，可导入 2 行，有问题 1 行（尚未导入）');
    expect(screen.getByTestId('register-problems')).toHaveTextContent('第 4 行“登记号”：登记号的前缀“沪作登字”不是本机构的“浙作登字”');
    await user.click(screen.getByTestId('register-import'));
    expect(await screen.findByText('“登记簿2026.xlsx”：已导入 2 条，有问题跳过 1 行')).toBeInTheDocument();
    expect(core.callsTo('import_register').map((c) => (c.args?.input as RegisterImportInput).dry_run)).toEqual([true, false]);
    await waitFor(() => expect(screen.getByTestId('counter-next-浙作登字-2026-F')).toHaveValue('501'));
    expect(screen.getByTestId('counters')).toHaveTextContent('00000500');
  });

  it('sets a counter’s next number and shows the core’s refusal below a known number', async () => {
    const core = fakeCore({
      registration_counters: () => [counter({ next: 501, highest_known: 500 })],
      set_registration_counter: (args) => {
        const input = args?.input as SetCounterInput;
        if (input.next <= 500) {
          throw apiError('validation', '请按提示修改标出的项目', [
            { field: 'next', code: 'below_known', message: '浙作登字-2026-F 已有流水号 00000500 的登记，下一个号码至少为 501' },
          ]);
        }
        return counter({ next: input.next, highest_known: 500 });
      },
    });
    const { user } = renderWithProviders(<RegisterTab />);
    const next = await screen.findByTestId('counter-next-浙作登字-2026-F');
    await user.clear(next);
    await fill(user, next, '400');
    await user.click(screen.getByTestId('counter-set-浙作登字-2026-F'));
    expect(await screen.findByTestId('register-error')).toHaveTextContent('下一个号码至少为 501');
    await user.clear(next);
    await fill(user, next, '900');
    await user.click(screen.getByTestId('counter-set-浙作登字-2026-F'));
    expect(await screen.findByTestId('register-notice')).toHaveTextContent('浙作登字-2026-F 的下一个流水号为 00000900');
    expect(core.callsTo('set_registration_counter').map((c) => (c.args?.input as SetCounterInput).next)).toEqual([400, 900]);
  });
});
