import { act, screen, waitFor, within } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it, vi } from 'vitest';
import type {
  CertificatePage,
  CertificateQueueFilter,
  CertificateRow,
  CertificateSheetView,
  PrintCertificatesInput,
  PrintedCertificates,
  PrinterInput,
  VoidSheetInput,
} from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { CertificateDesk } from './CertificateDesk';

const inputOf = <T,>(c: { args: Record<string, unknown> | undefined }) => c.args?.input as T;

const row = (n: number, printed = 0): CertificateRow => ({
  case_id: `case-${n}`,
  serial: `ZJ-AB12-20261125-000${n}`,
  registration_number: `浙作登字-2026-F-0000000${n}`,
  title: `西湖十景之${n}`,
  category: 'fine_art',
  applicant_name: '杭州湖光影像文化传媒有限公司',
  delivery: n % 2 === 0 ? 'pickup' : 'mail',
  registered_on: '2026-11-25',
  printed_sheets: printed,
});

const pageOf = (rows: CertificateRow[], more: Partial<CertificatePage> = {}): CertificatePage => ({
  rows,
  total: rows.length,
  more: false,
  next: null,
  previous: null,
  ...more,
});

const sheet = (n: number, state = 'printed'): CertificateSheetView => ({
  id: `sheet-${n}`,
  print_id: 'print-1',
  registration_number: row(n).registration_number,
  serial: row(n).serial,
  kind: 'first',
  reprint_reason: '',
  sheet_number: null,
  state,
  printed_at: '2026-11-25T02:00:00Z',
  printed_by: '刘洋',
  changed_at: null,
  reason: state === 'voided' ? '卡纸' : null,
});

const printed = (numbers: number[], skipped: PrintedCertificates['summary']['skipped'] = []): PrintedCertificates => ({
  summary: { print_id: 'print-1', printed: numbers.length, reprinted: 0, skipped, sheets: numbers.map((n) => sheet(n)) },
  file: '/data/prints/证书-print-1.pdf',
  printer: '',
  note: '',
});

