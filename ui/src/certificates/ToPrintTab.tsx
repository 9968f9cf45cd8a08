// 待制证: registered cases whose certificate is not printed yet (filters as the
// core defines them), printed in one batch with progress and 取消, then a
// summary with each sheet (作废 with a reason) and what was not printed and why.
// The print bar, the progress and the summary sit between the filters and the
// queue, so they are on screen however long the queue is.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Checkbox, Input, InputNumber, Modal, Progress, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { listen } from '@tauri-apps/api/event';
import type { ButtonProps } from 'antd';
import type {
  ApiError,
  CertificateModeInput,
  CertificatePage,
  CertificateProgress,
  CertificateQueueFilter,
  CertificateRow,
  CertificateSheetView,
  Delivery,
  PrintedCertificates,
  PrinterView,
  SystemPrinters,
  WorkCategory,
} from '../api/bindings';
import { CATEGORIES } from '../filing/options';
import { ft } from '../filing/texts';
import { parseDay } from '../payments/money';
import { CERTIFICATE_PROGRESS, certificatesApi } from './api';
import { ct } from './texts';

const VIEWER = '';
/** A cell kept on one line. */
const oneLine = () => ({ style: { whiteSpace: 'nowrap' as const } });

/** Rows a page of 待制证 shows. */
const PAGE_SIZE = 50;

/**
 * Whether a ticked row from an earlier load would be on the page just read:
 * its number lies within the page's range. Such a row missing from the page
 * has left the list (printed meanwhile), so it is no longer ticked.
 */
function onPage(p: CertificatePage, row: CertificateRow, f: CertificateQueueFilter): boolean {
  if (p.rows.length === 0) return !f.include_printed;
  const first = p.rows[0].registration_number;
  const last = p.rows[p.rows.length - 1].registration_number;
  const n = row.registration_number;
  return (p.previous === null || n >= first) && (p.next === null || n <= last);
}

type Filters = { from: string; to: string; category: WorkCategory | null; delivery: Delivery | null; party: string; includePrinted: boolean };
const EMPTY: Filters = { from: '', to: '', category: null, delivery: null, party: '', includePrinted: false };

/** A typed day, '' for none; undefined when it does not parse. */
function day(text: string): string | null | undefined {
  if (text.trim() === '') return null;
  const r = parseDay(text);
  return r.ok ? r.value : undefined;
}

