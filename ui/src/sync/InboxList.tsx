// 需处理: each entry the server rejected — who, when, the command in words,
// everything they entered, the reason, the server's values beside theirs —
// with 重做 (the form prefilled where the command has one, else the data to
// re-enter; saving the redone command closes the entry, the core checking it
// was saved) and 放弃 (asked again, then audited by the core). The core gives
// every field labelled and display-ready (bookkeeping left out, ID numbers
// masked): this screen only draws them.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Drawer, Empty, Modal, Space, Spin, Table, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import type { ApiError, FilingDraft, InboxItemView, InboxRowView } from '../api/bindings';
import { fmtDateTime } from '../shared/format';
import { FilingWorkspace } from '../filing/FilingWorkspace';
import { syncApi } from './api';
import { useSyncPulled } from './useSyncStatus';
import { st } from './texts';

/** Commands whose 重做 opens the filing form prefilled with what was entered. */
const FILING_COMMANDS = new Set(['save_draft', 'create_draft']);

/** What a filing command carried as its draft, if it did. */
export function draftOf(item: InboxItemView): FilingDraft | null {
  if (!FILING_COMMANDS.has(item.command) || !item.case_id) return null;
  const p = item.payload as { draft?: unknown } | null;
  return p && typeof p.draft === 'object' && p.draft !== null ? (p.draft as FilingDraft) : null;
}

