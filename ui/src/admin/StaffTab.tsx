import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Checkbox, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { InputRef } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import type { ApiError, FieldError, Role, RoleOption, StaffView } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { applyFieldErrors } from '../shared/formErrors';
import { fmtTime, isFuture } from '../shared/format';
import { focusIfIdle, formKeys } from '../shared/keyboard';

type StaffValues = { username: string; display_name: string; roles: Role[]; password: string };
type ResetValues = { new_password: string };
type Failure = { err: ApiError; rest: FieldError[] };

const STAFF_FIELDS = ['username', 'display_name', 'roles', 'password'] as const;

export function RoleTags({ roles, options }: { roles: Role[]; options: RoleOption[] }) {
  return (
    <>
      {roles.map((r) => (
        <Tag key={r} bordered={false} color="geekblue">
          {options.find((o) => o.role === r)?.label ?? r}
        </Tag>
      ))}
    </>
  );
}

function StatusTag({ s }: { s: StaffView }) {
  return (
    <Space size={4} wrap>
      {s.disabled ? (
        <Tag color="red">{t('staff.status.disabled')}</Tag>
      ) : isFuture(s.locked_until) ? (
        <Tag color="orange">{t('staff.status.lockedUntil', { time: fmtTime(s.locked_until) })}</Tag>
      ) : (
        <Tag color="green">{t('staff.status.active')}</Tag>
      )}
      {s.must_change_password && <Tag>{t('staff.status.mustChange')}</Tag>}
    </Space>
  );
}

