import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emit } from '@tauri-apps/api/event';
import type { AttributionCheckInput, CaseDetail, RecordSignatureInput, SaveDraftInput, WithdrawInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { AUTOSAVE_MS, FilingWorkspace } from './FilingWorkspace';
import { SYNC_PULLED } from '../sync/api';
import { SERIAL, caseDetail, fileView, filledDraft, idOk, ownerLine, writerLine } from './testData';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;
const itemOf = (id: string) => field(id).closest('.ant-form-item') as HTMLElement;
const inputOf = <T,>(c: { args: Record<string, unknown> | undefined }) => c.args?.input as T;

/** A save_draft that answers like the core: version + 1, the serial once created. */
function saveDraftLike(start: Partial<CaseDetail> = {}) {
  let version = start.version ?? 0;
  return (args: Record<string, unknown> | undefined) => {
    const input = args?.input as SaveDraftInput;
    version += 1;
    return caseDetail({ ...start, version, draft: input.draft, state: 'draft', state_label: '草稿', stage: 'draft', signing: [] });
  };
}

describe('作品填报', () => {
  it('Ctrl+S creates the draft and shows the serial; the next save sends case_id and version', async () => {
    const core = fakeCore({ save_draft: saveDraftLike(), check_id: idOk });
    const { user } = renderWithProviders(<FilingWorkspace />);

    const title = field('filing_work_title');
    expect(title).toHaveFocus();
    expect(screen.getByTestId('filing-print')).toBeDisabled();
    await fill(user, title, '西湖春色');
    await user.keyboard('{Control>}s{/Control}');

    expect(await screen.findByTestId('filing-serial')).toHaveTextContent(SERIAL);
    expect(screen.getByTestId('filing-state')).toHaveTextContent('草稿');
    const first = inputOf<SaveDraftInput>(core.callsTo('save_draft')[0]);
    expect(first).toMatchObject({ case_id: null, version: null, applicant_id: null, draft: { work: { title: '西湖春色' } } });
    expect(first.draft.owners).toHaveLength(1);
    expect(screen.getByTestId('filing-print')).toBeEnabled();

    await fill(user, title, '（二）');
    await user.click(screen.getByTestId('filing-save'));
    await waitFor(() => expect(core.callsTo('save_draft')).toHaveLength(2));
    expect(inputOf<SaveDraftInput>(core.callsTo('save_draft')[1])).toMatchObject({
      case_id: 'case-1',
      version: 1,
      draft: { work: { title: '西湖春色（二）' } },
    });
    expect(title).toHaveValue('西湖春色（二）');
  });

  it('a failed save keeps what was typed and shows the message', async () => {
    fakeCore({
      save_draft: () => {
        throw apiError('storage', '磁盘已满');
      },
      check_id: idOk,
    });
    const { user } = renderWithProviders(<FilingWorkspace />);
    await fill(user, field('filing_work_title'), '西湖春色');
    await user.click(screen.getByTestId('filing-save'));
    expect(await screen.findByTestId('filing-save-error')).toHaveTextContent('磁盘已满');
    expect(field('filing_work_title')).toHaveValue('西湖春色');
    expect(screen.queryByTestId('filing-serial')).toBeNull();
  });

  it('shows every problem of a refused submission under its field, jumps to the step, keeps the input', async () => {
    const core = fakeCore({
      reveal_case: () => caseDetail({ draft: filledDraft() }),
      save_draft: saveDraftLike({ version: 1 }),
      submit_for_signing: () => {
        throw apiError('validation', '填报内容有误', [
          { field: 'owners[1].id_number', code: 'checksum', message: '身份证号第 18 位校验码应为 X' },
          { field: 'samples', code: 'required', message: '请上传作品样本' },
        ]);
      },
      check_id: idOk,
    });
    const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await waitFor(() => expect(field('filing_owners_1_name')).toHaveValue('李四'));
    expect(screen.getByTestId('filing-serial')).toHaveTextContent(SERIAL);

    await fill(user, field('filing_work_title'), '（二）');
    await user.click(screen.getByTestId('filing-step-6'));
    expect(screen.getByTestId('filing-summary')).toHaveTextContent('西湖春色（二）');
    await user.click(screen.getByTestId('filing-submit'));

    const alert = await screen.findByTestId('filing-errors');
    expect(alert).toHaveTextContent('著作权人 2 · 身份证号第 18 位校验码应为 X');
    expect(alert).toHaveTextContent('请上传作品样本');
    // the unsaved title was saved first, then submitted with the new version
    expect(inputOf<SaveDraftInput>(core.callsTo('save_draft')[0]).draft.work.title).toBe('西湖春色（二）');
    expect(inputOf(core.callsTo('submit_for_signing')[0])).toEqual({ case_id: 'case-1', version: 2 });

    // under the second owner's ID number, on the parties step
    expect(itemOf('filing_owners_1_id_number')).toHaveTextContent('身份证号第 18 位校验码应为 X');
    expect(itemOf('filing_owners_0_id_number')).not.toHaveTextContent('校验码');
    expect(itemOf('filing_samples')).toHaveTextContent('请上传作品样本');
    expect(screen.getByTestId('filing-pane-2')).toBeVisible();
    expect(screen.getByTestId('filing-pane-6')).not.toBeVisible();
    await waitFor(() => expect(field('filing_owners_1_id_number')).toHaveFocus());

    // nothing typed is lost
    expect(field('filing_work_title')).toHaveValue('西湖春色（二）');
    expect(field('filing_owners_1_id_number')).toHaveValue('330106199202021231');
    expect(field('filing_owners_0_name')).toHaveValue('张三');

    // fixing the number clears its message
    await user.clear(field('filing_owners_1_id_number'));
    await fill(user, field('filing_owners_1_id_number'), '33010619920202123X');
    await waitFor(() => expect(itemOf('filing_owners_1_id_number')).not.toHaveTextContent('校验码应为 X'));
  });

  it('a wrong identity number blocks the next step with the core’s precise message; going back is free', async () => {
    const core = fakeCore({
      reveal_case: () => caseDetail({ draft: filledDraft() }),
      save_draft: saveDraftLike({ version: 1 }),
      check_id: (args) => {
        const input = args?.input as { number: string };
        if (input.number === '330106199202021231') {
          return { ...idOk(args), valid: false, error: { field: 'id_number', code: 'checksum', message: '身份证号第 18 位校验码应为 X' } };
        }
        return idOk(args);
      },
    });
    const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await waitFor(() => expect(field('filing_owners_1_name')).toHaveValue('李四'));
    await user.click(screen.getByTestId('filing-step-2'));
    await user.click(screen.getByTestId('filing-next'));
    await waitFor(() => expect(itemOf('filing_owners_1_id_number')).toHaveTextContent('身份证号第 18 位校验码应为 X'));
    expect(screen.getByTestId('filing-pane-2')).toBeVisible();
    expect(screen.getByTestId('filing-pane-3')).not.toBeVisible();
    expect(field('filing_owners_1_id_number')).toHaveFocus();
    expect(await screen.findByText('有 1 个证件号有误，请按提示改正后再进入下一步')).toBeInTheDocument();
    // Ctrl+Enter is blocked the same way; the previous step is not
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(screen.getByTestId('filing-pane-2')).toBeVisible();
    await user.click(screen.getByTestId('filing-prev'));
    await waitFor(() => expect(screen.getByTestId('filing-pane-1')).toBeVisible());
    // corrected, it moves on
    await user.click(screen.getByTestId('filing-next'));
    await user.clear(field('filing_owners_1_id_number'));
    await fill(user, field('filing_owners_1_id_number'), '33010619920202123X');
    await user.click(screen.getByTestId('filing-next'));
    await waitFor(() => expect(screen.getByTestId('filing-pane-3')).toBeVisible());
    expect(core.callsTo('check_id').length).toBeGreaterThan(0);
  });

  it('asks before changing the attribution when parties no longer fit; cancel keeps it, confirm removes them', async () => {
    const core = fakeCore({
      parties_not_fitting: (args) =>
        (args?.input as AttributionCheckInput).attribution === 'individual'
          ? [{ role: 'writer', index: 0, name: '王执笔', code: 'writer_not_applicable', message: '个人作品不填写执笔者' }]
          : [],
      save_draft: saveDraftLike(),
      check_id: idOk,
    });
    const { user } = renderWithProviders(<FilingWorkspace />);

    await user.click(screen.getByTestId('filing-step-2'));
    await user.click(screen.getByTestId('writer-add'));
    await waitFor(() => expect(field('filing_writer_name')).not.toBeNull());
    await fill(user, field('filing_writer_name'), '王执笔');

    await user.click(screen.getByTestId('filing-step-1'));
    await user.click(screen.getByLabelText('法人作品'));
    await waitFor(() => expect(screen.getByLabelText('法人作品')).toBeChecked());

    await user.click(screen.getByLabelText('个人作品'));
    const modal = await screen.findByTestId('unfit-modal');
    expect(modal).toHaveTextContent('执笔者 王执笔：个人作品不填写执笔者');
    expect(inputOf<AttributionCheckInput>(core.callsTo('parties_not_fitting')[1])).toMatchObject({
      attribution: 'individual',
      draft: { writer: { name: '王执笔' }, work: { attribution: 'corporate' } },
    });
    await user.click(screen.getByTestId('unfit-cancel'));
    await waitFor(() => expect(screen.queryByTestId('unfit-modal')).toBeNull());
    expect(screen.getByLabelText('法人作品')).toBeChecked();
    expect(screen.getByLabelText('个人作品')).not.toBeChecked();
    expect(field('filing_writer_name')).toHaveValue('王执笔');

    await user.click(screen.getByLabelText('个人作品'));
    await user.click(await screen.findByTestId('unfit-confirm'));
    await waitFor(() => expect(screen.getByLabelText('个人作品')).toBeChecked());
    expect(document.getElementById('filing_writer_name')).toBeNull();
    expect(screen.getByTestId('writer-add')).toBeInTheDocument();

    await user.click(screen.getByTestId('filing-save'));
    await waitFor(() => expect(core.callsTo('save_draft')).toHaveLength(1));
    const saved = inputOf<SaveDraftInput>(core.callsTo('save_draft')[0]).draft;
    expect(saved.work.attribution).toBe('individual');
    expect(saved.writer).toBeNull();
  });

  it('records the signatures in order and ends in 待缴费', async () => {
    const signing = caseDetail({
      state: 'awaiting_signatures',
      state_label: '待签章',
      stage: 'waiting_applicant',
      version: 3,
      draft: filledDraft(),
      signing: [ownerLine(0, '张三', 'current'), writerLine('王执笔', 'waiting')],
    });
    const core = fakeCore({
      reveal_case: () => signing,
      check_id: idOk,
      add_file: (args) => fileView({ id: 'f-scan', original_name: 'zhang.pdf', mime: 'application/pdf' , size: (args?.input as { path: string }).path.length }),
      record_signature: (args) => {
        const input = args?.input as RecordSignatureInput;
        if (input.signer.role === 'owner') {
          return { ...signing, version: 4, signing: [ownerLine(0, '张三', 'signed', '2026-11-25T10:00:00+08:00'), writerLine('王执笔', 'current')] };
        }
        return {
          ...signing,
          version: 5,
          state: 'awaiting_payment',
          state_label: '待缴费',
          editable: false,
          edit_voids_signatures: false,
          signing: [ownerLine(0, '张三', 'signed', '2026-11-25T10:00:00+08:00'), writerLine('王执笔', 'signed', 'ZWFW-88')],
        };
      },
    });
    const { user } = renderWithProviders(<FilingWorkspace caseKey={SERIAL} />);

    const panel = await screen.findByTestId('signing-panel');
    expect(screen.getByTestId('filing-state')).toHaveTextContent('待签章');
    expect(within(panel).getByTestId('sign-status-0')).toHaveTextContent('待签章');
    expect(within(panel).getByTestId('sign-status-1')).toHaveTextContent('准备签章');
    expect(within(panel).getByText('著作权人签章')).toBeInTheDocument();
    expect(within(panel).getByText('执笔者签章')).toBeInTheDocument();
    expect(within(panel).getByTestId('sign-0')).toBeInTheDocument();
    expect(within(panel).queryByTestId('sign-1')).toBeNull();

    await user.click(within(panel).getByTestId('sign-0'));
    await screen.findByTestId('sign-modal');
    await fill(user, screen.getByTestId('sign_scan_path'), '/scans/zhang.pdf');
    await user.click(screen.getByTestId('sign-confirm'));

    await waitFor(() => expect(core.callsTo('record_signature')).toHaveLength(1));
    expect(inputOf(core.callsTo('add_file')[0])).toEqual({ path: '/scans/zhang.pdf', purpose: 'signed_form' });
    expect(inputOf(core.callsTo('record_signature')[0])).toEqual({
      case_id: 'case-1',
      version: 3,
      signer: { role: 'owner', index: 0 },
      method: { kind: 'paper_scan', scan_ref: 'f-scan' },
    });
    await waitFor(() => expect(screen.getByTestId('sign-status-0')).toHaveTextContent('已签章'));
    expect(screen.queryByTestId('sign-0')).toBeNull();

    await user.click(screen.getByTestId('sign-1'));
    await screen.findByTestId('sign-modal');
    await user.click(screen.getByLabelText('在线电子签章'));
    await fill(user, await screen.findByTestId('sign_reference'), 'ZWFW-88');
    await user.click(screen.getByTestId('sign-confirm'));

    expect(await screen.findByText('全部签章完成，已进入待缴费')).toBeInTheDocument();
    expect(screen.getByTestId('signing-done')).toHaveTextContent(SERIAL);
    expect(inputOf(core.callsTo('record_signature')[1])).toEqual({
      case_id: 'case-1',
      version: 4,
      signer: { role: 'writer' },
      method: { kind: 'e_signature', reference: 'ZWFW-88' },
    });
    expect(screen.getByTestId('filing-state')).toHaveTextContent('待缴费');
    expect(screen.queryByTestId('sign-1')).toBeNull();
    expect(screen.getByTestId('filing-save')).toBeDisabled();
  });

  it('asks before a save that would void the signatures', async () => {
    const signed = caseDetail({
      state: 'awaiting_signatures',
      state_label: '待签章',
      stage: 'waiting_applicant',
      version: 4,
      draft: filledDraft(),
      signing: [ownerLine(0, '张三', 'signed', '2026-11-25T10:00:00+08:00'), writerLine('王执笔', 'current')],
    });
    const core = fakeCore({ reveal_case: () => signed, save_draft: saveDraftLike({ version: 4 }), check_id: idOk });
    const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await screen.findByTestId('signing-panel');

    await user.click(screen.getByTestId('filing-step-0'));
    await fill(user, field('filing_work_title'), '（修改）');
    await user.keyboard('{Control>}s{/Control}');

    expect(await screen.findByTestId('void-confirm')).toHaveTextContent('修改已签章的内容将使全部签章作废，需重新签章。确定修改？');
    expect(core.callsTo('save_draft')).toHaveLength(0);
    await user.click(screen.getByTestId('void-confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('void-confirm')).toBeNull());
    expect(core.callsTo('save_draft')).toHaveLength(0);
    expect(field('filing_work_title')).toHaveValue('西湖春色（修改）');

    await user.click(screen.getByTestId('filing-save'));
    await user.click(await screen.findByTestId('void-confirm-ok'));
    await waitFor(() => expect(core.callsTo('save_draft')).toHaveLength(1));
    expect(inputOf<SaveDraftInput>(core.callsTo('save_draft')[0])).toMatchObject({
      case_id: 'case-1',
      version: 4,
      draft: { work: { title: '西湖春色（修改）' } },
    });
    await waitFor(() => expect(screen.getByTestId('filing-state')).toHaveTextContent('草稿'));
  });

  it('adds files by typed path (or the dialog) and lists name and size', async () => {
    let n = 0;
    const core = fakeCore({
      add_file: (args) => {
        n += 1;
        const path = (args?.input as { path: string }).path;
        return fileView({ id: `f-${n}`, original_name: path.split('/').pop() ?? path, size: 2_500_000 });
      },
      'plugin:dialog|open': () => ['/photos/b.png'],
      check_id: idOk,
    });
    const { user } = renderWithProviders(<FilingWorkspace />);
    await user.click(screen.getByTestId('filing-step-3'));
    await fill(user, screen.getByTestId('path-sample'), '/photos/a.png');
    await user.click(screen.getByTestId('add-sample'));
    const list = await screen.findByTestId('files-sample');
    expect(await within(list).findByText('a.png')).toBeInTheDocument();
    expect(within(list).getByText('2.4 MB')).toBeInTheDocument();

    await user.click(screen.getByTestId('pick-sample'));
    expect(await within(list).findByText('b.png')).toBeInTheDocument();
    expect(core.callsTo('add_file').map((c) => inputOf(c))).toEqual([
      { path: '/photos/a.png', purpose: 'sample' },
      { path: '/photos/b.png', purpose: 'sample' },
    ]);

    await user.click(screen.getByTestId('remove-sample-0'));
    await waitFor(() => expect(within(screen.getByTestId('files-sample')).queryByText('a.png')).toBeNull());
  });

  it('adds a party’s proof documents with their kind and saves them in the draft', async () => {
    const core = fakeCore({
      add_file: () => fileView({ id: 'f-id', original_name: 'id-front.jpg', mime: 'image/jpeg', size: 300_000 }),
      save_draft: saveDraftLike(),
      check_id: idOk,
    });
    const { user } = renderWithProviders(<FilingWorkspace />);
    await user.click(screen.getByTestId('filing-step-2'));
    await fill(user, screen.getByTestId('path-party-file-owners-0'), '/scans/id-front.jpg');
    await user.click(screen.getByTestId('add-party-file-owners-0'));
    const list = await screen.findByTestId('files-party-file-owners-0');
    expect(await within(list).findByText('id-front.jpg')).toBeInTheDocument();
    expect(within(list).getByText('身份证明')).toBeInTheDocument();
    expect(within(list).getByText('293.0 KB')).toBeInTheDocument();

    await user.click(screen.getByTestId('filing-save'));
    await waitFor(() => expect(core.callsTo('save_draft')).toHaveLength(1));
    expect(inputOf<SaveDraftInput>(core.callsTo('save_draft')[0]).draft.owners[0].files).toEqual([{ file_id: 'f-id', kind: 'identity_proof' }]);
  });

  it('prints the acceptance notice of an accepted case; an open case is not accepted yet', async () => {
    const core = fakeCore({
      reveal_case: () =>
        caseDetail({ draft: filledDraft(), state: 'awaiting_first_review', state_label: '待初审', stage: 'waiting_office', accepted_on: '2026-11-25' }),
      print_acceptance_notice: () => '/prints/受理通知书.pdf',
      check_id: idOk,
    });
    const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await user.click(await screen.findByTestId('filing-acceptance-notice'));
    await waitFor(() => expect(core.callsTo('print_acceptance_notice')).toHaveLength(1));
    expect(inputOf<{ key: string }>(core.callsTo('print_acceptance_notice')[0])).toEqual({ key: SERIAL });
    expect(await screen.findByTestId('filing-printed')).toHaveTextContent('/prints/受理通知书.pdf');
  });

  it('no acceptance notice before payment is confirmed', async () => {
    fakeCore({ reveal_case: () => caseDetail({ draft: filledDraft() }), check_id: idOk });
    renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await waitFor(() => expect(field('filing_work_title')).toHaveValue(filledDraft().work.title));
    expect(screen.queryByTestId('filing-acceptance-notice')).toBeNull();
  });

  it('撤回 asks for the reason, shows the core’s refusal of a blank one, then withdraws', async () => {
    let reason = '';
    const core = fakeCore({
      reveal_case: () => caseDetail({ draft: filledDraft(), state: 'awaiting_payment', state_label: '待缴费', stage: 'waiting_applicant', version: 4 }),
      withdraw_case: (args) => {
        reason = (args?.input as WithdrawInput).reason;
        if (reason.trim() === '') throw apiError('refused', '请填写撤回原因（如 申请人书面申请撤回）');
        return caseDetail({ draft: filledDraft(), state: 'withdrawn', state_label: '已撤回', stage: 'closed', version: 5 });
      },
      check_id: idOk,
    });
    const onSaved = vi.fn();
    const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" onSaved={onSaved} />);
    await user.click(await screen.findByTestId('filing-withdraw'));
    await user.click(await screen.findByTestId('withdraw-confirm'));
    expect(await screen.findByTestId('withdraw-error')).toHaveTextContent('请填写撤回原因');
    await fill(user, screen.getByTestId('withdraw-reason'), '申请人书面申请撤回');
    await user.click(screen.getByTestId('withdraw-confirm'));
    await waitFor(() => expect(core.callsTo('withdraw_case')).toHaveLength(2));
    expect(inputOf<WithdrawInput>(core.callsTo('withdraw_case')[1])).toEqual({ case_id: 'case-1', version: 4, reason: '申请人书面申请撤回' });
    await waitFor(() => expect(screen.getByTestId('filing-state')).toHaveTextContent('已撤回'));
    expect(screen.queryByTestId('filing-withdraw')).toBeNull();
    expect(onSaved).toHaveBeenCalledTimes(1);
  });

  it('a conflict offers 重新载入, which asks first and then shows the stored content', async () => {
    let stored = caseDetail({ draft: filledDraft(), version: 2 });
    const core = fakeCore({
      reveal_case: () => stored,
      save_draft: () => {
        throw apiError('conflict', '这件作品已被他人修改');
      },
      check_id: idOk,
    });
    const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await waitFor(() => expect(field('filing_work_title')).toHaveValue('西湖春色'));
    await fill(user, field('filing_work_title'), '甲');
    await user.click(screen.getByTestId('filing-save'));
    expect(await screen.findByTestId('filing-save-error')).toHaveTextContent('这件作品已被他人修改');

    stored = caseDetail({ draft: { ...filledDraft(), work: { ...filledDraft().work, title: '西湖秋色' } }, version: 3 });
    await user.click(screen.getByTestId('filing-reload'));
    await user.click(await screen.findByTestId('reload-confirm-ok'));
    await waitFor(() => expect(field('filing_work_title')).toHaveValue('西湖秋色'));
    expect(core.callsTo('reveal_case')).toHaveLength(2);
    expect(screen.queryByTestId('filing-save-error')).toBeNull();
  });

  describe('autosave', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('saves an existing draft when leaving a step and 20 s after the last change', async () => {
      const core = fakeCore({ reveal_case: () => caseDetail({ draft: filledDraft(), version: 2 }), save_draft: saveDraftLike({ version: 2 }), check_id: idOk });
      const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" />);
      await waitFor(() => expect(field('filing_work_title')).toHaveValue('西湖春色'));

      // Enter moves on to the next field
      field('filing_work_title').focus();
      await user.keyboard('{Enter}');
      expect(field('filing_work_category')).toHaveFocus();

      await fill(user, field('filing_work_title'), '（一）');
      await user.click(screen.getByTestId('filing-next'));
      await waitFor(() => expect(core.callsTo('save_draft')).toHaveLength(1));
      expect(inputOf<SaveDraftInput>(core.callsTo('save_draft')[0])).toMatchObject({ case_id: 'case-1', version: 2 });
      expect(screen.getByTestId('filing-pane-1')).toBeVisible();
      await waitFor(() => expect(screen.getByTestId('filing-save-status')).toHaveTextContent('已自动暂存'));

      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      fireEvent.click(screen.getByLabelText('继承'));
      expect(core.callsTo('save_draft')).toHaveLength(1);
      await act(async () => {
        vi.advanceTimersByTime(AUTOSAVE_MS - 1000);
      });
      expect(core.callsTo('save_draft')).toHaveLength(1);
      await act(async () => {
        vi.advanceTimersByTime(1500);
      });
      vi.useRealTimers();
      await waitFor(() => expect(core.callsTo('save_draft')).toHaveLength(2));
      expect(inputOf<SaveDraftInput>(core.callsTo('save_draft')[1])).toMatchObject({ version: 3, draft: { work: { acquisition: 'inheritance' } } });
    });
  });
});

describe('作品填报 on an enrolled station', () => {
  /** The case as the station holds it: `version`, its title, entries of it in 需处理. */
  const held = (version: number, title: string, sync_inbox = 0) => {
    const d = filledDraft();
    return caseDetail({ version, sync_inbox, draft: { ...d, work: { ...d.work, title } } });
  };

  it('an open case nobody changed here shows what the server brought, with the 需处理 banner', async () => {
    let now = held(1, '西湖十景·苏堤春晓');
    const core = fakeCore({ reveal_case: () => now, case_detail: () => now, check_id: idOk });
    renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await waitFor(() => expect(field('filing_work_title')).toHaveValue('西湖十景·苏堤春晓'));
    expect(screen.queryByTestId('case-sync-banner')).toBeNull();

    // A round brought nothing for this case: it is not read again in full.
    await act(async () => {
      await emit(SYNC_PULLED, 1);
    });
    await waitFor(() => expect(core.callsTo('case_detail')).toHaveLength(1));
    expect(core.callsTo('reveal_case')).toHaveLength(1);

    // The server rejected this station's rename and holds another's.
    now = held(3, '西湖十景·断桥残雪', 1);
    await act(async () => {
      await emit(SYNC_PULLED, 2);
    });
    await waitFor(() => expect(field('filing_work_title')).toHaveValue('西湖十景·断桥残雪'));
    expect(screen.getByTestId('case-sync-banner')).toBeVisible();
    expect(core.callsTo('reveal_case')).toHaveLength(2);
  });

  it("another office's case (a supervisor's station) opens read-only and says why", async () => {
    const why = '案件 ZJ-2026-000123 属于上城区受理点（ZJHZSC），本工作站属于杭州市版权局（ZJHZ），对该机构的案件只能查看，不能更改：请由该机构办理，或由管理员把案件移交到本机构';
    const c = { ...held(2, '南宋御街夜色'), editable: false, withdrawable: false, read_only: why };
    const core = fakeCore({ reveal_case: () => c, case_detail: () => c, check_id: idOk });
    const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    // It opens on its summary, the banner saying why and nothing else about locking.
    expect(await screen.findByTestId('filing-summary')).toHaveTextContent('南宋御街夜色');
    expect(screen.getByTestId('case-read-only')).toHaveTextContent(why);
    expect(screen.queryByText('签章已完成，填报内容不能再修改。')).toBeNull();
    expect(screen.queryByTestId('filing-submit')).toBeNull();
    await user.click(screen.getByTestId('filing-step-0'));
    await waitFor(() => expect(field('filing_work_title')).toHaveValue('南宋御街夜色'));
    expect(field('filing_work_title')).toBeDisabled();
    expect(screen.getByTestId('filing-save')).toBeDisabled();
    expect(screen.queryByTestId('filing-withdraw')).toBeNull();
    await user.keyboard('{Control>}s{/Control}');
    expect(core.callsTo('save_draft')).toHaveLength(0);
  });

  it('a form with unsaved input is left as it is when the server brings a change', async () => {
    let now = held(1, '西湖春色');
    const core = fakeCore({ reveal_case: () => now, case_detail: () => now, check_id: idOk });
    const { user } = renderWithProviders(<FilingWorkspace caseKey="case-1" />);
    await waitFor(() => expect(field('filing_work_title')).toHaveValue('西湖春色'));
    await fill(user, field('filing_work_title'), '（一）');
    now = held(2, '断桥残雪');
    await act(async () => {
      await emit(SYNC_PULLED, 1);
    });
    expect(field('filing_work_title')).toHaveValue('西湖春色（一）');
    expect(core.callsTo('reveal_case')).toHaveLength(1);
  });
});
