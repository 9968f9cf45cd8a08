// One chart of the statistics (ECharts, only the chart kinds the desk draws, on
// canvas). Loaded lazily by StatsTab so the library is not in the desk's first bundle.
import ReactEChartsCore from 'echarts-for-react/lib/core';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = EChartsCoreOption;

export default function Chart({ option }: { option: ChartOption }) {
  return <ReactEChartsCore echarts={echarts} option={{ animation: false, grid: { left: 40, right: 40, top: 40, bottom: 30 }, ...option }} notMerge style={{ height: 280 }} />;
}
