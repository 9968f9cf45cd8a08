import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LetterTablesView, SetLettersInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { CertificateSettingsTab } from './CertificateSettingsTab';

const letters: LetterTablesView = {
  in_force: {
    starts_on: null,
    text: 'A 文字\nH 舞蹈\n',
    entries: [
      { category: 'text', label: '文字', letter: 'A', confirmed_letter: 'A', confirmed: true },
      { category: 'dance', label: '舞蹈', letter: 'H', confirmed_letter: null, confirmed: false },
      { category: 'photography', label: '摄影', letter: 'K', confirmed_letter: 'G', confirmed: false },
    ],
  },
  scheduled: [],
  numbers_issued: 12,
  last_issued_on: '2026-11-25',
};

describe('管理 · 证书', () => {
  it('shows confirmed and assumed letters and sends a change with its start date', async () => {
    const core = fakeCore({
      certificate_settings: () => ({ verification_url: 'https://bqdj.example.cn/zsyz', version: 1, printers: [] }),
      category_letters: () => letters,
      set_category_letters: (args) => {
        const input = args?.input as SetLettersInput;
        if (!input.starts_on) throw apiError('validation', '请按提示修改', [{ field: 'start', code: 'start_required', message: '现行字母表已用于分配登记号：请填写新字母表的启用日期' }]);
        return { ...letters, scheduled: [{ ...letters.in_force, starts_on: input.starts_on }] };
      },
    });
    const { user } = renderWithProviders(<CertificateSettingsTab />);
    const table = await screen.findByTestId('letters-in-force');
    expect(within(table).getAllByText('已确认')).toHaveLength(1);
    expect(within(table).getAllByText('推定')).toHaveLength(2);
    expect(within(table).getByText('实证为 G')).toBeInTheDocument();
    expect(screen.getByTestId('letters-issued')).toHaveTextContent('已分配登记号 12 个');
    expect(screen.getByTestId('cert-url')).toHaveValue('https://bqdj.example.cn/zsyz');

    await user.click(screen.getByTestId('letters-save'));
    expect(await screen.findByTestId('letters-error')).toHaveTextContent('启用日期');
    await fill(user, screen.getByTestId('letters-start'), '20261201');
    await user.click(screen.getByTestId('letters-save'));
    await waitFor(() => expect(core.callsTo('set_category_letters')).toHaveLength(2));
    expect((core.callsTo('set_category_letters')[1].args?.input as SetLettersInput).starts_on).toBe('2026-12-01');
    expect(await screen.findByText('2026-12-01 起启用的字母表')).toBeInTheDocument();
  });
});
