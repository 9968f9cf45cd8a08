import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { HandOverInput, HandoverView, PickupRow } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { idValid } from '../test/fixtures';
import { fill, renderWithProviders } from '../test/render';
import { PickupTab } from './PickupTab';

const row = (over: Partial<PickupRow> = {}): PickupRow => ({
  case_id: 'c-1',
  version: 5,
  serial: 'ZJ-1',
  registration_number: '浙作登字-2026-F-00000001',
  title: '山水',
  applicant_name: '杭州某某代理有限公司',
  state: 'registered',
  state_label: '已登记',
  delivery_label: '自领',
  invoice_sent: true,
  can_hand_over: true,
  blocked_reason: null,
  ...over,
});

const handover: HandoverView = {
  id: 'h-1',
  number: 'LQ-7KQ2-261206001',
  collector: 'agent',
  collector_label: '代理人',
  collector_name: '李代理',
  id_type_label: '居民身份证',
  id_number: '110105********002X',
  documents: ['身份证件', '受理通知书', '授权委托书'],
  at: '2026-12-06T02:00:00Z',
  clerk_name: '刘洋',
  cases: [],
};


describe('自领', () => {
  it('shows why a case cannot be handed over before the e-invoice was sent', async () => {
    fakeCore({
      pickup_find: () => [
        row({ can_hand_over: false, invoice_sent: false, blocked_reason: '案件 ZJ-1 的电子发票尚未发送，暂不能领取证书' }),
      ],
    });
    const { user } = renderWithProviders(<PickupTab />);
    await fill(user, screen.getByPlaceholderText(/流水号、登记号/), 'ZJ-1');
    await user.keyboard('{Enter}');
    expect(await screen.findByTestId('pickup-blocked-ZJ-1')).toHaveTextContent('电子发票尚未发送');
    expect(screen.queryByTestId('pickup-submit')).toBeNull();
  });

  it('an agency collects several certificates; the core names what is missing under its field', async () => {
    let first = true;
    const core = fakeCore({
      pickup_find: () => [row(), row({ case_id: 'c-2', serial: 'ZJ-2', registration_number: '浙作登字-2026-F-00000002' })],
      check_id: () => idValid('11010519491231002X'),
      hand_over: () => {
        if (first) {
          first = false;
          throw apiError('validation', '输入有误', [
            { field: 'power_of_attorney_file', code: 'required', message: '代理人领取须扫描申请人签署的授权委托书' },
          ]);
        }
        return handover;
      },
    });
    const { user } = renderWithProviders(<PickupTab />);
    await fill(user, screen.getByPlaceholderText(/流水号、登记号/), '杭州某某代理');
    await user.keyboard('{Enter}');
    await user.click(await screen.findByTestId('pickup-pick-ZJ-1'));
    await user.click(screen.getByTestId('pickup-pick-ZJ-2'));
    await user.click(screen.getByText('代理人'));
    await fill(user, screen.getByTestId('pickup-name'), '李代理');
    await fill(user, screen.getByTestId('pickup-id-number'), '11010519491231002X');
    await user.click(screen.getByTestId('pickup-id-checked'));
    await user.click(screen.getByTestId('pickup-notice-seen'));
    await user.click(screen.getByTestId('pickup-submit'));
    expect(await screen.findByText('代理人领取须扫描申请人签署的授权委托书')).toBeInTheDocument();
    const input = core.callsTo('hand_over')[0].args?.input as HandOverInput;
    expect(input.case_ids).toEqual(['c-1', 'c-2']);
    expect(input.collector).toMatchObject({
      collector: 'agent',
      name: '李代理',
      id_type: 'resident_id',
      id_number: '11010519491231002X',
      id_checked: true,
      notice_seen: true,
    });
    await user.click(screen.getByTestId('pickup-submit'));
    expect(await screen.findByText(/领取登记 LQ-7KQ2-261206001/)).toBeInTheDocument();
    await waitFor(() => expect(core.callsTo('hand_over')).toHaveLength(2));
  });
});
