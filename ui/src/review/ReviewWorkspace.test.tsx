import { act, screen, waitFor, within } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it, vi } from 'vitest';
import type { CaseDetail, FinalDecisionInput, ReviewDecisionInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import type { Handler } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { fileView, idOk, stateFlags } from '../filing/testData';
import { SYNC_PULLED } from '../sync/api';
import { RETURN_TEMPLATES } from './options';
import { ReviewWorkspace } from './ReviewWorkspace';
import { SERIAL, record, reviewCase, reviewRow } from './testData';

const inputOf = <T,>(c: { args: Record<string, unknown> | undefined }) => c.args?.input as T;

/** A core with one case under review; `over` replaces or adds commands. */
function core(c: CaseDetail, over: Record<string, Handler> = {}) {
  return fakeCore({
    case_detail: () => c,
    check_id: idOk,
    possible_duplicates: () => [],
    review_history: () => [],
    file: (args) => {
      const id = (args?.input as { id: string }).id;
      return fileView({ id, original_name: `${id}.png` });
    },
    verified_file_path: () => '/data/files/f-1.png',
    ...over,
  });
}

describe('初审', () => {
  it('shows the whole filing, the clock from the queue row, and 通过 sends pass with the version read', async () => {
    const onChanged = vi.fn();
    const c = reviewCase();
    const fc = core(c, {
      first_review: () => ({ ...c, ...stateFlags('awaiting_final_review'), version: 8, state: 'awaiting_final_review', state_label: '待终审' }),
    });
    const { user } = renderWithProviders(
      <ReviewWorkspace caseKey={SERIAL} desk="first_review" row={reviewRow({ days_left: 4 })} onChanged={onChanged} />,
    );

    expect(await screen.findByTestId('review-state')).toHaveTextContent('待初审');
    expect(screen.getByTestId('review-serial')).toHaveTextContent(SERIAL);
    expect(screen.getByTestId('review-accepted')).toHaveTextContent('2026-11-25');
    expect(screen.getByTestId('review-due')).toHaveTextContent('2027-01-08');
    const left = screen.getByTestId('review-days-left');
    expect(left).toHaveTextContent('剩余 4 个工作日');
    expect(left.className).toContain('orange');
    // the filing with the FULL ID numbers, the writer and delivery
    const summary = screen.getByTestId('review-summary');
    expect(summary).toHaveTextContent('西湖春色');
    expect(screen.getByTestId('summary-owner-1')).toHaveTextContent('居民身份证 330106199202021231');
    expect(screen.getByTestId('summary-writer')).toHaveTextContent('王执笔');
    expect(screen.getByTestId('summary-delivery')).toHaveTextContent('zhangsan@example.com');
    expect(inputOf(fc.callsTo('case_detail')[0])).toEqual({ key: SERIAL });
    // the checklist is local only
    const checklist = screen.getByTestId('checklist');
    expect(within(checklist).getAllByRole('checkbox')).toHaveLength(6);
    await user.click(within(checklist).getByLabelText('已核查疑似重复'));
    expect(within(checklist).getByLabelText('已核查疑似重复')).toBeChecked();

    await user.click(screen.getByTestId('review-pass'));
    await user.click(await screen.findByTestId('review-pass-ok'));
    await waitFor(() => expect(fc.callsTo('first_review')).toHaveLength(1));
    expect(inputOf<ReviewDecisionInput>(fc.callsTo('first_review')[0])).toEqual({
      case_id: 'case-1',
      version: 7,
      decision: { kind: 'pass' },
    });
    await waitFor(() => expect(screen.getByTestId('review-state')).toHaveTextContent('待终审'));
    expect(onChanged).toHaveBeenCalledWith(expect.objectContaining({ state: 'awaiting_final_review' }));
    // read-only from now on; the clock of the old state is gone
    expect(screen.queryByTestId('review-pass')).toBeNull();
    expect(screen.getByTestId('review-readonly')).toHaveTextContent('待终审');
    expect(screen.queryByTestId('review-days-left')).toBeNull();
    // the history is read again after the decision
    expect(fc.callsTo('review_history').length).toBeGreaterThanOrEqual(2);
  });

  it('退回补正 needs a reason, sends the chosen templates and the free text, then prints the notice', async () => {
    const c = reviewCase();
    const fc = core(c, {
      first_review: () => ({ ...c, ...stateFlags('returned_for_correction'), version: 8, state: 'returned_for_correction', state_label: '退回补正', stage: 'waiting_applicant' }),
      print_notice: () => '/data/prints/补正通知书-ZJ.pdf',
    });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="first_review" />);
    await user.click(await screen.findByTestId('review-return'));
    const modal = await screen.findByTestId('return-modal');
    // the first field has the focus
    await waitFor(() => expect(within(modal).getAllByRole('checkbox')[0]).toHaveFocus());

    await user.click(screen.getByTestId('return-ok'));
    expect(await screen.findByTestId('return-need-reason')).toHaveTextContent('请至少选择或填写一条补正理由');
    expect(fc.callsTo('first_review')).toHaveLength(0);

    await user.click(within(modal).getByTestId('return-reason-3'));
    await user.click(within(modal).getByTestId('return-reason-0'));
    await fill(user, screen.getByTestId('return-other'), '请补充委托书\n\n  请提供原图  ');
    // Ctrl+Enter submits from the text area
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fc.callsTo('first_review')).toHaveLength(1));
    expect(inputOf<ReviewDecisionInput>(fc.callsTo('first_review')[0])).toEqual({
      case_id: 'case-1',
      version: 7,
      decision: { kind: 'return_for_correction', reasons: [RETURN_TEMPLATES[0], RETURN_TEMPLATES[3], '请补充委托书', '请提供原图'] },
    });
    await waitFor(() => expect(screen.getByTestId('review-state')).toHaveTextContent('退回补正'));
    expect(screen.queryByTestId('review-return')).toBeNull();

    await user.click(screen.getByTestId('review-print-notice'));
    expect(await screen.findByTestId('review-printed')).toHaveTextContent('已保存：/data/prints/补正通知书-ZJ.pdf');
    expect(inputOf(fc.callsTo('print_notice')[0])).toEqual({ key: 'case-1' });
  });

  it('拟不予登记 sends the chosen ground and the note; a refusal keeps the input and shows the message', async () => {
    const c = reviewCase();
    let refuse = true;
    const fc = core(c, {
      first_review: () => {
        if (refuse) {
          refuse = false;
          throw apiError('refused', '做过本案终审的人不能初审本案');
        }
        return { ...c, ...stateFlags('refusal_proposed'), version: 8, state: 'refusal_proposed', state_label: '拟不予登记' };
      },
    });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="first_review" />);
    await user.click(await screen.findByTestId('review-refuse'));
    const modal = await screen.findByTestId('refuse-modal');
    await waitFor(() => expect(within(modal).getByRole('combobox')).toHaveFocus());
    await user.click(screen.getByTestId('refuse-ok'));
    expect(await screen.findByTestId('refuse-need-ground')).toBeInTheDocument();

    await user.click(screen.getByTestId('refuse-ground').querySelector('.ant-select-selector') as HTMLElement);
    await user.click(await screen.findByTitle('超过著作权保护期'));
    await fill(user, screen.getByTestId('refuse-note'), '作者已于1950年去世');
    await user.click(screen.getByTestId('refuse-ok'));

    const err = await screen.findByTestId('review-error');
    expect(err).toHaveTextContent('做过本案终审的人不能初审本案');
    expect(screen.getByTestId('refuse-note')).toHaveValue('作者已于1950年去世');
    expect(screen.getByTestId('review-state')).toHaveTextContent('待初审');

    await user.click(screen.getByTestId('refuse-ok'));
    await waitFor(() => expect(screen.getByTestId('review-state')).toHaveTextContent('拟不予登记'));
    expect(inputOf<ReviewDecisionInput>(fc.callsTo('first_review')[1])).toEqual({
      case_id: 'case-1',
      version: 7,
      decision: { kind: 'propose_refusal', ground: 'term_expired', note: '作者已于1950年去世' },
    });
  });

  it('shows the materials with previews, every party’s ID check, possible duplicates and the history', async () => {
    const c = reviewCase();
    const fc = core(c, {
      check_id: (args) => {
        const input = args?.input as { number: string };
        if (input.number === '330106199202021231') {
          return { ...idOk(args), valid: false, error: { field: 'id_number', code: 'checksum', message: '身份证号第 18 位校验码应为 X' } };
        }
        return { ...idOk(args), age: 36, region_text: '浙江省 杭州市 西湖区' };
      },
      possible_duplicates: () => [
        {
          case_id: 'case-9',
          serial: 'ZJ-K7QX-20250301-0009',
          title: '西湖春色（一）',
          state_label: '已登记',
          registration_number: '浙作登字-2025-F-00000009',
          applicant_name: '张三',
          historic: false,
        },
        {
          case_id: '',
          serial: '',
          title: '西湖春色',
          state_label: '历史登记',
          registration_number: '浙作登字-2024-F-00000120',
          applicant_name: '张三',
          historic: true,
        },
      ],
      review_history: () => [
        record({
          command: 'return_for_correction',
          command_label: '退回补正',
          reasons: ['权利归属说明不完整'],
          deadline: '2026-12-02T15:59:59Z',
        }),
        record({ at: '2026-11-28T02:00:00Z', staff_name: '王丽', command: 'resubmit', command_label: '重新提交' }),
      ],
    });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="first_review" />);

    const materials = await screen.findByTestId('review-materials');
    // samples, other files, then each party's files
    await waitFor(() => expect(materials).toHaveTextContent('f-1.png'));
    expect(materials).toHaveTextContent('作品样本 1');
    expect(materials).toHaveTextContent('其他附件 1');
    expect(materials).toHaveTextContent('著作权人 1 张三 · 身份证明');
    await user.click(screen.getByTestId('review-preview-2'));
    expect(await screen.findByTestId('file-preview')).toBeInTheDocument();

    // owners 1 and 2 and the writer, each checked by the core
    await waitFor(() => expect(screen.getByTestId('review-id-1')).toHaveTextContent('号码有误'));
    expect(screen.getByTestId('review-id-1')).toHaveTextContent('身份证号第 18 位校验码应为 X');
    expect(screen.getByTestId('review-id-0')).toHaveTextContent('号码有效');
    expect(screen.getByTestId('review-id-0')).toHaveTextContent('36 周岁');
    expect(screen.getByTestId('review-id-0')).toHaveTextContent('浙江省 杭州市 西湖区');
    expect(screen.getByTestId('review-id-2')).toHaveTextContent('执笔者：王执笔');

    const dup = await screen.findByTestId('duplicate-0');
    // A registration of the old register is listed, with no case to open.
    expect(screen.getByTestId('duplicate-1')).toHaveTextContent('历史登记');
    expect(screen.getByTestId('duplicate-1')).toHaveTextContent('浙作登字-2024-F-00000120');
    expect(screen.queryByTestId('duplicate-open-1')).toBeNull();
    expect(dup).toHaveTextContent('ZJ-K7QX-20250301-0009');
    expect(dup).toHaveTextContent('西湖春色（一）');
    expect(dup).toHaveTextContent('已登记');
    expect(dup).toHaveTextContent('浙作登字-2025-F-00000009');
    // the possible duplicate opens beside the case under review
    await user.click(screen.getByTestId('duplicate-open-0'));
    const modal = await screen.findByTestId('duplicate-modal');
    await waitFor(() => expect(modal).toHaveTextContent('作品名称'));
    expect(fc.callsTo('case_detail').map((c) => (c.args?.input as { key: string }).key)).toContain('ZJ-K7QX-20250301-0009');

    const h0 = await screen.findByTestId('history-0');
    expect(h0).toHaveTextContent('退回补正');
    expect(h0).toHaveTextContent('李文');
    expect(h0).toHaveTextContent('权利归属说明不完整');
    expect(h0).toHaveTextContent('补正期限：2026-12-02');
    expect(screen.getByTestId('history-1')).toHaveTextContent('重新提交');
    expect(screen.getByTestId('history-1')).toHaveTextContent('王丽');
  });

  it('a file added at another desk and not downloaded here says 未下载', async () => {
    const c = reviewCase();
    core(c, {
      file: (args) => {
        const id = (args?.input as { id: string }).id;
        return fileView({ id, original_name: `${id}.png`, downloaded: id !== 'f-1' });
      },
    });
    renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="first_review" row={reviewRow()} onChanged={vi.fn()} />);
    const materials = await screen.findByTestId('review-materials');
    await waitFor(() => expect(materials).toHaveTextContent('f-1.png'));
    expect(await within(materials).findByTestId('file-not-downloaded-f-1')).toHaveTextContent('未下载');
    expect(within(materials).getAllByText('未下载')).toHaveLength(1);
  });

  it('no duplicates: 未发现', async () => {
    core(reviewCase());
    renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="first_review" />);
    expect(await screen.findByTestId('review-no-duplicates')).toHaveTextContent('未发现');
    expect(screen.getByTestId('review-history')).toHaveTextContent('尚无审查记录');
  });
});

