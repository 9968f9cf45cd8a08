// 管理 → 证书: the verification address the certificate's QR code opens, each
// printer's offset (measured with the calibration page), and the category
// letters of registration numbers — which are confirmed on real certificates
// and which are assumed, and from which day a changed table applies.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import type { ApiError, CertificateSettingsView, LetterEntryView, LetterTablesView } from '../api/bindings';
import { certificatesApi } from '../certificates/api';
import { ct } from '../certificates/texts';
import { parseDay } from '../payments/money';

function Problem({ err, testId }: { err: ApiError | null; testId: string }) {
  if (!err) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      message={err.fields.length > 0 ? err.fields.map((f) => f.message).join('；') : err.message}
    />
  );
}

export function CertificateSettingsTab() {
  const { message } = AntApp.useApp();
  const [settings, setSettings] = useState<CertificateSettingsView | null>(null);
  const [letters, setLetters] = useState<LetterTablesView | null>(null);
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<ApiError | null>(null);
  const [printer, setPrinter] = useState({ name: '', x: 0, y: 0 });
  const [printerError, setPrinterError] = useState<ApiError | null>(null);
  const [text, setText] = useState('');
  const [start, setStart] = useState('');
  const [lettersError, setLettersError] = useState<ApiError | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    try {
      const [s, l] = await Promise.all([certificatesApi.settings(), certificatesApi.letters()]);
      setSettings(s);
      setUrl(s.verification_url);
      setLetters(l);
      setText(l.in_force.text);
    } catch (e) {
      setLoadError(e as ApiError);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const saveUrl = async () => {
    if (!settings) return;
    setUrlError(null);
    try {
      const s = await certificatesApi.updateVerificationUrl({ verification_url: url, version: settings.version });
      setSettings(s);
      void message.success(ct('admin.saved'));
    } catch (e) {
      setUrlError(e as ApiError);
    }
  };

  const savePrinter = async () => {
    setPrinterError(null);
    const known = settings?.printers.find((p) => p.name === printer.name.trim());
    try {
      await certificatesApi.savePrinter({
        name: printer.name,
        offset_x_mm: printer.x,
        offset_y_mm: printer.y,
        version: known?.version ?? 0,
      });
      void message.success(ct('admin.saved'));
      setSettings(await certificatesApi.settings());
    } catch (e) {
      setPrinterError(e as ApiError);
    }
  };

  const saveLetters = async () => {
    setLettersError(null);
    let startsOn: string | null = null;
    if (start.trim() !== '') {
      const d = parseDay(start);
      if (!d.ok) {
        setLettersError({ kind: 'validation', message: d.error, fields: [] });
        return;
      }
      startsOn = d.value;
    }
    try {
      const l = await certificatesApi.setLetters({ text, starts_on: startsOn });
      setLetters(l);
      void message.success(ct('admin.saved'));
    } catch (e) {
      setLettersError(e as ApiError);
    }
  };

  if (loadError) return <Problem err={loadError} testId="cert-settings-load-error" />;

  const inForce = letters?.in_force;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="cert-settings">
      <Card size="small" title={ct('admin.url')}>
        <Space.Compact style={{ width: '100%' }}>
          <Input data-testid="cert-url" value={url} placeholder="https://" onChange={(e) => setUrl(e.target.value)} />
          <Button type="primary" onClick={() => void saveUrl()} data-testid="cert-url-save">
            {ct('admin.urlSave')}
          </Button>
        </Space.Compact>
        <Typography.Text type="secondary">{ct('admin.urlHelp')}</Typography.Text>
        <Problem err={urlError} testId="cert-url-error" />
      </Card>

      <Card size="small" title={ct('admin.printers')}>
        <Table
          size="small"
          rowKey="name"
          pagination={false}
          dataSource={settings?.printers ?? []}
          onRow={(p) => ({ onClick: () => setPrinter({ name: p.name, x: p.offset_x_mm, y: p.offset_y_mm }) })}
          columns={[
            { title: ct('admin.printerName'), dataIndex: 'name' },
            { title: ct('admin.offsetX'), dataIndex: 'offset_x_mm' },
            { title: ct('admin.offsetY'), dataIndex: 'offset_y_mm' },
          ]}
        />
        <Space wrap style={{ marginTop: 8 }}>
          <Input
            data-testid="printer-name"
            placeholder={ct('admin.printerName')}
            value={printer.name}
            onChange={(e) => setPrinter({ ...printer, name: e.target.value })}
          />
          <span>{ct('admin.offsetX')}</span>
          <InputNumber data-testid="printer-x" step={0.1} value={printer.x} onChange={(v) => setPrinter({ ...printer, x: v ?? 0 })} />
          <span>{ct('admin.offsetY')}</span>
          <InputNumber data-testid="printer-y" step={0.1} value={printer.y} onChange={(v) => setPrinter({ ...printer, y: v ?? 0 })} />
          <Button onClick={() => void savePrinter()} data-testid="printer-save">
            {ct('admin.printerSave')}
          </Button>
        </Space>
        <Problem err={printerError} testId="printer-error" />
      </Card>

      <Card size="small" title={ct('admin.letters')}>
        {inForce && (
          <>
            <Typography.Paragraph>
              {ct('admin.lettersInForce', {
                start: inForce.starts_on ? ct('admin.lettersFrom', { date: inForce.starts_on }) : ct('admin.lettersBuiltIn'),
              })}
            </Typography.Paragraph>
            <Table<LetterEntryView>
              size="small"
              rowKey="category"
              pagination={false}
              dataSource={inForce.entries}
              data-testid="letters-in-force"
              columns={[
                { title: 'ABC', dataIndex: 'letter', width: 60 },
                { title: ct('filter.category'), dataIndex: 'label' },
                {
                  title: '',
                  key: 'confirmed',
                  render: (_, e) =>
                    e.confirmed ? (
                      <Tag color="green">{ct('admin.confirmed')}</Tag>
                    ) : (
                      <Space>
                        <Tag color="orange">{ct('admin.assumed')}</Tag>
                        {e.confirmed_letter && <span>{ct('admin.confirmedAs', { letter: e.confirmed_letter })}</span>}
                      </Space>
                    ),
                },
              ]}
            />
            {letters && letters.numbers_issued > 0 && (
              <Alert
                type="info"
                showIcon
                data-testid="letters-issued"
                message={ct('admin.issued', {
                  n: letters.numbers_issued,
                  last: letters.last_issued_on ? ct('admin.issuedLast', { date: letters.last_issued_on }) : '',
                })}
              />
            )}
            {letters?.scheduled.map((s) => (
              <Typography.Paragraph key={s.starts_on ?? ''}>{ct('admin.scheduled', { date: s.starts_on ?? '' })}</Typography.Paragraph>
            ))}
          </>
        )}
        <Typography.Text>{ct('admin.lettersText')}</Typography.Text>
        <Input.TextArea data-testid="letters-text" rows={8} value={text} onChange={(e) => setText(e.target.value)} />
        <Space style={{ marginTop: 8 }}>
          <span>{ct('admin.lettersStart')}</span>
          <Input data-testid="letters-start" placeholder="2027-01-01" value={start} onChange={(e) => setStart(e.target.value)} />
          <Button onClick={() => void saveLetters()} data-testid="letters-save">
            {ct('admin.lettersSave')}
          </Button>
        </Space>
        <Problem err={lettersError} testId="letters-error" />
      </Card>
    </Space>
  );
}
