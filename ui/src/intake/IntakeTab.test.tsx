import { act, screen, waitFor, within } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it, vi } from 'vitest';
import type { BatchSignerView, FilingImportView, ImportFilingsInput, IntakeRowView } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { applicant } from '../test/fixtures';
import { fill, renderWithProviders } from '../test/render';
import { IntakeTab, INTAKE_PROGRESS } from './IntakeTab';

const SHEET = '/home/desk/代理/青山-12月.xlsx';
const NOT_ALLOWED = '本机构未开启“一人一表”签章（一张签章表签多件作品）：请逐件签章，或请系统管理员在系统设置中开启';
const FOLDER = '/home/desk/代理/样本';

const row = (over: Partial<IntakeRowView> = {}): IntakeRowView => ({
  line: 2,
  title: '西湖春晓',
  category_label: '美术',
  owners: ['张伟'],
  authors: ['张伟'],
  files: ['张伟身份证.jpg', '西湖春晓.jpg'],
  problems: [],
  case_id: null,
  serial: null,
  ...over,
});

const BAD = row({
  line: 3,
  title: '断桥残雪',
  problems: [
    { line: 3, column: '作品类别', code: 'not_allowed', message: '“油画”不是可选的作品类别，请从下拉列表中选择：文字、美术' },
    { line: 3, column: '作品样本', code: 'missing_file', message: '文件夹中没有“断桥残雪.jpg”，请把该文件放进所选文件夹' },
  ],
});

const view = (over: Partial<FilingImportView> = {}): FilingImportView => ({
  file_name: '青山-12月.xlsx',
  applicant_name: '张三',
  dry_run: true,
  sheet_problems: [],
  rows: [row(), BAD],
  good: 1,
  created: 0,
  cancelled: false,
  ...over,
});

async function chooseEverything(user: ReturnType<typeof renderWithProviders>['user']) {
  await user.type(within(screen.getByTestId('intake-applicant')).getByRole('combobox'), '张');
  await user.click(await screen.findByText('张三（330106********1234）'));
  await fill(user, screen.getByTestId('intake-sheet'), SHEET);
  await fill(user, screen.getByTestId('intake-folder'), FOLDER);
}

