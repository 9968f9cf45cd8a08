import { act, screen, waitFor } from '@testing-library/react';
import { emit } from '@tauri-apps/api/event';
import { describe, expect, it, vi } from 'vitest';
import type { FileView } from '../api/bindings';
import { fileView } from '../filing/testData';
import { apiError, fakeCore } from '../test/backend';
import { renderWithProviders } from '../test/render';
import { FILE_FETCH_PROGRESS, FileCacheProvider, FilePreview } from './files';

// The asset protocol of the real shell.
vi.mock('@tauri-apps/api/core', async (original) => ({
  ...(await original<typeof import('@tauri-apps/api/core')>()),
  convertFileSrc: (path: string) => `asset://localhost${path}`,
}));

/** A promise the test settles. */
function later<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('an attachment added at another desk', () => {
  it('is downloaded from the server when opened, with its progress, then shown', async () => {
    const fetched = later<FileView>();
    const core = fakeCore({
      file: () => fileView({ downloaded: false }),
      fetch_file: () => fetched.promise,
      verified_file_path: () => '/data/views/f-1.png',
    });
    renderWithProviders(
      <FileCacheProvider>
        <FilePreview id="f-1" onClose={() => {}} />
      </FileCacheProvider>,
    );
    expect(await screen.findByTestId('file-fetching')).toHaveTextContent('正在从服务器下载此附件');
    // The download is asked for by an effect after the first render: wait for the call, not only the screen.
    await waitFor(() => expect(core.callsTo('fetch_file')).toHaveLength(1));
    expect(core.callsTo('fetch_file')[0].args).toEqual({ input: { id: 'f-1' } });
    expect(core.callsTo('verified_file_path')).toHaveLength(0);
    await act(async () => {
      await emit(FILE_FETCH_PROGRESS, { file_id: 'f-1', bytes_done: 1_250_000, bytes_total: 2_500_000 });
    });
    await waitFor(() => expect(screen.getByTestId('file-fetch-progress')).toHaveTextContent('50%'));
    // Another file's progress is not this one's.
    await act(async () => {
      await emit(FILE_FETCH_PROGRESS, { file_id: 'f-2', bytes_done: 10, bytes_total: 10 });
    });
    expect(screen.getByTestId('file-fetch-progress')).toHaveTextContent('50%');
    await act(async () => {
      fetched.resolve(fileView({ downloaded: true }));
    });
    const img = await screen.findByRole('img', { name: 'sample.png' });
    expect(img).toHaveAttribute('src', 'asset://localhost/data/views/f-1.png');
    expect(screen.queryByTestId('file-fetching')).toBeNull();
    expect(core.callsTo('verified_file_path')).toHaveLength(1);
  });

  it('a failed download says why and downloads again on 重新下载', async () => {
    let fail = true;
    const core = fakeCore({
      file: () => fileView({ downloaded: false }),
      fetch_file: () => {
        if (fail) throw apiError('refused', '附件“sample.png”未能从服务器下载：无法连接服务器。请检查网络后重试');
        return fileView({ downloaded: true });
      },
      verified_file_path: () => '/data/views/f-1.png',
    });
    const { user } = renderWithProviders(
      <FileCacheProvider>
        <FilePreview id="f-1" onClose={() => {}} />
      </FileCacheProvider>,
    );
    expect(await screen.findByTestId('file-fetch-error')).toHaveTextContent('无法连接服务器');
    fail = false;
    await user.click(screen.getByTestId('file-fetch-retry'));
    expect(await screen.findByRole('img', { name: 'sample.png' })).toBeInTheDocument();
    expect(core.callsTo('fetch_file')).toHaveLength(2);
  });
});
