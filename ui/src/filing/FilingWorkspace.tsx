// 作品填报: a keyboard-first wizard over ONE form whose field names mirror the
// core's FilingDraft, with 暂存/autosave, submission for signing (every problem
// the core names shown under its field) and the ordered signatures. No rule
// lives here: the core decides on save and submit.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Modal, Space, Spin, Steps, Tag, Typography } from 'antd';
import { CloseOutlined, FileDoneOutlined, LeftOutlined, PrinterOutlined, RightOutlined, RollbackOutlined, SaveOutlined } from '@ant-design/icons';
import type { ApiError, Attribution, CaseDetail, FieldError, FilingDraft, UnfitParty } from '../api/bindings';
import { STAGE_COLOR } from '../shared/stage';
import { fmtTime } from '../shared/format';
import { focusableFields } from '../shared/keyboard';
import { enterKeys } from './keys';
import { api } from '../api/client';
import { filingApi } from './api';
import {
  REVIEW_STEP,
  STEP_COUNT,
  changedPaths,
  corePath,
  displayPath,
  emptyWriter,
  isAutosavable,
  isEditable,
  newDraft,
  related,
  stepOf,
  toDraft,
  typedIds,
  withoutUnfit,
} from './draft';
import type { NamePath } from './draft';
import { FileCacheProvider } from '../shared/files';
import { label } from './options';
import { ApplicantPicker } from './ApplicantPicker';
import type { PickedApplicant } from './ApplicantPicker';
import { SigningPanel } from './SigningPanel';
import { DeliveryStep, DescriptionStep, FilesStep, PartiesStep, ReviewStep, RightsStep, WorkStep } from './steps';
import type { ListErrors } from './steps';
import { ft } from './texts';
import type { FilingTextKey } from './texts';
import './filing.css';
import { CaseSyncBanner } from '../sync/CaseSyncBanner';
import { useSyncPulled } from '../sync/useSyncStatus';

/** Autosave this long after the last change (an existing case only). */
export const AUTOSAVE_MS = 20_000;

const STEP_TITLES: FilingTextKey[] = [
  'step.work',
  'step.rights',
  'step.parties',
  'step.files',
  'step.description',
  'step.delivery',
  'step.review',
];

export type FilingWorkspaceProps = {
  /** A case id or serial to open; none = a new filing. */
  caseKey?: string;
  onClose?: () => void;
  /** After every successful save, submission or signature. */
  onSaved?: (c: CaseDetail) => void;
  /**
   * 重做 a filing the server rejected: the case opens as stored, then the
   * form takes what was entered (unsaved until the clerk saves it).
   */
  prefill?: FilingDraft;
};

export function FilingWorkspace(props: FilingWorkspaceProps) {
  return (
    <FileCacheProvider>
      <Workspace {...props} />
    </FileCacheProvider>
  );
}

type AskOptions = {
  title: string;
  content: ReactNode;
  okText: string;
  cancelText: string;
  /** A third choice (returns 'extra'). */
  extraText?: string;
  testId: string;
  okTestId?: string;
  cancelTestId?: string;
  danger?: boolean;
};
type Answer = 'ok' | 'cancel' | 'extra';

/** A small confirm dialog that answers through a promise. */
function useAsk(): [(o: AskOptions) => Promise<Answer>, ReactNode] {
  const [q, setQ] = useState<(AskOptions & { resolve: (a: Answer) => void }) | null>(null);
  const ask = useCallback((o: AskOptions) => new Promise<Answer>((resolve) => setQ({ ...o, resolve })), []);
  const finish = (a: Answer) => {
    q?.resolve(a);
    setQ(null);
  };
  const node = (
    <Modal
      open={q !== null}
      title={q?.title}
      onCancel={() => finish('cancel')}
      maskClosable={false}
      forceRender
      footer={
        q
          ? [
              <Button key="cancel" onClick={() => finish('cancel')} data-testid={q.cancelTestId ?? `${q.testId}-cancel`}>
                {q.cancelText}
              </Button>,
              ...(q.extraText
                ? [
                    <Button key="extra" onClick={() => finish('extra')} data-testid={`${q.testId}-extra`}>
                      {q.extraText}
                    </Button>,
                  ]
                : []),
              <Button
                key="ok"
                type="primary"
                danger={q.danger}
                autoFocus
                onClick={() => finish('ok')}
                data-testid={q.okTestId ?? `${q.testId}-ok`}
              >
                {q.okText}
              </Button>,
            ]
          : null
      }
    >
      {q && <div data-testid={q.testId}>{q.content}</div>}
    </Modal>
  );
  return [ask, node];
}

