// Fixtures for the payments desk tests: the core's views with sensible defaults.
import type {
  DayReportView,
  DeskOverview,
  InvoiceDueRow,
  PaymentCaseRow,
  RefundDueRow,
  StatementImportView,
  StatementLineView,
  TransferView,
} from '../api/bindings';

export const overview: DeskOverview = {
  desk: 'payments',
  label: '核款',
  queues: [
    { queue: 'awaiting_payment_check', label: '待核款', count: 1, overdue: 0 },
    { queue: 'awaiting_payment', label: '待缴费', count: 2, overdue: 0 },
  ],
};

export function caseRow(over: Partial<PaymentCaseRow> = {}): PaymentCaseRow {
  return {
    case_id: 'case-1',
    serial: 'ZJ-2026-000101',
    title: '西湖春色',
    applicant_id: 'app-1',
    applicant_name: '杭州某某文化有限公司',
    state: 'awaiting_payment',
    state_label: '待缴费',
    method: null,
    method_label: null,
    owed_fen: 15000,
    covered_fen: 0,
    short_fen: 15000,
    applicant_balance_fen: 0,
    awaiting_since: '2026-11-20T09:00:00+08:00',
    takes_transfer: true,
    takes_online_payment: true,
    version: 3,
    ...over,
  };
}

export const CASES: PaymentCaseRow[] = [
  caseRow(),
  caseRow({
    case_id: 'case-2',
    serial: 'ZJ-2026-000102',
    title: '断桥残雪',
    owed_fen: 135050,
    short_fen: 135050,
    applicant_balance_fen: 2000,
  }),
  caseRow({
    case_id: 'case-3',
    serial: 'ZJ-2026-000103',
    title: '平湖秋月',
    state: 'awaiting_payment_check',
    state_label: '待核款',
    method: 'bank_transfer',
    method_label: '银行公对公转账',
    covered_fen: 15000,
    short_fen: 0,
    takes_transfer: false,
    takes_online_payment: false,
  }),
];

const CHECKING = { case_state: 'awaiting_payment_check', case_state_label: '待核款', has_acceptance_notice: false } as const;

export function transfer(over: Partial<TransferView> = {}): TransferView {
  return {
    id: 't-1',
    method: 'bank_transfer',
    method_label: '银行公对公转账',
    payer: '杭州某某文化有限公司',
    payer_account: '6222 0000 1111',
    payer_bank: '工商银行',
    amount_fen: 30000,
    received_at: '2026-11-24T10:15:00',
    reference: 'HZ20261124001',
    purpose: '作品登记费',
    receipt_file_id: null,
    over_fen: 0,
    state: 'recorded',
    state_label: '待核款',
    recorded_by_name: '王会计',
    recorded_at: '2026-11-24T11:00:00+08:00',
    checked_by_name: null,
    checked_at: null,
    reject_reason: null,
    from_statement: false,
    may_confirm: true,
    allocations: [
      { case_id: 'case-1', serial: 'ZJ-2026-000101', title: '西湖春色', amount_fen: 15000, ...CHECKING },
      { case_id: 'case-2', serial: 'ZJ-2026-000102', title: '断桥残雪', amount_fen: 15000, ...CHECKING },
    ],
    version: 1,
    ...over,
  };
}

export function line(over: Partial<StatementLineView> = {}): StatementLineView {
  return {
    id: null,
    line: 2,
    date: '2026-11-24',
    time: '10:15:00',
    payer: '杭州某某文化有限公司',
    payer_account: '6222000011112222',
    amount_fen: 15000,
    debit_fen: null,
    reference: 'B001',
    memo: '登记费 ZJ-2026-000101',
    decision: 'matched',
    decision_label: '已匹配',
    case_serial: 'ZJ-2026-000101',
    transfer_id: null,
    already_imported: false,
    candidates: [],
    ...over,
  };
}

const UNMATCHED = { decision: 'unmatched', decision_label: '未匹配', case_serial: null } as const;
const NONE = { decision: 'ignored', decision_label: '忽略', case_serial: null } as const;

export function statement(over: Partial<StatementImportView> = {}): StatementImportView {
  return {
    import_id: null,
    file_name: 'icbc-20261124.csv',
    format_label: 'CSV（GBK，逗号分隔）',
    header_line: 3,
    lines: [
      line(),
      line({
        line: 3,
        payer: '李四',
        amount_fen: 30000,
        reference: 'B002',
        memo: '版权登记',
        decision: 'ambiguous',
        decision_label: '待人工确认',
        case_serial: null,
        candidates: [
          { label: 'ZJ-2026-000102', case_id: 'case-2', transfer_id: null, score: 70, reasons: ['金额相符', '付款人相近'] },
          { label: 'ZJ-2026-000101', case_id: 'case-1', transfer_id: null, score: 55, reasons: ['金额相符'] },
        ],
      }),
      line({ line: 4, payer: '王五', amount_fen: 8800, reference: 'B003', memo: '货款', ...UNMATCHED }),
      line({ line: 5, payer: '手续费', amount_fen: null, debit_fen: 500, reference: 'B004', memo: '手续费', ...NONE }),
    ],
    skipped: ['第 1 行：账户明细查询', '第 20 行：合计'],
    matched: 1,
    waiting: 2,
    ignored: 1,
    already_imported: 0,
    dry_run: true,
    ...over,
  };
}

export const REFUNDS: RefundDueRow[] = [
  {
    case_id: 'case-9',
    serial: 'ZJ-2026-000090',
    title: '雷峰夕照',
    applicant_name: '张三',
    state_label: '不予登记',
    paid_by: 'alipay_transfer',
    owed_fen: 15000,
  },
];

export const INVOICES: InvoiceDueRow[] = [
  {
    case_id: 'case-7',
    serial: 'ZJ-2026-000070',
    title: '三潭印月',
    payer_name: '杭州某某文化有限公司',
    tax_id: '91330100MA2XXXXXX1',
    amount_fen: 15000,
    paid_on: '2026-11-20',
    email: 'a@example.com',
  },
  {
    case_id: 'case-8',
    serial: 'ZJ-2026-000080',
    title: '柳浪闻莺',
    payer_name: '张三',
    tax_id: '',
    amount_fen: 15000,
    paid_on: '2026-11-21',
    email: 'z@example.com',
  },
];

export function report(from: string, to: string): DayReportView {
  const zero = {
    confirmed_fen: 0,
    confirmed_count: 0,
    rejected_fen: 0,
    rejected_count: 0,
    pending_fen: 0,
    pending_count: 0,
    refunded_fen: 0,
    refunded_count: 0,
  };
  return {
    from,
    to,
    lines: [
      {
        row: {
          ...zero,
          day: from,
          method: 'bank_transfer',
          received_fen: 30000,
          received_count: 2,
          confirmed_fen: 15000,
          confirmed_count: 1,
          pending_fen: 15000,
          pending_count: 1,
        },
        method_label: '银行公对公转账',
      },
      {
        row: {
          ...zero,
          day: from,
          method: 'alipay_transfer',
          received_fen: 135050,
          received_count: 1,
          refunded_fen: 15000,
          refunded_count: 1,
        },
        method_label: '支付宝转账',
      },
    ],
    totals: {
      received_fen: 165050,
      received_count: 3,
      confirmed_fen: 15000,
      confirmed_count: 1,
      rejected_fen: 0,
      rejected_count: 0,
      pending_fen: 15000,
      pending_count: 1,
      refunded_fen: 15000,
      refunded_count: 1,
    },
    audit_head: { seq: 1024, hash_prefix: '3f5a0c9e1b2d4f68' },
  };
}