function VoidDialog({ sheet, onClose, onVoided }: { sheet: CertificateSheetView | null; onClose: () => void; onVoided: (s: CertificateSheetView) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setReason('');
    setError(null);
  }, [sheet]);
  const ok = async () => {
    if (!sheet) return;
    setBusy(true);
    try {
      onVoided(await certificatesApi.voidSheet({ sheet_id: sheet.id, reason }));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={sheet !== null}
      title={sheet ? ct('sheet.voidTitle', { number: sheet.registration_number }) : ''}
      okText={ct('sheet.voidOk')}
      okButtonProps={{ danger: true, loading: busy, 'data-testid': 'void-ok' } as ButtonProps}
      onOk={() => void ok()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Text>{ct('sheet.voidReason')}</Typography.Text>
      <Input
        autoFocus
        data-testid="void-reason"
        value={reason}
        placeholder={ct('sheet.voidReasonPlaceholder')}
        onChange={(e) => setReason(e.target.value)}
        onPressEnter={() => void ok()}
        status={error ? 'error' : undefined}
      />
      {error && (
        <Typography.Text type="danger" data-testid="void-error">
          {error.fields[0]?.message ?? error.message}
        </Typography.Text>
      )}
    </Modal>
  );
}

/**
 * 校准结果: after printing the calibration page, the desk types the offsets it
 * measured for this printer; the core decides who may store them.
 */
function OffsetsDialog({ printer, onClose }: { printer: string | null; onClose: (saved: PrinterView | null) => void }) {
  const [x, setX] = useState<number | null>(0);
  const [y, setY] = useState<number | null>(0);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setError(null);
    if (printer === null) return;
    let live = true;
    certificatesApi.settings().then(
      (s) => {
        if (!live) return;
        const known = s.printers.find((p) => p.name === printer);
        setX(known?.offset_x_mm ?? 0);
        setY(known?.offset_y_mm ?? 0);
        setVersion(known?.version ?? 0);
      },
      (e: ApiError) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [printer]);
  const ok = async () => {
    if (printer === null) return;
    setBusy(true);
    setError(null);
    try {
      onClose(await certificatesApi.savePrinter({ name: printer, offset_x_mm: x ?? 0, offset_y_mm: y ?? 0, version }));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (f: string) => error?.fields.find((e) => e.field === f)?.message;
  return (
    <Modal
      open={printer !== null}
      title={printer !== null ? ct('offsets.title', { printer }) : ''}
      okText={ct('offsets.save')}
      okButtonProps={{ loading: busy, 'data-testid': 'offsets-save' } as ButtonProps}
      onOk={() => void ok()}
      onCancel={() => onClose(null)}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{ct('offsets.hint')}</Typography.Paragraph>
      <Space direction="vertical">
        <Space>
          <span>{ct('offsets.x')}</span>
          <InputNumber<number>
            data-testid="offsets-x"
            step={0.1}
            value={x}
            onChange={setX}
            addonAfter="mm"
            status={fieldError('offset_x_mm') ? 'error' : undefined}
          />
        </Space>
        <Space>
          <span>{ct('offsets.y')}</span>
          <InputNumber<number>
            data-testid="offsets-y"
            step={0.1}
            value={y}
            onChange={setY}
            addonAfter="mm"
            status={fieldError('offset_y_mm') ? 'error' : undefined}
          />
        </Space>
      </Space>
      {error && (
        <Alert
          type="error"
          showIcon
          data-testid="offsets-error"
          message={error.fields.length > 0 ? error.fields.map((f) => f.message).join('；') : error.message}
        />
      )}
    </Modal>
  );
}

function Summary({ result, onVoid }: { result: PrintedCertificates; onVoid: (s: CertificateSheetView) => void }) {
  const s = result.summary;
  return (
    <div data-testid="print-summary" className="cert-summary">
      <Alert
        type={s.skipped.length > 0 ? 'warning' : 'success'}
        showIcon
        message={ct('print.done', { printed: s.printed, reprinted: s.reprinted, file: result.file })}
        description={
          <>
            {result.printer !== '' && result.note === '' && <div>{ct('print.toPrinter', { printer: result.printer })}</div>}
            {result.note !== '' && <div data-testid="print-note">{result.note}</div>}
            {s.skipped.length > 0 && (
              <div data-testid="print-skipped">
                {ct('print.skipped', { count: s.skipped.length })}
                <ul>
                  {s.skipped.map((k) => (
                    <li key={k.registration_number}>
                      {k.registration_number}：{k.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </>
        }
      />
      <Table<CertificateSheetView>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={s.sheets}
        data-testid="print-sheets"
        columns={[
          { title: ct('col.number'), dataIndex: 'registration_number' },
          { title: ct('col.serial'), dataIndex: 'serial' },
          { title: ct('sheet.number'), dataIndex: 'sheet_number', render: (v: string | null) => v ?? '—' },
          { title: ct('sheet.kind'), dataIndex: 'kind', render: (k: CertificateSheetView['kind']) => <Tag>{ct(`sheet.kind.${k}`)}</Tag> },
          {
            title: ct('col.actions'),
            key: 'void',
            render: (_, sheet) =>
              sheet.state === 'printed' ? (
                <Button size="small" danger data-testid={`void-${sheet.registration_number}`} onClick={() => onVoid(sheet)}>
                  {ct('sheet.void')}
                </Button>
              ) : (
                <Tag color="red">{ct('sheet.voided')}</Tag>
              ),
          },
        ]}
      />
    </div>
  );
}

export function ToPrintTab({ reloadKey = 0, onChanged }: { reloadKey?: number; onChanged?: () => void }) {
  const { message } = AntApp.useApp();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<CertificateQueueFilter>({
    registered_from: null,
    registered_to: null,
    category: null,
    delivery: null,
    party: '',
    include_printed: false,
  });
  const [page, setPage] = useState<CertificatePage | null>(null);
  /** Where the page shown starts (null: the first page), and its number. */
  const [at, setAt] = useState<{ cursor: string | null; number: number }>({ cursor: null, number: 1 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [dateError, setDateError] = useState(false);
  /** The rows ticked, on this page and others (the batch prints them all). */
  const [selected, setSelected] = useState<CertificateRow[]>([]);
  const [mode, setMode] = useState<CertificateModeInput>('full');
  const [printers, setPrinters] = useState<SystemPrinters | null>(null);
  const [printer, setPrinter] = useState(VIEWER);
  const [firstSheet, setFirstSheet] = useState('');
  const [reason, setReason] = useState('');
  const [progress, setProgress] = useState<CertificateProgress | null>(null);
  const [printing, setPrinting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [result, setResult] = useState<PrintedCertificates | null>(null);
  const [voiding, setVoiding] = useState<CertificateSheetView | null>(null);
  const [calibrating, setCalibrating] = useState<string | null>(null);
  const [offsetsSaved, setOffsetsSaved] = useState<string | null>(null);
  const cancelRequested = useRef(false);

  const load = useCallback(async (f: CertificateQueueFilter, cursor: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const p = await certificatesApi.queue({ ...f, cursor: cursor ?? undefined, page_size: PAGE_SIZE });
      setPage(p);
      // A ticked row that left the list (printed meanwhile) is no longer ticked; one on another page stays.
      setSelected((sel) => sel.filter((s) => p.rows.some((r) => r.registration_number === s.registration_number) || !onPage(p, s, f)));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(applied, at.cursor);
  }, [applied, at, load, reloadKey]);

  useEffect(() => {
    certificatesApi
      .systemPrinters()
      .then(setPrinters)
      .catch(() => setPrinters({ service: false, printers: [] }));
  }, []);

  const search = () => {
    const from = day(filters.from);
    const to = day(filters.to);
    if (from === undefined || to === undefined) {
      setDateError(true);
      return;
    }
    setDateError(false);
    setSelected([]);
    setAt({ cursor: null, number: 1 });
    setApplied({
      registered_from: from,
      registered_to: to,
      category: filters.category,
      delivery: filters.delivery,
      party: filters.party.trim(),
      include_printed: filters.includePrinted,
    });
  };

  const rows = page?.rows ?? [];
  const reprinting = selected.some((r) => r.printed_sheets > 0);
  const elsewhere = selected.filter((s) => !rows.some((r) => r.registration_number === s.registration_number)).length;

  const print = async () => {
    setPrinting(true);
    setCancelling(false);
    setNotice(null);
    setError(null);
    setResult(null);
    setProgress({ done: 0, total: selected.length });
    const numbers = selected.map((r) => r.registration_number);
    cancelRequested.current = false;
    let unlisten: () => void = () => {};
    try {
      unlisten = await listen<CertificateProgress>(CERTIFICATE_PROGRESS, (e) => setProgress(e.payload));
    } catch {
      // Without events only the bar is lost.
    }
    try {
      const r = await certificatesApi.print({
        numbers,
        mode,
        printer,
        reprint_reason: reason,
        first_sheet_number: mode === 'overprint' ? firstSheet : '',
      });
      setResult(r);
      setSelected([]);
      setReason('');
      onChanged?.();
      await load(applied, at.cursor);
    } catch (e) {
      const err = e as ApiError;
      if (err.kind === 'refused' && cancelRequested.current) setNotice(ct('print.cancelled'));
      else setError(err);
    } finally {
      unlisten();
      setPrinting(false);
      setProgress(null);
      setCancelling(false);
    }
  };

  const cancel = async () => {
    cancelRequested.current = true;
    setCancelling(true);
    try {
      await certificatesApi.cancelPrint();
    } catch (e) {
      setError(e as ApiError);
    }
  };

  const openCertificate = async (number: string) => {
    setError(null);
    try {
      await certificatesApi.openCertificate(number);
    } catch (e) {
      setError(e as ApiError);
    }
  };

  // 打印校准页: says where the page went (the printer, or the viewer), or why it did not.
  const calibration = async () => {
    const target = printer;
    try {
      const path = await certificatesApi.calibration({ printer: target, mode });
      void message.success(target === VIEWER ? ct('calibration.opened', { path }) : ct('calibration.sent', { printer: target, path }));
    } catch (e) {
      void message.error(ct('calibration.failed', { message: (e as ApiError).message }));
    }
  };

  const deliveryLabel = (d: Delivery | null) => (d ? ct(`delivery.${d}`) : '—');

  return (
    <div className="cert-to-print" data-testid="cert-to-print">
      <Space wrap className="cert-filters">
        <Input
          addonBefore={ct('filter.from')}
          data-testid="filter-from"
          style={{ width: 220 }}
          placeholder={ct('filter.datePlaceholder')}
          value={filters.from}
          onChange={(e) => setFilters({ ...filters, from: e.target.value })}
          onPressEnter={search}
          status={dateError && day(filters.from) === undefined ? 'error' : undefined}
        />
        <Input
          addonBefore={ct('filter.to')}
          data-testid="filter-to"
          style={{ width: 180 }}
          placeholder={ct('filter.datePlaceholder')}
          value={filters.to}
          onChange={(e) => setFilters({ ...filters, to: e.target.value })}
          onPressEnter={search}
          status={dateError && day(filters.to) === undefined ? 'error' : undefined}
        />
        <Select<WorkCategory | ''>
          data-testid="filter-category"
          style={{ width: 160 }}
          value={filters.category ?? ''}
          onChange={(v) => setFilters({ ...filters, category: v === '' ? null : v })}
          options={[{ value: '', label: `${ct('filter.category')}：${ct('filter.any')}` }, ...CATEGORIES.map((c) => ({ value: c, label: ft(`category.${c}`) }))]}
        />
        <Select<Delivery | ''>
          data-testid="filter-delivery"
          style={{ width: 150 }}
          value={filters.delivery ?? ''}
          onChange={(v) => setFilters({ ...filters, delivery: v === '' ? null : v })}
          options={[
            { value: '', label: `${ct('filter.delivery')}：${ct('filter.any')}` },
            { value: 'mail', label: ct('delivery.mail') },
            { value: 'pickup', label: ct('delivery.pickup') },
          ]}
        />
        <Input
          data-testid="filter-party"
          style={{ width: 200 }}
          placeholder={ct('filter.party')}
          value={filters.party}
          onChange={(e) => setFilters({ ...filters, party: e.target.value })}
          onPressEnter={search}
        />
        <Checkbox
          data-testid="filter-include-printed"
          checked={filters.includePrinted}
          onChange={(e) => setFilters({ ...filters, includePrinted: e.target.checked })}
        >
          {ct('filter.includePrinted')}
        </Checkbox>
        <Button onClick={search} data-testid="filter-search">
          {ct('filter.search')}
        </Button>
      </Space>
      {dateError && (
        <Typography.Text type="danger" data-testid="filter-date-error">
          {ct('filter.badDate')}
        </Typography.Text>
      )}

      <div className="cert-print-bar">
        <Space wrap align="center">
          <span>{ct('print.mode')}</span>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as CertificateModeInput)} data-testid="print-mode">
            <Radio value="full">{ct('print.full')}</Radio>
            <Radio value="overprint" data-testid="print-mode-overprint">
              {ct('print.overprint')}
            </Radio>
          </Radio.Group>
          <span>{ct('print.printer')}</span>
          <Select<string>
            data-testid="print-printer"
            style={{ width: 240 }}
            value={printer}
            onChange={setPrinter}
            options={[{ value: VIEWER, label: ct('print.viewer') }, ...(printers?.printers ?? []).map((p) => ({ value: p, label: p }))]}
          />
          {mode === 'overprint' && (
            <Input
              data-testid="print-first-sheet"
              style={{ width: 220 }}
              addonBefore={ct('print.firstSheet')}
              placeholder={ct('print.firstSheetPlaceholder')}
              value={firstSheet}
              onChange={(e) => setFirstSheet(e.target.value)}
            />
          )}
          {reprinting && (
            <Input
              data-testid="print-reason"
              style={{ width: 320 }}
              addonBefore={ct('print.reason')}
              placeholder={ct('print.reasonPlaceholder')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
          <Button type="primary" disabled={selected.length === 0 || printing} onClick={() => void print()} data-testid="print-selected">
            {ct('print.all')}（{ct('print.selected', { count: selected.length })}）
          </Button>
          {elsewhere > 0 && (
            <Typography.Text type="secondary" data-testid="print-selected-elsewhere">
              {ct('page.selectedElsewhere', { count: elsewhere })}
            </Typography.Text>
          )}
          <Button onClick={() => void calibration()} data-testid="print-calibration">
            {ct('print.calibration')}
          </Button>
          {printer !== VIEWER && (
            <Button onClick={() => setCalibrating(printer)} data-testid="print-offsets">
              {ct('offsets.open')}
            </Button>
          )}
        </Space>
        {printers && !printers.service && (
          <Typography.Paragraph type="secondary" data-testid="print-no-service">
            {ct('print.noService')}
          </Typography.Paragraph>
        )}
      </div>

      {printing && progress && (
        <div data-testid="print-progress" className="cert-progress">
          <Progress percent={progress.total > 0 ? Math.floor((progress.done * 100) / progress.total) : 0} />
          <Space>
            <span data-testid="print-progress-text">{ct('print.progress', { done: progress.done, total: progress.total })}</span>
            <Button size="small" onClick={() => void cancel()} disabled={cancelling} data-testid="print-cancel">
              {ct('print.cancel')}
            </Button>
          </Space>
        </div>
      )}
      {notice && <Alert type="info" showIcon message={notice} data-testid="print-cancelled" />}
      {offsetsSaved && (
        <Alert type="success" showIcon closable message={offsetsSaved} onClose={() => setOffsetsSaved(null)} data-testid="offsets-saved" />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          data-testid="print-error"
          message={error.message || ct('print.failed')}
          description={error.fields.length > 0 ? error.fields.map((f) => f.message).join('；') : undefined}
        />
      )}
      {result && <Summary result={result} onVoid={setVoiding} />}
      <Table<CertificateRow>
        size="small"
        rowKey="registration_number"
        loading={loading}
        dataSource={rows}
        data-testid="cert-queue"
        locale={{ emptyText: ct('print.empty') }}
        pagination={false}
        rowSelection={{
          selectedRowKeys: selected.map((r) => r.registration_number),
          // Ticks on this page replace this page's; those on other pages stay.
          onChange: (_keys, picked) =>
            setSelected((sel) => [
              ...sel.filter((s) => !rows.some((r) => r.registration_number === s.registration_number)),
              ...picked.filter((r): r is CertificateRow => r !== undefined),
            ]),
          getCheckboxProps: (r) => ({ 'data-testid': `select-${r.registration_number}` }) as object,
        }}
        // Fits 1280 px with no sideways scroll: the number over its serial, each on one line;
        // the title and the applicant give way (ellipsis); 已打印 only when the printed are listed.
        columns={[
          {
            title: `${ct('col.number')} / ${ct('col.serial')}`,
            dataIndex: 'registration_number',
            width: 240,
            onCell: oneLine,
            render: (n: string, r) => (
              <>
                <div>{n}</div>
                <Typography.Text type="secondary" className="cert-serial">
                  {r.serial}
                </Typography.Text>
              </>
            ),
          },
          { title: ct('col.title'), dataIndex: 'title', ellipsis: true },
          { title: ct('col.category'), dataIndex: 'category', width: 112, onCell: oneLine, render: (c: WorkCategory | null) => (c ? ft(`category.${c}`) : '—') },
          { title: ct('col.applicant'), dataIndex: 'applicant_name', ellipsis: true },
          { title: ct('col.delivery'), dataIndex: 'delivery', width: 88, onCell: oneLine, render: deliveryLabel },
          { title: ct('col.registered'), dataIndex: 'registered_on', width: 108, onCell: oneLine },
          ...(applied.include_printed || rows.some((r) => r.printed_sheets > 0)
            ? [
                {
                  title: ct('col.printed'),
                  dataIndex: 'printed_sheets',
                  width: 96,
                  render: (n: number) => (n > 0 ? <Tag color="green">{ct('row.printedTimes', { n })}</Tag> : '—'),
                },
              ]
            : []),
          {
            title: ct('col.actions'),
            key: 'open',
            width: 104,
            render: (_: unknown, r: CertificateRow) => (
              <Button size="small" data-testid={`open-${r.registration_number}`} onClick={() => void openCertificate(r.registration_number)}>
                {ct('row.open')}
              </Button>
            ),
          },
        ]}
      />

      {page && (page.total > 0 || at.number > 1) && (
        <div className="cert-pager" data-testid="cert-pager">
          <Space wrap align="center">
            <span data-testid="cert-total">
              {page.more ? ct('page.totalMany', { total: page.total }) : ct('page.total', { total: page.total })}
            </span>
            <span data-testid="cert-page-number">{ct('page.number', { page: at.number })}</span>
            {at.number > 2 && (
              <Button size="small" onClick={() => setAt({ cursor: null, number: 1 })} data-testid="cert-page-first">
                {ct('page.first')}
              </Button>
            )}
            <Button
              size="small"
              disabled={!page.previous || loading}
              onClick={() => page.previous && setAt({ cursor: page.previous, number: Math.max(1, at.number - 1) })}
              data-testid="cert-page-previous"
            >
              {ct('page.previous')}
            </Button>
            <Button
              size="small"
              disabled={!page.next || loading}
              onClick={() => page.next && setAt({ cursor: page.next, number: at.number + 1 })}
              data-testid="cert-page-next"
            >
              {ct('page.next')}
            </Button>
          </Space>
        </div>
      )}

      <OffsetsDialog
        printer={calibrating}
        onClose={(saved) => {
          setCalibrating(null);
          if (saved) setOffsetsSaved(ct('offsets.saved', { printer: saved.name, x: saved.offset_x_mm, y: saved.offset_y_mm }));
        }}
      />
      <VoidDialog
        sheet={voiding}
        onClose={() => setVoiding(null)}
        onVoided={(s) => {
          setVoiding(null);
          setResult((r) =>
            r ? { ...r, summary: { ...r.summary, sheets: r.summary.sheets.map((x) => (x.id === s.id ? s : x)) } } : r,
          );
          void load(applied, at.cursor);
          onChanged?.();
        }}
      />
    </div>
  );
}
