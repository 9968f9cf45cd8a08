// 初审 / 终审: one case, read-only, with everything the reviewer checks (the
// whole filing, its materials, the ID checks, possible duplicates, the review
// history, a personal checklist) and the decisions this desk may take in the
// case's state. No rule lives here: the core decides (four eyes included) and
// the workspace shows what it answers.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { CheckOutlined, CloseOutlined, EyeOutlined, PrinterOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import type { ApiError, CaseDetail, CaseRow, DuplicateView, FinalDecision, RefusalGround, ReviewDecision, ReviewRecordView } from '../api/bindings';
import { STAGE_COLOR } from '../shared/stage';
import { fmtDate } from '../shared/format';
import { FileCacheProvider } from '../shared/files';
import { reviewApi } from './api';
import { DecisionError, RefuseModal, ReturnModal, SendBackModal } from './DecisionModals';
import { DraftSummary } from './DraftSummary';
import { ChecklistPanel, DuplicatesPanel, HistoryPanel, IdChecksPanel, MaterialsPanel, Panel } from './panels';
import { rt } from './texts';
import './review.css';
import { DEADLINE_COLOR } from '../shared/deadline';
import { CaseSyncBanner } from '../sync/CaseSyncBanner';
import { useSyncPulled } from '../sync/useSyncStatus';

export type ReviewDesk = 'first_review' | 'final_review';

export type ReviewWorkspaceProps = {
  /** A case id or serial. */
  caseKey: string;
  desk: ReviewDesk;
  /** The queue row the case was opened from (for the working days left). */
  row?: CaseRow;
  onClose?: () => void;
  /** After every decision the core accepted. */
  onChanged?: (c: CaseDetail) => void;
};

export function ReviewWorkspace(props: ReviewWorkspaceProps) {
  return (
    <FileCacheProvider>
      <Workspace {...props} />
    </FileCacheProvider>
  );
}

type Modal = null | 'return' | 'refuse' | 'sendBack';
type Busy = null | 'pass' | 'approve' | 'confirm' | 'print';

