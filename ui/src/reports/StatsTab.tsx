// 统计报表 at the reports desk: a period (month, quarter, year or date range)
// and an office (with its subordinates, or its own cases only); the national
// monthly form, the announcement list, the yearly summary and the supervisor's
// overview, each as the core counted it, with xlsx/PDF export. Every chart has
// its table beside it.
import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, App as AntApp, Button, Checkbox, Col, DatePicker, Row, Segmented, Select, Space, Spin, Statistic, Table, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type {
  AnnouncementRow,
  AnnouncementView,
  ApiError,
  FormRow,
  MonthlyFormView,
  OfficeNode,
  Period,
  ReportKind,
  ShareRow,
  StatsInput,
  SummaryView,
  SupervisorView,
} from '../api/bindings';
import { call } from '../api/client';
import { officeToday } from '../shared/officeTime';
import { statsApi } from './api';
import { stx } from './texts';
import type { ChartOption } from './Chart';

// The chart library loads with the first chart, not with the desk.
const Chart = lazy(() => import('./Chart'));

type Kind = Period['kind'];
type View = 'form' | 'announcement' | 'summary' | 'overview';

/** The period the pickers describe. */
export function periodOf(kind: Kind, day: Dayjs, range: [Dayjs, Dayjs]): Period {
  switch (kind) {
    case 'month':
      return { kind, year: day.year(), month: day.month() + 1 };
    case 'quarter':
      return { kind, year: day.year(), quarter: Math.floor(day.month() / 3) + 1 };
    case 'year':
      return { kind, year: day.year() };
    case 'range':
      return { kind, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  }
}

const KINDS: Kind[] = ['month', 'quarter', 'year', 'range'];
const KIND_LABEL: Record<Kind, 'kind.month' | 'kind.quarter' | 'kind.year' | 'kind.range'> = {
  month: 'kind.month',
  quarter: 'kind.quarter',
  year: 'kind.year',
  range: 'kind.range',
};

export function StatsTab() {
  const today = dayjs(officeToday());
  const [kind, setKind] = useState<Kind>('month');
  const [day, setDay] = useState<Dayjs>(today);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([today.startOf('month'), today]);
  const [offices, setOffices] = useState<OfficeNode[]>([]);
  const [office, setOffice] = useState<string | undefined>(undefined);
  const [ownOnly, setOwnOnly] = useState(false);
  const [view, setView] = useState<View>('form');
  const [input, setInput] = useState<StatsInput>({ period: periodOf('month', today, range), office: null, own_only: false });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call<OfficeNode[]>('office_tree').then(setOffices, (e: ApiError) => setError(e.message));
  }, []);

  const count = () => {
    setError(null);
    setInput({ period: periodOf(kind, day, range), office: office ?? null, own_only: ownOnly });
  };

  return (
    <div data-testid="stats">
      <Space wrap className="stats-controls">
        <Typography.Text>{stx('period')}</Typography.Text>
        <Segmented<Kind>
          value={kind}
          onChange={setKind}
          options={KINDS.map((k) => ({ value: k, label: stx(KIND_LABEL[k]) }))}
          data-testid="stats-kind"
        />
        {kind === 'range' ? (
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
            data-testid="stats-range"
          />
        ) : (
          <DatePicker
            picker={kind === 'month' ? 'month' : kind === 'quarter' ? 'quarter' : 'year'}
            value={day}
            allowClear={false}
            onChange={(v) => v && setDay(v)}
            data-testid="stats-day"
          />
        )}
        <Typography.Text>{stx('office')}</Typography.Text>
        <Select<string>
          style={{ width: 220 }}
          value={office ?? offices.find((o) => o.own)?.code}
          onChange={setOffice}
          options={offices.map((o) => ({ value: o.code, label: `${'　'.repeat(o.depth)}${o.name}` }))}
          data-testid="stats-office"
        />
        <Checkbox checked={ownOnly} onChange={(e) => setOwnOnly(e.target.checked)} data-testid="stats-own-only">
          {stx('ownOnly')}
        </Checkbox>
        <Button type="primary" onClick={count} data-testid="stats-load">
          {stx('load')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} className="form-alert" />}
      <Tabs
        activeKey={view}
        onChange={(k) => setView(k as View)}
        items={[
          { key: 'form', label: <span data-testid="stats-tab-form">{stx('form')}</span>, children: view === 'form' && <FormView input={input} /> },
          {
            key: 'announcement',
            label: <span data-testid="stats-tab-announcement">{stx('announcement')}</span>,
            children: view === 'announcement' && <AnnouncementPanel input={input} />,
          },
          { key: 'summary', label: <span data-testid="stats-tab-summary">{stx('summary')}</span>, children: view === 'summary' && <SummaryPanel input={input} /> },
          {
            key: 'overview',
            label: <span data-testid="stats-tab-overview">{stx('overview')}</span>,
            children: view === 'overview' && <OverviewPanel input={input} />,
          },
        ]}
      />
    </div>
  );
}

