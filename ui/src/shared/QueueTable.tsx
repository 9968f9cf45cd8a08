import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Empty, Input, Table, Tag } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import type { ApiError, CasePage, CaseRow, Queue, QueueSort, QueueSortKey } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { fmtDate } from './format';
import { STAGE_COLOR } from './stage';
import { useLookupSearch } from './useLookupSearch';
import { DEADLINE_COLOR } from './deadline';

export const PAGE_SIZE = 20;

/** A page to ask the core for: by its number, or by the cursor to it. */
type PageTarget = { page: number; cursor?: string };

/** Table column keys → the core's sort keys. */
const SORT_KEYS: Record<string, QueueSortKey> = {
  serial: 'serial',
  title: 'title',
  applicant: 'applicant',
  created: 'created',
  due: 'due',
};

export function QueueTable({
  queue,
  label,
  onOpen,
  reloadKey = 0,
  office,
  lookup,
}: {
  /** A case to look up (found in the top bar): its serial goes into the search. */
  lookup?: string;
  /** Only the cases of this office (the supervisor's office tree). */
  office?: string;
  queue: Queue;
  label: string;
  /** Opens a case (the counter desk opens drafts and cases awaiting signatures). */
  onOpen?: (row: CaseRow) => void;
  /** Changes when the desk knows the queue changed. */
  reloadKey?: number;
}) {
  /** The page to show: its number and, for the page next to the one shown, the core's cursor to it. */
  const [target, setTarget] = useState<PageTarget>({ page: 1 });
  const { typed, setTyped, search, setSearch } = useLookupSearch(lookup, () => setTarget({ page: 1 }));
  /** The column the clerk sorted by (the core sorts the whole queue, not just the page). */
  const [sort, setSort] = useState<QueueSort | null>(null);
  const [data, setData] = useState<CasePage | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(
    async (p: PageTarget) => {
      setLoading(true);
      setError(null);
      try {
        setData(
          await api.listQueue({
            queue,
            page: p.page,
            page_size: PAGE_SIZE,
            search: search.trim() || undefined,
            sort: sort ?? undefined,
            office,
            cursor: p.cursor,
          }),
        );
      } catch (e) {
        setError(e as ApiError);
      } finally {
        setLoading(false);
      }
    },
    [queue, search, sort, office],
  );

  const sortOrder = (key: QueueSortKey) => (sort?.key === key ? (sort.descending ? 'descend' : 'ascend') : null);

  useEffect(() => {
    void load(target);
  }, [load, target, reloadKey]);

  /** The next or previous page by the cursor the core gave with the page shown; any other by its number. */
  const goTo = (p: number) => {
    if (data && !loading && p === data.page + 1 && data.next) setTarget({ page: p, cursor: data.next });
    else if (data && !loading && p === data.page - 1 && data.previous) setTarget({ page: p, cursor: data.previous });
    else setTarget({ page: p });
  };

  const columns: ColumnsType<CaseRow> = [
    { title: t('queue.col.serial'), dataIndex: 'serial', key: 'serial', width: 190, sorter: true, sortOrder: sortOrder('serial') },
    { title: t('queue.col.title'), dataIndex: 'title', key: 'title', ellipsis: true, sorter: true, sortOrder: sortOrder('title') },
    { title: t('queue.col.category'), dataIndex: 'category_label', key: 'category', width: 110 },
    {
      title: t('queue.col.applicant'),
      dataIndex: 'applicant_name',
      key: 'applicant',
      width: 160,
      ellipsis: true,
      sorter: true,
      sortOrder: sortOrder('applicant'),
    },
    {
      title: t('queue.col.state'),
      key: 'state',
      width: 130,
      render: (_v, r) => <Tag color={STAGE_COLOR[r.stage] ?? 'default'}>{r.state_label}</Tag>,
    },
    {
      title: t('queue.col.created'),
      dataIndex: 'created_at',
      key: 'created',
      width: 110,
      render: (v: string) => fmtDate(v),
      sorter: true,
      sortOrder: sortOrder('created'),
    },
    { title: t('queue.col.due'), key: 'due', width: 190, render: (_v, r) => <DueCell row={r} />, sorter: true, sortOrder: sortOrder('due') },
  ];
  if (queue === 'registered' || queue === 'other') {
    // The clock has stopped: the registration number takes the deadline's place.
    columns.splice(
      columns.findIndex((c) => c.key === 'due'),
      1,
    );
    columns.splice(1, 0, {
      title: t('queue.col.regno'),
      dataIndex: 'registration_number',
      key: 'regno',
      width: 220,
      render: (v: string | null) => (v ? <span className="mono" data-testid="row-regno">{v}</span> : ''),
    });
  }

  return (
    <div data-testid={`queue-${queue}`}>
      <Input.Search
        className="queue-search"
        allowClear
        placeholder={t('queue.search')}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onSearch={(v) => {
          setTarget({ page: 1 });
          setSearch(v);
        }}
        data-testid={`queue-search-${queue}`}
      />
      {error && (
        <Alert
          className="form-alert"
          type="error"
          showIcon
          message={error.message || t('queue.loadFailed')}
          action={
            <Button size="small" onClick={() => void load(target)}>
              {t('app.retry')}
            </Button>
          }
        />
      )}
      <Table<CaseRow>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={data?.rows ?? []}
        loading={loading}
        onRow={(r) => (onOpen ? { onClick: () => onOpen(r), className: 'queue-row-open' } : {})}
        onChange={(_p, _f, sorter, extra) => {
          if (extra.action !== 'sort') return;
          const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<CaseRow> | undefined;
          const key = SORT_KEYS[String(s?.columnKey ?? '')];
          setSort(key && s?.order ? { key, descending: s.order === 'descend' } : null);
          setTarget({ page: 1 });
        }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('queue.empty', { queue: label })} /> }}
        pagination={{
          // The page the core answered with (a cursor may lead back to the first when cases left the queue).
          current: data && !loading ? data.page : target.page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          // A queue of the design volume has thousands of pages: any of them by its number.
          showQuickJumper: true,
          hideOnSinglePage: false,
          showTotal: (total) =>
            data?.more ? (
              <span data-testid="queue-total-many">{t('queue.totalMany', { total })}</span>
            ) : (
              t('queue.total', { total })
            ),
          onChange: goTo,
        }}
      />
    </div>
  );
}

/** 办结期限 and the working days left: amber at 5 or fewer, red when overdue (UI.md). */
export function DueCell({ row }: { row: CaseRow }) {
  if (row.due_pending) {
    return (
      <Tag color="default" title={t('queue.duePendingHint')} data-testid="due-pending">
        {t('queue.duePending')}
      </Tag>
    );
  }
  if (!row.due_on) return null;
  const left = row.days_left;
  const level = row.deadline_level;
  let tag = null;
  if (left !== null && left !== undefined && level) {
    const color = DEADLINE_COLOR[level];
    const text = level === 'overdue' ? t('queue.overdue', { n: -left }) : left === 0 ? t('queue.lastDay') : t('queue.daysLeft', { n: left });
    tag = (
      <Tag color={color} className="queue-days-left" data-testid="days-left">
        {text}
      </Tag>
    );
  }
  return (
    <span className="queue-due">
      {fmtDate(row.due_on)} {tag}
    </span>
  );
}