type Problems = { message: string; fields: FieldError[] };

/** Where a field belongs, for the list of problems (著作权人 2 · ...). */
function whereOf(path: NamePath): string {
  const [head, index] = path;
  if (head === 'owners' && typeof index === 'number') return `${ft('errors.where.owner', { n: index + 1 })} · `;
  if (head === 'authors' && typeof index === 'number') return `${ft('errors.where.author', { n: index + 1 })} · `;
  if (head === 'writer') return `${ft('errors.where.writer')} · `;
  return '';
}

const fieldId = (path: NamePath) => `filing_${path.join('_')}`;

/** 撤回: the applicant's request, confirmed with its reason; the core refuses a blank one by name. */
function WithdrawModal({
  open,
  detail,
  onClose,
  onDone,
}: {
  open: boolean;
  detail: CaseDetail;
  onClose: () => void;
  onDone: (c: CaseDetail) => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      setReason('');
      setFailure(null);
    }
  }, [open]);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      onDone(await filingApi.withdraw({ case_id: detail.id, version: detail.version, reason }));
    } catch (e) {
      setFailure((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={ft('withdraw.title', { serial: detail.serial })}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {ft('btn.cancel')}
        </Button>,
        <Button key="ok" danger type="primary" loading={busy} onClick={() => void confirm()} data-testid="withdraw-confirm">
          {ft('withdraw.confirm')}
        </Button>,
      ]}
    >
      <div data-testid="withdraw-modal">
        <Typography.Paragraph>{ft('withdraw.hint', { title: detail.draft.work.title || detail.serial })}</Typography.Paragraph>
        <Typography.Text strong>{ft('withdraw.reason')}</Typography.Text>
        <Input.TextArea
          autoFocus
          rows={2}
          value={reason}
          placeholder={ft('withdraw.reasonPlaceholder')}
          onChange={(e) => setReason(e.target.value)}
          data-testid="withdraw-reason"
          status={failure ? 'error' : undefined}
        />
        {failure && <Alert className="filing-alert" type="error" showIcon message={failure} data-testid="withdraw-error" />}
      </div>
    </Modal>
  );
}