function Workspace({ caseKey, desk, row, onClose, onChanged }: ReviewWorkspaceProps) {
  const { message } = AntApp.useApp();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [duplicates, setDuplicates] = useState<DuplicateView[] | null>(null);
  const [dupError, setDupError] = useState<ApiError | null>(null);
  const [history, setHistory] = useState<ReviewRecordView[] | null>(null);
  const [histError, setHistError] = useState<ApiError | null>(null);
  const [checked, setChecked] = useState<string[]>([]);
  const [modal, setModal] = useState<Modal>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [printed, setPrinted] = useState<string | null>(null);

  const loadHistory = useCallback(async (id: string) => {
    try {
      setHistory(await reviewApi.reviewHistory(id));
      setHistError(null);
    } catch (e) {
      setHistError(e as ApiError);
    }
  }, []);

  const loadDuplicates = useCallback(async (id: string) => {
    try {
      setDuplicates(await reviewApi.possibleDuplicates(id));
      setDupError(null);
    } catch (e) {
      setDupError(e as ApiError);
    }
  }, []);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const c = await reviewApi.caseDetail(caseKey);
      setDetail(c);
      setLoadError(null);
      void loadDuplicates(c.id);
      void loadHistory(c.id);
      return c;
    } catch (e) {
      setLoadError(e as ApiError);
      return null;
    } finally {
      setLoading(false);
    }
  }, [caseKey, loadDuplicates, loadHistory]);

  useEffect(() => {
    void load();
  }, [load]);

  // Work from another station, or the server's verdict on this station's own,
  // came in. The open case then shows the record as it stands now (the
  // server's values, the 需处理 banner), read again only when it changed and
  // in full only if it was shown in full. A decision being written (its dialog
  // open) or under way is left as it is: its save meets the newer version.
  const detailRef = useRef(detail);
  detailRef.current = detail;
  const holdRef = useRef(false);
  holdRef.current = modal !== null || busy !== null;
  useSyncPulled(
    useCallback(() => {
      const d = detailRef.current;
      if (!d || holdRef.current) return;
      reviewApi
        .caseDetail(d.id)
        .then((c) => {
          const now = detailRef.current;
          if (!now || now.id !== c.id || holdRef.current) return null;
          if (c.version === now.version && c.sync_inbox === now.sync_inbox) return null;
          return now.revealed && !c.revealed ? reviewApi.revealCase(c.id) : c;
        })
        .then(
          (next) => {
            if (!next || detailRef.current?.id !== next.id || holdRef.current) return;
            setDetail(next);
            void loadHistory(next.id);
          },
          // The case stays as shown; 重新载入 or the next decision says what is wrong.
          () => {},
        );
    }, [loadHistory]),
  );

  const [revealing, setRevealing] = useState(false);
  const [revealError, setRevealError] = useState<ApiError | null>(null);
  /** 显示完整号码: the core returns the full values and logs the read. */
  const reveal = async () => {
    if (!detail) return;
    setRevealing(true);
    try {
      setDetail(await reviewApi.revealCase(detail.id));
      setRevealError(null);
    } catch (e) {
      setRevealError(e as ApiError);
    } finally {
      setRevealing(false);
    }
  };

  /** Runs a decision; on success shows the new state (read-only from then on). */
  const decide = async (run: (d: CaseDetail) => Promise<CaseDetail>, done: (c: CaseDetail) => string): Promise<ApiError | null> => {
    const d = detail;
    if (!d) return null;
    try {
      const c = await run(d);
      setDetail(c);
      setModal(null);
      setError(null);
      setPrinted(null);
      void message.success(done(c));
      onChanged?.(c);
      void loadHistory(c.id);
      return null;
    } catch (e) {
      return e as ApiError;
    }
  };

  const first = (decision: ReviewDecision, done: (c: CaseDetail) => string) =>
    decide((d) => reviewApi.firstReview({ case_id: d.id, version: d.version, decision }), done);
  const final = (decision: FinalDecision, done: (c: CaseDetail) => string) =>
    decide((d) => reviewApi.finalReview({ case_id: d.id, version: d.version, decision }), done);

  /** A decision taken from a Popconfirm: its failure shows in the workspace. */
  const direct = async (which: Busy, run: () => Promise<ApiError | null>) => {
    if (busy) return;
    setBusy(which);
    setError(null);
    const err = await run();
    setBusy(null);
    if (err) setError(err);
  };

  const pass = () => direct('pass', () => first({ kind: 'pass' }, () => rt('msg.passed')));
  const approve = () =>
    direct('approve', () => final({ kind: 'approve' }, (c) => rt('msg.approved', { regno: c.registration_number ?? '' })));
  const confirmRefusal = () => direct('confirm', () => final({ kind: 'confirm_refusal' }, () => rt('msg.refused')));
  const returnFor = (reasons: string[]) => first({ kind: 'return_for_correction', reasons }, () => rt('msg.returned'));
  const proposeRefusal = (v: { ground: RefusalGround; note: string }) =>
    first({ kind: 'propose_refusal', ground: v.ground, note: v.note }, () => rt('msg.proposed'));
  const sendBack = (note: string) => final({ kind: 'send_back', note }, () => rt('msg.sentBack'));

  const printNotice = async () => {
    if (!detail || busy) return;
    setBusy('print');
    setError(null);
    try {
      const path = await reviewApi.printNotice(detail.id);
      setPrinted(path);
      void message.success(rt('msg.printed', { path }));
    } catch (e) {
      const err = e as ApiError;
      setError({ ...err, message: rt('error.printFailed', { message: err.message }) });
    } finally {
      setBusy(null);
    }
  };

  const reload = async () => {
    setError(null);
    await load();
  };

  const openModal = (m: Modal) => {
    setError(null);
    setModal(m);
  };

  if (loadError) {
    return (
      <div className="review-workspace" data-testid="review-workspace">
        <Alert
          type="error"
          showIcon
          data-testid="review-load-error"
          message={rt('load.failed', { message: loadError.message })}
          action={
            <Space>
              <Button size="small" onClick={() => void reload()}>
                {rt('btn.reload')}
              </Button>
              {onClose && (
                <Button size="small" onClick={onClose} data-testid="review-close">
                  {rt('btn.close')}
                </Button>
              )}
            </Space>
          }
        />
      </div>
    );
  }

  const state = detail?.state;
  // Which desk decides the case now, and whether it has a notice, is the core's word.
  const onFirstDesk = desk === 'first_review' && detail?.decided_at === 'first_review';
  const onFinalDesk = desk === 'final_review' && detail?.decided_at === 'final_review';
  const canPrint = detail?.has_notice === true;
  const last = history && history.length > 0 ? history[history.length - 1] : null;

  // The working days left come from the queue row, while the case is still where the row saw it.
  const seen = row && detail && row.state === detail.state && !row.due_pending ? row : null;
  const left = seen?.days_left;
  const level = seen?.deadline_level;
  const leftTag =
    left === null || left === undefined || !level ? null : (
      <Tag color={DEADLINE_COLOR[level]} data-testid="review-days-left">
        {level === 'overdue' ? rt('header.overdue', { n: -left }) : left === 0 ? rt('header.lastDay') : rt('header.daysLeft', { n: left })}
      </Tag>
    );

  const actions = !detail ? null : (
    <Panel title={rt('section.actions')} testId="review-actions">
      {state === 'refusal_proposed' && last?.command === 'propose_refusal' && (
        <Alert
          className="review-note"
          type="warning"
          showIcon
          data-testid="review-proposal"
          message={rt('act.proposal', { ground: last.ground_label ?? '' })}
          description={last.note.trim() !== '' ? last.note : undefined}
        />
      )}
      {state === 'awaiting_first_review' && last?.command === 'send_back_to_first_review' && (
        <Alert className="review-note" type="warning" showIcon message={rt('act.sentBack', { note: last.note })} />
      )}
      {onFirstDesk && (
        <Space wrap>
          <Popconfirm
            title={rt('act.passConfirm')}
            okText={rt('act.ok')}
            cancelText={rt('btn.cancel')}
            okButtonProps={{ 'data-testid': 'review-pass-ok', autoFocus: true } as ButtonProps}
            onConfirm={() => void pass()}
          >
            <Button type="primary" icon={<CheckOutlined />} loading={busy === 'pass'} data-testid="review-pass">
              {rt('act.pass')}
            </Button>
          </Popconfirm>
          <Button icon={<RollbackOutlined />} onClick={() => openModal('return')} data-testid="review-return">
            {rt('act.return')}
          </Button>
          <Button danger icon={<StopOutlined />} onClick={() => openModal('refuse')} data-testid="review-refuse">
            {rt('act.refuse')}
          </Button>
        </Space>
      )}
      {onFinalDesk && (
        <Space wrap>
          {state === 'awaiting_final_review' && (
            <Popconfirm
              title={rt('act.approveConfirm')}
              description={rt('act.approveHint')}
              okText={rt('act.ok')}
              cancelText={rt('btn.cancel')}
              okButtonProps={{ 'data-testid': 'review-approve-ok', autoFocus: true } as ButtonProps}
              onConfirm={() => void approve()}
            >
              <Button type="primary" icon={<CheckOutlined />} loading={busy === 'approve'} data-testid="review-approve">
                {rt('act.approve')}
              </Button>
            </Popconfirm>
          )}
          {state === 'refusal_proposed' && (
            <Popconfirm
              title={rt('act.confirmRefusalConfirm')}
              okText={rt('act.ok')}
              cancelText={rt('btn.cancel')}
              okButtonProps={{ 'data-testid': 'confirm-refusal-ok', danger: true, autoFocus: true } as ButtonProps}
              onConfirm={() => void confirmRefusal()}
            >
              <Button danger type="primary" icon={<StopOutlined />} loading={busy === 'confirm'} data-testid="review-confirm-refusal">
                {rt('act.confirmRefusal')}
              </Button>
            </Popconfirm>
          )}
          <Button icon={<RollbackOutlined />} onClick={() => openModal('sendBack')} data-testid="review-send-back">
            {rt('act.sendBack')}
          </Button>
        </Space>
      )}
      {detail.registration_number && (
        <Alert
          className="review-note"
          type="success"
          showIcon
          data-testid="review-approved"
          message={rt('msg.approvedTitle')}
          description={<span className="review-regno-big mono">{detail.registration_number}</span>}
        />
      )}
      {canPrint && (
        <div className="review-print">
          <Button icon={<PrinterOutlined />} onClick={() => void printNotice()} loading={busy === 'print'} data-testid="review-print-notice">
            {rt('act.printNotice')}
          </Button>
        </div>
      )}
      {printed && (
        <Alert
          className="review-note"
          type="success"
          showIcon
          data-testid="review-printed"
          message={rt('msg.printed', { path: printed })}
          closable
          onClose={() => setPrinted(null)}
        />
      )}
      {!onFirstDesk && !onFinalDesk && !canPrint && !detail.registration_number && !detail.read_only && (
        <Typography.Text type="secondary" data-testid="review-readonly">
          {rt('act.readOnly', { state: detail.state_label })}
        </Typography.Text>
      )}
    </Panel>
  );

  return (
    <div className="review-workspace" data-testid="review-workspace">
      <div className="review-header">
        <div className="review-header-main">
          <Typography.Title level={4} className="review-title">
            {rt(desk === 'first_review' ? 'title.first' : 'title.final')}
          </Typography.Title>
          <span className="review-serial mono" data-testid="review-serial">
            {detail?.serial ?? caseKey}
          </span>
          {detail && (
            <Tag color={STAGE_COLOR[detail.stage] ?? 'default'} data-testid="review-state">
              {detail.state_label}
            </Tag>
          )}
          {detail?.accepted_on && (
            <Typography.Text type="secondary" data-testid="review-accepted">
              {rt('header.accepted')} {fmtDate(detail.accepted_on)}
            </Typography.Text>
          )}
          {detail?.due_on ? (
            <span data-testid="review-due">
              <Typography.Text type="secondary">{rt('header.due')}</Typography.Text> {fmtDate(detail.due_on)} {leftTag}
            </span>
          ) : row?.due_pending && detail && row.state === detail.state ? (
            <Tag data-testid="review-due">{rt('header.duePending')}</Tag>
          ) : null}
          {detail?.registration_number && (
            <span className="review-regno" data-testid="review-regno">
              {rt('header.regno')} <span className="mono">{detail.registration_number}</span>
            </span>
          )}
        </div>
        {onClose && (
          <Button icon={<CloseOutlined />} onClick={onClose} data-testid="review-close">
            {rt('btn.close')}
          </Button>
        )}
      </div>
      {detail && <CaseSyncBanner count={detail.sync_inbox} />}
      {detail?.read_only && (
        <Alert className="review-note" type="warning" showIcon data-testid="case-read-only" message={detail.read_only} />
      )}

      {error && (
        <DecisionError
          err={error}
          action={
            error.kind === 'conflict' ? (
              <Button size="small" onClick={() => void reload()} data-testid="review-reload">
                {rt('btn.reload')}
              </Button>
            ) : undefined
          }
        />
      )}

      {!detail && loading && (
        <div className="review-loading">
          <Spin />
        </div>
      )}
      <Spin spinning={loading && detail !== null}>
        {detail && (
          <div className="review-body">
            <div className="review-left">
              <Typography.Title level={5} className="review-section">
                {rt('section.filing')}
              </Typography.Title>
              {!detail.revealed && (
                <Alert
                  className="review-reveal"
                  type="info"
                  showIcon
                  data-testid="review-masked"
                  message={rt('reveal.masked')}
                  action={
                    <Button size="small" icon={<EyeOutlined />} loading={revealing} onClick={() => void reveal()} data-testid="review-reveal">
                      {rt('btn.reveal')}
                    </Button>
                  }
                />
              )}
              {revealError && <Alert type="error" showIcon message={revealError.message} data-testid="review-reveal-error" />}
              <DraftSummary draft={detail.draft} applicantName={detail.applicant_name} />
            </div>
            <div className="review-right">
              {actions}
              <ChecklistPanel value={checked} onChange={setChecked} />
              <MaterialsPanel draft={detail.draft} />
              <IdChecksPanel draft={detail.draft} masked={!detail.revealed} />
              <DuplicatesPanel items={duplicates} failure={dupError} />
              <HistoryPanel items={history} failure={histError} />
            </div>
          </div>
        )}
      </Spin>

      <ReturnModal open={modal === 'return'} onClose={() => setModal(null)} onSubmit={returnFor} />
      <RefuseModal open={modal === 'refuse'} onClose={() => setModal(null)} onSubmit={proposeRefusal} />
      <SendBackModal open={modal === 'sendBack'} onClose={() => setModal(null)} onSubmit={sendBack} />
    </div>
  );
}

/** The queue row a review opens from. */
export type ReviewRow = CaseRow;
