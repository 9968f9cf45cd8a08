import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApplicantInput, FindApplicantsInput, IdCheckInput, UpdateApplicantInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { applicant, idInvalid, idValid, maskedApplicant } from '../test/fixtures';
import { fill, renderWithProviders } from '../test/render';
import { ApplicantsTab } from './ApplicantsTab';

const field = (id: string) => document.getElementById(id) as HTMLInputElement;
const itemOf = (id: string) => field(id).closest('.ant-form-item') as HTMLElement;

const ZHANG = applicant();
const WANG = applicant({
  id: 'ap-2',
  name: '杭州张记文化有限公司',
  category: 'organisation',
  category_label: '法人或非法人组织',
  id_type: 'uscc',
  id_type_label: '统一社会信用代码',
  id_number: '91330106MA2XXXXX0Y',
  id_number_masked: '913301********XX0Y',
  handler_name: '王五',
  handler_mobile: '13900139000',
});

const TYPED: ApplicantInput = {
  category: 'individual',
  name: '李小红',
  id_type: 'resident_id',
  id_number: '320102201003070028',
  pen_name: '小红',
  handler_name: '李大明',
  handler_mobile: '1390013',
  region: '江苏省南京市',
  invoice_email: 'li@example.com',
  recipient_name: '李大明',
  recipient_phone: '13900139000',
  postal_address: '南京市玄武区中山路 1 号',
};

const checkId = (args: Record<string, unknown> | undefined) => idValid((args?.input as IdCheckInput).number);

async function typeProfile(user: ReturnType<typeof renderWithProviders>['user'], v: ApplicantInput) {
  await fill(user, field('applicant_name'), v.name);
  await fill(user, field('applicant_pen_name'), v.pen_name);
  await fill(user, field('applicant_id_number'), v.id_number);
  await fill(user, field('applicant_handler_name'), v.handler_name);
  await fill(user, field('applicant_handler_mobile'), v.handler_mobile);
  await fill(user, field('applicant_region'), v.region);
  await fill(user, field('applicant_invoice_email'), v.invoice_email);
  await fill(user, field('applicant_recipient_name'), v.recipient_name);
  await fill(user, field('applicant_recipient_phone'), v.recipient_phone);
  await fill(user, field('applicant_postal_address'), v.postal_address);
}

