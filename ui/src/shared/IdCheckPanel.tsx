import { Alert, Button, Card, Descriptions, Space, Spin, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleOutlined } from '@ant-design/icons';
import type { ApplicantView } from '../api/bindings';
import type { IdCheck } from './useIdCheck';
import { t } from '../i18n';
import { fmtDate } from './format';

/**
 * The ID check panel beside an ID number input: what the core says about the
 * number (type, valid or the precise error, derived facts, what follows from it,
 * and a profile that already has this number). It decides nothing itself.
 */
export function IdCheckPanel({
  check,
  onUseKnown,
  currentApplicantId,
}: {
  check: IdCheck;
  /** 选用: open the profile that already has this number. */
  onUseKnown?: (applicant: ApplicantView) => void;
  /** The profile being edited: it is not offered as "already known". */
  currentApplicantId?: string | null;
}) {
  const { view, checking, failure } = check;
  const person = view?.document?.person ?? null;
  const org = view?.document?.organisation ?? null;
  const known = view?.known_applicant && view.known_applicant.id !== currentApplicantId ? view.known_applicant : null;

  return (
    <Card
      size="small"
      className="id-panel"
      data-testid="id-panel"
      title={t('idPanel.title')}
      extra={checking ? <Spin size="small" aria-label={t('idPanel.checking')} /> : null}
    >
      {!view && !failure && (
        <Typography.Text type="secondary" className="id-panel-idle">
          {checking ? t('idPanel.checking') : t('idPanel.idle')}
        </Typography.Text>
      )}
      {failure && <Alert type="warning" showIcon message={t('idPanel.failed', { message: failure.message })} />}
      {view && (
        <Space direction="vertical" size={8} className="id-panel-body">
          <Space size={8} wrap>
            <Typography.Text strong data-testid="id-panel-type">
              {view.doc_type_label}
            </Typography.Text>
            {view.valid ? (
              <Tag color="success" icon={<CheckCircleFilled />} data-testid="id-panel-valid">
                {t('idPanel.valid')}
              </Tag>
            ) : (
              <Tag color="error" icon={<CloseCircleFilled />} data-testid="id-panel-invalid">
                {t('idPanel.invalid')}
              </Tag>
            )}
          </Space>
          {!view.valid && view.error && (
            <Typography.Text type="danger" data-testid="id-panel-error">
              {view.error.message}
            </Typography.Text>
          )}
          {view.valid && (
            <Descriptions size="small" column={1} colon className="id-panel-facts" data-testid="id-panel-facts">
              {person && <Descriptions.Item label={t('idPanel.birth')}>{fmtDate(person.birth_date)}</Descriptions.Item>}
              {view.age !== null && <Descriptions.Item label={t('idPanel.age')}>{t('idPanel.ageValue', { age: view.age })}</Descriptions.Item>}
              {view.sex_label && <Descriptions.Item label={t('idPanel.sex')}>{view.sex_label}</Descriptions.Item>}
              {org?.entity_type && <Descriptions.Item label={t('idPanel.entityType')}>{org.entity_type}</Descriptions.Item>}
              {org?.registering_body && <Descriptions.Item label={t('idPanel.registeringBody')}>{org.registering_body}</Descriptions.Item>}
              {org && <Descriptions.Item label={t('idPanel.orgCode')}>{org.organisation_code}</Descriptions.Item>}
              {view.region_text && <Descriptions.Item label={t('idPanel.region')}>{view.region_text}</Descriptions.Item>}
            </Descriptions>
          )}
          {view.warnings.length > 0 && (
            <div data-testid="id-panel-warnings">
              {view.warnings.map((w) => (
                <div key={w} className="id-panel-warning">
                  <ExclamationCircleOutlined /> {w}
                </div>
              ))}
            </div>
          )}
          {view.consequences.length > 0 && (
            <div data-testid="id-panel-consequences">
              <Typography.Text strong>{t('idPanel.consequences')}</Typography.Text>
              <ul className="id-panel-list">
                {view.consequences.map((c) => (
                  <li key={c.code}>{c.message}</li>
                ))}
              </ul>
            </div>
          )}
          {known && (
            <Alert
              type="info"
              showIcon
              data-testid="id-panel-known"
              message={t('idPanel.known', { name: known.name, category: known.category_label })}
              action={
                onUseKnown ? (
                  <Button size="small" type="primary" onClick={() => onUseKnown(known)} data-testid="id-panel-use-known">
                    {t('idPanel.useKnown')}
                  </Button>
                ) : undefined
              }
            />
          )}
        </Space>
      )}
    </Card>
  );
}
