import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MailDesk, ScanWaybillInput, ShipmentView } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { renderWithProviders } from '../test/render';
import { MailTab } from './MailTab';

const shipment = (over: Partial<ShipmentView> = {}): ShipmentView => ({
  id: 's-1',
  code: 'YJ-7KQ2-261206001',
  recipient_name: '周明',
  recipient_phone: '139****0002',
  postal_address: '浙江省杭州市******',
  cases: [
    { case_id: 'c-1', serial: 'ZJ-1', registration_number: '浙作登字-2026-F-00000001', title: '山水' },
    { case_id: 'c-2', serial: 'ZJ-2', registration_number: '浙作登字-2026-F-00000002', title: '花鸟' },
  ],
  labels_printed: 1,
  waybill: null,
  shipped_at: null,
  shipped_by: null,
  version: 2,
  ...over,
});

const desk = (over: Partial<MailDesk> = {}): MailDesk => ({
  waiting: [
    {
      case_id: 'c-3',
      serial: 'ZJ-3',
      registration_number: '浙作登字-2026-F-00000003',
      title: '人物',
      applicant_name: '林晓雨',
      recipient_name: '周明',
      recipient_phone: '139****0002',
      postal_address: '浙江省杭州市******',
      problem: null,
    },
  ],
  open: [shipment()],
  shipped_today: [],
  label_size: 'mm100x150',
  ...over,
});

describe('邮寄', () => {
  it('packs the chosen cases and prints their labels in one go', async () => {
    const core = fakeCore({
      mail_desk: () => desk(),
      prepare_shipments: () => [shipment({ id: 's-2', code: 'YJ-7KQ2-261206002' })],
      print_labels: () => '/data/prints/面单.pdf',
    });
    const { user } = renderWithProviders(<MailTab />);
    await user.click(await screen.findByTestId('mail-pick-ZJ-3'));
    await user.click(screen.getByTestId('mail-prepare'));
    await waitFor(() => expect(core.callsTo('print_labels')).toHaveLength(1));
    expect(core.callsTo('prepare_shipments')[0].args?.input).toEqual({ case_ids: ['c-3'] });
    expect(core.callsTo('print_labels')[0].args?.input).toEqual({ shipments: ['s-2'] });
  });

  it('a scan of the label then of the waybill ships it; a wrong waybill is named under the input', async () => {
    let fail = true;
    const core = fakeCore({
      mail_desk: () => desk(),
      scan_waybill: () => {
        if (fail) {
          fail = false;
          throw apiError('validation', '输入有误', [
            { field: 'waybill', code: 'waybill_length', message: '运单号 SF 后应为 13 位数字，现为 12 位，请核对后重新输入' },
          ]);
        }
        return shipment({ waybill: 'SF1234567890123' });
      },
    });
    const { user } = renderWithProviders(<MailTab />);
    const scan = await screen.findByTestId('mail-scan');
    await waitFor(() => expect(core.callsTo('mail_desk')).toHaveLength(1));
    await user.type(scan, 'YJ-7KQ2-261206001{Enter}');
    expect(await screen.findByText(/当前邮件：YJ-7KQ2-261206001/)).toBeInTheDocument();
    await user.type(scan, 'SF123456789012{Enter}');
    expect(await screen.findByText('运单号 SF 后应为 13 位数字，现为 12 位，请核对后重新输入')).toBeInTheDocument();
    await user.clear(scan);
    await user.type(scan, 'SF1234567890123{Enter}');
    await waitFor(() => expect(core.callsTo('scan_waybill')).toHaveLength(2));
    // One Enter, one scan: the shipment is not scanned a second time.
    await waitFor(() => expect(core.callsTo('mail_desk').length).toBeGreaterThan(1));
    expect(core.callsTo('scan_waybill')).toHaveLength(2);
    expect(core.callsTo('scan_waybill')[1].args?.input).toEqual({
      shipment: 's-1',
      waybill: 'SF1234567890123',
    } satisfies ScanWaybillInput);
  });

  it('a waybill without a shipment asks for the label first', async () => {
    const core = fakeCore({ mail_desk: () => desk() });
    const { user } = renderWithProviders(<MailTab />);
    const scan = await screen.findByTestId('mail-scan');
    await user.type(scan, 'SF1234567890123{Enter}');
    expect(await screen.findByText('请先扫描邮件编号或在下表中选择邮件')).toBeInTheDocument();
    expect(core.callsTo('scan_waybill')).toHaveLength(0);
  });
});