function Workspace({ caseKey, onClose, onSaved, prefill }: FilingWorkspaceProps) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const initial = useMemo(() => newDraft(), []);
  // Read once, when the case has loaded.
  const prefillRef = useRef(prefill);
  const [ask, askNode] = useAsk();

  const [detail, setDetailState] = useState<CaseDetail | null>(null);
  const detailRef = useRef<CaseDetail | null>(null);
  const setDetail = (c: CaseDetail | null) => {
    detailRef.current = c;
    setDetailState(c);
  };
  const [loading, setLoading] = useState(Boolean(caseKey));
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [step, setStep] = useState(0);
  const [focusTick, setFocusTick] = useState(0);
  const focusNext = useRef<string | null>(null);
  const stepRefs = useRef<(HTMLDivElement | null)[]>([]);
  const [problems, setProblems] = useState<Problems | null>(null);
  const [listErrors, setListErrors] = useState<ListErrors>({});
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [savedAt, setSavedAt] = useState<{ at: Date; auto: boolean } | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);
  const [dirty, setDirtyUI] = useState(false);
  const dirtyRef = useRef(false);
  const [applicant, setApplicantState] = useState<PickedApplicant | null>(null);
  const applicantRef = useRef<PickedApplicant | null>(null);
  const [busy, setBusy] = useState<null | 'save' | 'submit' | 'print'>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const saveRef = useRef<(o?: { auto?: boolean }) => Promise<CaseDetail | null>>(async () => null);

  const editable = isEditable(detail);

  const setApplicant = (a: PickedApplicant | null) => {
    applicantRef.current = a;
    setApplicantState(a);
  };

  const markDirty = useCallback(() => {
    dirtyRef.current = true;
    setDirtyUI(true);
    clearTimeout(timer.current);
    const d = detailRef.current;
    if (d && isAutosavable(d)) {
      timer.current = setTimeout(() => void saveRef.current({ auto: true }), AUTOSAVE_MS);
    }
  }, []);

  useEffect(() => () => clearTimeout(timer.current), []);

  /** Shows a case as stored, replacing whatever the form held. */
  const applyLoaded = useCallback(
    (c: CaseDetail) => {
      setDetail(c);
      form.resetFields();
      const d = toDraft(c.draft);
      form.setFields((Object.keys(d) as (keyof FilingDraft)[]).map((k) => ({ name: [k], value: d[k] })));
      dirtyRef.current = false;
      setDirtyUI(false);
      setProblems(null);
      setListErrors({});
      setApplicant(c.applicant_id ? { id: c.applicant_id, name: c.applicant_name } : null);
    },
    [form],
  );

  useEffect(() => {
    if (!caseKey) return;
    let live = true;
    setLoading(true);
    filingApi.revealCase(caseKey).then(
      (c) => {
        if (!live) return;
        applyLoaded(c);
        if (prefillRef.current) {
          const d = toDraft(prefillRef.current);
          form.setFields((Object.keys(d) as (keyof FilingDraft)[]).map((k) => ({ name: [k], value: d[k] })));
          dirtyRef.current = true;
          setDirtyUI(true);
        }
        setStep(isAutosavable(c) ? 0 : REVIEW_STEP);
        setLoading(false);
      },
      (e: ApiError) => {
        if (!live) return;
        setLoadError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [caseKey, applyLoaded, form]);

  // Work from another station, or the server's verdict on this station's own,
  // came in. An open case the person has not changed then shows the record as
  // it stands now (the server's title, the 需处理 banner). It is read in full
  // (a logged reveal) only when it changed; a form with unsaved input is left
  // as it is, and its save meets the newer version.
  useSyncPulled(
    useCallback(() => {
      const d = detailRef.current;
      if (!d || dirtyRef.current) return;
      filingApi
        .caseDetail(d.id)
        .then((c) => {
          const now = detailRef.current;
          if (!now || now.id !== c.id || dirtyRef.current) return null;
          if (c.version === now.version && c.sync_inbox === now.sync_inbox) return null;
          return filingApi.revealCase(c.id);
        })
        .then(
          (full) => {
            if (full && detailRef.current?.id === full.id && !dirtyRef.current) applyLoaded(full);
          },
          // The form stays as it was; the next save or 重新载入 says what is wrong.
          () => {},
        );
    }, [applyLoaded]),
  );

  // Focus: the first field of a step on arrival, or the field with a problem.
  const mounted = useRef(false);
  useEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    const id = focusNext.current;
    focusNext.current = null;
    const target = id ? document.getElementById(id) : null;
    if (target) {
      target.focus();
      return;
    }
    const root = stepRefs.current[step];
    // A step without fields (核对与提交) puts the focus on its first button, so the keys keep working.
    if (root) (focusableFields(root)[0] ?? root.querySelector<HTMLElement>('button:not([disabled])'))?.focus();
  }, [step, focusTick]);

  /** Puts the core's field problems under their fields and lists them all. */
  const showProblems = (err: ApiError, jump: boolean) => {
    const stale = form.getFieldsError().filter((f) => f.errors.length > 0);
    if (stale.length > 0) form.setFields(stale.map((f) => ({ name: f.name, errors: [] })));
    const hasWriter = Boolean(form.getFieldValue('writer'));
    const byField = new Map<string, { name: NamePath; errors: string[] }>();
    const lists: ListErrors = {};
    for (const f of err.fields) {
      const path = corePath(f.field);
      const shown = displayPath(path, hasWriter);
      if (shown) {
        const key = JSON.stringify(shown);
        const entry = byField.get(key) ?? { name: shown, errors: [] };
        entry.errors.push(f.message);
        byField.set(key, entry);
      } else {
        const k = String(path[0]) as keyof ListErrors;
        lists[k] = [...(lists[k] ?? []), f.message];
      }
    }
    if (byField.size > 0) form.setFields([...byField.values()].map(({ name, errors }) => ({ name, errors })));
    setListErrors(lists);
    setProblems({ message: err.message, fields: err.fields });
    if (jump && err.fields.length > 0) {
      const first = err.fields
        .map((f) => corePath(f.field))
        .reduce<NamePath | null>((best, p) => (best === null || stepOf(p) < stepOf(best) ? p : best), null);
      if (first) {
        const shown = displayPath(first, hasWriter);
        focusNext.current = shown ? fieldId(shown) : null;
        setStep(stepOf(first));
        setFocusTick((n) => n + 1);
      }
    }
  };

  const doSave = async ({ auto = false }: { auto?: boolean }): Promise<CaseDetail | null> => {
    const d = detailRef.current;
    if (auto && (!d || !dirtyRef.current || !isAutosavable(d))) return d;
    if (!auto && d && d.edit_voids_signatures && dirtyRef.current && d.signing.some((l) => l.status === 'signed')) {
      const answer = await ask({
        title: ft('confirm.voidTitle'),
        content: ft('confirm.void'),
        okText: ft('btn.ok'),
        cancelText: ft('btn.cancel'),
        testId: 'void-confirm',
        danger: true,
      });
      if (answer !== 'ok') return null;
    }
    clearTimeout(timer.current);
    const draft = toDraft(form.getFieldsValue(true));
    dirtyRef.current = false;
    if (!auto) setBusy('save');
    try {
      const c = await filingApi.saveDraft({
        case_id: d?.id ?? null,
        version: d?.version ?? null,
        applicant_id: applicantRef.current?.id ?? null,
        draft,
      });
      setDetail(c);
      setSaveError(null);
      setSavedAt({ at: new Date(), auto });
      if (!dirtyRef.current) setDirtyUI(false);
      else markDirty();
      if (!auto) void message.success(d ? ft('msg.saved') : ft('msg.created', { serial: c.serial }));
      onSaved?.(c);
      return c;
    } catch (e) {
      const err = e as ApiError;
      dirtyRef.current = true;
      setDirtyUI(true);
      setSaveError(err);
      if (err.kind === 'validation' && err.fields.length > 0) showProblems(err, false);
      return null;
    } finally {
      if (!auto) setBusy(null);
    }
  };

  /** 暂存 (one save at a time; a second waits for the first). */
  const save = (opts: { auto?: boolean } = {}): Promise<CaseDetail | null> => {
    const run = chain.current.then(
      () => doSave(opts),
      () => doSave(opts),
    );
    chain.current = run.catch(() => undefined);
    return run;
  };
  saveRef.current = save;

  const moving = useRef(false);
  const goTo = async (n: number) => {
    if (n < 0 || n >= STEP_COUNT || n === step || moving.current) return;
    if (n > step && editable) {
      // A wrong identity number blocks moving on; the core judges each number.
      moving.current = true;
      let wrong: { path: NamePath; message: string }[] = [];
      try {
        const ids = typedIds(form.getFieldsValue(true) as Partial<FilingDraft>, step);
        const views = await Promise.all(ids.map((x) => api.checkId({ doc_type: x.doc_type, number: x.number })));
        wrong = ids.flatMap((x, i) => (views[i].valid ? [] : [{ path: x.path, message: views[i].error?.message ?? ft('errors.idInvalid') }]));
      } catch {
        // the check is unavailable: moving on is harmless, submission checks again
      } finally {
        moving.current = false;
      }
      if (wrong.length > 0) {
        form.setFields(wrong.map((w) => ({ name: w.path, errors: [w.message] })));
        void message.error(ft('errors.idBlocks', { count: wrong.length }));
        document.getElementById(fieldId(wrong[0].path))?.focus();
        return;
      }
    }
    setStep(n);
    const d = detailRef.current;
    if (dirtyRef.current && d && isAutosavable(d)) void save({ auto: true });
  };

  const canSubmit = editable && (detail === null || !detail.edit_voids_signatures || dirty);

  const submit = async () => {
    if (busy || !canSubmit) return;
    let d = detailRef.current;
    if (!d || dirtyRef.current) {
      d = await save();
      if (!d) return;
    }
    if (d.state !== 'draft' && d.state !== 'returned_for_correction') {
      setStep(REVIEW_STEP);
      return;
    }
    setBusy('submit');
    try {
      const c = await filingApi.submitForSigning({ case_id: d.id, version: d.version });
      setDetail(c);
      setProblems(null);
      setListErrors({});
      const stale = form.getFieldsError().filter((f) => f.errors.length > 0);
      if (stale.length > 0) form.setFields(stale.map((f) => ({ name: f.name, errors: [] })));
      setStep(REVIEW_STEP);
      void message.success(ft('msg.submitted'));
      onSaved?.(c);
    } catch (e) {
      const err = e as ApiError;
      if (err.kind === 'validation' && err.fields.length > 0) showProblems(err, true);
      else setProblems({ message: ft('errors.submitFailed', { message: err.message }), fields: [] });
    } finally {
      setBusy(null);
    }
  };

  const print = async () => {
    let d = detailRef.current;
    if (!d || busy) return;
    if (dirtyRef.current && isEditable(d)) {
      d = await save();
      if (!d) return;
    }
    setBusy('print');
    try {
      const path = await filingApi.printApplicationForm(d.id);
      setPrinted(path);
      void message.success(ft('msg.printed', { path }));
    } catch (e) {
      void message.error(ft('errors.printFailed', { message: (e as ApiError).message }));
    } finally {
      setBusy(null);
    }
  };

  // 受理通知书: the core says whether the case was accepted (has_acceptance_notice).
  const printNotice = async () => {
    const d = detailRef.current;
    if (!d || busy) return;
    setBusy('print');
    try {
      const path = await filingApi.printAcceptanceNotice(d.serial);
      setPrinted(path);
      void message.success(ft('msg.noticePrinted', { path }));
    } catch (e) {
      void message.error(ft('errors.noticeFailed', { message: (e as ApiError).message }));
    } finally {
      setBusy(null);
    }
  };

  const [withdrawing, setWithdrawing] = useState(false);

  const reload = async () => {
    const d = detailRef.current;
    if (!d) return;
    const answer = await ask({
      title: ft('confirm.reloadTitle'),
      content: ft('confirm.reload'),
      okText: ft('btn.reload'),
      cancelText: ft('btn.cancel'),
      testId: 'reload-confirm',
      danger: true,
    });
    if (answer !== 'ok') return;
    try {
      const c = await filingApi.revealCase(d.id);
      applyLoaded(c);
      setSaveError(null);
    } catch (e) {
      setSaveError(e as ApiError);
    }
  };

  const close = async () => {
    if (!onClose) return;
    if (dirtyRef.current && editable) {
      const answer = await ask({
        title: ft('confirm.closeTitle'),
        content: ft('confirm.close'),
        okText: ft('btn.saveAndClose'),
        cancelText: ft('btn.keepEditing'),
        extraText: ft('btn.closeWithoutSave'),
        testId: 'close-confirm',
      });
      if (answer === 'cancel') return;
      if (answer === 'ok' && !(await save())) return;
    }
    clearTimeout(timer.current);
    onClose();
  };

  /** Before a new 权利归属方式: the parties that no longer fit are removed, or the change is dropped. */
  const guardAttribution = async (next: Attribution): Promise<boolean> => {
    let unfit: UnfitParty[];
    try {
      unfit = await filingApi.partiesNotFitting({ draft: toDraft(form.getFieldsValue(true)), attribution: next });
    } catch (e) {
      void message.error(ft('errors.unfitFailed', { message: (e as ApiError).message }));
      return false;
    }
    if (unfit.length === 0) return true;
    const answer = await ask({
      title: ft('unfit.title'),
      content: (
        <>
          <Typography.Paragraph>{ft('unfit.intro', { attribution: label('attribution', next) })}</Typography.Paragraph>
          <ul className="filing-unfit-list">
            {unfit.map((u) => (
              <li key={`${u.role}-${u.index}`}>
                <Typography.Text strong>
                  {ft(`unfit.role.${u.role}`)} {u.name}
                </Typography.Text>
                ：{u.message}
              </li>
            ))}
          </ul>
        </>
      ),
      okText: ft('unfit.confirm'),
      cancelText: ft('unfit.cancel'),
      testId: 'unfit-modal',
      okTestId: 'unfit-confirm',
      cancelTestId: 'unfit-cancel',
      danger: true,
    });
    if (answer !== 'ok') return false;
    const kept = withoutUnfit(toDraft(form.getFieldsValue(true)), unfit);
    form.setFieldValue('owners', kept.owners);
    form.setFieldValue('authors', kept.authors);
    form.setFieldValue('writer', kept.writer);
    markDirty();
    return true;
  };

  const onValuesChange = (changed: unknown) => {
    markDirty();
    // a message from the last save or submission belongs to the old value
    const paths = changedPaths(changed);
    const stale = form.getFieldsError().filter((f) => f.errors.length > 0 && paths.some((p) => related(f.name, p)));
    if (stale.length > 0) form.setFields(stale.map((f) => ({ name: f.name, errors: [] })));
  };

  const pickApplicant = async (a: PickedApplicant | null) => {
    setApplicant(a);
    markDirty();
    if (!a?.profile) return;
    let p = a.profile;
    const fill: Partial<Record<'invoice_email' | 'recipient_name' | 'recipient_phone' | 'postal_address', string>> = {};
    for (const k of ['invoice_email', 'recipient_name', 'recipient_phone', 'postal_address'] as const) {
      const cur = form.getFieldValue(k) as string | undefined;
      if (!cur || cur.trim() === '') fill[k] = p[k];
    }
    if ('postal_address' in fill && !p.revealed) {
      // Lists show the address masked: the full one is read (and logged) to fill the form.
      try {
        p = await filingApi.revealApplicant(p.id);
        fill.postal_address = p.postal_address;
      } catch (e) {
        delete fill.postal_address;
        void message.error((e as ApiError).message);
      }
    }
    for (const [k, v] of Object.entries(fill)) form.setFieldValue(k, v);
  };

  const jumpTo = (field: string) => {
    const path = corePath(field);
    const shown = displayPath(path, Boolean(form.getFieldValue('writer')));
    focusNext.current = shown ? fieldId(shown) : null;
    setStep(stepOf(path));
    setFocusTick((n) => n + 1);
  };

  /** The workspace's keys: Alt+1…7 to a step, Ctrl+S to save, Ctrl+Enter to move on or submit. */
  type Keys = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'keyCode' | 'preventDefault' | 'stopPropagation'> & {
    isComposing: boolean;
  };
  const handleKeys = (e: Keys) => {
    if (e.isComposing || e.keyCode === 229) return;
    // Alt+1 … Alt+7: straight to a step.
    if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-7]$/.test(e.code)) {
      e.preventDefault();
      e.stopPropagation();
      const n = Number(e.code.slice(5)) - 1;
      if (n === step) setFocusTick((t) => t + 1);
      else void goTo(n);
      return;
    }
    if (!(e.ctrlKey || e.metaKey)) return;
    if (e.key === 's' || e.key === 'S') {
      e.preventDefault();
      e.stopPropagation();
      // As 暂存: nothing to save where the filing may not change.
      if (editable) void save();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      if (step === REVIEW_STEP) void submit();
      else void goTo(step + 1);
    }
  };
  const onRootKeys = (e: KeyboardEvent<HTMLDivElement>) => handleKeys({ ...e, isComposing: e.nativeEvent.isComposing, preventDefault: () => e.preventDefault(), stopPropagation: () => e.stopPropagation() });
  // When a closed dialog leaves the focus on the page itself, the keys still work.
  const keysRef = useRef(handleKeys);
  keysRef.current = handleKeys;
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.target === document.body) keysRef.current(e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const errorSteps = new Set((problems?.fields ?? []).map((f) => stepOf(corePath(f.field))));
  const showSigning = detail !== null && detail.signing.length > 0 && !isAutosavable(detail);

  if (loadError) {
    return (
      <div className="filing-workspace" data-testid="filing-workspace">
        <Alert
          type="error"
          showIcon
          data-testid="filing-load-error"
          message={ft('errors.loadFailed', { message: loadError.message })}
          action={onClose ? <Button onClick={onClose}>{ft('btn.close')}</Button> : undefined}
        />
      </div>
    );
  }

  const statusText = dirty
    ? ft('header.dirty')
    : savedAt
      ? ft(savedAt.auto ? 'header.autosaved' : 'header.saved', { time: fmtTime(savedAt.at.toISOString()) })
      : detail
        ? ''
        : ft('header.unsaved');

  return (
    <div className="filing-workspace" data-testid="filing-workspace" onKeyDownCapture={onRootKeys}>
      <div className="filing-header">
        <div className="filing-header-main">
          <Typography.Title level={4} className="filing-title">
            {detail ? ft('title.edit') : ft('title.new')}
          </Typography.Title>
          {detail ? (
            <span className="filing-serial mono" data-testid="filing-serial">
              {detail.serial}
            </span>
          ) : (
            <Typography.Text type="secondary">{ft('header.serialPending')}</Typography.Text>
          )}
          <Tag color={detail ? STAGE_COLOR[detail.stage] : 'default'} data-testid="filing-state">
            {detail ? detail.state_label : ft('state.new')}
          </Tag>
          <Typography.Text type={dirty ? 'warning' : 'secondary'} className="filing-status" data-testid="filing-save-status">
            {statusText}
          </Typography.Text>
        </div>
        <Space wrap className="filing-actions">
          <Button icon={<SaveOutlined />} onClick={() => void save()} loading={busy === 'save'} disabled={!editable} data-testid="filing-save">
            {ft('btn.save')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => void print()} loading={busy === 'print'} disabled={!detail} data-testid="filing-print">
            {ft('btn.print')}
          </Button>
          {detail?.has_acceptance_notice && (
            <Button icon={<FileDoneOutlined />} onClick={() => void printNotice()} loading={busy === 'print'} data-testid="filing-acceptance-notice">
              {ft('btn.acceptanceNotice')}
            </Button>
          )}
          {detail?.withdrawable && (
            <Button danger icon={<RollbackOutlined />} onClick={() => setWithdrawing(true)} data-testid="filing-withdraw">
              {ft('btn.withdraw')}
            </Button>
          )}
          <Button icon={<LeftOutlined />} onClick={() => void goTo(step - 1)} disabled={step === 0} data-testid="filing-prev">
            {ft('btn.prev')}
          </Button>
          <Button onClick={() => void goTo(step + 1)} disabled={step === REVIEW_STEP} data-testid="filing-next">
            {ft('btn.next')} <RightOutlined />
          </Button>
          {onClose && (
            <Button icon={<CloseOutlined />} onClick={() => void close()} data-testid="filing-close">
              {ft('btn.close')}
            </Button>
          )}
        </Space>
      </div>
      <div className="filing-subheader">
        <ApplicantPicker value={applicant} onChange={pickApplicant} disabled={!editable} />
        <Typography.Text type="secondary" className="filing-keys">
          {ft('header.keys')}
        </Typography.Text>
      </div>

      <Steps
        size="small"
        className="filing-steps"
        current={step}
        onChange={(n) => void goTo(n)}
        items={STEP_TITLES.map((k, i) => ({
          title: <span data-testid={`filing-step-${i}`}>{ft(k)}</span>,
          status: errorSteps.has(i) && i !== step ? 'error' : undefined,
        }))}
      />

      {detail && <CaseSyncBanner count={detail.sync_inbox} />}
      {detail?.read_only && (
        <Alert className="filing-alert" type="warning" showIcon data-testid="case-read-only" message={detail.read_only} />
      )}
      {saveError && (
        <Alert
          className="filing-alert"
          type="error"
          showIcon
          data-testid="filing-save-error"
          message={ft('errors.saveFailed', { message: saveError.message })}
          description={saveError.kind === 'conflict' ? ft('errors.conflictHint') : undefined}
          action={
            saveError.kind === 'conflict' && detail ? (
              <Button size="small" onClick={() => void reload()} data-testid="filing-reload">
                {ft('btn.reload')}
              </Button>
            ) : undefined
          }
          closable
          onClose={() => setSaveError(null)}
        />
      )}
      {detail && (
        <WithdrawModal
          open={withdrawing}
          detail={detail}
          onClose={() => setWithdrawing(false)}
          onDone={(c) => {
            setWithdrawing(false);
            setDetail(c);
            void message.success(ft('msg.withdrawn', { serial: c.serial }));
            onSaved?.(c);
          }}
        />
      )}
      {printed && (
        <Alert
          className="filing-alert"
          type="success"
          showIcon
          data-testid="filing-printed"
          message={ft('msg.printed', { path: printed })}
          closable
          onClose={() => setPrinted(null)}
        />
      )}
      {problems && (
        <Alert
          className="filing-alert"
          type="error"
          showIcon
          data-testid="filing-errors"
          message={problems.fields.length > 0 ? ft('errors.title', { count: problems.fields.length }) : problems.message}
          description={
            problems.fields.length > 0 ? (
              <ul className="filing-error-list">
                {problems.fields.map((f, i) => (
                  <li key={`${f.field}-${f.code}-${i}`}>
                    <Typography.Link onClick={() => jumpTo(f.field)}>
                      {whereOf(corePath(f.field))}
                      {f.message}
                    </Typography.Link>
                  </li>
                ))}
              </ul>
            ) : undefined
          }
          closable
          onClose={() => setProblems(null)}
        />
      )}

      <Spin spinning={loading}>
        <div className="filing-body" onKeyDownCapture={enterKeys(() => void (step < REVIEW_STEP ? goTo(step + 1) : submit()))}>
          <Form
            form={form}
            name="filing"
            layout="vertical"
            initialValues={initial}
            onValuesChange={onValuesChange}
            disabled={!editable}
            preserve
            className="filing-form"
          >
            {STEP_TITLES.map((k, i) => (
              <div
                key={k}
                ref={(el) => {
                  stepRefs.current[i] = el;
                }}
                className="filing-step"
                hidden={i !== step}
                aria-hidden={i !== step}
                data-testid={`filing-pane-${i}`}
              >
                {i === 0 && <WorkStep />}
                {i === 1 && <RightsStep guardAttribution={guardAttribution} />}
                {i === 2 && (
                  <PartiesStep
                    listErrors={listErrors}
                    markDirty={markDirty}
                    onAddWriter={() => {
                      form.setFieldValue('writer', emptyWriter());
                      markDirty();
                    }}
                    onRemoveWriter={() => {
                      form.setFieldValue('writer', null);
                      markDirty();
                    }}
                  />
                )}
                {i === 3 && <FilesStep />}
                {i === 4 && <DescriptionStep />}
                {i === 5 && <DeliveryStep />}
                {i === 6 && step === REVIEW_STEP && (
                  <ReviewStep
                    applicantName={applicant?.name ?? null}
                    canSubmit={canSubmit}
                    submitting={busy === 'submit'}
                    submitted={showSigning}
                    locked={!editable}
                    readOnly={Boolean(detail?.read_only)}
                    onSubmit={() => void submit()}
                  />
                )}
              </div>
            ))}
          </Form>
        </div>
        {step === REVIEW_STEP && showSigning && detail && (
          <SigningPanel
            detail={detail}
            onChange={(c) => {
              setDetail(c);
              onSaved?.(c);
            }}
          />
        )}
      </Spin>
      {askNode}
    </div>
  );
}
