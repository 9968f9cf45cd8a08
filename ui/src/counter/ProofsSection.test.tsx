import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AddProofInput, FileView, IdentityProofView, IdInput } from '../api/bindings';
import { apiError, fakeCore } from '../test/backend';
import { fill, renderWithProviders } from '../test/render';
import { ProofsSection } from './ProofsSection';

const FILE: FileView = {
  id: 'f-1',
  sha256: 'ab'.repeat(32),
  size: 2048,
  original_name: '身份证正面.jpg',
  mime: 'image/jpeg',
  added_at: '2026-11-25T01:30:00Z',
  purpose: 'identity_proof',
  downloaded: true,
};

function proof(over: Partial<IdentityProofView> = {}): IdentityProofView {
  return {
    id: 'p-1',
    applicant_id: 'ap-1',
    file_id: 'f-1',
    file_name: '身份证正面.jpg',
    mime: 'image/jpeg',
    kind: 'id_front',
    kind_label: '证件正面',
    added_by_name: '王丽',
    added_at: '2026-11-25T01:30:00Z',
    checked_by_name: null,
    checked_at: null,
    ...over,
  };
}

describe('identity proofs on a profile', () => {
  it('asks to save the profile first', () => {
    fakeCore({});
    renderWithProviders(<ProofsSection applicantId={null} />);
    expect(screen.getByTestId('proofs-save-first')).toHaveTextContent('请先保存用户信息');
  });

  it('attaches a scan by path with its kind, and the core records who checked it', async () => {
    let rows: IdentityProofView[] = [];
    const core = fakeCore({
      identity_proofs: () => rows,
      add_file: () => FILE,
      file: () => FILE,
      add_identity_proof: (args) => {
        const input = args?.input as AddProofInput;
        rows = [proof({ kind: input.kind, kind_label: '证件反面' })];
        return rows[0];
      },
      check_identity_proof: (args) => {
        expect((args?.input as IdInput).id).toBe('p-1');
        rows = [proof({ kind: 'id_back', kind_label: '证件反面', checked_by_name: '王丽', checked_at: '2026-11-25T01:35:00Z' })];
        return rows[0];
      },
    });
    const { user } = renderWithProviders(<ProofsSection applicantId="ap-1" />);
    await waitFor(() => expect(core.callsTo('identity_proofs')).toHaveLength(1));
    expect(screen.getByText('尚未上传身份证明文件')).toBeInTheDocument();

    await user.click(screen.getByTestId('proof-kind').querySelector('.ant-select-selector') as HTMLElement);
    await user.click(await screen.findByTitle('证件反面'));
    await fill(user, screen.getByTestId('path-proof'), '/scans/身份证反面.jpg');
    await user.click(screen.getByTestId('add-proof'));
    await waitFor(() => expect(core.callsTo('add_identity_proof')).toHaveLength(1));
    expect(core.callsTo('add_identity_proof')[0].args?.input).toEqual({ applicant_id: 'ap-1', file_id: 'f-1', kind: 'id_back' });
    expect(await screen.findByText('待核验')).toBeInTheDocument();

    await user.click(screen.getByTestId('proof-check-0'));
    await user.click(await screen.findByTestId('proof-check-ok'));
    const tag = await screen.findByTestId('proof-checked-0');
    expect(tag).toHaveTextContent('已核验：王丽');
  });

  it('shows the core’s refusal of a file that is not a scan', async () => {
    fakeCore({
      identity_proofs: () => [],
      add_file: () => ({ ...FILE, original_name: '录像.mp4', mime: 'video/mp4' }),
      add_identity_proof: () => {
        throw apiError('validation', '请按提示修改', [
          { field: 'file_id', code: 'not_a_scan', message: '身份证明文件须为图片或 PDF 扫描件，“录像.mp4”的类型是 video/mp4，请重新扫描后上传' },
        ]);
      },
    });
    const { user } = renderWithProviders(<ProofsSection applicantId="ap-1" />);
    await fill(user, screen.getByTestId('path-proof'), '/scans/录像.mp4');
    await user.click(screen.getByTestId('add-proof'));
    expect(await screen.findByText(/录像\.mp4”的类型是 video\/mp4/)).toBeInTheDocument();
    expect(within(document.body).queryByTestId('proof-checked-0')).toBeNull();
  });
});