describe('终审', () => {
  const waiting = () => reviewCase({ state: 'awaiting_final_review', state_label: '待终审', version: 9 });

  it('核准登记 shows the registration number', async () => {
    const c = waiting();
    const fc = core(c, {
      final_review: () => ({
        ...c,
        version: 10,
        state: 'registered',
        state_label: '已登记',
        stage: 'registered',
        registration_number: '浙作登字-2026-F-00000012',
      }),
    });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="final_review" />);
    // the first-review decisions are not offered here
    await screen.findByTestId('review-approve');
    expect(screen.queryByTestId('review-pass')).toBeNull();
    expect(screen.queryByTestId('review-confirm-refusal')).toBeNull();

    await user.click(screen.getByTestId('review-approve'));
    await user.click(await screen.findByTestId('review-approve-ok'));
    expect(await screen.findByTestId('review-regno')).toHaveTextContent('浙作登字-2026-F-00000012');
    expect(screen.getByTestId('review-approved')).toHaveTextContent('浙作登字-2026-F-00000012');
    expect(screen.getByTestId('review-state')).toHaveTextContent('已登记');
    expect(inputOf<FinalDecisionInput>(fc.callsTo('final_review')[0])).toEqual({
      case_id: 'case-1',
      version: 9,
      decision: { kind: 'approve' },
    });
    expect(screen.queryByTestId('review-approve')).toBeNull();
  });

  it('a four-eyes refusal from the core is shown prominently and nothing changes', async () => {
    const c = waiting();
    core(c, {
      final_review: () => {
        throw apiError('refused', '本案的初审由您办理，终审须由另一位审查员办理');
      },
    });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="final_review" />);
    await user.click(await screen.findByTestId('review-approve'));
    await user.click(await screen.findByTestId('review-approve-ok'));
    const err = await screen.findByTestId('review-error');
    expect(err).toHaveTextContent('本案的初审由您办理，终审须由另一位审查员办理');
    expect(err).toHaveTextContent('系统拒绝了此操作');
    expect(screen.getByTestId('review-state')).toHaveTextContent('待终审');
    expect(screen.getByTestId('review-approve')).toBeInTheDocument();
    expect(screen.queryByTestId('review-regno')).toBeNull();
  });

  it('退回初审 needs a note and sends it', async () => {
    const c = waiting();
    const fc = core(c, {
      final_review: () => ({ ...c, ...stateFlags('awaiting_first_review'), version: 10, state: 'awaiting_first_review', state_label: '待初审' }),
    });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="final_review" />);
    await user.click(await screen.findByTestId('review-send-back'));
    await screen.findByTestId('send-back-modal');
    await waitFor(() => expect(screen.getByTestId('send-back-note')).toHaveFocus());
    await user.click(screen.getByTestId('send-back-ok'));
    expect(await screen.findByTestId('send-back-need-note')).toBeInTheDocument();
    await fill(user, screen.getByTestId('send-back-note'), '样本与类别不符，请重新审查');
    await user.click(screen.getByTestId('send-back-ok'));
    await waitFor(() => expect(screen.getByTestId('review-state')).toHaveTextContent('待初审'));
    expect(inputOf<FinalDecisionInput>(fc.callsTo('final_review')[0])).toEqual({
      case_id: 'case-1',
      version: 9,
      decision: { kind: 'send_back', note: '样本与类别不符，请重新审查' },
    });
    expect(screen.queryByTestId('review-send-back')).toBeNull();
  });

  it('a proposed refusal shows the first reviewer’s ground; 确认不予登记 confirms it and the notice can be printed', async () => {
    const c = reviewCase({ state: 'refusal_proposed', state_label: '拟不予登记', version: 9 });
    const fc = core(c, {
      review_history: () => [
        record({ command: 'propose_refusal', command_label: '拟不予登记', ground_label: '超过著作权保护期', note: '作者已于1950年去世' }),
      ],
      final_review: () => ({ ...c, ...stateFlags('refused'), version: 10, state: 'refused', state_label: '不予登记', stage: 'closed' }),
      print_notice: () => '/data/prints/不予登记通知书.pdf',
    });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="final_review" />);
    const proposal = await screen.findByTestId('review-proposal');
    expect(proposal).toHaveTextContent('超过著作权保护期');
    expect(proposal).toHaveTextContent('作者已于1950年去世');
    expect(screen.queryByTestId('review-approve')).toBeNull();
    expect(screen.getByTestId('review-send-back')).toBeInTheDocument();

    await user.click(screen.getByTestId('review-confirm-refusal'));
    await user.click(await screen.findByTestId('confirm-refusal-ok'));
    await waitFor(() => expect(screen.getByTestId('review-state')).toHaveTextContent('不予登记'));
    expect(inputOf<FinalDecisionInput>(fc.callsTo('final_review')[0])).toEqual({
      case_id: 'case-1',
      version: 9,
      decision: { kind: 'confirm_refusal' },
    });
    await user.click(screen.getByTestId('review-print-notice'));
    expect(await screen.findByTestId('review-printed')).toHaveTextContent('已保存：/data/prints/不予登记通知书.pdf');
  });

  it('a conflict offers 重新载入', async () => {
    const c = waiting();
    const fc = core(c, {
      final_review: () => {
        throw apiError('conflict', '案件已被他人修改');
      },
    });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="final_review" />);
    await user.click(await screen.findByTestId('review-approve'));
    await user.click(await screen.findByTestId('review-approve-ok'));
    expect(await screen.findByTestId('review-error')).toHaveTextContent('案件已被他人修改');
    await user.click(screen.getByTestId('review-reload'));
    await waitFor(() => expect(fc.callsTo('case_detail')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('review-error')).toBeNull());
  });
});

