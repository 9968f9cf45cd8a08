// The lines of a bank statement with what the matching decided for each.
import type { ReactNode } from 'react';
import { Button, Popover, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { CandidateView, LineDecision, StatementLineView } from '../api/bindings';
import { fmtYuan } from './money';
import { pt } from './texts';

const DECISION_COLOR: Record<LineDecision, string | undefined> = {
  matched: 'green',
  ambiguous: 'orange',
  unmatched: undefined,
  ignored: '#bfbfbf',
};

export function DecisionTag({ line }: { line: StatementLineView }) {
  return (
    <Tag color={DECISION_COLOR[line.decision]} data-testid={`decision-${line.line}`} data-decision={line.decision}>
      {line.decision_label}
    </Tag>
  );
}

function CandidateList({ candidates }: { candidates: CandidateView[] }) {
  return (
    <ol className="pay-candidates">
      {candidates.map((c, i) => (
        <li key={`${c.label}-${i}`}>
          <strong>{c.label}</strong> <Typography.Text type="secondary">{pt('statement.score', { score: c.score })}</Typography.Text>
          {c.reasons.length > 0 && <div className="pay-reasons">{c.reasons.join('；')}</div>}
        </li>
      ))}
    </ol>
  );
}

/** 候选 N, with each candidate's score and reasons in a popover. */
export function Candidates({ line }: { line: StatementLineView }) {
  if (line.candidates.length === 0) return null;
  return (
    <Popover content={<CandidateList candidates={line.candidates} />} title={pt('statement.candidates')} trigger="click">
      <Button size="small" type="link" data-testid={`cands-${line.line}`}>
        {pt('statement.candidateCount', { count: line.candidates.length })}
      </Button>
    </Popover>
  );
}

/** The columns shared by the preview and the 待人工处理 list. */
export function lineColumns(): ColumnsType<StatementLineView> {
  return [
    { title: pt('statement.col.line'), dataIndex: 'line', key: 'line', width: 60 },
    { title: pt('statement.col.date'), key: 'date', width: 140, render: (_v, l) => [l.date, l.time].filter(Boolean).join(' ') },
    { title: pt('statement.col.payer'), dataIndex: 'payer', key: 'payer', width: 150, ellipsis: true },
    { title: pt('statement.col.account'), dataIndex: 'payer_account', key: 'account', width: 150, ellipsis: true, className: 'mono' },
    {
      title: pt('statement.col.credit'),
      key: 'credit',
      width: 110,
      align: 'right',
      render: (_v, l) => (l.amount_fen === null ? '' : fmtYuan(l.amount_fen)),
    },
    {
      title: pt('statement.col.debit'),
      key: 'debit',
      width: 100,
      align: 'right',
      render: (_v, l) => (l.debit_fen === null ? '' : fmtYuan(l.debit_fen)),
    },
    { title: pt('statement.col.memo'), dataIndex: 'memo', key: 'memo', ellipsis: true },
    { title: pt('statement.col.reference'), dataIndex: 'reference', key: 'reference', width: 150, ellipsis: true, className: 'mono' },
  ];
}

export function StatementLines({ lines, testId }: { lines: StatementLineView[]; testId: string }) {
  const columns: ColumnsType<StatementLineView> = [
    ...lineColumns(),
    {
      title: pt('statement.col.decision'),
      key: 'decision',
      width: 170,
      render: (_v, l): ReactNode => (
        <>
          <DecisionTag line={l} />
          {l.already_imported && <Tag>{pt('statement.alreadyImported')}</Tag>}
        </>
      ),
    },
    {
      title: pt('statement.col.case'),
      key: 'case',
      width: 150,
      render: (_v, l) => (
        <>
          {l.case_serial && <span data-testid={`matched-${l.line}`}>{l.case_serial}</span>}
          <Candidates line={l} />
        </>
      ),
    },
  ];
  return (
    <Table<StatementLineView>
      size="small"
      rowKey={(l) => `${l.line}-${l.id ?? ''}`}
      columns={columns}
      dataSource={lines}
      pagination={{ pageSize: 100, hideOnSinglePage: true, showSizeChanger: false }}
      data-testid={testId}
      scroll={{ x: 1300 }}
    />
  );
}
