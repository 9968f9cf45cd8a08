import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Divider, Empty, Form, Input, InputNumber, Progress, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CloudUploadOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { listen } from '@tauri-apps/api/event';
import { open } from '@tauri-apps/plugin-dialog';
import type { ApiError, BackupProgress, BackupRecord, BackupStatus, FieldError, GenerationView } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { applyFieldErrors } from '../shared/formErrors';
import { fmtDateTime } from '../shared/format';

/** The shell's event with a backup's progress. */
export const BACKUP_PROGRESS = 'backup-progress';

type Values = { folder: string; keep: number | null; every_hours: number | null };
const FIELDS = ['folder', 'keep', 'every_hours'] as const;

function size(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function stageText(p: BackupProgress): string {
  return t(`backup.stage.${p.stage}`, { done: p.done, total: p.total });
}

function LastBackup({ last, lastOk }: { last: BackupRecord | null; lastOk: BackupRecord | null }) {
  if (!last) return <Alert className="form-alert" type="warning" showIcon message={t('backup.never')} data-testid="backup-last" />;
  return (
    <Alert
      className="form-alert"
      data-testid="backup-last"
      type={last.ok ? 'success' : 'error'}
      showIcon
      message={t('backup.last', { at: fmtDateTime(last.started_at) })}
      description={
        <>
          <div>{last.message}</div>
          {!last.ok && lastOk && <div>{t('backup.lastOk', { at: fmtDateTime(lastOk.started_at) })}</div>}
        </>
      }
    />
  );
}

export function BackupTab() {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [status, setStatus] = useState<BackupStatus | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ err: ApiError; rest: FieldError[] } | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  const [runError, setRunError] = useState<ApiError | null>(null);

  /** Reads the status; the settings form takes its values when their version changes (remounted by key). */
  const load = useCallback(async () => {
    setLoadError(null);
    try {
      setStatus(await api.backupStatus());
    } catch (e) {
      setLoadError(e as ApiError);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    const unlisten = listen<BackupProgress>(BACKUP_PROGRESS, (e) => setProgress(e.payload));
    return () => {
      unlisten.then((u) => u()).catch(() => {});
    };
  }, []);

  const pick = async () => {
    const chosen = await open({ directory: true, multiple: false });
    if (typeof chosen === 'string') form.setFieldsValue({ folder: chosen });
  };

  const save = async (v: Values) => {
    if (!status) return;
    setSaving(true);
    setError(null);
    try {
      await api.updateBackupSettings({
        version: status.settings.version,
        folder: v.folder ?? '',
        keep: v.keep ?? 0,
        every_hours: v.every_hours ?? 0,
      });
      void message.success(t('common.saved'));
      await load();
    } catch (e) {
      const err = e as ApiError;
      setError({ err, rest: applyFieldErrors(form, err, [...FIELDS]) });
    } finally {
      setSaving(false);
    }
  };

  const backupNow = async () => {
    setRunning(true);
    setRunError(null);
    setProgress(null);
    try {
      const r = await api.runBackup();
      if (r.ok) void message.success(t('backup.done'));
      await load();
    } catch (e) {
      setRunError(e as ApiError);
    } finally {
      setRunning(false);
      setProgress(null);
    }
  };

  if (loadError && !status) return <Alert type="error" showIcon message={loadError.message || t('backup.loadFailed')} />;
  if (!status) return <Spin />;

  const columns: ColumnsType<GenerationView> = [
    { title: t('backup.col.name'), dataIndex: 'name', key: 'name', width: 220 },
    { title: t('backup.col.made_at'), dataIndex: 'made_at', key: 'made_at', width: 170, render: (v: string) => fmtDateTime(v) },
    { title: t('backup.col.journal'), dataIndex: 'journal_seq', key: 'journal', width: 90 },
    { title: t('backup.col.files'), dataIndex: 'files', key: 'files', width: 80 },
    { title: t('backup.col.size'), dataIndex: 'bytes', key: 'bytes', width: 100, render: (v: number) => size(v) },
    {
      title: t('backup.col.verified'),
      key: 'verified',
      width: 100,
      render: (_: unknown, g: GenerationView) =>
        g.verified === null ? (
          <Tag>{t('backup.verified.unknown')}</Tag>
        ) : (
          <Tag color={g.verified ? 'green' : 'red'} title={g.message ?? undefined} data-testid={`backup-verified-${g.name}`}>
            {g.verified ? t('backup.verified.ok') : t('backup.verified.bad')}
          </Tag>
        ),
    },
    {
      title: t('backup.col.restore'),
      key: 'restore',
      render: (_: unknown, g: GenerationView) => (
        <Typography.Text code copyable={{ text: g.restore_command }} className="command-text" style={{ fontSize: 12 }}>
          {g.restore_command}
        </Typography.Text>
      ),
    },
  ];

  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;

  return (
    <div>
      <LastBackup last={status.last} lastOk={status.last_ok} />
      {status.settings.folder === '' ? (
        <Alert className="form-alert" type="info" showIcon message={t('backup.noFolder')} />
      ) : (
        status.next_due_at && <Typography.Paragraph type="secondary">{t('backup.nextDue', { at: fmtDateTime(status.next_due_at) })}</Typography.Paragraph>
      )}
      {status.folder_problem && (
        <Alert className="form-alert" type="error" showIcon message={status.folder_problem} data-testid="backup-folder-problem" />
      )}
      <Space className="toolbar" align="center">
        <Button
          type="primary"
          icon={<CloudUploadOutlined />}
          loading={running}
          disabled={status.settings.folder === ''}
          onClick={() => void backupNow()}
          data-testid="backup-now"
        >
          {t('backup.now')}
        </Button>
        {running && (
          <span data-testid="backup-progress" style={{ minWidth: 260, display: 'inline-block' }}>
            {progress ? stageText(progress) : t('backup.stage.database')}
            {progress?.stage === 'attachments' && <Progress percent={percent} size="small" />}
          </span>
        )}
      </Space>
      {runError && <Alert className="form-alert" type="error" showIcon message={runError.message} data-testid="backup-run-error" />}

      <Divider orientation="left" plain>
        {t('backup.generations')}
      </Divider>
      <Table<GenerationView>
        size="small"
        rowKey="name"
        columns={columns}
        dataSource={status.generations}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('backup.empty')} /> }}
        pagination={false}
      />
      <Alert className="form-alert" type="info" message={t('backup.restoreTitle')} description={t('backup.restoreHelp')} />

      <Divider orientation="left" plain>
        {t('admin.tab.settings')}
      </Divider>
      <Form<Values>
        key={status.settings.version}
        form={form}
        name="backup"
        layout="vertical"
        className="settings-form"
        initialValues={{ folder: status.settings.folder, keep: status.settings.keep, every_hours: status.settings.every_hours }}
        onFinish={save}
      >
        <Form.Item label={t('backup.folder')} extra={t('backup.folderHint')}>
          <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
            <Form.Item name="folder" noStyle>
              <Input data-testid="backup-folder" />
            </Form.Item>
            <Button icon={<FolderOpenOutlined />} onClick={() => void pick()}>
              {t('backup.pick')}
            </Button>
          </Space.Compact>
        </Form.Item>
        <Space size="large" wrap align="start">
          <Form.Item name="keep" label={t('backup.keep')}>
            <InputNumber precision={0} min={1} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="every_hours" label={t('backup.every_hours')} extra={t('backup.everyHint')}>
            <InputNumber precision={0} min={1} style={{ width: 160 }} />
          </Form.Item>
        </Space>
        {error && (
          <Alert
            className="form-alert"
            type="error"
            showIcon
            data-testid="backup-settings-error"
            message={error.err.message}
            description={error.rest.map((f) => (
              <div key={f.field + f.code}>{f.message}</div>
            ))}
          />
        )}
        <Button type="primary" htmlType="submit" loading={saving} data-testid="backup-save">
          {t('backup.save')}
        </Button>
      </Form>
    </div>
  );
}