describe('批量受理', () => {
  it('previews every row with its problems by column, then imports the good ones with progress', async () => {
    let release: (v: FilingImportView) => void = () => {};
    const core = fakeCore({
      find_applicants: () => [applicant()],
      import_filings: (args) => {
        const input = args?.input as ImportFilingsInput;
        if (input.dry_run) return view();
        return new Promise<FilingImportView>((r) => {
          release = r;
        });
      },
      submit_many_for_signing: () => [{ case_id: 'c-1', serial: 'ZJ-7F3A-20261206-0001', submitted: true, message: '' }],
      batch_signing: () => ({ allowed: false, problem: NOT_ALLOWED, signers: [] }),
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<IntakeTab onChanged={onChanged} />);
    expect(screen.getByTestId('intake-import')).toBeDisabled();
    // Nothing is asked of the core before the applicant, sheet and folder are chosen.
    await user.click(screen.getByTestId('intake-preview'));
    expect(screen.getByTestId('intake-error')).toHaveTextContent('请先选择申请人');
    expect(core.callsTo('import_filings')).toHaveLength(0);

    await chooseEverything(user);
    await user.click(screen.getByTestId('intake-preview'));
    expect(await screen.findByTestId('intake-summary')).toHaveTextContent(
      '“青山-12月.xlsx”：共 2 行，可导入 1 行，有问题 1 行（尚未导入）',
    );
    expect(core.callsTo('import_filings')[0].args?.input).toEqual({
      path: SHEET,
      files_dir: FOLDER,
      applicant_id: 'ap-1',
      dry_run: true,
    });
    expect(screen.getByTestId('ok-2')).toHaveTextContent('可以导入');
    const problems = screen.getByTestId('problems-3');
    expect(problems).toHaveTextContent('“作品类别”：“油画”不是可选的作品类别');
    expect(problems).toHaveTextContent('“作品样本”：文件夹中没有“断桥残雪.jpg”');
    expect(screen.getByTestId('intake-import')).toHaveTextContent('导入 1 件');

    await user.click(screen.getByTestId('intake-import'));
    expect(await screen.findByTestId('intake-progress')).toBeInTheDocument();
    await act(async () => {
      await emit(INTAKE_PROGRESS, { done: 0, total: 1 });
    });
    expect(screen.getByTestId('intake-progress-text')).toHaveTextContent('已生成 0 / 1 件');
    await act(async () => {
      release(view({ dry_run: false, created: 1, rows: [row({ case_id: 'c-1', serial: 'ZJ-7F3A-20261206-0001' }), BAD] }));
    });
    expect(await screen.findByTestId('intake-summary')).toHaveTextContent('已为张三生成草稿 1 件；有问题未导入 1 行');
    expect(screen.getByTestId('made-2')).toHaveTextContent('已生成 ZJ-7F3A-20261206-0001');
    expect(onChanged).toHaveBeenCalledTimes(1);
    // A finished import is not imported twice: a new preview comes first.
    expect(screen.getByTestId('intake-import')).toBeDisabled();

    // The drafts made are submitted for signing together.
    await user.click(screen.getByTestId('intake-submit-all'));
    expect(await screen.findByTestId('intake-submit-summary')).toHaveTextContent('已提交签章 1 件，未能提交 0 件');
    expect(core.callsTo('submit_many_for_signing')[0].args?.input).toEqual({ case_ids: ['c-1'] });
    expect(screen.getByTestId('submitted-2')).toHaveTextContent('已提交签章');
    expect(onChanged).toHaveBeenCalledTimes(2);
    // Where the office does not allow one form per signer, the core says so.
    expect(await screen.findByTestId('batch-sign-problem')).toHaveTextContent('未开启');
  });

  it('signs the batch with one form per signer: prints it, records its one scan, waits where the core says', async () => {
    const signer = (position: number, name: string, may: boolean, status: 'current' | 'waiting' | 'signed'): BatchSignerView => ({
      position,
      name,
      guardian_name: null,
      id_number: '330106********1234',
      cases: [
        { case_id: 'c-1', serial: 'ZJ-7F3A-20261206-0001', title: '西湖春晓', status, status_label: status === 'signed' ? '已签章' : '待签章' },
        { case_id: 'c-2', serial: 'ZJ-7F3A-20261206-0002', title: '平湖秋月', status, status_label: status === 'signed' ? '已签章' : '待签章' },
      ],
      may_sign_now: may,
      signed_all: status === 'signed',
    });
    let signed = false;
    const core = fakeCore({
      find_applicants: () => [applicant()],
      import_filings: (args) =>
        (args?.input as ImportFilingsInput).dry_run
          ? view({ rows: [row(), row({ line: 3, title: '平湖秋月' })], good: 2 })
          : view({
              dry_run: false,
              created: 2,
              rows: [
                row({ case_id: 'c-1', serial: 'ZJ-7F3A-20261206-0001' }),
                row({ line: 3, title: '平湖秋月', case_id: 'c-2', serial: 'ZJ-7F3A-20261206-0002' }),
              ],
            }),
      submit_many_for_signing: () => [
        { case_id: 'c-1', serial: 'ZJ-7F3A-20261206-0001', submitted: true, message: '' },
        { case_id: 'c-2', serial: 'ZJ-7F3A-20261206-0002', submitted: true, message: '' },
      ],
      batch_signing: () => ({
        allowed: true,
        problem: null,
        signers: signed
          ? [signer(1, '张伟', false, 'signed'), signer(2, '李娜', true, 'current')]
          : [signer(1, '张伟', true, 'current'), signer(2, '李娜', false, 'waiting')],
      }),
      print_batch_signing_form: () => '/prints/签章表-一人一表-张伟.pdf',
      add_file: () => ({ id: 'f-scan', original_name: '张伟签章表.pdf' }),
      record_batch_signature: () => {
        signed = true;
        return [];
      },
    });
    const onChanged = vi.fn();
    const { user } = renderWithProviders(<IntakeTab onChanged={onChanged} />);
    await chooseEverything(user);
    await user.click(screen.getByTestId('intake-preview'));
    await user.click(await screen.findByTestId('intake-import'));
    await user.click(await screen.findByTestId('intake-submit-all'));
    const table = await screen.findByTestId('batch-signers');
    expect(table).toHaveTextContent('张伟');
    expect(core.callsTo('batch_signing')[0].args?.input).toEqual({ case_ids: ['c-1', 'c-2'] });
    // 李娜 signs after 张伟: her form waits.
    expect(screen.getByTestId('batch-wait-2')).toHaveTextContent('须等前面的签章人先签');

    await user.click(screen.getByTestId('batch-print-1'));
    expect(await screen.findByTestId('batch-sign-notice')).toHaveTextContent('张伟 的签章表已生成');
    expect(core.callsTo('print_batch_signing_form')[0].args?.input).toEqual({ case_ids: ['c-1', 'c-2'], signer: 1, scan_ref: '' });

    // Recording without a scan is stopped here; with one, the scan goes to the core once.
    await user.click(screen.getByTestId('batch-record-1'));
    expect(await screen.findByTestId('batch-error-1')).toHaveTextContent('请先选择签好的签章表扫描件');
    await fill(user, screen.getByTestId('batch-scan-1'), '/scans/张伟签章表.pdf');
    await user.click(screen.getByTestId('batch-record-1'));
    await waitFor(() => expect(core.callsTo('record_batch_signature')).toHaveLength(1));
    expect(core.callsTo('add_file')[0].args?.input).toEqual({ path: '/scans/张伟签章表.pdf', purpose: 'signed_form' });
    expect(core.callsTo('record_batch_signature')[0].args?.input).toEqual({ case_ids: ['c-1', 'c-2'], signer: 1, scan_ref: 'f-scan' });
    expect(await screen.findByTestId('batch-signed-1')).toHaveTextContent('已全部签章');
    expect(screen.getByTestId('batch-record-2')).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalledTimes(3);
  });

  it('取消 asks the core to stop between rows, and the summary says what stays', async () => {
    let release: (v: FilingImportView) => void = () => {};
    const core = fakeCore({
      find_applicants: () => [applicant()],
      import_filings: (args) =>
        (args?.input as ImportFilingsInput).dry_run
          ? view({ rows: [row(), row({ line: 3, title: '断桥残雪' })], good: 2 })
          : new Promise<FilingImportView>((r) => {
              release = r;
            }),
      cancel_filing_import: () => null,
    });
    const { user } = renderWithProviders(<IntakeTab onChanged={() => {}} />);
    await chooseEverything(user);
    await user.click(screen.getByTestId('intake-preview'));
    await screen.findByTestId('intake-summary');
    await user.click(screen.getByTestId('intake-import'));
    await user.click(await screen.findByTestId('intake-cancel'));
    expect(core.callsTo('cancel_filing_import')).toHaveLength(1);
    expect(screen.getByTestId('intake-progress-text')).toHaveTextContent('正在取消');
    await act(async () => {
      release(
        view({
          dry_run: false,
          cancelled: true,
          created: 1,
          good: 2,
          rows: [row({ case_id: 'c-1', serial: 'ZJ-7F3A-20261206-0001' }), row({ line: 3, title: '断桥残雪' })],
        }),
      );
    });
    expect(await screen.findByTestId('intake-summary')).toHaveTextContent('已取消：已生成的 1 件草稿保留，其余未导入');
  });

  it('names what is wrong with the sheet itself, and the core’s refusals', async () => {
    fakeCore({
      find_applicants: () => [applicant()],
      import_filings: (args) =>
        (args?.input as ImportFilingsInput).files_dir === FOLDER
          ? view({
              rows: [],
              good: 0,
              sheet_problems: [
                { line: 1, column: '备注', code: 'unknown_column', message: '“备注”不是模板中的列，请使用本机构下载的批量受理模板' },
              ],
            })
          : (() => {
              throw apiError('validation', '无法打开样本文件夹“/nope”');
            })(),
      save_intake_template: () => '/data/exports/批量受理模板.xlsx',
    });
    const { user } = renderWithProviders(<IntakeTab onChanged={() => {}} />);
    await user.click(screen.getByTestId('intake-template'));
    expect(await screen.findByTestId('intake-notice')).toHaveTextContent('模板已保存：/data/exports/批量受理模板.xlsx');
    await chooseEverything(user);
    await user.click(screen.getByTestId('intake-preview'));
    expect(await screen.findByTestId('intake-sheet-problems')).toHaveTextContent('“备注”：“备注”不是模板中的列');
    expect(screen.getByTestId('intake-import')).toBeDisabled();
    await user.clear(screen.getByTestId('intake-folder'));
    await fill(user, screen.getByTestId('intake-folder'), '/nope');
    await user.click(screen.getByTestId('intake-preview'));
    await waitFor(() => expect(screen.getByTestId('intake-error')).toHaveTextContent('无法打开样本文件夹'));
  });
});
