// Asks the core to check an ID number while the clerk types: debounced, never
// blocking the input, and ignoring answers for a number that has since changed.
import { useEffect, useRef, useState } from 'react';
import type { ApiError, DocumentType, IdCheckView } from '../api/bindings';
import { api } from '../api/client';

export type IdCheck = {
  /** The core's answer for `checkedNumber` (kept while a newer one is on its way). */
  view: IdCheckView | null;
  /** The number `view` answers for. */
  checkedNumber: string;
  /** A newer answer is pending. */
  checking: boolean;
  /** The check itself failed (not a bad number: that is view.valid=false). */
  failure: ApiError | null;
};

export const ID_CHECK_DELAY_MS = 250;

export function useIdCheck(docType: DocumentType | null | undefined, number: string | null | undefined, delayMs = ID_CHECK_DELAY_MS): IdCheck {
  const [state, setState] = useState<IdCheck>({ view: null, checkedNumber: '', checking: false, failure: null });
  const seq = useRef(0);

  useEffect(() => {
    const n = number ?? '';
    const mine = ++seq.current;
    if (n.trim() === '') {
      setState({ view: null, checkedNumber: '', checking: false, failure: null });
      return;
    }
    setState((s) => (s.checking ? s : { ...s, checking: true }));
    const timer = setTimeout(() => {
      api.checkId({ doc_type: docType ?? null, number: n }).then(
        (view) => {
          if (seq.current === mine) setState({ view, checkedNumber: n, checking: false, failure: null });
        },
        (e: ApiError) => {
          if (seq.current === mine) setState((s) => ({ ...s, checking: false, failure: e }));
        },
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [docType, number, delayMs]);

  return state;
}
