import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RevokeInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { caseDetail } from '../filing/testData';
import { RevokeTab } from './RevokeTab';

describe('撤销登记', () => {
  it('finds a registered case by its number and revokes it with a ground and a note', async () => {
    const registered = caseDetail({ state: 'registered', state_label: '已登记', registration_number: '浙作登字-2026-F-00000001', version: 7 });
    const core = fakeCore({
      case_detail: () => registered,
      revoke_registration: () => ({ ...registered, state: 'revoked', state_label: '已撤销', version: 8 }),
    });
    const { user } = renderWithProviders(<RevokeTab />);
    await fill(user, screen.getByTestId('revoke-key'), '浙作登字-2026-F-00000001');
    await user.click(screen.getByTestId('revoke-find'));
    expect(await screen.findByTestId('revoke-state')).toHaveTextContent('已登记');
    // No ground yet: the screen asks for it.
    await user.click(screen.getByTestId('revoke-submit'));
    await user.click(await screen.findByTestId('revoke-ok'));
    expect(await screen.findByTestId('revoke-error')).toHaveTextContent('请选择撤销理由');
    fireEvent.mouseDown(screen.getByTestId('revoke-ground').querySelector('.ant-select-selector') as HTMLElement);
    await user.click(await screen.findByTitle('申请人申请撤销'));
    await fill(user, screen.getByTestId('revoke-note'), '申请人书面申请');
    await user.click(screen.getByTestId('revoke-submit'));
    const oks = await screen.findAllByTestId('revoke-ok');
    await user.click(oks[oks.length - 1]);
    await waitFor(() => expect(core.callsTo('revoke_registration')).toHaveLength(1));
    expect(core.callsTo('revoke_registration')[0].args?.input as RevokeInput).toEqual({
      case_id: registered.id,
      version: 7,
      ground: 'applicant_request',
      note: '申请人书面申请',
    });
    await waitFor(() => expect(screen.getByTestId('revoke-state')).toHaveTextContent('已撤销'));
  });

  it('says why an unregistered case cannot be revoked, and shows a lookup failure', async () => {
    fakeCore({
      case_detail: (args) => {
        if ((args?.input as { key: string }).key === 'X') throw apiError('not_found', '找不到案件 X');
        return caseDetail({ state: 'awaiting_first_review', state_label: '待初审' });
      },
    });
    const { user } = renderWithProviders(<RevokeTab />);
    await fill(user, screen.getByTestId('revoke-key'), 'X');
    await user.click(screen.getByTestId('revoke-find'));
    expect(await screen.findByTestId('revoke-error')).toHaveTextContent('找不到案件 X');
    await user.clear(screen.getByTestId('revoke-key'));
    await fill(user, screen.getByTestId('revoke-key'), 'ZJ-1');
    await user.click(screen.getByTestId('revoke-find'));
    expect(await screen.findByText(/只有已登记的作品可以撤销/)).toBeInTheDocument();
    expect(screen.queryByTestId('revoke-submit')).toBeNull();
  });
});
