// Small pieces shared by the payments desk's tabs.
import { useState } from 'react';
import { Alert, App as AntApp, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import type { ApiError, CaseState, ExportInput, FieldError, PaymentCaseRow, PaymentMethod } from '../api/bindings';
import { fieldPath } from '../shared/formErrors';
import { paymentsApi } from './api';
import { pt } from './texts';

/** The lifecycle stage colours of UI.md, by case state. */
export function stateColor(state: CaseState): string {
  switch (state) {
    case 'draft':
      return 'default';
    case 'awaiting_signatures':
    case 'awaiting_payment':
    case 'returned_for_correction':
      return 'orange';
    case 'awaiting_payment_check':
    case 'awaiting_first_review':
    case 'awaiting_final_review':
    case 'refusal_proposed':
      return 'blue';
    case 'registered':
    case 'mailed':
    case 'picked_up':
      return 'green';
    default:
      return 'red';
  }
}

/** Does the core say this case takes a payment of `method` (待缴费, that method or none chosen)? */
export function takesMethod(r: PaymentCaseRow, method: PaymentMethod): boolean {
  return method === 'online' ? r.takes_online_payment : r.takes_transfer;
}

export function StateTag({ state, label }: { state: CaseState; label: string }) {
  return <Tag color={stateColor(state)}>{label}</Tag>;
}

/** The core's failure: its message, plus the field problems that have no field on screen. */
export function ErrorAlert({
  err,
  rest = [],
  testId,
  fallback,
}: {
  err: ApiError;
  rest?: FieldError[];
  testId: string;
  fallback?: string;
}) {
  return (
    <Alert
      className="form-alert"
      type="error"
      showIcon
      data-testid={testId}
      message={err.message || fallback || pt('common.failed')}
      description={rest.length > 0 ? rest.map((f) => <div key={f.field + f.code}>{f.message}</div>) : undefined}
    />
  );
}

/**
 * Puts each FieldError under the form field `place` names for it (null: no field
 * on screen) and returns the ones left for the general message.
 */
export function putFieldErrors(form: FormInstance, err: ApiError, place: (field: string) => NamePath | null): FieldError[] {
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: FieldError[] = [];
  for (const f of err.fields) {
    const name = place(f.field);
    if (name === null) {
      rest.push(f);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(f.message);
    byField.set(key, entry);
  }
  if (byField.size > 0) form.setFields([...byField.values()].map(({ name, errors }) => ({ name, errors })));
  return rest;
}

/** `prefix.x.y` → the form's path for it when `known` has `x`; `shares[0].amount_fen` → ['shares', 0, 'amount_fen']. */
export function corePath(field: string, prefix = ''): (string | number)[] | null {
  if (prefix && !field.startsWith(`${prefix}.`)) return null;
  const rest = prefix ? field.slice(prefix.length + 1) : field;
  return fieldPath(rest.replace(/\[(\d+)\]/g, '.$1'));
}

/** Clears the messages of the fields that just changed (a message from the last save belongs to the old value). */
export function clearChanged(form: FormInstance, changed: Record<string, unknown>) {
  const names = Object.keys(changed);
  const stale = names.filter((n) => form.getFieldError(n).length > 0);
  if (stale.length > 0) form.setFields(stale.map((n) => ({ name: n, errors: [] })));
}

/** export_document: the shell writes the file and opens it; shows 已导出：<path>. */
export function useExport() {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [path, setPath] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (input: ExportInput) => {
    setBusy(true);
    setError(null);
    try {
      const p = await paymentsApi.exportDocument(input);
      setPath(p);
      void message.success(pt('export.done', { path: p }));
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const view = (
    <>
      {path && (
        <Typography.Paragraph type="secondary" data-testid="export-path" className="pay-export-path">
          {pt('export.done', { path })}
        </Typography.Paragraph>
      )}
      {error && <ErrorAlert err={error} testId="export-error" fallback={pt('export.failed')} />}
    </>
  );
  return { busy, run, view };
}
