// 身份证明文件 on an applicant profile: scans attached by the clerk, marked
// checked against the original (the core records who and when), previewed,
// removed with a record. The rules (image or PDF, counter only) are the core's.
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { CheckOutlined, DeleteOutlined, EyeOutlined } from '@ant-design/icons';
import type { ApiError, IdentityProofView, ProofKind } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { proofKindOptions } from '../shared/applicantOptions';
import { fmtDateTime } from '../shared/format';
import { FileCacheProvider, FilePicker, FilePreview } from '../shared/files';

export function ProofsSection({ applicantId }: { applicantId: string | null }) {
  return (
    <FileCacheProvider>
      <section className="applicant-proofs" data-testid="proofs">
        <Typography.Title level={5} className="applicant-section">
          {t('proofs.title')}
        </Typography.Title>
        {applicantId ? (
          <Proofs applicantId={applicantId} />
        ) : (
          <Typography.Text type="secondary" data-testid="proofs-save-first">
            {t('proofs.saveFirst')}
          </Typography.Text>
        )}
      </section>
    </FileCacheProvider>
  );
}

function Proofs({ applicantId }: { applicantId: string }) {
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<IdentityProofView[]>([]);
  const [kind, setKind] = useState<ProofKind>('id_front');
  const [preview, setPreview] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const fail = useCallback(
    (e: unknown) => {
      const err = e as ApiError;
      // A refusal on a field (e.g. not a scan) says exactly what to do; show that.
      const text = err.fields?.length ? err.fields.map((f) => f.message).join('；') : err.message;
      void message.error(t('proofs.failed', { message: text }));
    },
    [message],
  );

  const reload = useCallback(() => {
    api.identityProofs(applicantId).then(setRows, fail);
  }, [applicantId, fail]);

  useEffect(reload, [reload]);

  const act = async (id: string, f: () => Promise<unknown>) => {
    setBusy(id);
    try {
      await f();
      void message.success(t('proofs.done'));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
      reload();
    }
  };

  return (
    <>
      <Typography.Paragraph type="secondary">{t('proofs.hint')}</Typography.Paragraph>
      <FilePicker
        purpose="identity_proof"
        testKey="proof"
        pickLabel={t('proofs.pick')}
        multiple={false}
        extra={
          <Select<ProofKind>
            value={kind}
            onChange={setKind}
            options={proofKindOptions()}
            style={{ width: 220 }}
            aria-label={t('proofs.kind')}
            data-testid="proof-kind"
          />
        }
        onAdded={(files) => {
          for (const f of files) {
            void act(f.id, () => api.addIdentityProof({ applicant_id: applicantId, file_id: f.id, kind }));
          }
        }}
      />
      <Table<IdentityProofView>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={rows}
        className="applicant-proofs-table"
        locale={{ emptyText: t('proofs.empty') }}
        columns={[
          { title: t('proofs.col.kind'), dataIndex: 'kind_label', width: 150 },
          { title: t('proofs.col.file'), dataIndex: 'file_name', ellipsis: true },
          {
            title: t('proofs.col.added'),
            key: 'added',
            width: 190,
            render: (_, p) => t('proofs.added', { name: p.added_by_name, time: fmtDateTime(p.added_at) }),
          },
          {
            title: t('proofs.col.checked'),
            key: 'checked',
            width: 230,
            render: (_, p, i) =>
              p.checked_by_name ? (
                <Tag color="green" data-testid={`proof-checked-${i}`}>
                  {t('proofs.checkedBy', { name: p.checked_by_name, time: fmtDateTime(p.checked_at) })}
                </Tag>
              ) : (
                <Space size={4}>
                  <Tag color="orange">{t('proofs.unchecked')}</Tag>
                  <Popconfirm
                    title={t('proofs.checkConfirm')}
                    onConfirm={() => void act(p.id, () => api.checkIdentityProof(p.id))}
                    okButtonProps={{ 'data-testid': 'proof-check-ok' } as ButtonProps}
                  >
                    <Button size="small" icon={<CheckOutlined />} loading={busy === p.id} data-testid={`proof-check-${i}`}>
                      {t('proofs.check')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
          {
            key: 'actions',
            width: 96,
            render: (_, p, i) => (
              <Space size={0}>
                <Button
                  size="small"
                  type="text"
                  icon={<EyeOutlined />}
                  onClick={() => setPreview(p.file_id)}
                  aria-label={t('proofs.preview')}
                  data-testid={`proof-preview-${i}`}
                />
                <Popconfirm title={t('proofs.removeConfirm')} onConfirm={() => void act(p.id, () => api.removeIdentityProof(p.id))}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('proofs.remove')} />
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <FilePreview id={preview} onClose={() => setPreview(null)} />
    </>
  );
}
