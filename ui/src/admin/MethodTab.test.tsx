import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChangeMethodInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { caseDetail } from '../filing/testData';
import { MethodTab } from './MethodTab';

describe('更改缴费方式', () => {
  it('sends the new method and the reason, and shows the core’s refusal', async () => {
    const c = caseDetail({ state: 'awaiting_payment', state_label: '待缴费', version: 4 });
    let refuse = true;
    const core = fakeCore({
      case_detail: () => c,
      change_payment_method: () => {
        if (refuse) throw apiError('refused', '本案已登记转账，不能更改缴费方式；如需更改请先由核款人员退回该笔转账');
        return { ...c, version: 5 };
      },
    });
    const { user } = renderWithProviders(<MethodTab />);
    await fill(user, screen.getByTestId('method-key'), c.serial);
    await user.click(screen.getByTestId('method-find'));
    await user.click(await screen.findByText('在线支付'));
    await fill(user, screen.getByTestId('method-reason'), '申请人改为扫码支付');
    await user.click(screen.getByTestId('method-submit'));
    expect(await screen.findByTestId('method-error')).toHaveTextContent('先由核款人员退回');
    refuse = false;
    await user.click(screen.getByTestId('method-submit'));
    await waitFor(() => expect(core.callsTo('change_payment_method')).toHaveLength(2));
    expect(core.callsTo('change_payment_method')[1].args?.input as ChangeMethodInput).toEqual({
      case_id: c.id,
      version: 4,
      method: 'online',
      reason: '申请人改为扫码支付',
    });
  });
});
