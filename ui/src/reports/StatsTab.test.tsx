import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type {
  AnnouncementView,
  MonthlyFormView,
  OfficeNode,
  ReportExportInput,
  StatsInput,
  SummaryView,
  SupervisorView,
} from '../api/bindings';
import { officeToday } from '../shared/officeTime';
import { apiError, fakeCore } from '../test/backend';
import { renderWithProviders } from '../test/render';
import { FORM_COLUMN_WIDTH, FORM_OFFICE_WIDTH, FORM_TOTAL_WIDTH, StatsTab, axisMonth } from './StatsTab';

// The canvas charts do not draw under jsdom: each chart shows its series' data as text.
vi.mock('./Chart', () => ({
  default: ({ option }: { option: { series: { data: unknown[] }[] } }) => (
    <div data-testid="chart-canvas">{JSON.stringify(option.series.map((s) => s.data))}</div>
  ),
}));

const counts = { counter: 0, payment: 0, review: 0, registered: 0, other: 0, overdue: 0 };
const TREE: OfficeNode[] = [
  { code: 'ZJ', name: '浙江省版权局', parent_code: null, depth: 0, own: true, counts },
  { code: 'ZJHZ', name: '杭州市版权局', parent_code: 'ZJ', depth: 1, own: false, counts },
];
const COLUMNS = ['文字', '口述', '音乐', '戏剧', '曲艺', '舞蹈', '杂技', '美术', '摄影', '建筑', '影视', '图形', '模型', '其他'];

function form(input: StatsInput): MonthlyFormView {
  const zero = COLUMNS.map(() => 0);
  const row = (code: string, label: string, music: number, graphic: number) => ({
    office_code: code,
    label,
    total: music + graphic,
    counts: zero.map((_, i) => (i === 2 ? music : i === 11 ? graphic : 0)),
  });
  return {
    title: '作品登记情况月度统计表',
    period: input.period,
    period_label: '2026年11月',
    office_code: 'ZJ',
    office_name: '浙江省版权局',
    unit: '件',
    columns: COLUMNS.map((label) => ({ column: 'text', label })),
    rows: [row('ZJ', '浙江省版权局（本级）', 3, 1), row('ZJHZ', '杭州市版权局', 0, 2)],
    total: row('', '合计', 3, 3),
    revoked: 1,
  };
}

const summary: SummaryView = {
  period: { kind: 'year', year: 2026 },
  period_label: '2026年',
  office_code: 'ZJ',
  office_name: '浙江省版权局',
  total: 6,
  previous_period_label: '2025年',
  previous_total: 4,
  change_percent: 50,
  by_category: [
    { key: 'music', label: '音乐', count: 3, percent: 50 },
    { key: 'graphic', label: '图形', count: 3, percent: 50 },
  ],
  by_office: [
    { key: 'ZJ', label: '浙江省版权局（本级）', count: 4, percent: 66.7 },
    { key: 'ZJHZ', label: '杭州市版权局', count: 2, percent: 33.3 },
  ],
};

const supervisor: SupervisorView = {
  period: { kind: 'year', year: 2026 },
  period_label: '2026年',
  office_code: 'ZJ',
  office_name: '浙江省版权局',
  year: 2026,
  monthly: Array.from({ length: 12 }, (_, i) => ({ month: i + 1, this_year: i === 10 ? 6 : 0, last_year: i === 10 ? 4 : 0 })),
  summary,
  backlog_now: [
    { key: 'first_review', label: '待初审', count: 7 },
    { key: 'registered', label: '已登记', count: 6 },
  ],
  backlog_by_month: [{ year: 2026, month: 11, label: '2026年11月', in_review: 2 }],
  durations: [
    { year: 2026, month: 11, label: '2026年11月', registered: 6, median: 3, p90: 12, within_limit: 6, within_percent: 100, not_counted: 0 },
  ],
  limit_working_days: 30,
  overdue_now: 2,
  workload: [{ staff_id: 's1', staff_name: '李雯', week: '2026-11-23', first_review: 5, final_review: 0 }],
};