/** Loads what `load` gives for `input`; the error's message when it fails. */
function useLoaded<T>(load: (input: StatsInput) => Promise<T>, input: StatsInput) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    load(input).then(
      (v) => live && setData(v),
      (e: ApiError) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [load, input]);
  return { data, error };
}

function ExportButtons({ kind, input }: { kind: ReportKind; input: StatsInput }) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const run = useCallback(
    async (format: 'xlsx' | 'pdf') => {
      setBusy(format);
      try {
        const path = await statsApi.exportReport({ kind, format, stats: input });
        void message.success(stx('exported', { path }));
      } catch (e) {
        void message.error((e as ApiError).message);
      } finally {
        setBusy(null);
      }
    },
    [kind, input, message],
  );
  return (
    <Space>
      <Button loading={busy === 'xlsx'} onClick={() => void run('xlsx')} data-testid={`export-${kind}-xlsx`}>
        {stx('export.xlsx')}
      </Button>
      <Button loading={busy === 'pdf'} onClick={() => void run('pdf')} data-testid={`export-${kind}-pdf`}>
        {stx('export.pdf')}
      </Button>
    </Space>
  );
}

function Loaded<T>({ state, children }: { state: { data: T | null; error: string | null }; children: (data: T) => ReactNode }) {
  if (state.error) return <Alert type="error" showIcon message={state.error} className="form-alert" />;
  if (!state.data) return <Spin aria-label={stx('loading')} />;
  return <>{children(state.data)}</>;
}

function Heading({ title, office, period, unit, extra }: { title: string; office: string; period: string; unit?: boolean; extra: ReactNode }) {
  return (
    <div className="stats-heading">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {extra}
      </Space>
      <Typography.Text type="secondary">
        {stx('heading', { office, period })}
        {unit ? `　${stx('unit')}` : ''}
      </Typography.Text>
    </div>
  );
}

/**
 * The monthly form's column widths (px): the office, 合计 and the fourteen national columns fit
 * the desk's content at 1280×800 (1072 px beside the menu) without a horizontal scroll.
 */
export const FORM_OFFICE_WIDTH = 170;
export const FORM_TOTAL_WIDTH = 64;
export const FORM_COLUMN_WIDTH = 56;

/**
 * A month on a chart's axis (the core's labels, `2026年11月`): the year is kept on the first
 * month and on January only, so every month's label fits beside the others.
 */
export function axisMonth(label: string, index: number): string {
  if (index === 0) return label;
  const m = /^\d+年(\d+)月$/.exec(label);
  return m && m[1] !== '1' ? `${m[1]}月` : label;
}

/** The axis of a chart by month: every month labelled. */
const MONTH_AXIS_LABEL = { interval: 0, formatter: axisMonth };