export function StaffTab({ roleOptions, passwordMinChars }: { roleOptions: RoleOption[]; passwordMinChars: number }) {
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<StaffView[]>([]);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  // the staff modal: null = closed, 'new' = adding, else the record being edited
  const [editing, setEditing] = useState<StaffView | 'new' | null>(null);
  const [staffForm] = Form.useForm<StaffValues>();
  const [staffBusy, setStaffBusy] = useState(false);
  const [staffError, setStaffError] = useState<Failure | null>(null);
  const staffFirst = useRef<InputRef>(null);

  const [resetting, setResetting] = useState<StaffView | null>(null);
  const [resetForm] = Form.useForm<ResetValues>();
  const [resetBusy, setResetBusy] = useState(false);
  const [resetError, setResetError] = useState<Failure | null>(null);
  const resetFirst = useRef<InputRef>(null);

  const load = useCallback(async (): Promise<StaffView[] | null> => {
    setLoading(true);
    setLoadError(null);
    try {
      const list = await api.listStaff();
      setRows(list);
      return list;
    } catch (e) {
      setLoadError(e as ApiError);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const replaceRow = (s: StaffView) => setRows((rs) => (rs.some((r) => r.id === s.id) ? rs.map((r) => (r.id === s.id ? s : r)) : [...rs, s]));

  const openAdd = () => {
    staffForm.resetFields();
    setStaffError(null);
    setEditing('new');
  };
  const openEdit = (s: StaffView) => {
    staffForm.resetFields();
    staffForm.setFieldsValue({ username: s.username, display_name: s.display_name, roles: s.roles });
    setStaffError(null);
    setEditing(s);
  };

  /** After a conflict: fetch the record again, keep what was typed, save against the new version. */
  const reloadEditing = async () => {
    const list = await load();
    if (list && editing && editing !== 'new') {
      const fresh = list.find((r) => r.id === editing.id);
      if (fresh) setEditing(fresh);
    }
    setStaffError(null);
  };

  const submitStaff = async (v: StaffValues) => {
    if (!editing) return;
    setStaffBusy(true);
    setStaffError(null);
    try {
      if (editing === 'new') {
        const s = await api.addStaff({
          username: v.username ?? '',
          display_name: v.display_name ?? '',
          roles: v.roles ?? [],
          password: v.password ?? '',
        });
        replaceRow(s);
        void message.success(t('staff.added', { name: s.display_name }));
      } else {
        const s = await api.updateStaff({
          id: editing.id,
          version: editing.version,
          display_name: v.display_name ?? '',
          roles: v.roles ?? [],
        });
        replaceRow(s);
        void message.success(t('staff.updated', { name: s.display_name }));
      }
      setEditing(null);
      staffForm.resetFields();
    } catch (e) {
      const err = e as ApiError;
      setStaffError({ err, rest: applyFieldErrors(staffForm, err, STAFF_FIELDS) });
    } finally {
      setStaffBusy(false);
    }
  };

  const toggleDisabled = async (s: StaffView) => {
    setActionError(null);
    try {
      const updated = await api.setStaffDisabled({ id: s.id, version: s.version, disabled: !s.disabled });
      replaceRow(updated);
      void message.success(t(updated.disabled ? 'staff.disabledDone' : 'staff.enabledDone', { name: updated.display_name }));
    } catch (e) {
      setActionError(e as ApiError);
    }
  };

  const openReset = (s: StaffView) => {
    resetForm.resetFields();
    setResetError(null);
    setResetting(s);
  };

  const submitReset = async (v: ResetValues) => {
    if (!resetting) return;
    setResetBusy(true);
    setResetError(null);
    try {
      const s = await api.resetPassword({ id: resetting.id, version: resetting.version, new_password: v.new_password ?? '' });
      replaceRow(s);
      void message.success(t('staff.reset.done', { name: s.display_name }));
      setResetting(null);
      resetForm.resetFields();
    } catch (e) {
      const err = e as ApiError;
      setResetError({ err, rest: applyFieldErrors(resetForm, err, ['new_password']) });
    } finally {
      setResetBusy(false);
    }
  };

  const reloadResetting = async () => {
    const list = await load();
    if (list && resetting) {
      const fresh = list.find((r) => r.id === resetting.id);
      if (fresh) setResetting(fresh);
    }
    setResetError(null);
  };

  const columns: ColumnsType<StaffView> = [
      { title: t('staff.col.username'), dataIndex: 'username', key: 'username', width: 160 },
      { title: t('staff.col.display_name'), dataIndex: 'display_name', key: 'display_name', width: 140 },
      { title: t('staff.col.roles'), key: 'roles', render: (_v, s) => <RoleTags roles={s.roles} options={roleOptions} /> },
      { title: t('staff.col.status'), key: 'status', width: 200, render: (_v, s) => <StatusTag s={s} /> },
      {
        title: t('staff.col.actions'),
        key: 'actions',
        width: 220,
        render: (_v, s) => (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => openEdit(s)} data-testid={`staff-edit-${s.username}`}>
              {t('staff.action.edit')}
            </Button>
            <Popconfirm
              title={t(s.disabled ? 'staff.confirm.enable' : 'staff.confirm.disable', { name: s.display_name })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => toggleDisabled(s)}
            >
              <Button type="link" size="small" danger={!s.disabled} data-testid={`staff-toggle-${s.username}`}>
                {s.disabled ? t('staff.action.enable') : t('staff.action.disable')}
              </Button>
            </Popconfirm>
            <Button type="link" size="small" onClick={() => openReset(s)} data-testid={`staff-reset-${s.username}`}>
              {t('staff.action.resetPassword')}
            </Button>
          </Space>
        ),
      },
  ];

  const isNew = editing === 'new';
  const editRecord: StaffView | null = typeof editing === 'object' ? editing : null;
  const conflictAction = (onReload: () => void) => (
    <Button size="small" onClick={onReload} data-testid="conflict-reload">
      {t('common.reload')}
    </Button>
  );

  return (
    <div>
      <div className="toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={openAdd} data-testid="staff-add">
          {t('staff.add')}
        </Button>
      </div>
      {loadError && <Alert className="form-alert" type="error" showIcon message={loadError.message || t('staff.loadFailed')} />}
      {actionError && (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          closable
          onClose={() => setActionError(null)}
          message={actionError.message}
          action={actionError.kind === 'conflict' ? conflictAction(() => void load().then(() => setActionError(null))) : undefined}
        />
      )}
      <Table<StaffView> size="small" rowKey="id" columns={columns} dataSource={rows} loading={loading} pagination={false} data-testid="staff-table" />

      <Modal
        open={editing !== null}
        title={isNew ? t('staff.form.addTitle') : t('staff.form.editTitle', { name: editRecord?.display_name ?? '' })}
        onCancel={() => setEditing(null)}
        maskClosable={false}
        forceRender
        afterOpenChange={(o) => {
          if (o) focusIfIdle(staffFirst.current);
        }}
        footer={[
          <Button key="cancel" onClick={() => setEditing(null)}>
            {t('common.cancel')}
          </Button>,
          <Button key="ok" type="primary" loading={staffBusy} onClick={() => staffForm.submit()} data-testid="staff-submit">
            {t('staff.form.submit')}
          </Button>,
        ]}
      >
        <Form<StaffValues>
          form={staffForm}
          name="staff"
          layout="vertical"
          onFinish={submitStaff}
          onKeyDownCapture={formKeys(() => staffForm.submit())}
        >
          <Form.Item
            name="username"
            label={t('staff.form.username')}
            rules={isNew ? [{ required: true, whitespace: true, message: t('common.required', { field: t('staff.form.username') }) }] : []}
          >
            <Input ref={isNew ? staffFirst : undefined} autoFocus={isNew} disabled={!isNew} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="display_name"
            label={t('staff.form.display_name')}
            rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('staff.form.display_name') }) }]}
          >
            <Input ref={isNew ? undefined : staffFirst} autoComplete="off" />
          </Form.Item>
          <Form.Item name="roles" label={t('staff.form.roles')}>
            <Checkbox.Group className="role-checks">
              {roleOptions.map((o) => (
                <Checkbox key={o.role} value={o.role} data-testid={`role-${o.role}`}>
                  {o.label}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
          {isNew && (
            <Form.Item
              name="password"
              label={t('staff.form.password')}
              extra={t('staff.form.passwordHint', { min: passwordMinChars })}
              rules={[{ required: true, message: t('common.required', { field: t('staff.form.password') }) }]}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
          {staffError && (
            <Alert
              type="error"
              showIcon
              data-testid="staff-error"
              message={staffError.err.message || t('staff.saveFailed')}
              description={
                <>
                  {staffError.rest.map((f) => (
                    <div key={f.field + f.code}>{f.message}</div>
                  ))}
                  {staffError.err.kind === 'conflict' && <div>{t('common.conflictHint')}</div>}
                </>
              }
              action={staffError.err.kind === 'conflict' && !isNew ? conflictAction(() => void reloadEditing()) : undefined}
            />
          )}
        </Form>
      </Modal>

      <Modal
        open={resetting !== null}
        title={t('staff.reset.title', { name: resetting?.display_name ?? '' })}
        onCancel={() => setResetting(null)}
        maskClosable={false}
        forceRender
        afterOpenChange={(o) => {
          if (o) focusIfIdle(resetFirst.current);
        }}
        footer={[
          <Button key="cancel" onClick={() => setResetting(null)}>
            {t('common.cancel')}
          </Button>,
          <Button key="ok" type="primary" loading={resetBusy} onClick={() => resetForm.submit()} data-testid="reset-submit">
            {t('staff.action.resetPassword')}
          </Button>,
        ]}
      >
        <Typography.Paragraph type="secondary">{t('staff.reset.notice', { name: resetting?.display_name ?? '' })}</Typography.Paragraph>
        <Form<ResetValues> form={resetForm} name="reset" layout="vertical" onFinish={submitReset} onKeyDownCapture={formKeys(() => resetForm.submit())}>
          <Form.Item
            name="new_password"
            label={t('staff.reset.new_password')}
            extra={t('password.hint', { min: passwordMinChars })}
            rules={[{ required: true, message: t('common.required', { field: t('staff.reset.new_password') }) }]}
          >
            <Input.Password ref={resetFirst} autoFocus autoComplete="new-password" />
          </Form.Item>
          {resetError && (
            <Alert
              type="error"
              showIcon
              message={resetError.err.message || t('staff.saveFailed')}
              description={resetError.rest.length > 0 ? resetError.rest.map((f) => <div key={f.field + f.code}>{f.message}</div>) : undefined}
              action={resetError.err.kind === 'conflict' ? conflictAction(() => void reloadResetting()) : undefined}
            />
          )}
        </Form>
      </Modal>
    </div>
  );
}
