// Puts a core ApiError onto an antd form: each FieldError under its field.
import type { FormInstance } from 'antd';
import type { ApiError, FieldError } from '../api/bindings';

export function fieldPath(field: string): (string | number)[] {
  return field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Sets the messages of `err.fields` on the form fields named in `known`
 * (dotted names as in the input, e.g. "office.office_code") and returns the
 * field errors that have no field in this form, to show with the general message.
 */
export function applyFieldErrors(form: FormInstance, err: ApiError, known: ReadonlyArray<string>): FieldError[] {
  const byField = new Map<string, string[]>();
  const rest: FieldError[] = [];
  for (const f of err.fields) {
    if (known.includes(f.field)) {
      byField.set(f.field, [...(byField.get(f.field) ?? []), f.message]);
    } else {
      rest.push(f);
    }
  }
  if (byField.size > 0) {
    form.setFields([...byField.entries()].map(([field, errors]) => ({ name: fieldPath(field), errors })));
  }
  return rest;
}