function FormView({ input }: { input: StatsInput }) {
  const state = useLoaded(statsApi.monthlyForm, input);
  return (
    <Loaded state={state}>
      {(v: MonthlyFormView) => {
        const columns: TableColumnsType<FormRow> = [
          { title: stx('col.office'), dataIndex: 'label', key: 'label', fixed: 'left', width: FORM_OFFICE_WIDTH },
          { title: stx('col.total'), dataIndex: 'total', key: 'total', align: 'right', width: FORM_TOTAL_WIDTH },
          ...v.columns.map((c, i) => ({
            title: c.label,
            key: c.column,
            align: 'right' as const,
            width: FORM_COLUMN_WIDTH,
            render: (_: unknown, r: FormRow) => r.counts[i],
          })),
        ];
        return (
          <div data-testid="monthly-form">
            <Heading title={v.title} office={v.office_name} period={v.period_label} unit extra={<ExportButtons kind="monthly_form" input={input} />} />
            <Table<FormRow>
              size="small"
              bordered
              pagination={false}
              rowKey={(r) => r.office_code || 'total'}
              dataSource={[...v.rows, v.total]}
              columns={columns}
              scroll={{ x: 'max-content' }}
              rowClassName={(r) => (r === v.total ? 'stats-total-row' : '')}
            />
            {v.revoked > 0 && (
              <Typography.Paragraph type="secondary" data-testid="form-revoked">
                {stx('revokedNote', { n: v.revoked })}
              </Typography.Paragraph>
            )}
          </div>
        );
      }}
    </Loaded>
  );
}

const announcementColumns = (): TableColumnsType<AnnouncementRow> => [
  { title: stx('col.number'), dataIndex: 'number', key: 'number', width: 220 },
  { title: stx('col.registeredOn'), dataIndex: 'registered_on', key: 'registered_on', width: 110 },
  { title: stx('col.title'), dataIndex: 'title', key: 'title' },
  { title: stx('col.category'), dataIndex: 'category_label', key: 'category', width: 100 },
  { title: stx('col.owners'), dataIndex: 'owners', key: 'owners' },
  { title: stx('col.completedOn'), dataIndex: 'completed_on', key: 'completed_on', width: 110 },
  { title: stx('col.publishedOn'), dataIndex: 'published_on', key: 'published_on', width: 110 },
];

function AnnouncementPanel({ input }: { input: StatsInput }) {
  const state = useLoaded(statsApi.announcement, input);
  return (
    <Loaded state={state}>
      {(v: AnnouncementView) => (
        <div data-testid="announcement">
          <Heading title={v.title} office={v.office_name} period={v.period_label} extra={<ExportButtons kind="announcement" input={input} />} />
          <Typography.Text>{stx('announcement.count', { n: v.rows.length })}</Typography.Text>
          <Table<AnnouncementRow> size="small" rowKey="number" dataSource={v.rows} columns={announcementColumns()} pagination={{ pageSize: 50, hideOnSinglePage: true }} />
          {v.revoked.length > 0 && (
            <div data-testid="announcement-revoked">
              <Typography.Title level={5}>{stx('announcement.revoked', { n: v.revoked.length })}</Typography.Title>
              <Table<AnnouncementRow> size="small" rowKey="number" dataSource={v.revoked} columns={announcementColumns()} pagination={false} />
            </div>
          )}
        </div>
      )}
    </Loaded>
  );
}

const shareColumns = (first: string): TableColumnsType<ShareRow> => [
  { title: first, dataIndex: 'label', key: 'label' },
  { title: stx('col.count'), dataIndex: 'count', key: 'count', align: 'right', width: 80 },
  { title: stx('col.percent'), key: 'percent', align: 'right', width: 90, render: (_v, r) => (r.percent == null ? '—' : r.percent.toFixed(1)) },
];

/** A chart with its table beside it. */
function ChartWithTable({ title, testId, option, table }: { title: string; testId: string; option: ChartOption; table: ReactNode }) {
  return (
    <div className="stats-chart" data-testid={testId}>
      <Typography.Title level={5}>{title}</Typography.Title>
      <Row gutter={16}>
        <Col span={14}>
          <Suspense fallback={<Spin />}>
            <Chart option={option} />
          </Suspense>
        </Col>
        <Col span={10}>{table}</Col>
      </Row>
    </div>
  );
}

const pie = (rows: ShareRow[]): ChartOption => ({
  tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
  series: [
    {
      type: 'pie',
      radius: ['35%', '65%'],
      data: rows.filter((r) => r.count > 0).map((r) => ({ name: r.label, value: r.count })),
      label: { formatter: '{b} {d}%' },
    },
  ],
});

