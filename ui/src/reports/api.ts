// Typed wrappers around the core's statistics commands (统计台).
import type {
  AnnouncementView,
  MonthlyFormView,
  ReportExportInput,
  StatsInput,
  SummaryView,
  SupervisorView,
} from '../api/bindings';
import { call } from '../api/client';

export const statsApi = {
  monthlyForm: (input: StatsInput) => call<MonthlyFormView>('monthly_form', { input }),
  announcement: (input: StatsInput) => call<AnnouncementView>('announcement', { input }),
  summary: (input: StatsInput) => call<SummaryView>('stats_summary', { input }),
  supervisor: (input: StatsInput) => call<SupervisorView>('supervisor_stats', { input }),
  /** Writes the report to the exports folder, opens it, returns its path. */
  exportReport: (input: ReportExportInput) => call<string>('export_report', { input }),
};
