import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../test/render';
import { CaseSyncBanner } from './CaseSyncBanner';
import { onOpenSync } from './syncNav';

describe('the case banner', () => {
  it('shows only when the core counts rejected entries for the case, and opens 需处理', async () => {
    const opened = vi.fn();
    const off = onOpenSync(opened);
    const { user, rerender } = renderWithProviders(<CaseSyncBanner count={0} />);
    expect(screen.queryByTestId('case-sync-banner')).toBeNull();
    rerender(<CaseSyncBanner count={2} />);
    expect(screen.getByTestId('case-sync-banner')).toHaveTextContent('此案件有 2 条办理记录被服务器拒绝');
    await user.click(screen.getByTestId('case-sync-open'));
    expect(opened).toHaveBeenCalledTimes(1);
    off();
  });
});
