// 签章: the signers in order; only the current one (待签章) can have a signature
// recorded (a scanned paper signature or the platform's e-signature reference).
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Modal, Radio, Result, Space, Table, Tag, Typography } from 'antd';
import { FolderOpenOutlined } from '@ant-design/icons';
import type { ApiError, CaseDetail, FileView, SignatureMethod, SignerLine, SignerStatus } from '../api/bindings';
import { fmtDateTime } from '../shared/format';
import { filingApi } from './api';
import { pickPaths, useAddFiles } from '../shared/files';
import { ft } from './texts';
import { ResubmitBox } from '../review/ResubmitBox';

const STATUS_COLOR: Record<SignerStatus, string> = { current: 'orange', waiting: 'default', signed: 'green' };

function methodLine(m: SignatureMethod): string {
  return m.kind === 'paper_scan' ? ft('sign.methodLine.paper_scan') : ft('sign.methodLine.e_signature', { reference: m.reference });
}

type Row = SignerLine & { index: number };

export function SigningPanel({ detail, onChange }: { detail: CaseDetail; onChange: (c: CaseDetail) => void }) {
  const [signing, setSigning] = useState<Row | null>(null);
  const done = detail.state === 'awaiting_payment';
  const rows: Row[] = detail.signing.map((l, index) => ({ ...l, index }));

  return (
    <div className="filing-signing" data-testid="signing-panel">
      <Typography.Title level={5} className="filing-section">
        {ft('sign.title')}
      </Typography.Title>
      {done ? (
        <div data-testid="signing-done">
          <Result status="success" title={ft('sign.done')} subTitle={ft('sign.doneSub', { serial: detail.serial })} />
        </div>
      ) : (
        <Typography.Paragraph type="secondary">{ft('sign.hint')}</Typography.Paragraph>
      )}
      <ResubmitBox detail={detail} onChange={onChange} />
      <Table<Row>
        size="small"
        pagination={false}
        rowKey="index"
        dataSource={rows}
        columns={[
          { title: ft('sign.col.no'), key: 'no', width: 64, render: (_, r) => r.index + 1 },
          {
            title: ft('sign.col.signer'),
            key: 'signer',
            render: (_, r) => (
              <span data-testid={`signer-${r.index}`}>
                {r.signer.name}
                {r.signer.guardian_name ? (
                  <Typography.Text type="secondary">（{ft('sign.guardian', { name: r.signer.guardian_name })}）</Typography.Text>
                ) : null}
              </span>
            ),
          },
          {
            title: ft('sign.col.type'),
            key: 'type',
            width: 130,
            render: (_, r) => (r.signer.party.role === 'owner' ? ft('sign.type.owner') : ft('sign.type.writer')),
          },
          {
            title: ft('sign.col.status'),
            key: 'status',
            width: 100,
            render: (_, r) => (
              <Tag color={STATUS_COLOR[r.status]} data-testid={`sign-status-${r.index}`}>
                {ft(`sign.status.${r.status}`)}
              </Tag>
            ),
          },
          {
            title: ft('sign.col.method'),
            key: 'method',
            render: (_, r) =>
              r.record ? (
                <Space direction="vertical" size={0}>
                  <span>{methodLine(r.record.method)}</span>
                  <Typography.Text type="secondary">{fmtDateTime(r.record.signed_at)}</Typography.Text>
                </Space>
              ) : null,
          },
          {
            title: ft('sign.col.actions'),
            key: 'actions',
            width: 120,
            render: (_, r) =>
              r.status === 'current' && detail.state === 'awaiting_signatures' ? (
                <Button type="primary" size="small" onClick={() => setSigning(r)} data-testid={`sign-${r.index}`}>
                  {ft('sign.record')}
                </Button>
              ) : null,
          },
        ]}
      />
      <SignModal
        detail={detail}
        row={signing}
        onClose={() => setSigning(null)}
        onDone={(c) => {
          setSigning(null);
          onChange(c);
          // The keyboard goes on with the next signer's 记录签章.
          setTimeout(() => {
            const next = [...document.querySelectorAll<HTMLButtonElement>('[data-testid^="sign-"]')].find((b) =>
              /^sign-\d+$/.test(b.dataset.testid ?? ''),
            );
            next?.focus();
          }, 300);
        }}
      />
    </div>
  );
}