describe('applicant profiles at the counter', () => {
  it('finds as you type with find_applicants and lists masked ID numbers', async () => {
    const core = fakeCore({
      find_applicants: (args) => ((args?.input as FindApplicantsInput).query === '无此人' ? [] : [ZHANG, WANG]),
    });
    const { user } = renderWithProviders(<ApplicantsTab active canChangeCategory={false} />);
    const search = screen.getByTestId('applicant-search');
    expect(search).toHaveFocus();
    expect(screen.getByTestId('applicant-hint')).toBeInTheDocument();

    await fill(user, search, '张');
    const results = await screen.findByTestId('applicant-results');
    const row = (await within(results).findAllByText('张三'))[0].closest('tr') as HTMLElement;
    expect(within(row).getByText('330106********1234')).toBeInTheDocument();
    expect(within(row).getByText('个人')).toBeInTheDocument();
    expect(within(row).getByText('居民身份证')).toBeInTheDocument();
    expect(within(row).getByText('13800138000')).toBeInTheDocument();
    expect(within(results).getByText('913301********XX0Y')).toBeInTheDocument();
    expect(screen.queryByText('330106199001011234')).toBeNull();
    expect(core.callsTo('find_applicants').map((c) => c.args)).toEqual([{ input: { query: '张', limit: 20 } }]);

    await user.clear(search);
    await fill(user, search, '无此人');
    expect(await screen.findByText('没有找到，按 新建用户信息 建立')).toBeInTheDocument();
  });

  it('creates a profile with create_applicant and shows the saved one', async () => {
    const saved = applicant({ ...TYPED, id: 'ap-9', id_number_masked: '320102********0028', version: 1 });
    const core = fakeCore({ find_applicants: () => [], check_id: checkId, create_applicant: () => saved });
    const { user } = renderWithProviders(<ApplicantsTab active canChangeCategory={false} />);
    await user.click(screen.getByTestId('applicant-new'));
    await waitFor(() => expect(field('applicant_name')).toHaveFocus());
    expect(screen.getByTestId('applicant-title')).toHaveTextContent('新建用户信息');
    expect(within(itemOf('applicant_category')).getByLabelText('个人')).toBeChecked();

    await typeProfile(user, TYPED);
    expect(await screen.findByTestId('id-panel-facts')).toHaveTextContent('16 周岁');
    await user.click(screen.getByTestId('applicant-save'));

    await waitFor(() => expect(core.callsTo('create_applicant')).toHaveLength(1));
    expect(core.callsTo('create_applicant')[0].args).toEqual({ input: TYPED });
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('applicant-title')).toHaveTextContent('用户信息：李小红'));
    expect(screen.getByTestId('applicant-category-fixed')).toHaveTextContent('类别选定后不可修改');
    expect(within(itemOf('applicant_category')).getByLabelText('个人')).toBeDisabled();
  });

  it('a new organisation gets the credit code as its ID type, and Ctrl+S saves', async () => {
    const core = fakeCore({
      find_applicants: () => [],
      check_id: checkId,
      create_applicant: () => WANG,
    });
    const { user } = renderWithProviders(<ApplicantsTab active canChangeCategory={false} />);
    await user.click(screen.getByTestId('applicant-new'));
    await user.click(within(itemOf('applicant_category')).getByText('法人或非法人组织'));
    await fill(user, field('applicant_name'), WANG.name);
    fireEvent.keyDown(field('applicant_name'), { key: 's', ctrlKey: true });
    await waitFor(() => expect(core.callsTo('create_applicant')).toHaveLength(1));
    const input = core.callsTo('create_applicant')[0].args?.input as ApplicantInput;
    expect(input.category).toBe('organisation');
    expect(input.id_type).toBe('uscc');
    expect(input.name).toBe(WANG.name);
  });

  it('a rejected save shows the message under its field and keeps everything typed', async () => {
    fakeCore({
      find_applicants: () => [],
      check_id: checkId,
      create_applicant: () => {
        throw apiError('validation', '请按提示修改标出的项目', [
          { field: 'handler_mobile', code: 'format', message: '经办人联系手机应为 11 位数字，请核对' },
        ]);
      },
    });
    const { user } = renderWithProviders(<ApplicantsTab active canChangeCategory={false} />);
    await user.click(screen.getByTestId('applicant-new'));
    await typeProfile(user, TYPED);
    await user.click(screen.getByTestId('applicant-save'));

    await waitFor(() => expect(itemOf('applicant_handler_mobile')).toHaveTextContent('经办人联系手机应为 11 位数字，请核对'));
    expect(screen.getByTestId('applicant-error')).toHaveTextContent('请按提示修改标出的项目');
    expect(field('applicant_name').value).toBe(TYPED.name);
    expect(field('applicant_pen_name').value).toBe(TYPED.pen_name);
    expect(field('applicant_id_number').value).toBe(TYPED.id_number);
    expect(field('applicant_handler_name').value).toBe(TYPED.handler_name);
    expect(field('applicant_handler_mobile').value).toBe(TYPED.handler_mobile);
    expect(field('applicant_region').value).toBe(TYPED.region);
    expect(field('applicant_invoice_email').value).toBe(TYPED.invoice_email);
    expect(field('applicant_recipient_name').value).toBe(TYPED.recipient_name);
    expect(field('applicant_recipient_phone').value).toBe(TYPED.recipient_phone);
    expect(field('applicant_postal_address').value).toBe(TYPED.postal_address);
    expect(screen.getByTestId('applicant-title')).toHaveTextContent('新建用户信息');
  });

  it('an ID number that already has a profile: 选用 opens that profile instead of a duplicate', async () => {
    const core = fakeCore({
      find_applicants: () => [],
      check_id: (args) => idValid((args?.input as IdCheckInput).number, { known_applicant: ZHANG }),
    });
    const { user } = renderWithProviders(<ApplicantsTab active canChangeCategory={false} />);
    await user.click(screen.getByTestId('applicant-new'));
    await fill(user, field('applicant_name'), '张三');
    await fill(user, field('applicant_id_number'), ZHANG.id_number);
    expect(await screen.findByTestId('id-panel-known')).toHaveTextContent('该证件号已有用户信息：张三（个人）');
    await user.click(screen.getByTestId('id-panel-use-known'));
    await waitFor(() => expect(screen.getByTestId('applicant-title')).toHaveTextContent('用户信息：张三'));
    expect(field('applicant_handler_mobile').value).toBe(ZHANG.handler_mobile);
    // the profile on screen is not offered as a duplicate of itself
    await waitFor(() => expect(core.callsTo('check_id').length).toBeGreaterThan(0));
    expect(screen.queryByTestId('id-panel-known')).toBeNull();
    expect(core.callsTo('create_applicant')).toHaveLength(0);
  });

  it('the core’s message for a wrong ID number shows under the field as well, and Enter moves on', async () => {
    fakeCore({
      find_applicants: () => [],
      check_id: (args) =>
        (args?.input as IdCheckInput).number.endsWith('1')
          ? idInvalid('身份证号第 18 位校验码应为 X，请核对')
          : idValid((args?.input as IdCheckInput).number),
    });
    const { user } = renderWithProviders(<ApplicantsTab active canChangeCategory={false} />);
    await user.click(screen.getByTestId('applicant-new'));
    await waitFor(() => expect(field('applicant_name')).toHaveFocus());
    await user.keyboard('{Enter}');
    expect(field('applicant_pen_name')).toHaveFocus();
    await fill(user, field('applicant_id_number'), '330106199001011231');
    await waitFor(() => expect(itemOf('applicant_id_number')).toHaveTextContent('身份证号第 18 位校验码应为 X，请核对'));
    expect(screen.getByTestId('id-panel-error')).toHaveTextContent('身份证号第 18 位校验码应为 X，请核对');
    await user.clear(field('applicant_id_number'));
    await fill(user, field('applicant_id_number'), '320102201003070028');
    expect(await screen.findByTestId('id-panel-facts')).toHaveTextContent('江苏省 南京市 玄武区');
    expect(itemOf('applicant_id_number')).not.toHaveTextContent('校验码');
  });

  it('opens a row with the full number and updates it with update_applicant against its version', async () => {
    const full = applicant({ version: 3 });
    const core = fakeCore({
      find_applicants: () => [maskedApplicant()],
      // views carry the number and address masked; the edit form reads the full ones (logged by the core)
      applicant: () => maskedApplicant({ version: 3 }),
      reveal_applicant: () => full,
      check_id: checkId,
      update_applicant: (args) => {
        const input = args?.input as UpdateApplicantInput;
        return applicant({ ...input.applicant, pen_name: input.applicant.pen_name || null, version: 4 });
      },
    });
    const { user } = renderWithProviders(<ApplicantsTab active canChangeCategory={false} />);
    await fill(user, screen.getByTestId('applicant-search'), '1380013');
    await user.click(await screen.findByTestId('applicant-open-ap-1'));

    await waitFor(() => expect(field('applicant_id_number').value).toBe('330106199001011234'));
    expect(core.callsTo('applicant')[0].args).toEqual({ input: { id: 'ap-1' } });
    expect(core.callsTo('reveal_applicant')[0].args).toEqual({ input: { id: 'ap-1' } });
    expect(field('applicant_postal_address').value).toBe('浙江省杭州市西湖区文三路 1 号');
    expect(screen.getByTestId('applicant-title')).toHaveTextContent('用户信息：张三');
    expect(screen.queryByTestId('applicant-change-category')).toBeNull();

    await user.clear(field('applicant_handler_mobile'));
    await fill(user, field('applicant_handler_mobile'), '13700137000');
    await user.click(screen.getByTestId('applicant-save'));
    await waitFor(() => expect(core.callsTo('update_applicant')).toHaveLength(1));
    expect(core.callsTo('update_applicant')[0].args).toEqual({
      input: {
        id: 'ap-1',
        version: 3,
        applicant: {
          category: 'individual',
          name: '张三',
          id_type: 'resident_id',
          id_number: '330106199001011234',
          pen_name: '',
          handler_name: '张三',
          handler_mobile: '13700137000',
          region: '浙江省杭州市',
          invoice_email: 'zhangsan@example.com',
          recipient_name: '张三',
          recipient_phone: '13800138000',
          postal_address: '浙江省杭州市西湖区文三路 1 号',
        },
      },
    });
    expect(await screen.findByText('已保存')).toBeInTheDocument();
    // the next save goes against the new version
    await user.click(screen.getByTestId('applicant-save'));
    await waitFor(() => expect(core.callsTo('update_applicant')).toHaveLength(2));
    expect((core.callsTo('update_applicant')[1].args?.input as UpdateApplicantInput).version).toBe(4);
  });

  it('a stale save offers to reload and then saves the typed values against the new version', async () => {
    let version = 1;
    const core = fakeCore({
      find_applicants: () => [ZHANG],
      applicant: () => applicant({ version }),
      check_id: checkId,
      update_applicant: (args) => {
        const input = args?.input as UpdateApplicantInput;
        if (input.version !== version) throw apiError('conflict', '该记录已被他人修改，请重新载入');
        return applicant({ ...input.applicant, pen_name: null, version: version + 1 });
      },
    });
    const { user } = renderWithProviders(<ApplicantsTab active canChangeCategory={false} />);
    await fill(user, screen.getByTestId('applicant-search'), '张');
    await user.click(await screen.findByTestId('applicant-open-ap-1'));
    await waitFor(() => expect(field('applicant_name').value).toBe('张三'));
    version = 2;
    await user.clear(field('applicant_recipient_name'));
    await fill(user, field('applicant_recipient_name'), '李四');
    await user.click(screen.getByTestId('applicant-save'));
    expect(await screen.findByText('该记录已被他人修改，请重新载入')).toBeInTheDocument();
    expect(field('applicant_recipient_name').value).toBe('李四');
    await user.click(screen.getByTestId('conflict-reload'));
    await waitFor(() => expect(core.callsTo('applicant')).toHaveLength(2));
    expect(field('applicant_recipient_name').value).toBe('李四');
    await user.click(screen.getByTestId('applicant-save'));
    await waitFor(() => expect(core.callsTo('update_applicant')).toHaveLength(2));
    const second = core.callsTo('update_applicant')[1].args?.input as UpdateApplicantInput;
    expect(second.version).toBe(2);
    expect(second.applicant.recipient_name).toBe('李四');
  });

  it('an admin changes the category with a reason through change_applicant_category', async () => {
    const core = fakeCore({
      find_applicants: () => [ZHANG],
      applicant: () => applicant({ version: 2 }),
      check_id: checkId,
      change_applicant_category: () => applicant({ category: 'lawyer', category_label: '代理律师', version: 3 }),
    });
    const { user } = renderWithProviders(<ApplicantsTab active canChangeCategory />);
    await fill(user, screen.getByTestId('applicant-search'), '张');
    await user.click(await screen.findByTestId('applicant-open-ap-1'));
    await user.click(await screen.findByTestId('applicant-change-category'));
    const dialog = (await screen.findByText('修改用户类别：张三')).closest('.ant-modal') as HTMLElement;
    await user.click(within(dialog).getByText('代理律师'));
    await fill(user, field('category_change_reason'), '已核验律师执业证');
    await user.click(screen.getByTestId('category-submit'));
    await waitFor(() => expect(core.callsTo('change_applicant_category')).toHaveLength(1));
    expect(core.callsTo('change_applicant_category')[0].args).toEqual({
      input: { id: 'ap-1', version: 2, category: 'lawyer', reason: '已核验律师执业证' },
    });
    expect(await screen.findByText('用户类别已改为 代理律师')).toBeInTheDocument();
    expect(within(itemOf('applicant_category')).getByLabelText('代理律师')).toBeChecked();
  });
});
