// Typed wrappers around the core's certificate-delivery commands (one argument named
// `input`; failures reject with an ApiError).
import type {
  CaseKey,
  HandOverInput,
  HandoverView,
  MailDesk,
  PickupFindInput,
  PickupRow,
  PrepareShipmentsInput,
  ScanWaybillInput,
  ShipmentView,
  ShipmentsInput,
  ShippingListInput,
} from '../api/bindings';
import { call } from '../api/client';

export const deliveryApi = {
  mailDesk: () => call<MailDesk>('mail_desk'),
  prepareShipments: (case_ids: string[]) =>
    call<ShipmentView[]>('prepare_shipments', { input: { case_ids } satisfies PrepareShipmentsInput }),
  /** Writes the labels as one PDF and opens it; the file's path. */
  printLabels: (shipments: string[]) => call<string>('print_labels', { input: { shipments } satisfies ShipmentsInput }),
  scanWaybill: (input: ScanWaybillInput) => call<ShipmentView>('scan_waybill', { input }),
  exportSfOrders: (shipments: string[]) => call<string>('export_sf_orders', { input: { shipments } satisfies ShipmentsInput }),
  printShippingList: (xlsx: boolean) =>
    call<string>('print_shipping_list', { input: { day: null, xlsx } satisfies ShippingListInput }),
  printAcceptanceNotice: (key: string) => call<string>('print_acceptance_notice', { input: { key } satisfies CaseKey }),
  pickupFind: (query: string) => call<PickupRow[]>('pickup_find', { input: { query } satisfies PickupFindInput }),
  handOver: (input: HandOverInput) => call<HandoverView>('hand_over', { input }),
  printHandoverReceipt: (key: string) => call<string>('print_handover_receipt', { input: { key } satisfies CaseKey }),
};