function SharePanels({ v }: { v: SummaryView }) {
  return (
    <>
      <ChartWithTable
        title={stx('share.category')}
        testId="chart-category"
        option={pie(v.by_category)}
        table={<Table<ShareRow> size="small" rowKey="key" dataSource={v.by_category} columns={shareColumns(stx('col.category'))} pagination={false} />}
      />
      <ChartWithTable
        title={stx('share.office')}
        testId="chart-office"
        option={pie(v.by_office)}
        table={<Table<ShareRow> size="small" rowKey="key" dataSource={v.by_office} columns={shareColumns(stx('col.office'))} pagination={false} />}
      />
    </>
  );
}

function SummaryFigures({ v }: { v: SummaryView }) {
  return (
    <Space size="large" className="stats-figures" data-testid="summary-figures">
      <Statistic title={stx('summary.total')} value={v.total} suffix="件" />
      <Statistic title={stx('summary.previous', { period: v.previous_period_label })} value={v.previous_total} suffix="件" />
      {v.change_percent == null ? (
        <Statistic title={stx('summary.change')} value={stx('summary.noChange')} />
      ) : (
        <Statistic title={stx('summary.change')} value={v.change_percent} precision={1} suffix="%" prefix={v.change_percent > 0 ? '+' : ''} />
      )}
    </Space>
  );
}

function SummaryPanel({ input }: { input: StatsInput }) {
  const state = useLoaded(statsApi.summary, input);
  return (
    <Loaded state={state}>
      {(v: SummaryView) => (
        <div data-testid="summary">
          <Heading title={stx('summary')} office={v.office_name} period={v.period_label} unit extra={<ExportButtons kind="summary" input={input} />} />
          <SummaryFigures v={v} />
          <SharePanels v={v} />
        </div>
      )}
    </Loaded>
  );
}

