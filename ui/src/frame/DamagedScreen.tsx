import { Alert, Card, Descriptions, Typography } from 'antd';
import type { ApiError, DamagedDatabase } from '../api/bindings';
import { t } from '../i18n';
import { fmtDateTime } from '../shared/format';

/**
 * The database is damaged: what happened and the way back (the last verified
 * backup and the exact restore command), instead of the sign-in. The desk
 * does not go on with a damaged database.
 */
export function DamagedScreen({ error, info }: { error: ApiError; info: DamagedDatabase | null }) {
  const command = info?.restore_command ?? null;
  return (
    <div className="screen-center" data-testid="damaged-screen">
      <Card style={{ maxWidth: 760 }} title={<span data-testid="damaged-title">{t('damaged.title')}</span>}>
        <Alert type="error" showIcon message={info?.message ?? error.message} />
        <Descriptions column={1} size="small" style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('damaged.detail')}>
            <span data-testid="damaged-detail">{info?.detail ?? error.message}</span>
          </Descriptions.Item>
          {info?.last_backup && (
            <Descriptions.Item label={t('damaged.lastBackup')}>
              <span data-testid="damaged-last-backup">
                {t('damaged.lastBackupAt', {
                  path: info.last_backup.path,
                  at: fmtDateTime(info.last_backup.made_at),
                  seq: info.last_backup.journal_seq,
                })}
              </span>
            </Descriptions.Item>
          )}
        </Descriptions>
        <Typography.Paragraph style={{ marginTop: 16 }}>{command ? t('damaged.steps') : t('damaged.noBackup')}</Typography.Paragraph>
        <Typography.Paragraph>
          <Typography.Text code copyable data-testid="damaged-command">
            {command ?? t('damaged.noBackupCommand', { dir: info?.data_dir ?? '' })}
          </Typography.Text>
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('damaged.help')}</Typography.Paragraph>
      </Card>
    </div>
  );
}