describe('个人信息', () => {
  const masked = (n: string) => `${n.slice(0, 6)}********${n.slice(-4)}`;

  it('shows masked numbers until 显示完整号码; the full ones come from reveal_case and are checked then', async () => {
    const full = reviewCase();
    const c: CaseDetail = {
      ...full,
      revealed: false,
      draft: {
        ...full.draft,
        owners: full.draft.owners.map((o) => ({ ...o, id_number: masked(o.id_number) })),
        writer: full.draft.writer && { ...full.draft.writer, id_number: masked(full.draft.writer.id_number) },
        postal_address: '浙江省杭州市******',
      },
    };
    const fc = core(c, { reveal_case: () => full });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="first_review" row={reviewRow()} onChanged={vi.fn()} />);

    expect(await screen.findByTestId('summary-owner-1')).toHaveTextContent('330106********1231');
    expect(screen.getByTestId('review-masked')).toHaveTextContent('每次查看都会记录');
    expect(screen.getByTestId('review-id-masked-0')).toHaveTextContent('显示完整号码后核验');
    expect(fc.callsTo('check_id')).toHaveLength(0);

    await user.click(screen.getByTestId('review-reveal'));
    await waitFor(() => expect(screen.getByTestId('summary-owner-1')).toHaveTextContent('330106199202021231'));
    expect(inputOf(fc.callsTo('reveal_case')[0])).toEqual({ key: full.id });
    expect(screen.queryByTestId('review-masked')).toBeNull();
    await waitFor(() => expect(fc.callsTo('check_id').length).toBeGreaterThan(0));
    expect(fc.callsTo('check_id').every((x) => !String(inputOf<{ number: string }>(x).number).includes('*'))).toBe(true);
  });

  it('a refused reveal shows the core’s message and the numbers stay masked', async () => {
    const full = reviewCase();
    const c: CaseDetail = { ...full, revealed: false, draft: { ...full.draft, owners: full.draft.owners.map((o) => ({ ...o, id_number: masked(o.id_number) })) } };
    core(c, {
      reveal_case: () => {
        throw apiError('permission', '您没有“查看完整证件号码、地址或身份证明文件”的权限');
      },
    });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="first_review" row={reviewRow()} onChanged={vi.fn()} />);
    await user.click(await screen.findByTestId('review-reveal'));
    expect(await screen.findByTestId('review-reveal-error')).toHaveTextContent('查看完整证件号码');
    expect(screen.getByTestId('summary-owner-1')).toHaveTextContent('330106********1231');
  });
});