type SignValues = { method: SignatureMethod['kind']; scan_path: string; reference: string };

function SignModal({
  detail,
  row,
  onClose,
  onDone,
}: {
  detail: CaseDetail;
  row: Row | null;
  onClose: () => void;
  onDone: (c: CaseDetail) => void;
}) {
  const [form] = Form.useForm<SignValues>();
  const { message } = AntApp.useApp();
  const addFiles = useAddFiles('signed_form');
  const [scan, setScan] = useState<FileView | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const method = Form.useWatch('method', form) ?? 'paper_scan';

  useEffect(() => {
    if (row) {
      form.resetFields();
      setScan(null);
      setFailure(null);
    }
  }, [row, form]);

  const pickScan = async () => {
    try {
      const paths = await pickPaths(false);
      if (paths.length === 0) return;
      setBusy(true);
      const [f] = await addFiles(paths.slice(0, 1));
      if (f) setScan(f);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!row || busy) return;
    const v = form.getFieldsValue(true) as Partial<SignValues>;
    setFailure(null);
    setBusy(true);
    try {
      let m: SignatureMethod;
      if ((v.method ?? 'paper_scan') === 'paper_scan') {
        let f = scan;
        const typed = (v.scan_path ?? '').trim();
        if (!f && typed !== '') {
          [f] = await addFiles([typed]);
          if (f) setScan(f);
        }
        if (!f) {
          setFailure(ft('sign.needScan'));
          return;
        }
        m = { kind: 'paper_scan', scan_ref: f.id };
      } else {
        m = { kind: 'e_signature', reference: v.reference ?? '' };
      }
      const c = await filingApi.recordSignature({ case_id: detail.id, version: detail.version, signer: row.signer.party, method: m });
      void message.success(ft('msg.signed', { name: row.signer.name }));
      onDone(c);
    } catch (e) {
      setFailure(ft('sign.failed', { message: (e as ApiError).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={row !== null}
      title={row ? ft('sign.modalTitle', { name: row.signer.name }) : ''}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      afterOpenChange={(o) => {
        // The dialog takes the focus as it opens; give it to the field the clerk types into.
        if (o) document.querySelector<HTMLInputElement>('[data-testid=sign_scan_path], [data-testid=sign_reference]')?.focus();
      }}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {ft('btn.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void confirm()} data-testid="sign-confirm">
          {ft('sign.confirm')}
        </Button>,
      ]}
    >
      <div data-testid="sign-modal">
        <Form<SignValues>
          form={form}
          name="sign"
          layout="vertical"
          initialValues={{ method: 'paper_scan', scan_path: '', reference: '' }}
          onKeyDownCapture={(e) => {
            if (e.key === 'Enter' && !e.nativeEvent.isComposing && (e.target as Element).tagName === 'INPUT') {
              e.preventDefault();
              void confirm();
            }
          }}
        >
          <Form.Item name="method" label={ft('sign.method')}>
            <Radio.Group
              options={[
                { value: 'paper_scan', label: ft('sign.method.paper_scan') },
                { value: 'e_signature', label: ft('sign.method.e_signature') },
              ]}
            />
          </Form.Item>
          {method === 'paper_scan' ? (
            <Form.Item label={ft('sign.pickScan')} extra={scan ? ft('sign.scanPicked', { name: scan.original_name }) : undefined}>
              <Space.Compact className="filing-sign-scan">
                <Button icon={<FolderOpenOutlined />} onClick={() => void pickScan()} disabled={busy} data-testid="sign-pick-scan">
                  {ft('sign.pickScan')}
                </Button>
                <Form.Item name="scan_path" noStyle>
                  <Input placeholder={ft('sign.scanPath')} data-testid="sign_scan_path" autoComplete="off" autoFocus />
                </Form.Item>
              </Space.Compact>
            </Form.Item>
          ) : (
            <Form.Item name="reference" label={ft('sign.reference')}>
              <Input placeholder={ft('sign.referencePlaceholder')} data-testid="sign_reference" autoComplete="off" autoFocus />
            </Form.Item>
          )}
          {failure && <Alert type="error" showIcon message={failure} data-testid="sign-error" />}
        </Form>
      </div>
    </Modal>
  );
}
