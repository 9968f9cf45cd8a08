// The header's sync state: 单机 / 已同步 / 同步中 / 离线 · N 条待同步, and
// 需处理 N beside it; each opens the sync page. Only the core's flags decide.
import type { ReactNode } from 'react';
import { Space, Tag, Tooltip } from 'antd';
import {
  CheckCircleOutlined,
  CloudServerOutlined,
  CloudSyncOutlined,
  DisconnectOutlined,
  ExclamationCircleOutlined,
} from '@ant-design/icons';
import type { SyncStatusView } from '../api/bindings';
import { st } from './texts';

type Look = { state: string; icon: ReactNode; color: string; text: string; hint: string };

function look(s: SyncStatusView): Look {
  if (!s.enrolled) {
    return { state: 'alone', icon: <CloudServerOutlined />, color: 'default', text: st('state.alone'), hint: st('state.aloneHint') };
  }
  if (s.snapshot) {
    return { state: 'first-sync', icon: <CloudSyncOutlined />, color: 'processing', text: st('state.firstSync'), hint: st('state.open') };
  }
  if (s.offline) {
    return {
      state: 'offline',
      icon: <DisconnectOutlined />,
      color: 'warning',
      text: st('state.offline', { count: s.pending }),
      hint: s.last_error ?? st('state.open'),
    };
  }
  if (s.pending > 0) {
    return { state: 'syncing', icon: <CloudSyncOutlined />, color: 'processing', text: st('state.syncing', { count: s.pending }), hint: st('state.open') };
  }
  return { state: 'synced', icon: <CheckCircleOutlined />, color: 'success', text: st('state.synced'), hint: st('state.open') };
}

export function SyncState({ status, onOpen }: { status: SyncStatusView | null; onOpen: () => void }) {
  if (!status) return null;
  const l = look(status);
  const open = { onClick: onOpen, role: 'button', className: 'sync-tag' } as const;
  return (
    <Space size={4}>
      <Tooltip title={l.hint}>
        <Tag icon={l.icon} color={l.color} data-testid="sync-state" data-state={l.state} {...open}>
          {l.text}
        </Tag>
      </Tooltip>
      {status.inbox > 0 && (
        <Tag icon={<ExclamationCircleOutlined />} color="error" data-testid="sync-inbox-badge" {...open}>
          {st('state.inbox', { count: status.inbox })}
        </Tag>
      )}
    </Space>
  );
}
