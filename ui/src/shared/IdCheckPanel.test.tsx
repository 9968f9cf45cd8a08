import { useState } from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ApplicantView, DocumentType, IdCheckInput, IdCheckView } from '../api/bindings';
import { useIdCheck } from './useIdCheck';
import { fakeCore } from '../test/backend';
import { applicant, idInvalid, idValid } from '../test/fixtures';
import { fill, renderWithProviders } from '../test/render';
import { IdCheckPanel } from './IdCheckPanel';

function Harness({ docType = 'resident_id', onUseKnown }: { docType?: DocumentType | null; onUseKnown?: (a: ApplicantView) => void }) {
  const [n, setN] = useState('');
  const check = useIdCheck(docType, n);
  return (
    <>
      <input aria-label="证件号" value={n} onChange={(e) => setN(e.target.value)} />
      <IdCheckPanel check={check} onUseKnown={onUseKnown} />
    </>
  );
}

const numberInput = () => screen.getByLabelText('证件号') as HTMLInputElement;
const inputOf = (args: Record<string, unknown> | undefined) => args?.input as IdCheckInput;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the ID check panel', () => {
  it('shows the core’s precise error for an invalid number', async () => {
    const core = fakeCore({ check_id: () => idInvalid('身份证号第 18 位校验码应为 X，请核对') });
    const { user } = renderWithProviders(<Harness />);
    expect(screen.getByTestId('id-panel')).toHaveTextContent('输入证件号后');
    await fill(user, numberInput(), '330106199001011231');

    expect(await screen.findByTestId('id-panel-error')).toHaveTextContent('身份证号第 18 位校验码应为 X，请核对');
    expect(screen.getByTestId('id-panel')).toHaveTextContent('居民身份证');
    expect(screen.getByTestId('id-panel-invalid')).toHaveTextContent('号码有误');
    expect(screen.queryByTestId('id-panel-facts')).toBeNull();
    expect(screen.queryByTestId('id-panel-consequences')).toBeNull();
    expect(core.callsTo('check_id').map((c) => inputOf(c.args))).toEqual([{ doc_type: 'resident_id', number: '330106199001011231' }]);
  });

  it('shows age, sex, region and what follows for a valid number', async () => {
    fakeCore({ check_id: (args) => idValid(inputOf(args).number) });
    const { user } = renderWithProviders(<Harness />);
    await fill(user, numberInput(), '320102201003070028');

    const facts = await screen.findByTestId('id-panel-facts');
    expect(facts).toHaveTextContent('2010-03-07');
    expect(facts).toHaveTextContent('16 周岁');
    expect(facts).toHaveTextContent('女');
    expect(facts).toHaveTextContent('江苏省 南京市 玄武区');
    expect(screen.getByTestId('id-panel-valid')).toHaveTextContent('号码有效');
    expect(screen.queryByTestId('id-panel-error')).toBeNull();
    const items = within(screen.getByTestId('id-panel-consequences'))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual([
      '需上传身份证件正反面扫描件',
      '未满 18 周岁：需填写监护人并上传监护人身份证及户口簿页',
      '证件地区不在浙江省：需上传近期在浙江省工作、学习或居住的证明',
    ]);
    expect(screen.getByTestId('id-panel-consequences')).toHaveTextContent('须办事项');
    expect(screen.queryByTestId('id-panel-known')).toBeNull();
  });

  it('offers a profile that already has the number and hands it over on 选用', async () => {
    const known = applicant({ id: 'ap-7', name: '李小红', category_label: '个人' });
    fakeCore({ check_id: (args) => idValid(inputOf(args).number, { known_applicant: known }) });
    const onUseKnown = vi.fn();
    const { user } = renderWithProviders(<Harness onUseKnown={onUseKnown} />);
    await fill(user, numberInput(), '320102201003070028');

    expect(await screen.findByTestId('id-panel-known')).toHaveTextContent('该证件号已有用户信息：李小红（个人）');
    await user.click(screen.getByTestId('id-panel-use-known'));
    expect(onUseKnown).toHaveBeenCalledTimes(1);
    expect(onUseKnown).toHaveBeenCalledWith(known);
  });

  it('asks once the typing pauses, with no type when none is chosen, and never blocks the input', async () => {
    const core = fakeCore({ check_id: (args) => idValid(inputOf(args).number) });
    const { user } = renderWithProviders(<Harness docType={null} />);
    await user.type(numberInput(), '3201022010');
    expect(numberInput().value).toBe('3201022010');
    await waitFor(() => expect(core.callsTo('check_id')).toHaveLength(1));
    await act(() => sleep(400));
    expect(core.callsTo('check_id').map((c) => inputOf(c.args))).toEqual([{ doc_type: null, number: '3201022010' }]);
  });

  it('ignores an answer for an older number that arrives last', async () => {
    let releaseOld: ((v: IdCheckView) => void) | undefined;
    const core = fakeCore({
      check_id: (args) => {
        const n = inputOf(args).number;
        if (n === '32010220100307002') return new Promise<IdCheckView>((resolve) => (releaseOld = resolve));
        return idValid(n);
      },
    });
    const { user } = renderWithProviders(<Harness />);
    await fill(user, numberInput(), '32010220100307002');
    await waitFor(() => expect(core.callsTo('check_id')).toHaveLength(1));
    await fill(user, numberInput(), '8');
    await waitFor(() => expect(core.callsTo('check_id')).toHaveLength(2));
    expect(inputOf(core.callsTo('check_id')[1].args).number).toBe('320102201003070028');
    expect(await screen.findByTestId('id-panel-facts')).toHaveTextContent('16 周岁');

    await act(async () => {
      releaseOld?.(idInvalid('身份证号应为 18 位，现为 17 位'));
      await sleep(50);
    });
    expect(screen.queryByTestId('id-panel-error')).toBeNull();
    expect(screen.getByTestId('id-panel-facts')).toHaveTextContent('16 周岁');
    expect(screen.getByTestId('id-panel-valid')).toBeInTheDocument();
  });
});