function Entered({ item }: { item: InboxItemView }) {
  if (item.entered.length === 0) return <Typography.Text type="secondary">{st('none')}</Typography.Text>;
  return (
    <Descriptions size="small" column={1} bordered data-testid="inbox-entered">
      {item.entered.map((line, i) => (
        <Descriptions.Item key={`${i}:${line.label}`} label={line.label}>
          {line.value}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function RowCompare({ row }: { row: InboxRowView }) {
  return (
    <div className="inbox-row" data-testid="inbox-row">
      <Typography.Text strong>
        {row.table_label} {row.record}
      </Typography.Text>{' '}
      {row.theirs_deleted && <Typography.Text type="secondary">{st('inbox.deleted')}</Typography.Text>}
      {row.server_missing && <Typography.Text type="secondary">{st('inbox.missing')}</Typography.Text>}
      <Table
        size="small"
        pagination={false}
        rowKey="column"
        dataSource={row.fields}
        columns={[
          { title: st('inbox.column'), dataIndex: 'label', width: '30%' },
          { title: st('inbox.theirs'), dataIndex: 'theirs', render: (v: string | null) => v ?? '—' },
          { title: st('inbox.server'), dataIndex: 'server', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </div>
  );
}

function Item({ item, onRedo, onDiscard }: { item: InboxItemView; onRedo: () => void; onDiscard: () => void }) {
  const who = item.staff_name ?? st('inbox.unknownStaff');
  return (
    <Card
      size="small"
      className="inbox-item"
      data-testid="inbox-item"
      data-entry={item.entry_id}
      title={
        <Space>
          <Typography.Text strong data-testid="inbox-command">
            {item.command_words}
          </Typography.Text>
          <Typography.Text type="secondary">
            {who} · {fmtDateTime(item.at)}
          </Typography.Text>
        </Space>
      }
      extra={
        <Space>
          <Button size="small" type="primary" onClick={onRedo} data-testid="inbox-redo">
            {st('inbox.redo')}
          </Button>
          <Button size="small" danger onClick={onDiscard} data-testid="inbox-discard">
            {st('inbox.discard')}
          </Button>
        </Space>
      }
    >
      <Alert type="error" showIcon message={st('inbox.reason')} description={item.reason} data-testid="inbox-reason" />
      <Descriptions size="small" column={2} className="inbox-meta">
        <Descriptions.Item label={st('inbox.who')}>{who}</Descriptions.Item>
        <Descriptions.Item label={st('inbox.when')}>{fmtDateTime(item.at)}</Descriptions.Item>
        <Descriptions.Item label={st('inbox.command')}>{item.command_words}</Descriptions.Item>
        <Descriptions.Item label={st('inbox.received')}>{fmtDateTime(item.received_at)}</Descriptions.Item>
      </Descriptions>
      {item.rows.length > 0 && (
        <>
          <Typography.Title level={5}>{st('inbox.compare')}</Typography.Title>
          {item.rows.map((r) => (
            <RowCompare key={`${r.table}:${r.key}`} row={r} />
          ))}
        </>
      )}
      <Typography.Title level={5}>{st('inbox.entered')}</Typography.Title>
      <Entered item={item} />
    </Card>
  );
}

export function InboxList({ onChanged }: { onChanged?: () => void }) {
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<InboxItemView[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [redo, setRedo] = useState<InboxItemView | null>(null);
  const [discarding, setDiscarding] = useState<InboxItemView | null>(null);
  const [discardError, setDiscardError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [redoneError, setRedoneError] = useState<ApiError | null>(null);
  /** The entry whose redo was saved and closed (the drawer may stay open for more). */
  const closedRef = useRef<string | null>(null);

  const load = useCallback(() => {
    syncApi.inbox().then(
      (list) => {
        setItems(list);
        setError(null);
      },
      (e: ApiError) => setError(e),
    );
  }, []);

  useEffect(load, [load]);
  // A round that brought rejections (or anything else) from the server: read again.
  useSyncPulled(load);

  const discard = async () => {
    if (!discarding) return;
    setBusy(true);
    setDiscardError(null);
    try {
      await syncApi.discard({ entry_id: discarding.entry_id, confirm: true });
      setDiscarding(null);
      message.success(st('inbox.discarded'));
      load();
      onChanged?.();
    } catch (e) {
      setDiscardError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const openRedo = (item: InboxItemView) => {
    closedRef.current = null;
    setRedoneError(null);
    setRedo(item);
  };

  /** The redone command was saved: the core closes the entry (it checks the save). */
  const closeRedone = async (item: InboxItemView): Promise<boolean> => {
    if (closedRef.current === item.entry_id) return true;
    setRedoneError(null);
    try {
      await syncApi.redone({ entry_id: item.entry_id });
      closedRef.current = item.entry_id;
      message.success(st('inbox.redoneDone'));
      load();
      onChanged?.();
      return true;
    } catch (e) {
      setRedoneError(e as ApiError);
      return false;
    }
  };

  const draft = redo ? draftOf(redo) : null;
  const redoneAlert = redoneError && (
    <Alert
      type="error"
      showIcon
      message={st('inbox.redoneFailed')}
      description={redoneError.message}
      className="form-alert"
      data-testid="inbox-redone-error"
    />
  );

  return (
    <div data-testid="sync-inbox">
      <Typography.Title level={5}>{st('inbox.title')}</Typography.Title>
      {error && (
        <Alert
          type="error"
          showIcon
          message={st('inbox.loadFailed')}
          description={error.message}
          action={<Button size="small" onClick={load}>{st('retry')}</Button>}
        />
      )}
      {!items && !error && <Spin />}
      {items && items.length === 0 && <Empty description={st('inbox.empty')} />}
      {items?.map((item) => (
        <Item
          key={item.entry_id}
          item={item}
          onRedo={() => openRedo(item)}
          onDiscard={() => {
            setDiscardError(null);
            setDiscarding(item);
          }}
        />
      ))}
      <Modal
        open={discarding !== null}
        title={st('inbox.discardTitle')}
        okText={st('inbox.discardOk')}
        cancelText={st('inbox.cancel')}
        okButtonProps={{ danger: true, loading: busy, 'data-testid': 'inbox-discard-ok' } as ButtonProps}
        onOk={() => void discard()}
        onCancel={() => setDiscarding(null)}
        destroyOnHidden
      >
        {discarding && (
          <Typography.Paragraph data-testid="inbox-discard-body">
            {st('inbox.discardBody', {
              command: discarding.command_words,
              who: discarding.staff_name ?? st('inbox.unknownStaff'),
              when: fmtDateTime(discarding.at),
            })}
          </Typography.Paragraph>
        )}
        {discardError && <Alert type="error" showIcon message={discardError.message} data-testid="inbox-discard-error" />}
      </Modal>
      <Drawer
        open={redo !== null && draft !== null}
        width="90%"
        title={redo ? st('inbox.redoTitle', { command: redo.command_words }) : ''}
        onClose={() => setRedo(null)}
        destroyOnHidden
      >
        <Alert type="info" showIcon message={st('inbox.redoFiling')} className="form-alert" />
        {redoneAlert}
        {redo && draft && redo.case_id && (
          <FilingWorkspace
            caseKey={redo.case_id}
            prefill={draft}
            onClose={() => {
              setRedo(null);
              onChanged?.();
            }}
            onSaved={() => {
              void closeRedone(redo);
            }}
          />
        )}
      </Drawer>
      <Modal
        open={redo !== null && draft === null}
        title={redo ? st('inbox.redoTitle', { command: redo.command_words }) : ''}
        footer={
          <Space>
            <Button onClick={() => setRedo(null)} data-testid="inbox-redo-close">
              {st('inbox.close')}
            </Button>
            <Button
              type="primary"
              data-testid="inbox-redone"
              onClick={() => {
                if (redo) {
                  void closeRedone(redo).then((ok) => ok && setRedo(null));
                }
              }}
            >
              {st('inbox.redoneButton')}
            </Button>
          </Space>
        }
        onCancel={() => setRedo(null)}
        width={720}
        destroyOnHidden
      >
        <Alert type="info" showIcon message={st('inbox.redoManual')} className="form-alert" />
        {redoneAlert}
        {redo && <Entered item={redo} />}
      </Modal>
    </div>
  );
}
