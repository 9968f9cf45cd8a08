import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Drawer, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import type { InputRef } from 'antd';
import type { ApiError, ApplicantCategory, ApplicantInput, ApplicantView, DocumentType, FieldError } from '../api/bindings';
import { api } from '../api/client';
import { useIdCheck } from '../shared/useIdCheck';
import { t } from '../i18n';
import type { MessageKey } from '../i18n';
import { categoryOptions, defaultIdType, docTypeOptions } from '../shared/applicantOptions';
import { applyFieldErrors } from '../shared/formErrors';
import { fmtDateTime } from '../shared/format';
import { focusIfIdle, formKeys } from '../shared/keyboard';
import { IdCheckPanel } from '../shared/IdCheckPanel';
import { ProofsSection } from './ProofsSection';

type Values = ApplicantInput;
type Failure = { err: ApiError; rest: FieldError[] };

/** The fields of ApplicantInput, as the core names them in its FieldErrors. */
const FIELDS = [
  'category',
  'name',
  'id_type',
  'id_number',
  'pen_name',
  'handler_name',
  'handler_mobile',
  'region',
  'invoice_email',
  'recipient_name',
  'recipient_phone',
  'postal_address',
] as const;
type FieldName = (typeof FIELDS)[number];
/** id_number's message lives beside the live check (see `idHelp`). */
const FORM_FIELDS: ReadonlyArray<string> = FIELDS.filter((f) => f !== 'id_number');

const NEW_VALUES: Values = {
  category: 'individual',
  name: '',
  id_type: defaultIdType('individual'),
  id_number: '',
  pen_name: '',
  handler_name: '',
  handler_mobile: '',
  region: '',
  invoice_email: '',
  recipient_name: '',
  recipient_phone: '',
  postal_address: '',
};

function toValues(a: ApplicantView): Values {
  return {
    category: a.category,
    name: a.name,
    id_type: a.id_type,
    id_number: a.id_number,
    pen_name: a.pen_name ?? '',
    handler_name: a.handler_name,
    handler_mobile: a.handler_mobile,
    region: a.region ?? '',
    invoice_email: a.invoice_email,
    recipient_name: a.recipient_name,
    recipient_phone: a.recipient_phone,
    postal_address: a.postal_address,
  };
}

/** What the form holds, as the core's ApplicantInput (sent as typed: the core trims and checks). */
function toInput(v: Partial<Values>, fixedCategory: ApplicantCategory | null): ApplicantInput {
  const s = (x: string | undefined | null) => x ?? '';
  return {
    category: fixedCategory ?? v.category ?? NEW_VALUES.category,
    name: s(v.name),
    id_type: v.id_type ?? NEW_VALUES.id_type,
    id_number: s(v.id_number),
    pen_name: s(v.pen_name),
    handler_name: s(v.handler_name),
    handler_mobile: s(v.handler_mobile),
    region: s(v.region),
    invoice_email: s(v.invoice_email),
    recipient_name: s(v.recipient_name),
    recipient_phone: s(v.recipient_phone),
    postal_address: s(v.postal_address),
  };
}

const label = (f: FieldName) => t(`applicant.form.${f}` as MessageKey);

/** A request to open the drawer: a new profile (applicant null) or an existing one. `seq` makes each request distinct. */
export type ApplicantOpenRequest = { seq: number; applicant: ApplicantView | null };

