// 回单扫描件: one stored file (native dialog or typed path), added as a receipt
// (finance's purpose), as a form control.
import { useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { DeleteOutlined, EyeOutlined } from '@ant-design/icons';
import { FilePicker, FilePreview, useFileView } from '../shared/files';
import { pt } from './texts';

export function ReceiptInput({
  id,
  value,
  onChange,
  online = false,
}: {
  id?: string;
  value?: string | null;
  onChange?: (v: string | null) => void;
  /** an online payment: the platform's payment record instead of the bank's receipt */
  online?: boolean;
}) {
  const file = useFileView(value ?? null);
  const [preview, setPreview] = useState<string | null>(null);
  return (
    <div className="pay-receipt">
      <FilePicker
        id={id}
        purpose="receipt"
        testKey="receipt"
        pickLabel={online ? pt('online.pickReceipt') : pt('transfer.pickReceipt')}
        multiple={false}
        onAdded={(files) => onChange?.(files[0]?.id ?? null)}
      />
      {value ? (
        <Space size={4} data-testid="receipt-file">
          <span>{file ? file.original_name : value}</span>
          <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setPreview(value)}>
            {pt('btn.preview')}
          </Button>
          <Button size="small" type="link" danger icon={<DeleteOutlined />} onClick={() => onChange?.(null)} data-testid="receipt-remove">
            {pt('btn.remove')}
          </Button>
        </Space>
      ) : (
        <Typography.Text type="secondary">{online ? pt('online.noReceipt') : pt('transfer.noReceipt')}</Typography.Text>
      )}
      <FilePreview id={preview} onClose={() => setPreview(null)} />
    </div>
  );
}
