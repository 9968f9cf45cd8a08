import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Empty, Input, Table, Typography } from 'antd';
import type { InputRef } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import type { ApiError, ApplicantView } from '../api/bindings';
import { api } from '../api/client';
import { t } from '../i18n';
import { ApplicantDrawer } from './ApplicantDrawer';
import type { ApplicantOpenRequest } from './ApplicantDrawer';

export const SEARCH_LIMIT = 20;
export const SEARCH_DELAY_MS = 250;

/** 用户信息 at the counter: find as you type, open a profile or create one. */
export function ApplicantsTab({ active, canChangeCategory }: { active: boolean; canChangeCategory: boolean }) {
  const { message } = AntApp.useApp();
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<ApplicantView[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [request, setRequest] = useState<ApplicantOpenRequest | null>(null);
  const searchRef = useRef<InputRef>(null);
  const seq = useRef(0);
  const openSeq = useRef(0);

  // Back on this tab (drawer closed): the search box has the focus.
  useEffect(() => {
    if (active && request === null) searchRef.current?.focus();
  }, [active, request]);

  useEffect(() => {
    const q = query.trim();
    const mine = ++seq.current;
    if (q === '') {
      setRows([]);
      setLoading(false);
      setError(null);
      return;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      api.findApplicants({ query: q, limit: SEARCH_LIMIT }).then(
        (found) => {
          if (seq.current !== mine) return;
          setRows(found);
          setError(null);
          setLoading(false);
        },
        (e: ApiError) => {
          if (seq.current !== mine) return;
          setError(e);
          setLoading(false);
        },
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const open = (applicant: ApplicantView | null) => {
    openSeq.current += 1;
    setRequest({ seq: openSeq.current, applicant });
  };

  const openRow = async (row: ApplicantView) => {
    try {
      open(await api.applicant(row.id));
    } catch (e) {
      void message.error((e as ApiError).message || t('applicant.openFailed'));
    }
  };

  const onSaved = (a: ApplicantView) => setRows((rs) => rs.map((r) => (r.id === a.id ? a : r)));

  const columns: ColumnsType<ApplicantView> = [
    { title: t('applicant.col.name'), dataIndex: 'name', key: 'name', ellipsis: true },
    { title: t('applicant.col.category'), dataIndex: 'category_label', key: 'category', width: 140 },
    { title: t('applicant.col.id_type'), dataIndex: 'id_type_label', key: 'id_type', width: 150, ellipsis: true },
    { title: t('applicant.col.id_number'), dataIndex: 'id_number_masked', key: 'id_number', width: 190, className: 'mono' },
    { title: t('applicant.col.handler'), dataIndex: 'handler_name', key: 'handler', width: 100, ellipsis: true },
    { title: t('applicant.col.mobile'), dataIndex: 'handler_mobile', key: 'mobile', width: 120 },
    {
      title: t('applicant.col.actions'),
      key: 'actions',
      width: 70,
      render: (_v, r) => (
        <Button type="link" size="small" onClick={() => void openRow(r)} data-testid={`applicant-open-${r.id}`}>
          {t('applicant.action.open')}
        </Button>
      ),
    },
  ];

  const q = query.trim();
  return (
    <div>
      <div className="applicant-toolbar">
        <Input
          ref={searchRef}
          autoFocus
          allowClear
          className="applicant-search"
          prefix={<SearchOutlined />}
          placeholder={t('applicant.search.placeholder')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onPressEnter={() => {
            if (rows.length === 1) void openRow(rows[0]);
          }}
          data-testid="applicant-search"
          aria-label={t('applicant.search.placeholder')}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open(null)} data-testid="applicant-new">
          {t('applicant.new')}
        </Button>
      </div>
      {error && <Alert className="form-alert" type="error" showIcon message={error.message || t('applicant.search.failed')} />}
      {q === '' ? (
        <Typography.Paragraph type="secondary" className="applicant-hint" data-testid="applicant-hint">
          {t('applicant.search.hint')}
        </Typography.Paragraph>
      ) : (
        <div data-testid="applicant-results">
          <Table<ApplicantView>
            size="small"
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={loading}
            pagination={false}
            onRow={(r) => ({ onDoubleClick: () => void openRow(r) })}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('applicant.search.empty')} /> }}
          />
        </div>
      )}
      <ApplicantDrawer request={request} onClose={() => setRequest(null)} onSaved={onSaved} canChangeCategory={canChangeCategory} />
    </div>
  );
}