export function ApplicantDrawer({
  request,
  onClose,
  onSaved,
  canChangeCategory,
}: {
  request: ApplicantOpenRequest | null;
  onClose: () => void;
  /** After a profile was created, updated or re-categorised. */
  onSaved?: (a: ApplicantView) => void;
  /** Offer 修改类别 (the person is an admin; the core still decides). */
  canChangeCategory: boolean;
}) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [record, setRecord] = useState<ApplicantView | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [idServerError, setIdServerError] = useState<string | null>(null);
  const [categoryOpen, setCategoryOpen] = useState(false);
  const nameRef = useRef<InputRef>(null);

  const idType = Form.useWatch('id_type', form) as DocumentType | undefined;
  const idNumber = Form.useWatch('id_number', form) as string | undefined;
  const check = useIdCheck(idType, idNumber);

  /** Shows a profile (or a blank new one), dropping whatever the form held. */
  const show = useCallback(
    async (a: ApplicantView | null) => {
      setFailure(null);
      setIdServerError(null);
      form.resetFields();
      if (!a || a.revealed) {
        setRecord(a);
        if (a) form.setFieldsValue(toValues(a));
        return;
      }
      // Views carry the number and address masked: the edit form reads the full ones (the core logs it).
      setRecord(null);
      try {
        const full = await api.revealApplicant(a.id);
        setRecord(full);
        form.setFieldsValue(toValues(full));
      } catch (e) {
        setFailure({ err: e as ApiError, rest: [] });
      }
    },
    [form],
  );

  const seq = request?.seq;
  useEffect(() => {
    if (request) void show(request.applicant);
    // a new request (seq) opens afresh
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seq]);

  const openKnown = (a: ApplicantView) => {
    void show(a).then(() => nameRef.current?.focus());
  };

  const save = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    setIdServerError(null);
    const input = toInput(form.getFieldsValue(true) as Partial<Values>, record?.category ?? null);
    try {
      const saved = record
        ? await api.updateApplicant({ id: record.id, version: record.version, applicant: input })
        : await api.createApplicant(input);
      setRecord(saved);
      form.setFieldsValue(toValues(saved));
      void message.success(t('common.saved'));
      onSaved?.(saved);
    } catch (e) {
      const err = e as ApiError;
      const idErrors = err.fields.filter((f) => f.field === 'id_number');
      if (idErrors.length > 0) setIdServerError(idErrors.map((f) => f.message).join('；'));
      const rest = applyFieldErrors(form, { ...err, fields: err.fields.filter((f) => f.field !== 'id_number') }, FORM_FIELDS);
      setFailure({ err, rest });
    } finally {
      setBusy(false);
    }
  };

  /** After a conflict: read the profile again, keep what was typed, save against the new version. */
  const reload = async () => {
    if (!record) return;
    try {
      const fresh = await api.applicant(record.id);
      setRecord(fresh);
      form.setFieldsValue({ category: fresh.category });
      setFailure(null);
    } catch (e) {
      setFailure({ err: e as ApiError, rest: [] });
    }
  };

  const onValuesChange = (changed: Partial<Values>) => {
    const names = Object.keys(changed) as FieldName[];
    // a message from the last save belongs to the old value
    const clear = (ns: FieldName[]) => {
      const stale = ns.filter((n) => n !== 'id_number' && form.getFieldError(n).length > 0);
      if (stale.length > 0) form.setFields(stale.map((n) => ({ name: n, errors: [] })));
    };
    clear(names);
    if (names.includes('id_number')) setIdServerError(null);
    if (changed.category && !record) {
      form.setFieldsValue({ id_type: defaultIdType(changed.category) });
      clear(['id_type']);
    }
  };

  const liveIdError =
    check.view && !check.view.valid && check.checkedNumber === (idNumber ?? '') ? (check.view.error?.message ?? undefined) : undefined;
  const idHelp = idServerError ?? liveIdError;

  const isNew = record === null;
  const title = isNew ? t('applicant.form.newTitle') : t('applicant.form.editTitle', { name: record.name });

  return (
    <Drawer
      open={request !== null}
      // A closed drawer is taken out of the page entirely: its focus sentinels would catch the Tab key.
      rootStyle={request === null ? { display: 'none' } : undefined}
      width={880}
      title={
        <Space direction="vertical" size={0}>
          <span data-testid="applicant-title">{title}</span>
          {record && (
            <Typography.Text type="secondary" className="applicant-meta">
              {t('applicant.form.meta', { version: record.version, time: fmtDateTime(record.updated_at) })}
            </Typography.Text>
          )}
        </Space>
      }
      onClose={onClose}
      maskClosable={false}
      forceRender
      afterOpenChange={(o) => {
        if (o) focusIfIdle(nameRef.current);
      }}
      extra={
        <Space>
          <Typography.Text type="secondary">{t('applicant.form.saveHint')}</Typography.Text>
          <Button onClick={onClose} data-testid="applicant-close">
            {t('applicant.form.close')}
          </Button>
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="applicant-save">
            {t('applicant.form.save')}
          </Button>
        </Space>
      }
    >
      <div onKeyDownCapture={formKeys(() => void save())}>
        <Form<Values> form={form} name="applicant" layout="vertical" initialValues={NEW_VALUES} onValuesChange={onValuesChange}>
          <Form.Item
            name="category"
            label={label('category')}
            extra={
              record ? (
                <span className="applicant-category-fixed">
                  <span data-testid="applicant-category-fixed">{t('applicant.form.categoryFixed')}</span>
                  {canChangeCategory && (
                    <Button type="link" size="small" onClick={() => setCategoryOpen(true)} data-testid="applicant-change-category">
                      {t('applicant.form.changeCategory')}
                    </Button>
                  )}
                </span>
              ) : undefined
            }
          >
            <Radio.Group optionType="button" buttonStyle="solid" options={categoryOptions()} disabled={!isNew} />
          </Form.Item>
          <div className="form-row">
            <Form.Item name="name" label={label('name')}>
              <Input ref={nameRef} autoFocus={isNew} autoComplete="off" />
            </Form.Item>
            <Form.Item name="pen_name" label={label('pen_name')}>
              <Input autoComplete="off" />
            </Form.Item>
          </div>

          <Typography.Title level={5} className="applicant-section">
            {t('applicant.form.section.identity')}
          </Typography.Title>
          <div className="applicant-id-row">
            <div className="applicant-id-fields">
              <Form.Item name="id_type" label={label('id_type')}>
                <Select<DocumentType> showSearch optionFilterProp="label" options={docTypeOptions()} />
              </Form.Item>
              <Form.Item name="id_number" label={label('id_number')} help={idHelp} validateStatus={idHelp ? 'error' : undefined}>
                <Input autoComplete="off" spellCheck={false} className="id-number-input" />
              </Form.Item>
            </div>
            <div className="applicant-id-panel">
              <IdCheckPanel check={check} onUseKnown={openKnown} currentApplicantId={record?.id ?? null} />
            </div>
          </div>

          <ProofsSection applicantId={record?.id ?? null} />

          <Typography.Title level={5} className="applicant-section">
            {t('applicant.form.section.handler')}
          </Typography.Title>
          <div className="form-row">
            <Form.Item name="handler_name" label={label('handler_name')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="handler_mobile" label={label('handler_mobile')}>
              <Input autoComplete="off" inputMode="tel" />
            </Form.Item>
            <Form.Item name="region" label={label('region')}>
              <Input autoComplete="off" />
            </Form.Item>
          </div>

          <Typography.Title level={5} className="applicant-section">
            {t('applicant.form.section.delivery')}
          </Typography.Title>
          <Form.Item name="invoice_email" label={label('invoice_email')}>
            <Input autoComplete="off" inputMode="email" />
          </Form.Item>
          <div className="form-row">
            <Form.Item name="recipient_name" label={label('recipient_name')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="recipient_phone" label={label('recipient_phone')}>
              <Input autoComplete="off" inputMode="tel" />
            </Form.Item>
          </div>
          <Form.Item name="postal_address" label={label('postal_address')}>
            <Input autoComplete="off" />
          </Form.Item>

          {failure && (
            <Alert
              type="error"
              showIcon
              data-testid="applicant-error"
              message={failure.err.message || t('applicant.saveFailed')}
              description={
                failure.rest.length > 0 || failure.err.kind === 'conflict' ? (
                  <>
                    {failure.rest.map((f) => (
                      <div key={f.field + f.code}>{f.message}</div>
                    ))}
                    {failure.err.kind === 'conflict' && <div>{t('common.conflictHint')}</div>}
                  </>
                ) : undefined
              }
              action={
                failure.err.kind === 'conflict' && record ? (
                  <Button size="small" onClick={() => void reload()} data-testid="conflict-reload">
                    {t('common.reload')}
                  </Button>
                ) : undefined
              }
            />
          )}
        </Form>
      </div>

      {record && (
        <CategoryModal
          open={categoryOpen}
          applicant={record}
          onClose={() => setCategoryOpen(false)}
          onDone={(a) => {
            setCategoryOpen(false);
            setRecord(a);
            form.setFieldsValue({ category: a.category });
            void message.success(t('applicant.category.done', { category: a.category_label }));
            onSaved?.(a);
          }}
        />
      )}
    </Drawer>
  );
}

type CategoryValues = { category: ApplicantCategory; reason: string };

/** 修改类别 (admin): target category and the reason; the core decides whether it is allowed. */
function CategoryModal({
  open,
  applicant,
  onClose,
  onDone,
}: {
  open: boolean;
  applicant: ApplicantView;
  onClose: () => void;
  onDone: (a: ApplicantView) => void;
}) {
  const [form] = Form.useForm<CategoryValues>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ category: applicant.category, reason: '' });
      setFailure(null);
    }
    // only when it opens
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const submit = async () => {
    if (busy) return;
    const v = form.getFieldsValue(true) as Partial<CategoryValues>;
    setBusy(true);
    setFailure(null);
    try {
      const a = await api.changeApplicantCategory({
        id: applicant.id,
        version: applicant.version,
        category: v.category ?? applicant.category,
        reason: v.reason ?? '',
      });
      onDone(a);
    } catch (e) {
      const err = e as ApiError;
      setFailure({ err, rest: applyFieldErrors(form, err, ['category', 'reason']) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('applicant.category.title', { name: applicant.name })}
      onCancel={onClose}
      maskClosable={false}
      forceRender
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => void submit()} data-testid="category-submit">
          {t('applicant.category.submit')}
        </Button>,
      ]}
    >
      <Form<CategoryValues> form={form} name="category_change" layout="vertical" onKeyDownCapture={formKeys(() => void submit())}>
        <Form.Item name="category" label={t('applicant.category.target')}>
          <Radio.Group options={categoryOptions()} />
        </Form.Item>
        <Form.Item name="reason" label={t('applicant.category.reason')}>
          <Input.TextArea rows={3} placeholder={t('applicant.category.reasonPlaceholder')} />
        </Form.Item>
        {failure && (
          <Alert
            type="error"
            showIcon
            data-testid="category-error"
            message={failure.err.message || t('applicant.category.failed')}
            description={failure.rest.length > 0 ? failure.rest.map((f) => <div key={f.field + f.code}>{f.message}</div>) : undefined}
          />
        )}
      </Form>
    </Modal>
  );
}
