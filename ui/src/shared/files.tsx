// Stored files: picked with the native dialog (or, for end-to-end tests that
// cannot drive the dialog, a typed path), stored by the core with add_file for
// one purpose (a sample, an identity proof, a receipt…), listed with name, size
// and type, previewed through the asset protocol. A picker shows only for a
// purpose the signed-in person may attach (the session's `attachable`).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, App as AntApp, Button, Input, Modal, Progress, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EyeOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { open } from '@tauri-apps/plugin-dialog';
import { convertFileSrc } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { ApiError, AttachmentKind, FileFetchProgress, FilePurpose, FileView, PartyFile } from '../api/bindings';
import { filingApi } from '../filing/api';
import { fmtSize } from '../filing/draft';
import { attachmentOptions, label } from '../filing/options';
import { ft } from '../filing/texts';

type FileCache = {
  get: (id: string) => FileView | undefined;
  /** Why a file's details could not be read, if they could not. */
  failed: (id: string) => ApiError | undefined;
  put: (f: FileView) => void;
  /** Asks the core for a file's details once (file). */
  want: (id: string) => void;
};

const FileCacheContext = createContext<FileCache | null>(null);

/** The purposes the signed-in person may attach files for, as the core says (null: not told). */
const AttachableContext = createContext<readonly FilePurpose[] | null>(null);

/** Gives the screens below the session's `attachable` purposes. */
export function AttachableProvider({ value, children }: { value: readonly FilePurpose[]; children: ReactNode }) {
  return <AttachableContext.Provider value={value}>{children}</AttachableContext.Provider>;
}

/** May the signed-in person attach a file for `purpose`? (Outside a session's frame the core alone decides.) */
export function useMayAttach(purpose: FilePurpose): boolean {
  const attachable = useContext(AttachableContext);
  return attachable === null || attachable.includes(purpose);
}

export function FileCacheProvider({ children }: { children: ReactNode }) {
  const [files, setFiles] = useState<Record<string, FileView>>({});
  const [failures, setFailures] = useState<Record<string, ApiError>>({});
  const asked = useRef(new Set<string>());
  const put = useCallback((f: FileView) => setFiles((m) => (m[f.id] === f ? m : { ...m, [f.id]: f })), []);
  const want = useCallback(
    (id: string) => {
      if (asked.current.has(id)) return;
      asked.current.add(id);
      // A list shows the id of a file it cannot read; the core names a missing
      // file on submission, and a preview asks the core again to say why.
      filingApi.file(id).then(put, (e: ApiError) => setFailures((m) => ({ ...m, [id]: e })));
    },
    [put],
  );
  const value = useMemo<FileCache>(
    () => ({ get: (id) => files[id], failed: (id) => failures[id], put, want }),
    [files, failures, put, want],
  );
  return <FileCacheContext.Provider value={value}>{children}</FileCacheContext.Provider>;
}

function useFileCache(): FileCache {
  const c = useContext(FileCacheContext);
  if (!c) throw new Error('FileCacheProvider missing');
  return c;
}

/** The details of a stored file (asked for once when not known yet). */
export function useFileView(id: string | null): FileView | undefined {
  const cache = useFileCache();
  const f = id ? cache.get(id) : undefined;
  useEffect(() => {
    if (id && !f) cache.want(id);
  }, [f, id, cache]);
  return f;
}

/** Adds files by path with add_file for `purpose`, one after the other; reports failures. */
export function useAddFiles(purpose: FilePurpose) {
  const cache = useFileCache();
  const { message } = AntApp.useApp();
  return useCallback(
    async (paths: string[]): Promise<FileView[]> => {
      const added: FileView[] = [];
      for (const p of paths) {
        const path = p.trim();
        if (path === '') continue;
        try {
          const f = await filingApi.addFile(path, purpose);
          cache.put(f);
          added.push(f);
        } catch (e) {
          void message.error(ft('files.addFailed', { message: (e as ApiError).message }));
        }
      }
      return added;
    },
    [cache, message, purpose],
  );
}

