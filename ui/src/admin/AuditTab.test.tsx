import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../api/bindings';
import { fakeCore } from '../test/backend';
import { renderWithProviders } from '../test/render';
import { AuditTab } from './AuditTab';

const report = (over: Partial<AuditReport> = {}): AuditReport => ({
  entries: 12,
  ok: true,
  first_broken: null,
  message: '审计链完整：共 12 条记录，逐条校验通过',
  rows_checked: 30,
  problems: [],
  problems_total: 0,
  anchored_seq: 12,
  server: null,
  ...over,
});

describe('审计 → 校验审计链', () => {
  it('on an enrolled station names a deleted tail the server saw', async () => {
    const tail = '服务器于 2026-12-06 02:00:00 UTC 记下本工作站的审计链已到第 14 条，本机却没有这一条：日志的末尾（或这一条）被删除';
    fakeCore({
      recent_audit: () => [],
      verify_audit: () =>
        report({
          ok: false,
          first_broken: 14,
          message: tail,
          problems: [{ kind: 'tail_deleted', table: null, record: null, columns: [], seq: 14, message: tail }],
          problems_total: 1,
          server: { compared: true, heads: 3, message: `与服务器记下的 3 个链头核对：${tail}` },
        }),
    });
    const { user } = renderWithProviders(<AuditTab />);
    await user.click(await screen.findByTestId('audit-verify'));
    const server = await screen.findByTestId('audit-server');
    expect(server).toHaveTextContent('与服务器记下的 3 个链头核对');
    expect(server).toHaveTextContent('被删除');
    expect(server).toHaveAttribute('data-compared', 'yes');
    expect(screen.getByTestId('audit-problems')).toHaveTextContent('第 14 条');
  });

  it('says when the server could not be asked, and shows nothing of it on a station alone', async () => {
    let r = report({ server: { compared: false, heads: 0, message: '无法向服务器核对本工作站的审计链（连接被拒绝）：以上只是本机的校验，联网后请再校验一次' } });
    fakeCore({ recent_audit: () => [], verify_audit: () => r });
    const { user } = renderWithProviders(<AuditTab />);
    await user.click(await screen.findByTestId('audit-verify'));
    const server = await screen.findByTestId('audit-server');
    expect(server).toHaveTextContent('只是本机的校验');
    expect(server).toHaveAttribute('data-compared', 'no');
    r = report();
    await user.click(screen.getByTestId('audit-verify'));
    await screen.findByText('审计链完整：共 12 条记录，逐条校验通过');
    expect(screen.queryByTestId('audit-server')).toBeNull();
  });
});