describe('制证发证 · 待制证', () => {
  it('filters by what is typed and names a bad date', async () => {
    const core = fakeCore({
      certificate_queue: () => pageOf([row(1), row(2), row(3)]),
      system_printers: () => ({ service: false, printers: [] }),
    });
    const { user } = renderWithProviders(<CertificateDesk onChanged={vi.fn()} />);
    expect(await screen.findByText('浙作登字-2026-F-00000001')).toBeInTheDocument();
    expect(screen.getByTestId('tab-to-print')).toHaveTextContent('待制证');
    // No print service here: said on screen, and the viewer is the only target.
    expect(await screen.findByTestId('print-no-service')).toHaveTextContent('本机没有打印服务');

    // A bad date is named and nothing is asked; good filters go to the core as typed.
    await fill(user, screen.getByTestId('filter-from'), '2026-13-01');
    await user.click(screen.getByTestId('filter-search'));
    expect(screen.getByTestId('filter-date-error')).toHaveTextContent('2026-11-25');
    expect(core.callsTo('certificate_queue')).toHaveLength(1);
    await user.clear(screen.getByTestId('filter-from'));
    await fill(user, screen.getByTestId('filter-from'), '20261101');
    await fill(user, screen.getByTestId('filter-party'), '湖光');
    await user.click(screen.getByTestId('filter-search'));
    await waitFor(() => expect(core.callsTo('certificate_queue')).toHaveLength(2));
    expect(inputOf<CertificateQueueFilter>(core.callsTo('certificate_queue')[1])).toEqual({
      registered_from: '2026-11-01',
      registered_to: null,
      category: null,
      delivery: null,
      party: '湖光',
      include_printed: false,
      page_size: 50,
    });

  });

  it('pages the list with the core and keeps the ticks of other pages', async () => {
    const first = pageOf([row(1), row(2)], { total: 3, next: 'after:浙作登字-2026-F-00000002' });
    const second = pageOf([row(3)], { total: 3, previous: 'before:浙作登字-2026-F-00000003' });
    const core = fakeCore({
      certificate_queue: (args) => (inputOf<CertificateQueueFilter>({ args }).cursor === first.next ? second : first),
      system_printers: () => ({ service: false, printers: [] }),
      print_certificates: () => printed([1, 3]),
    });
    const { user } = renderWithProviders(<CertificateDesk onChanged={vi.fn()} />);
    expect(await screen.findByText('浙作登字-2026-F-00000001')).toBeInTheDocument();
    expect(screen.getByTestId('cert-total')).toHaveTextContent('共 3 份');
    expect(screen.getByTestId('cert-page-number')).toHaveTextContent('第 1 页');
    expect(screen.getByTestId('cert-page-previous')).toBeDisabled();
    await user.click(screen.getByTestId(`select-${row(1).registration_number}`));

    await user.click(screen.getByTestId('cert-page-next'));
    expect(await screen.findByText('浙作登字-2026-F-00000003')).toBeInTheDocument();
    expect(inputOf<CertificateQueueFilter>(core.callsTo('certificate_queue')[1]).cursor).toBe(first.next);
    expect(screen.getByTestId('cert-page-number')).toHaveTextContent('第 2 页');
    expect(screen.getByTestId('cert-page-next')).toBeDisabled();
    await user.click(screen.getByTestId(`select-${row(3).registration_number}`));
    expect(screen.getByTestId('print-selected')).toHaveTextContent('已选 2 份');
    expect(screen.getByTestId('print-selected-elsewhere')).toHaveTextContent('其中 1 份在其他页');

    // Back: the tick on the first page is still there; the batch prints both.
    await user.click(screen.getByTestId('cert-page-previous'));
    await waitFor(() => expect(inputOf<CertificateQueueFilter>(core.callsTo('certificate_queue')[2]).cursor).toBe(second.previous));
    await user.click(screen.getByTestId('print-selected'));
    await waitFor(() => expect(core.callsTo('print_certificates')).toHaveLength(1));
    expect(inputOf<PrintCertificatesInput>(core.callsTo('print_certificates')[0]).numbers).toEqual([
      row(1).registration_number,
      row(3).registration_number,
    ]);
  });

  it('says when a filtered list is longer than it counts', async () => {
    fakeCore({
      certificate_queue: () => pageOf([row(1)], { total: 1000, more: true, next: 'after:x' }),
      system_printers: () => ({ service: false, printers: [] }),
    });
    renderWithProviders(<CertificateDesk onChanged={vi.fn()} />);
    expect(await screen.findByTestId('cert-total')).toHaveTextContent('超过 1000 份，请用上方条件缩小范围');
  });

  it('prints the selection with progress and shows the summary', async () => {
    let waiting = [row(1), row(2), row(3)];
    let finish: ((v: PrintedCertificates) => void) | null = null;
    const core = fakeCore({
      certificate_queue: () => pageOf(waiting),
      system_printers: () => ({ service: false, printers: [] }),
      print_certificates: () =>
        new Promise((resolve) => {
          finish = resolve;
        }),
      void_certificate_sheet: (args) => ({ ...sheet(1, 'voided'), id: inputOf<VoidSheetInput>({ args }).sheet_id }),
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<CertificateDesk onChanged={onChanged} />);
    expect(await screen.findByText('浙作登字-2026-F-00000001')).toBeInTheDocument();
    const print = screen.getByTestId('print-selected');
    expect(print).toBeDisabled();
    await user.click(within(screen.getByTestId('cert-queue')).getAllByRole('checkbox')[0]); // select all
    expect(print).toHaveTextContent('已选 3 份');
    await user.click(print);
    await waitFor(() => expect(core.callsTo('print_certificates')).toHaveLength(1));
    expect(inputOf<PrintCertificatesInput>(core.callsTo('print_certificates')[0])).toEqual({
      numbers: [row(1), row(2), row(3)].map((r) => r.registration_number),
      mode: 'full',
      printer: '',
      reprint_reason: '',
      first_sheet_number: '',
    });
    expect(await screen.findByTestId('print-progress')).toBeInTheDocument();
    await act(async () => {
      await emit('certificate-progress', { done: 2, total: 3 });
    });
    expect(await screen.findByText('已排版 2/3')).toBeInTheDocument();
    // The bar sits above the queue (a long queue never pushes it off the screen).
    const before = (a: Element, b: Element) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    expect(before(screen.getByTestId('print-progress'), screen.getByTestId('cert-queue'))).toBe(true);

    waiting = [row(3)];
    await act(async () => {
      finish?.(printed([1, 2], [{ registration_number: row(3).registration_number, message: '登记号已撤销，证书已收回，不能再打印' }]));
    });
    const summary = await screen.findByTestId('print-summary');
    expect(summary).toHaveTextContent('已打印 2 份，重印 0 份');
    expect(before(summary, screen.getByTestId('cert-queue'))).toBe(true);
    expect(screen.getByTestId('print-skipped')).toHaveTextContent('已撤销');
    // Every column of the sheets has its header, the first/reprint one included.
    const headers = within(screen.getByTestId('print-sheets'))
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['登记号', '流水号', '预印纸编号', '首次/重印', '操作']);
    expect(screen.queryByTestId('print-progress')).not.toBeInTheDocument();
    expect(onChanged).toHaveBeenCalled();

  });

  it('stores the calibration result for the chosen printer, as the core allows the desk', async () => {
    let saved: PrinterInput | null = null;
    const core = fakeCore({
      certificate_queue: () => pageOf([row(1)]),
      system_printers: () => ({ service: true, printers: ['Cert-Printer'] }),
      certificate_settings: () => ({
        verification_url: 'https://zj.example.cn/verify',
        version: 1,
        printers: [{ name: 'Cert-Printer', offset_x_mm: 0.5, offset_y_mm: -1, version: 3 }],
      }),
      print_calibration_page: () => '/prints/校准页.pdf',
      save_certificate_printer: (args) => {
        const input = inputOf<PrinterInput>({ args });
        if (Math.abs(input.offset_x_mm) > 20) {
          throw apiError('validation', '偏移有误', [
            { field: 'offset_x_mm', code: 'offset_range', message: '偏移应在 -20 到 20 毫米之间：请用校准页重新量取' },
          ]);
        }
        saved = input;
        return { ...input, version: input.version + 1 };
      },
    });
    const { user } = renderWithProviders(<CertificateDesk onChanged={vi.fn()} />);
    await screen.findByText('浙作登字-2026-F-00000001');
    // The system viewer has no offsets; a printer has.
    expect(screen.queryByTestId('print-offsets')).toBeNull();
    await user.click(screen.getByTestId('print-printer').querySelector('.ant-select-selector') as HTMLElement);
    await user.click(await screen.findByTitle('Cert-Printer'));
    await user.click(screen.getByTestId('print-calibration'));
    await waitFor(() => expect(core.callsTo('print_calibration_page')).toHaveLength(1));
    expect(await screen.findByText('校准页已发送到打印机“Cert-Printer”：/prints/校准页.pdf')).toBeInTheDocument();
    await user.click(screen.getByTestId('print-offsets'));
    // The stored offsets come first; the desk types what it measured.
    await waitFor(() => expect(screen.getByTestId('offsets-x')).toHaveValue('0.5'));
    await user.clear(screen.getByTestId('offsets-x'));
    await user.type(screen.getByTestId('offsets-x'), '25');
    await user.click(screen.getByTestId('offsets-save'));
    expect(await screen.findByTestId('offsets-error')).toHaveTextContent('偏移应在 -20 到 20 毫米之间');
    await user.clear(screen.getByTestId('offsets-x'));
    await user.type(screen.getByTestId('offsets-x'), '1.5');
    await user.click(screen.getByTestId('offsets-save'));
    expect(await screen.findByTestId('offsets-saved')).toHaveTextContent('Cert-Printer 的偏移已保存：X 1.5 mm，Y -1 mm');
    expect(saved).toEqual({ name: 'Cert-Printer', offset_x_mm: 1.5, offset_y_mm: -1, version: 3 });
  });

  it('says when the calibration page opened in the viewer, and why it was not printed', async () => {
    let answer: () => string = () => '/prints/证书打印校准页.pdf';
    const core = fakeCore({
      certificate_queue: () => pageOf([row(1)]),
      system_printers: () => ({ service: false, printers: [] }),
      print_calibration_page: () => answer(),
    });
    const { user } = renderWithProviders(<CertificateDesk onChanged={vi.fn()} />);
    await screen.findByText('浙作登字-2026-F-00000001');
    await user.click(screen.getByTestId('print-calibration'));
    expect(await screen.findByText('校准页已在看图程序中打开：/prints/证书打印校准页.pdf')).toBeInTheDocument();
    expect(core.callsTo('print_calibration_page').map((c) => c.args?.input)).toEqual([{ printer: '', mode: 'full' }]);

    answer = () => {
      throw apiError('storage', '无法写入文件 D:\\RegDesk\\打印\\证书打印校准页.pdf：磁盘已满');
    };
    await user.click(screen.getByTestId('print-calibration'));
    expect(await screen.findByText('校准页未能打印：无法写入文件 D:\\RegDesk\\打印\\证书打印校准页.pdf：磁盘已满')).toBeInTheDocument();
  });

  it('voids a spoiled sheet of the summary with its reason', async () => {
    const core = fakeCore({
      certificate_queue: () => pageOf([row(1)]),
      system_printers: () => ({ service: false, printers: [] }),
      print_certificates: () => printed([1]),
      void_certificate_sheet: (args) => ({ ...sheet(1, 'voided'), id: inputOf<VoidSheetInput>({ args }).sheet_id }),
    });
    const { user } = renderWithProviders(<CertificateDesk onChanged={vi.fn()} />);
    await user.click(await screen.findByTestId(`select-${row(1).registration_number}`));
    await user.click(screen.getByTestId('print-selected'));
    await screen.findByTestId('print-summary');
    // A spoiled sheet: the reason is asked for, then the sheet shows as voided.
    await user.click(screen.getByTestId(`void-${row(1).registration_number}`));
    await fill(user, await screen.findByTestId('void-reason'), '卡纸');
    await user.click(screen.getByTestId('void-ok'));
    await waitFor(() => expect(core.callsTo('void_certificate_sheet')).toHaveLength(1));
    expect(inputOf<VoidSheetInput>(core.callsTo('void_certificate_sheet')[0])).toEqual({ sheet_id: 'sheet-1', reason: '卡纸' });
    expect(await within(screen.getByTestId('print-sheets')).findByText('已作废')).toBeInTheDocument();
  });

  it('asks for a reprint reason when printed certificates are chosen, and 取消 stops the batch', async () => {
    let fail: ((e: unknown) => void) | null = null;
    const core = fakeCore({
      certificate_queue: () => pageOf([row(1, 1)]),
      system_printers: () => ({ service: true, printers: ['Cert-Printer'] }),
      print_certificates: () =>
        new Promise((_, reject) => {
          fail = reject;
        }),
      cancel_certificate_print: () => {
        fail?.(apiError('refused', '已取消打印，未记录任何证书纸'));
        return null;
      },
    });
    const { user } = renderWithProviders(<CertificateDesk onChanged={vi.fn()} />);
    expect(await screen.findByText('1 张')).toBeInTheDocument();
    expect(screen.queryByTestId('print-no-service')).not.toBeInTheDocument();
    await user.click(screen.getByTestId(`select-${row(1).registration_number}`));
    await fill(user, await screen.findByTestId('print-reason'), '申请人要求补打');
    await user.click(screen.getByTestId('print-mode-overprint'));
    await fill(user, screen.getByTestId('print-first-sheet'), 'No.0099');
    await user.click(screen.getByTestId('print-selected'));
    await waitFor(() => expect(core.callsTo('print_certificates')).toHaveLength(1));
    const sent = inputOf<PrintCertificatesInput>(core.callsTo('print_certificates')[0]);
    expect([sent.reprint_reason, sent.mode, sent.first_sheet_number]).toEqual(['申请人要求补打', 'overprint', 'No.0099']);
    await user.click(await screen.findByTestId('print-cancel'));
    expect(await screen.findByTestId('print-cancelled')).toHaveTextContent('已取消打印');
    expect(screen.queryByTestId('print-error')).not.toBeInTheDocument();
  });

  it('shows the core’s refusal of a revoked certificate as it is', async () => {
    fakeCore({
      certificate_queue: () => pageOf([row(1)]),
      system_printers: () => ({ service: false, printers: [] }),
      open_certificate: () => {
        throw apiError('refused', '登记号 浙作登字-2026-F-00000001 已撤销，证书已收回，不能再打印');
      },
    });
    const { user } = renderWithProviders(<CertificateDesk onChanged={vi.fn()} />);
    await user.click(await screen.findByTestId(`open-${row(1).registration_number}`));
    expect(await screen.findByTestId('print-error')).toHaveTextContent('已撤销，证书已收回');
  });
});
