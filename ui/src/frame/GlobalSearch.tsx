// The top bar's case finder (UI.md: Ctrl+K finds a case by serial,
// registration number, title, name or ID number). The core searches every
// queue and says which of the person's desks work the case found; the drawer
// shows the case at a glance and opens it at one of those desks.
import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, AutoComplete, Button, Descriptions, Drawer, Input, Space, Tag, Typography } from 'antd';
import type { InputRef } from 'antd';
import { FileDoneOutlined, SearchOutlined } from '@ant-design/icons';
import type { ApiError, CaseHit, CaseSearchResult, Desk, DeskOption, HistoricView } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { fmtDate } from '../shared/format';
import { DueCell } from '../shared/QueueTable';
import { STAGE_COLOR } from '../shared/stage';

/** How long typing rests before the core is asked. */
export const SEARCH_DELAY_MS = 200;

/** Ctrl+K (⌘K on a Mac keyboard) anywhere in the window. */
export function isFindShortcut(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
}

export function GlobalSearch({ desks, onOpenAt }: { desks: DeskOption[]; onOpenAt: (desk: Desk, hit: CaseHit) => void }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<CaseSearchResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [shown, setShown] = useState<CaseHit | null>(null);
  const input = useRef<InputRef>(null);
  const asked = useRef(0);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isFindShortcut(e)) return;
      e.preventDefault();
      input.current?.focus({ cursor: 'all' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const query = text.trim();
    const n = ++asked.current;
    if (query === '') {
      setResult(null);
      setError(null);
      return;
    }
    const timer = setTimeout(() => {
      api.searchCases({ text: query }).then(
        (r) => {
          if (n !== asked.current) return;
          setResult(r);
          setError(null);
        },
        (e: ApiError) => {
          if (n !== asked.current) return;
          setResult(null);
          setError(e);
        },
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const hits = result?.hits ?? [];
  const options = hits.map((h, i) => ({
    value: h.case.serial,
    label: <HitLine hit={h} testId={`global-search-option-${i}`} />,
  }));
  // The old register's registrations (read-only, no case to open).
  for (const [i, h] of (result?.historic ?? []).entries()) {
    options.push({
      value: `historic:${h.number}`,
      label: <HistoricLine h={h} testId={`global-search-historic-${i}`} />,
      disabled: true,
    } as (typeof options)[number]);
  }
  if (result && (result.more || result.total > hits.length)) {
    options.push({
      value: '',
      label: (
        <Typography.Text type="secondary" data-testid="global-search-more">
          {t(result.more ? 'search.many' : 'search.more', { total: result.total, shown: hits.length })}
        </Typography.Text>
      ),
      disabled: true,
    } as (typeof options)[number]);
  }

  const notFound =
    error !== null ? (
      <Typography.Text type="danger" data-testid="global-search-error">
        {error.message}
      </Typography.Text>
    ) : result && text.trim() !== '' ? (
      <Typography.Text type="secondary" data-testid="global-search-none">
        {t('search.none', { text: text.trim() })}
      </Typography.Text>
    ) : null;

  return (
    <>
      <AutoComplete
        className="global-search"
        value={text}
        options={options}
        onChange={(v: string) => setText(v ?? '')}
        onSelect={(serial: string) => {
          const hit = hits.find((h) => h.case.serial === serial);
          if (hit) setShown(hit);
        }}
        notFoundContent={notFound}
        defaultActiveFirstOption
        popupMatchSelectWidth={520}
        filterOption={false}
      >
        <Input
          ref={input}
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('search.placeholder')}
          suffix={<span className="global-search-key">Ctrl K</span>}
          aria-label={t('search.placeholder')}
          data-testid="global-search"
        />
      </AutoComplete>
      <CaseGlance
        hit={shown}
        desks={desks}
        onClose={() => setShown(null)}
        onOpenAt={(desk, hit) => {
          setShown(null);
          setText('');
          onOpenAt(desk, hit);
        }}
      />
    </>
  );
}

function HistoricLine({ h, testId }: { h: HistoricView; testId: string }) {
  return (
    <div className="global-search-hit" data-testid={testId}>
      <div>
        <Tag color={h.revoked ? 'red' : 'green'} className="global-search-state">
          {h.revoked ? t('search.historicRevoked') : t('search.historic')}
        </Tag>
        <span className="mono global-search-regno">{h.number}</span> {fmtDate(h.registered_on)}
      </div>
      <div className="global-search-line2">
        <Typography.Text strong ellipsis>
          {h.title}
        </Typography.Text>
        <Typography.Text type="secondary" ellipsis>
          {h.owners.join('、')}
        </Typography.Text>
      </div>
    </div>
  );
}

function HitLine({ hit, testId }: { hit: CaseHit; testId: string }) {
  const c = hit.case;
  return (
    <div className="global-search-hit" data-testid={testId}>
      <div>
        <span className="mono">{c.serial}</span>{' '}
        <Tag color={STAGE_COLOR[c.stage] ?? 'default'} className="global-search-state">
          {c.state_label}
        </Tag>
        {c.registration_number && <span className="mono global-search-regno">{c.registration_number}</span>}
      </div>
      <div className="global-search-line2">
        <Typography.Text strong ellipsis>
          {c.title || t('search.untitled')}
        </Typography.Text>
        <Typography.Text type="secondary" ellipsis>
          {c.applicant_name}
        </Typography.Text>
      </div>
    </div>
  );
}

/** 受理通知书 of the case found: shown where the core says it was accepted and the person may print it. */
function AcceptanceNoticeButton({ hit }: { hit: CaseHit }) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const print = async () => {
    if (busy) return;
    setBusy(true);
    try {
      void message.success(t('search.noticePrinted', { path: await api.printAcceptanceNotice(hit.case.serial) }));
    } catch (e) {
      void message.error(t('search.noticeFailed', { message: (e as ApiError).message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<FileDoneOutlined />} onClick={() => void print()} loading={busy} data-testid="glance-acceptance-notice">
      {t('search.acceptanceNotice')}
    </Button>
  );
}

/** The case at a glance: serial, state and clock on top, then where it stands and where to work it. */
export function CaseGlance({
  hit,
  desks,
  onClose,
  onOpenAt,
}: {
  hit: CaseHit | null;
  desks: DeskOption[];
  onClose: () => void;
  onOpenAt: (desk: Desk, hit: CaseHit) => void;
}) {
  const c = hit?.case;
  const label = (d: Desk) => desks.find((o) => o.desk === d)?.label ?? d;
  return (
    <Drawer
      open={hit !== null}
      onClose={onClose}
      width={560}
      destroyOnHidden
      title={
        c && (
          <Space size="small" wrap>
            <span className="mono" data-testid="glance-serial">
              {c.serial}
            </span>
            <Tag color={STAGE_COLOR[c.stage] ?? 'default'} data-testid="glance-state">
              {c.state_label}
            </Tag>
            {(c.days_left !== null || c.due_pending) && <DueCell row={c} />}
          </Space>
        )
      }
    >
      {hit && c && (
        <div data-testid="case-glance">
          <Descriptions
            size="small"
            bordered
            column={1}
            items={[
              { key: 'title', label: t('queue.col.title'), children: c.title || t('search.untitled') },
              { key: 'category', label: t('queue.col.category'), children: c.category_label },
              { key: 'applicant', label: t('queue.col.applicant'), children: c.applicant_name },
              { key: 'queue', label: t('search.queue'), children: <span data-testid="glance-queue">{hit.queue_label}</span> },
              { key: 'created', label: t('queue.col.created'), children: fmtDate(c.created_at) },
              { key: 'accepted', label: t('search.accepted'), children: fmtDate(c.accepted_on) || '—' },
              { key: 'due', label: t('queue.col.due'), children: fmtDate(c.due_on) || '—' },
              {
                key: 'regno',
                label: t('queue.col.regno'),
                children: c.registration_number ? <span className="mono">{c.registration_number}</span> : '—',
              },
            ]}
          />
          <div className="glance-actions">
            {hit.desks.length === 0 && (
              <Alert type="info" showIcon message={t('search.noDesk', { queue: hit.queue_label })} data-testid="glance-no-desk" />
            )}
            {(hit.desks.length > 0 || hit.has_acceptance_notice) && (
              <Space wrap className="glance-buttons">
                {hit.desks.map((d, i) => (
                  <Button key={d} type={i === 0 ? 'primary' : 'default'} onClick={() => onOpenAt(d, hit)} data-testid={`glance-open-${d}`} autoFocus={i === 0}>
                    {t('search.openAt', { desk: label(d) })}
                  </Button>
                ))}
                {hit.has_acceptance_notice && <AcceptanceNoticeButton hit={hit} />}
              </Space>
            )}
          </div>
        </div>
      )}
    </Drawer>
  );
}