describe('审查 on an enrolled station', () => {
  const held = (version: number, title: string, sync_inbox = 0) => {
    const c = reviewCase();
    return { ...c, version, sync_inbox, draft: { ...c.draft, work: { ...c.draft.work, title } } };
  };

  it('an open case shows what the server brought, with the 需处理 banner, read again only when it changed', async () => {
    let now = held(1, '西湖春色');
    const fc = core(now, { case_detail: () => now });
    renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="first_review" row={reviewRow()} onChanged={vi.fn()} />);
    expect(await screen.findByTestId('review-summary')).toHaveTextContent('西湖春色');
    expect(screen.queryByTestId('case-sync-banner')).toBeNull();

    // A round that brought nothing for this case changes nothing.
    await act(async () => {
      await emit(SYNC_PULLED, 1);
    });
    await waitFor(() => expect(fc.callsTo('case_detail')).toHaveLength(2));
    expect(fc.callsTo('review_history')).toHaveLength(1);

    // Another station's change, and this station's entry rejected.
    now = held(3, '断桥残雪', 1);
    await act(async () => {
      await emit(SYNC_PULLED, 2);
    });
    await waitFor(() => expect(screen.getByTestId('review-summary')).toHaveTextContent('断桥残雪'));
    expect(screen.getByTestId('case-sync-banner')).toBeVisible();
    await waitFor(() => expect(fc.callsTo('review_history')).toHaveLength(2));
  });

  it('a decision being written is left as it is when the server brings a change', async () => {
    let now = held(1, '西湖春色');
    const fc = core(now, { case_detail: () => now });
    const { user } = renderWithProviders(<ReviewWorkspace caseKey={SERIAL} desk="first_review" row={reviewRow()} onChanged={vi.fn()} />);
    await user.click(await screen.findByTestId('review-return'));
    const modal = await screen.findByTestId('return-modal');
    await fill(user, within(modal).getByTestId('return-other'), '请补充委托书');
    now = held(2, '断桥残雪');
    await act(async () => {
      await emit(SYNC_PULLED, 1);
    });
    expect(fc.callsTo('case_detail')).toHaveLength(1);
    expect(screen.getByTestId('review-summary')).toHaveTextContent('西湖春色');
    expect(within(modal).getByTestId('return-other')).toHaveValue('请补充委托书');
  });
});
