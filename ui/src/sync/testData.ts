import type { InboxItemView, SyncStatusView } from '../api/bindings';
import { aloneSync } from '../test/backend';

export const enrolled = (over: Partial<SyncStatusView> = {}): SyncStatusView => ({
  ...aloneSync,
  enrolled: true,
  server_url: 'https://192.168.1.10:8443',
  station_name: '受理窗口2',
  office_name: '浙江省版权局',
  ca_fingerprint: 'AB:CD:EF:01',
  enrolled_at: '2026-12-01T02:00:00Z',
  last_success: '2026-12-06T02:00:00Z',
  last_attempt: '2026-12-06T02:00:00Z',
  cursor: 42,
  ...over,
});

export const rejectedFiling = (over: Partial<InboxItemView> = {}): InboxItemView => ({
  entry_id: 'e1',
  staff_id: 's1',
  staff_name: '张受理',
  at: '2026-12-06T01:30:00Z',
  command: 'save_draft',
  command_words: '保存填报',
  entity: 'case',
  entity_id: 'c1',
  case_id: 'c1',
  payload: { draft: { title: '西湖春晓', category: 'art' }, applicant_id: 'a1' },
  code: 'conflict',
  reason: '案件已被其他工作站修改（作品名称）：请核对服务器当前的值后重做',
  received_at: '2026-12-06T02:00:00Z',
  rows: [
    {
      table: 'cases',
      table_label: '案件',
      key: '["c1"]',
      record: 'ZJ-A5AC-20261207-0001',
      theirs_deleted: false,
      server_missing: false,
      fields: [
        { column: 'title', label: '作品名称', theirs: '西湖春晓', server: '西湖春色' },
        { column: 'draft.owners[1].id_number', label: '填报内容 · 著作权人 1 · 证件号码', theirs: '330106********123X', server: '330106********123X' },
      ],
    },
  ],
  entered: [
    { label: '填报内容 · 作品名称', value: '西湖春晓' },
    { label: '填报内容 · 作品类别', value: '美术' },
    { label: '申请人编号', value: 'a1' },
  ],
  ...over,
});
