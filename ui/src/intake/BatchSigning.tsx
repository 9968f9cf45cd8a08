// 一人一表: where the office allows it, the batch submitted together is signed
// with one paper form per signer covering every case they sign. The core lists
// the signers and says whose form can be recorded now; the clerk prints a
// signer's form, scans it once and records it against all their cases.
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Input, Space, Table, Tag, Typography } from 'antd';
import { FolderOpenOutlined, PrinterOutlined } from '@ant-design/icons';
import type { ApiError, BatchSignerView, BatchSigningView } from '../api/bindings';
import { pickPaths } from '../shared/files';
import { filingApi } from '../filing/api';
import { intakeApi } from './api';
import { itx } from './texts';

const STATUS_COLOR = { current: 'orange', waiting: 'default', signed: 'green' } as const;

function RecordScan({ signer, caseIds, onDone }: { signer: BatchSignerView; caseIds: string[]; onDone: (n: number) => void }) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const pick = async () => {
    const [p] = await pickPaths(false);
    if (p) setPath(p);
  };

  const record = async () => {
    if (path.trim() === '') {
      setError(itx('batchSign.needScan'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const scan = await filingApi.addFile(path.trim(), 'signed_form');
      const done = await intakeApi.recordBatchSignature({ case_ids: caseIds, signer: signer.position, scan_ref: scan.id });
      setPath('');
      onDone(done.length);
    } catch (e) {
      setError((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size={4}>
      <Space.Compact>
        <Button icon={<FolderOpenOutlined />} onClick={() => void pick()} data-testid={`batch-pick-${signer.position}`}>
          {itx('batchSign.pick')}
        </Button>
        <Input
          style={{ width: 260 }}
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder={itx('batchSign.scanPath')}
          data-testid={`batch-scan-${signer.position}`}
        />
        <Button type="primary" loading={busy} onClick={() => void record()} data-testid={`batch-record-${signer.position}`}>
          {itx('batchSign.record')}
        </Button>
      </Space.Compact>
      {error && (
        <Typography.Text type="danger" data-testid={`batch-error-${signer.position}`}>
          {error}
        </Typography.Text>
      )}
    </Space>
  );
}

export function BatchSigning({ caseIds, onChanged }: { caseIds: string[]; onChanged: () => void }) {
  const [view, setView] = useState<BatchSigningView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setView(await intakeApi.batchSigning(caseIds));
    } catch (e) {
      setError(e as ApiError);
    }
  }, [caseIds]);

  useEffect(() => {
    void load();
  }, [load]);

  const print = async (s: BatchSignerView) => {
    setError(null);
    try {
      setNotice(itx('batchSign.printed', { name: s.name, path: await intakeApi.printBatchSigningForm({ case_ids: caseIds, signer: s.position, scan_ref: '' }) }));
    } catch (e) {
      setError(e as ApiError);
    }
  };

  if (!view) return error ? <Alert type="error" showIcon message={error.message} data-testid="batch-sign-error" /> : null;
  return (
    <div className="intake-batch-sign" data-testid="batch-sign">
      <Typography.Title level={5}>{itx('batchSign.title')}</Typography.Title>
      {view.problem ? (
        <Alert type="info" showIcon message={view.problem} data-testid="batch-sign-problem" />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{itx('batchSign.hint')}</Typography.Paragraph>
          {notice && <Alert className="form-alert" type="success" showIcon message={notice} data-testid="batch-sign-notice" />}
          {error && <Alert className="form-alert" type="error" showIcon message={error.message} data-testid="batch-sign-error" />}
          <Table<BatchSignerView>
            size="small"
            rowKey="position"
            pagination={false}
            dataSource={view.signers}
            data-testid="batch-signers"
            columns={[
              { title: itx('batchSign.col.position'), dataIndex: 'position', width: 64 },
              {
                title: itx('batchSign.col.signer'),
                width: 200,
                render: (_, s) => (s.guardian_name ? itx('batchSign.guardian', { name: s.name, guardian: s.guardian_name }) : s.name),
              },
              { title: itx('batchSign.col.id'), dataIndex: 'id_number', width: 190 },
              {
                title: itx('batchSign.col.cases'),
                render: (_, s) => (
                  <Space wrap size={4}>
                    {s.cases.map((c) => (
                      <Tag key={c.case_id} color={STATUS_COLOR[c.status]}>
                        {c.serial} {c.status_label}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              {
                title: itx('batchSign.col.action'),
                width: 480,
                render: (_, s) =>
                  s.signed_all ? (
                    <Tag color="green" data-testid={`batch-signed-${s.position}`}>
                      {itx('batchSign.signedAll')}
                    </Tag>
                  ) : (
                    <Space wrap>
                      <Button icon={<PrinterOutlined />} onClick={() => void print(s)} data-testid={`batch-print-${s.position}`}>
                        {itx('batchSign.print')}
                      </Button>
                      {s.may_sign_now ? (
                        <RecordScan
                          signer={s}
                          caseIds={caseIds}
                          onDone={(n) => {
                            setNotice(itx('batchSign.recorded', { name: s.name, count: n }));
                            onChanged();
                            void load();
                          }}
                        />
                      ) : (
                        <Typography.Text type="secondary" data-testid={`batch-wait-${s.position}`}>
                          {itx('batchSign.wait')}
                        </Typography.Text>
                      )}
                    </Space>
                  ),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