function OverviewPanel({ input }: { input: StatsInput }) {
  const state = useLoaded(statsApi.supervisor, input);
  return (
    <Loaded state={state}>
      {(v: SupervisorView) => {
        const months = v.monthly.map((m) => `${m.month}月`);
        return (
          <div data-testid="overview">
            <Heading title={stx('overview')} office={v.office_name} period={v.period_label} unit extra={<ExportButtons kind="supervisor" input={input} />} />
            <ChartWithTable
              title={stx('chart.monthly', { year: v.year, last: v.year - 1 })}
              testId="chart-monthly"
              option={{
                tooltip: { trigger: 'axis' },
                legend: { data: [`${v.year}`, `${v.year - 1}`] },
                xAxis: { type: 'category', data: months },
                yAxis: { type: 'value', minInterval: 1 },
                series: [
                  { name: `${v.year}`, type: 'bar', data: v.monthly.map((m) => m.this_year) },
                  { name: `${v.year - 1}`, type: 'bar', data: v.monthly.map((m) => m.last_year) },
                ],
              }}
              table={
                <Table
                  size="small"
                  rowKey="month"
                  pagination={false}
                  dataSource={v.monthly}
                  columns={[
                    { title: stx('col.month'), key: 'm', render: (_v, m) => `${m.month}月` },
                    { title: `${v.year}`, dataIndex: 'this_year', key: 'this', align: 'right' },
                    { title: `${v.year - 1}`, dataIndex: 'last_year', key: 'last', align: 'right' },
                  ]}
                />
              }
            />
            <SummaryFigures v={v.summary} />
            <SharePanels v={v.summary} />
            <ChartWithTable
              title={stx('chart.backlogNow')}
              testId="chart-backlog-now"
              option={{
                tooltip: { trigger: 'axis' },
                xAxis: { type: 'category', data: v.backlog_now.map((s) => s.label) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [{ type: 'bar', data: v.backlog_now.map((s) => s.count), label: { show: true, position: 'top' } }],
              }}
              table={
                <>
                  <Table
                    size="small"
                    rowKey="key"
                    pagination={false}
                    dataSource={v.backlog_now}
                    columns={[
                      { title: stx('col.stage'), dataIndex: 'label', key: 'label' },
                      { title: stx('col.count'), dataIndex: 'count', key: 'count', align: 'right' },
                    ]}
                  />
                  <Typography.Text type={v.overdue_now > 0 ? 'danger' : 'secondary'} data-testid="overdue-now">
                    {stx('overdueNow', { n: v.overdue_now })}
                  </Typography.Text>
                </>
              }
            />
            <ChartWithTable
              title={stx('chart.backlog')}
              testId="chart-backlog"
              option={{
                tooltip: { trigger: 'axis' },
                xAxis: { type: 'category', data: v.backlog_by_month.map((b) => b.label), axisLabel: MONTH_AXIS_LABEL },
                yAxis: { type: 'value', minInterval: 1 },
                series: [{ type: 'line', data: v.backlog_by_month.map((b) => b.in_review), label: { show: true } }],
              }}
              table={
                <>
                  <Table
                    size="small"
                    rowKey="label"
                    pagination={false}
                    dataSource={v.backlog_by_month}
                    columns={[
                      { title: stx('col.month'), dataIndex: 'label', key: 'label' },
                      { title: stx('col.inReview'), dataIndex: 'in_review', key: 'n', align: 'right' },
                    ]}
                  />
                  <Typography.Text type="secondary">{stx('backlog.note')}</Typography.Text>
                </>
              }
            />
            <ChartWithTable
              title={stx('chart.durations')}
              testId="chart-durations"
              option={{
                tooltip: { trigger: 'axis' },
                legend: { data: [stx('col.median'), stx('col.p90'), stx('col.withinPercent')] },
                xAxis: { type: 'category', data: v.durations.map((d) => d.label), axisLabel: MONTH_AXIS_LABEL },
                yAxis: [
                  { type: 'value', name: '工作日', minInterval: 1 },
                  { type: 'value', name: '%', max: 100 },
                ],
                series: [
                  { name: stx('col.median'), type: 'line', data: v.durations.map((d) => d.median) },
                  { name: stx('col.p90'), type: 'line', data: v.durations.map((d) => d.p90) },
                  { name: stx('col.withinPercent'), type: 'bar', yAxisIndex: 1, data: v.durations.map((d) => d.within_percent), barMaxWidth: 24 },
                ],
              }}
              table={
                <Table
                  size="small"
                  rowKey="label"
                  pagination={false}
                  dataSource={v.durations}
                  columns={[
                    { title: stx('col.month'), dataIndex: 'label', key: 'label' },
                    { title: stx('col.registered'), dataIndex: 'registered', key: 'registered', align: 'right' },
                    { title: stx('col.median'), key: 'median', align: 'right', render: (_v, d) => d.median ?? '—' },
                    { title: stx('col.p90'), key: 'p90', align: 'right', render: (_v, d) => d.p90 ?? '—' },
                    {
                      title: stx('col.withinPercent'),
                      key: 'within',
                      align: 'right',
                      render: (_v, d) => (d.within_percent == null ? '—' : d.within_percent.toFixed(1)),
                    },
                  ]}
                />
              }
            />
            {v.workload && <WorkloadPanel rows={v.workload} />}
          </div>
        );
      }}
    </Loaded>
  );
}

function WorkloadPanel({ rows }: { rows: NonNullable<SupervisorView['workload']> }) {
  const staff = [...new Set(rows.map((r) => r.staff_name))];
  const weeks = [...new Set(rows.map((r) => r.week))].sort();
  const total = (name: string, week: string) => {
    const r = rows.find((x) => x.staff_name === name && x.week === week);
    return r ? r.first_review + r.final_review : 0;
  };
  return (
    <ChartWithTable
      title={stx('chart.workload')}
      testId="chart-workload"
      option={{
        tooltip: { trigger: 'axis' },
        legend: { data: staff },
        xAxis: { type: 'category', data: weeks },
        yAxis: { type: 'value', minInterval: 1 },
        series: staff.map((name) => ({ name, type: 'bar', stack: 'all', data: weeks.map((w) => total(name, w)) })),
      }}
      table={
        rows.length === 0 ? (
          <Typography.Text type="secondary">{stx('workload.none')}</Typography.Text>
        ) : (
          <Table
            size="small"
            rowKey={(r) => `${r.staff_id}-${r.week}`}
            pagination={false}
            dataSource={rows}
            columns={[
              { title: stx('col.staff'), dataIndex: 'staff_name', key: 'staff' },
              { title: stx('col.week'), dataIndex: 'week', key: 'week' },
              { title: stx('col.first'), dataIndex: 'first_review', key: 'first', align: 'right' },
              { title: stx('col.final'), dataIndex: 'final_review', key: 'final', align: 'right' },
            ]}
          />
        )
      }
    />
  );
}