const announcement: AnnouncementView = {
  title: '作品登记公告',
  period: { kind: 'month', year: 2026, month: 11 },
  period_label: '2026年11月',
  office_code: 'ZJ',
  office_name: '浙江省版权局',
  rows: [
    {
      number: '浙作登字-2026-C-00000001',
      registered_on: '2026-11-30',
      title: '钱塘潮声（3）',
      category: 'music',
      category_label: '音乐',
      owners: '林晓雨',
      completed_on: '2026-3',
      published_on: '',
      office_code: 'ZJ',
    },
  ],
  revoked: [
    {
      number: '浙作登字-2026-N-00000001',
      registered_on: '2026-11-30',
      title: '江南小镇手绘地图（12）',
      category: 'map',
      category_label: '地图',
      owners: '杭州湖光影像文化传媒有限公司',
      completed_on: '2026-3',
      published_on: '',
      office_code: 'ZJ',
    },
  ],
};

describe('统计报表', () => {
  it('shows the month’s national form as the core counted it and exports it', async () => {
    const core = fakeCore({
      office_tree: () => TREE,
      monthly_form: (a) => form(a?.input as StatsInput),
      export_report: () => '/tmp/exports/作品登记情况月度统计表-2026年11月-ZJ.xlsx',
    });
    const { user } = renderWithProviders(<StatsTab />);
    const table = await screen.findByTestId('monthly-form');
    const total = within(table).getByText('合计', { selector: 'td' }).closest('tr') as HTMLElement;
    expect(total).toHaveTextContent('合计600300000000300');
    expect(within(table).getByText('杭州市版权局').closest('tr')).toHaveTextContent('2');
    expect(screen.getByTestId('form-revoked')).toHaveTextContent('本期登记后已撤销 1 件');
    const today = officeToday();
    expect(core.callsTo('monthly_form')[0].args?.input as StatsInput).toEqual({
      period: { kind: 'month', year: Number(today.slice(0, 4)), month: Number(today.slice(5, 7)) },
      office: null,
      own_only: false,
    });
    await user.click(screen.getByTestId('export-monthly_form-xlsx'));
    await waitFor(() => expect(core.callsTo('export_report')).toHaveLength(1));
    expect(core.callsTo('export_report')[0].args?.input as ReportExportInput).toMatchObject({ kind: 'monthly_form', format: 'xlsx' });
    expect(await screen.findByText(/已导出：/)).toBeInTheDocument();
  });

  it('asks for a year, one office’s own cases, and shows a refusal', async () => {
    let refuse = false;
    const core = fakeCore({
      office_tree: () => TREE,
      monthly_form: (a) => {
        if (refuse) throw apiError('permission', '您没有“进入统计台”的权限');
        return form(a?.input as StatsInput);
      },
    });
    const { user } = renderWithProviders(<StatsTab />);
    await screen.findByTestId('monthly-form');
    await user.click(screen.getByText('年'));
    await user.click(screen.getByTestId('stats-own-only'));
    await user.click(screen.getByTestId('stats-load'));
    await waitFor(() => expect(core.callsTo('monthly_form')).toHaveLength(2));
    expect(core.callsTo('monthly_form')[1].args?.input as StatsInput).toEqual({
      period: { kind: 'year', year: Number(officeToday().slice(0, 4)) },
      office: null,
      own_only: true,
    });
    refuse = true;
    await user.click(screen.getByTestId('stats-kind').querySelectorAll('label')[1]);
    await user.click(screen.getByTestId('stats-load'));
    expect(await screen.findByText('您没有“进入统计台”的权限')).toBeInTheDocument();
  });

  it('on a station of a subordinate office, counts its own office first and shows a refusal of an office outside it', async () => {
    // The core roots the tree at the station's own office (杭州市版权局's supervisor station).
    const city: OfficeNode[] = [
      { code: 'ZJHZ', name: '杭州市版权局', parent_code: null, depth: 0, own: true, counts },
      { code: 'ZJHZXH', name: '西湖区受理点', parent_code: 'ZJHZ', depth: 1, own: false, counts },
    ];
    const outside = '机构 浙江省版权局（ZJ）不在本工作站的范围内，这里没有它的案件：请从机构列表中选择本机构或其下级机构';
    let refuse = false;
    const core = fakeCore({
      office_tree: () => city,
      monthly_form: (a) => {
        if (refuse) throw apiError('validation', outside, [{ field: 'office', code: 'out_of_scope', message: outside }]);
        const input = a?.input as StatsInput;
        return { ...form(input), office_code: 'ZJHZ', office_name: '杭州市版权局' };
      },
    });
    const { user } = renderWithProviders(<StatsTab />);
    await screen.findByTestId('monthly-form');
    // The office shown is the station's own, and the core is asked for it (office null).
    await waitFor(() => expect(screen.getByTitle('杭州市版权局')).toBeInTheDocument());
    expect(screen.queryByTitle('浙江省版权局')).toBeNull();
    expect((core.callsTo('monthly_form')[0].args?.input as StatsInput).office).toBeNull();
    expect(screen.getByTestId('stats')).toHaveTextContent('杭州市版权局');
    refuse = true;
    await user.click(screen.getByText('年'));
    await user.click(screen.getByTestId('stats-load'));
    expect(await screen.findByText(outside)).toBeInTheDocument();
  });

  it('lists the announcement with the revoked apart', async () => {
    fakeCore({ office_tree: () => TREE, monthly_form: (a) => form(a?.input as StatsInput), announcement: () => announcement });
    const { user } = renderWithProviders(<StatsTab />);
    await screen.findByTestId('monthly-form');
    await user.click(screen.getByTestId('stats-tab-announcement'));
    const list = await screen.findByTestId('announcement');
    expect(list).toHaveTextContent('浙作登字-2026-C-00000001');
    expect(list).toHaveTextContent('共 1 件');
    expect(screen.getByTestId('announcement-revoked')).toHaveTextContent('江南小镇手绘地图（12）');
  });

  it('draws the overview’s charts, each with its table beside it', async () => {
    fakeCore({ office_tree: () => TREE, monthly_form: (a) => form(a?.input as StatsInput), supervisor_stats: () => supervisor });
    const { user } = renderWithProviders(<StatsTab />);
    await screen.findByTestId('monthly-form');
    await user.click(screen.getByTestId('stats-tab-overview'));
    await screen.findByTestId('overview');
    for (const id of ['chart-monthly', 'chart-category', 'chart-office', 'chart-backlog-now', 'chart-backlog', 'chart-durations', 'chart-workload']) {
      const panel = screen.getByTestId(id);
      expect(await within(panel).findByTestId('chart-canvas')).toBeInTheDocument();
      expect(panel.querySelector('table')).not.toBeNull();
    }
    expect(within(screen.getByTestId('chart-monthly')).getByTestId('chart-canvas')).toHaveTextContent('[0,0,0,0,0,0,0,0,0,0,6,0]');
    expect(screen.getByTestId('chart-durations')).toHaveTextContent('12');
    expect(screen.getByTestId('overdue-now')).toHaveTextContent('当前超过办结期限：2 件');
    expect(screen.getByTestId('chart-workload')).toHaveTextContent('李雯');
    expect(screen.getByTestId('summary-figures')).toHaveTextContent('50.0');
  });

  it('labels every month on a monthly axis, the year on the first and on January only', () => {
    const labels = ['2025年11月', '2025年12月', '2026年1月', '2026年2月', '2026年10月'];
    expect(labels.map(axisMonth)).toEqual(['2025年11月', '12月', '2026年1月', '2月', '10月']);
    // Anything else is shown as the core gave it.
    expect(axisMonth('2026-W48', 3)).toBe('2026-W48');
  });

  it('fits the national form’s columns beside the menu at 1280×800', () => {
    // 1280 px less the menu (168) and the desk's padding (2 × 20): no column hidden behind a scroll.
    expect(FORM_OFFICE_WIDTH + FORM_TOTAL_WIDTH + COLUMNS.length * FORM_COLUMN_WIDTH).toBeLessThanOrEqual(1280 - 168 - 40);
  });
});