/** The native file dialog: the chosen paths (none when cancelled). */
export async function pickPaths(multiple = true): Promise<string[]> {
  const picked = await open({ multiple, directory: false });
  if (picked === null || picked === undefined) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/**
 * 选择文件 (native dialog) plus a secondary typed-path input with 添加.
 * `testKey` names the data-testids: pick-<k>, path-<k>, add-<k>.
 */
export function FilePicker({
  id,
  purpose,
  testKey,
  pickLabel,
  multiple = true,
  disabled,
  onAdded,
  extra,
}: {
  /** The form field's id (put on 选择文件, so a problem can focus it). */
  id?: string;
  /** What the files are added for; the picker shows only if the person may attach such files. */
  purpose: FilePurpose;
  testKey: string;
  pickLabel: string;
  multiple?: boolean;
  disabled?: boolean;
  onAdded: (files: FileView[]) => void;
  extra?: ReactNode;
}) {
  const addFiles = useAddFiles(purpose);
  const mayAttach = useMayAttach(purpose);
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [path, setPath] = useState('');

  const add = async (paths: string[]) => {
    if (paths.length === 0) return;
    setBusy(true);
    try {
      const files = await addFiles(paths);
      if (files.length > 0) {
        onAdded(files);
        void message.success(ft('files.added', { count: files.length }));
      }
      return files;
    } finally {
      setBusy(false);
    }
  };

  const pick = async () => {
    try {
      await add(await pickPaths(multiple));
    } catch (e) {
      void message.error(ft('files.addFailed', { message: e instanceof Error ? e.message : String((e as ApiError).message ?? e) }));
    }
  };

  const addTyped = async () => {
    const files = await add([path]);
    if (files && files.length > 0) setPath('');
  };

  if (!mayAttach) return null;
  return (
    <div className="filing-picker">
      {extra}
      <Button id={id} icon={<FolderOpenOutlined />} onClick={() => void pick()} loading={busy} disabled={disabled} data-testid={`pick-${testKey}`}>
        {pickLabel}
      </Button>
      <Space.Compact size="small" className="filing-path">
        <Input
          size="small"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          onPressEnter={() => void addTyped()}
          placeholder={ft('files.pathPlaceholder')}
          disabled={disabled}
          data-own-enter=""
          data-testid={`path-${testKey}`}
          aria-label={ft('files.pathPlaceholder')}
        />
        <Button size="small" onClick={() => void addTyped()} disabled={disabled || busy} data-testid={`add-${testKey}`}>
          {ft('btn.add')}
        </Button>
      </Space.Compact>
      {busy && <Typography.Text type="secondary">{ft('files.adding')}</Typography.Text>}
    </div>
  );
}

/** 未下载: a file added at another desk whose content this station does not hold yet. */
export function NotDownloaded({ file }: { file: FileView }) {
  if (file.downloaded) return null;
  return (
    <Tag color="default" style={{ marginLeft: 8 }} title={ft('files.notDownloadedHint')} data-testid={`file-not-downloaded-${file.id}`}>
      {ft('files.notDownloaded')}
    </Tag>
  );
}

function FileName({ id }: { id: string }) {
  const f = useFileView(id);
  return (
    <span className="filing-file-name">
      {f ? f.original_name : <Typography.Text type="secondary">{id}</Typography.Text>}
      {f && <NotDownloaded file={f} />}
    </span>
  );
}
function FileSize({ id }: { id: string }) {
  const f = useFileView(id);
  return <span>{f ? fmtSize(f.size) : ''}</span>;
}
function FileType({ id }: { id: string }) {
  const f = useFileView(id);
  return <span>{f ? f.mime : ''}</span>;
}

type Row = { key: string; id: string; index: number; kind?: AttachmentKind };

/** The table of files with 预览 and 移除. */
function FileTable({
  rows,
  testKey,
  disabled,
  showKind,
  onRemove,
}: {
  rows: Row[];
  testKey: string;
  disabled?: boolean;
  showKind?: boolean;
  onRemove: (index: number) => void;
}) {
  const [preview, setPreview] = useState<string | null>(null);
  if (rows.length === 0) return null;
  return (
    <>
      <Table<Row>
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={rows}
        className="filing-files"
        data-testid={`files-${testKey}`}
        columns={[
          ...(showKind ? [{ title: ft('files.col.kind'), key: 'kind', width: 180, render: (_: unknown, r: Row) => label('attachment', r.kind) }] : []),
          { title: ft('files.col.name'), key: 'name', render: (_: unknown, r: Row) => <FileName id={r.id} /> },
          { title: ft('files.col.size'), key: 'size', width: 100, render: (_: unknown, r: Row) => <FileSize id={r.id} /> },
          ...(showKind ? [] : [{ title: ft('files.col.type'), key: 'type', width: 160, render: (_: unknown, r: Row) => <FileType id={r.id} /> }]),
          {
            title: ft('files.col.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, r: Row) => (
              <Space size={4}>
                <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setPreview(r.id)} data-testid={`preview-${testKey}-${r.index}`}>
                  {ft('btn.preview')}
                </Button>
                <Button
                  size="small"
                  type="link"
                  danger
                  icon={<DeleteOutlined />}
                  disabled={disabled}
                  onClick={() => onRemove(r.index)}
                  data-testid={`remove-${testKey}-${r.index}`}
                >
                  {ft('btn.removeFile')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <FilePreview id={preview} onClose={() => setPreview(null)} />
    </>
  );
}

/** A list of stored file ids (作品样本, 其他附件), as a form control. */
export function FileListInput({
  id,
  value,
  onChange,
  testKey,
  pickLabel,
  disabled,
  purpose = 'sample',
}: {
  purpose?: FilePurpose;
  id?: string;
  value?: string[];
  onChange?: (v: string[]) => void;
  testKey: string;
  pickLabel: string;
  disabled?: boolean;
}) {
  const ids = value ?? [];
  return (
    <div className="filing-file-list">
      <FilePicker
        id={id}
        purpose={purpose}
        testKey={testKey}
        pickLabel={pickLabel}
        disabled={disabled}
        onAdded={(files) => onChange?.([...ids, ...files.map((f) => f.id).filter((id) => !ids.includes(id))])}
      />
      {ids.length === 0 ? (
        <Typography.Text type="secondary" className="filing-none">
          {ft('files.none')}
        </Typography.Text>
      ) : (
        <FileTable
          rows={ids.map((id, index) => ({ key: `${id}-${index}`, id, index }))}
          testKey={testKey}
          disabled={disabled}
          onRemove={(i) => onChange?.(ids.filter((_, j) => j !== i))}
        />
      )}
    </div>
  );
}

/** A party's proof documents (kind + file), as a form control. */
export function PartyFilesInput({
  id,
  value,
  onChange,
  testKey,
  disabled,
  suggestedKind = 'identity_proof',
}: {
  id?: string;
  value?: PartyFile[];
  onChange?: (v: PartyFile[]) => void;
  testKey: string;
  disabled?: boolean;
  /** The kind offered first (a licence for an organisation); the clerk may choose another. */
  suggestedKind?: AttachmentKind;
}) {
  const files = value ?? [];
  const [kind, setKind] = useState<AttachmentKind>(suggestedKind);
  useEffect(() => setKind(suggestedKind), [suggestedKind]);
  return (
    <div className="filing-file-list">
      <FilePicker
        id={id}
        purpose="identity_proof"
        testKey={`party-file-${testKey}`}
        pickLabel={ft('btn.pickFiles')}
        disabled={disabled}
        onAdded={(added) => onChange?.([...files, ...added.map((f) => ({ file_id: f.id, kind }))])}
        extra={
          <Select<AttachmentKind>
            value={kind}
            onChange={setKind}
            options={attachmentOptions()}
            disabled={disabled}
            className="filing-file-kind"
            aria-label={ft('party.fileKind')}
            data-testid={`party-file-kind-${testKey}`}
            popupMatchSelectWidth={false}
          />
        }
      />
      {files.length === 0 ? (
        <Typography.Text type="secondary" className="filing-none">
          {ft('party.noFiles')}
        </Typography.Text>
      ) : (
        <FileTable
          rows={files.map((f, index) => ({ key: `${f.file_id}-${index}`, id: f.file_id, index, kind: f.kind }))}
          testKey={`party-file-${testKey}`}
          disabled={disabled}
          showKind
          onRemove={(i) => onChange?.(files.filter((_, j) => j !== i))}
        />
      )}
    </div>
  );
}

/** The shell's event while an attachment comes down from the server. */
export const FILE_FETCH_PROGRESS = 'file-fetch-progress';

/**
 * A file added at another desk is not here yet: opening it downloads it from
 * the server (fetch_file), with its progress; the file's details then say it
 * is here and the preview goes on.
 */
function useFetchOnOpen(id: string | null, f: FileView | undefined) {
  const cache = useFileCache();
  const [progress, setProgress] = useState<FileFetchProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const missing = !!id && !!f && !f.downloaded;

  useEffect(() => {
    setProgress(null);
    setError(null);
    if (!missing || !id) return;
    let live = true;
    const unlisten = listen<FileFetchProgress>(FILE_FETCH_PROGRESS, (e) => {
      if (live && e.payload.file_id === id) setProgress(e.payload);
    });
    filingApi.fetchFile(id).then(
      (got) => live && cache.put(got),
      (e: ApiError) => live && setError(e),
    );
    return () => {
      live = false;
      unlisten.then((u) => u()).catch(() => {});
    };
  }, [id, missing, attempt, cache]);

  return { missing, progress, error, retry: () => setAttempt((a) => a + 1) };
}

function FetchingFile({ fetch }: { fetch: ReturnType<typeof useFetchOnOpen> }) {
  const { progress, error, retry } = fetch;
  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        message={ft('files.fetchFailed', { message: error.message })}
        action={
          <Button size="small" onClick={retry} data-testid="file-fetch-retry">
            {ft('files.fetchRetry')}
          </Button>
        }
        data-testid="file-fetch-error"
      />
    );
  }
  const done = progress?.bytes_done ?? 0;
  const total = progress?.bytes_total ?? 0;
  const percent = total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 0;
  return (
    <div data-testid="file-fetching">
      <Typography.Paragraph>{ft('files.fetching', { done: fmtSize(done), total: total > 0 ? fmtSize(total) : '…' })}</Typography.Paragraph>
      <Progress percent={percent} status="active" data-testid="file-fetch-progress" />
    </div>
  );
}

/** Shows an image, PDF, audio or video file through the asset protocol (downloading it first when it is not here). */
export function FilePreview({ id, onClose }: { id: string | null; onClose: () => void }) {
  const f = useFileView(id);
  const cache = useFileCache();
  const unreadable = !!id && cache.failed(id) !== undefined;
  const fetch = useFetchOnOpen(id, f);
  const [src, setSrc] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  /** The path is asked for once the file's details say its content is here (or could not be read: the core then says why). */
  const ready = f ? f.downloaded : unreadable;

  useEffect(() => {
    setSrc(null);
    setFailure(null);
    if (!id || !ready) return;
    let live = true;
    filingApi.verifiedFilePath(id).then(
      (path) => {
        if (!live) return;
        try {
          setSrc(convertFileSrc(path));
        } catch (e) {
          setFailure(e instanceof Error ? e.message : String(e));
        }
      },
      (e: ApiError) => live && setFailure(e.message),
    );
    return () => {
      live = false;
    };
  }, [id, ready]);

  const mime = f?.mime ?? '';
  let body: ReactNode = <Spin />;
  if (fetch.missing) body = <FetchingFile fetch={fetch} />;
  else if (failure) body = <Typography.Text type="danger">{ft('files.previewFailed', { message: failure })}</Typography.Text>;
  else if (src && f) {
    if (mime.startsWith('image/')) body = <img src={src} alt={f.original_name} className="filing-preview-media" />;
    else if (mime === 'application/pdf') body = <iframe src={src} title={f.original_name} className="filing-preview-pdf" />;
    else if (mime.startsWith('audio/')) body = <audio src={src} controls className="filing-preview-audio" />;
    else if (mime.startsWith('video/')) body = <video src={src} controls className="filing-preview-media" />;
    else body = <Typography.Text type="secondary">{ft('files.noPreview')}</Typography.Text>;
  }

  return (
    <Modal
      open={id !== null}
      onCancel={onClose}
      footer={null}
      width={880}
      destroyOnHidden
      title={ft('files.previewTitle', { name: f?.original_name ?? id ?? '' })}
    >
      <div className="filing-preview" data-testid="file-preview">
        {body}
      </div>
    </Modal>
  );
}
