// 加入已有机构 at first start: enrol with the server, then the first sync
// receives the office's records page by page with a progress bar (rows and MB
// of the total). 取消 pauses it between pages, leaving what arrived in place
// and the app usable; 继续 goes on from there. Then the sign-in screen.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Progress, Space, Typography } from 'antd';
import { listen } from '@tauri-apps/api/event';
import type { ApiError, SnapshotProgress } from '../api/bindings';
import { EnrolForm } from './EnrolForm';
import { SNAPSHOT_PROGRESS, syncApi } from './api';
import { st } from './texts';

type Phase = 'form' | 'syncing' | 'paused' | 'failed';

const MB = 1024 * 1024;
const mb = (b: number) => (b / MB).toFixed(1);

/** Done of total, as a whole percent (0 while the total is not known yet). */
export function percent(p: SnapshotProgress | null): number {
  if (!p) return 0;
  if (p.done) return 100;
  return p.rows_total > 0 ? Math.floor((p.rows_done * 100) / p.rows_total) : 0;
}

export function JoinScreen({
  resume,
  progress: initial,
  onBack,
  onDone,
}: {
  /** Already enrolled: the first sync goes on (or starts) without the form. */
  resume: boolean;
  progress?: SnapshotProgress | null;
  onBack?: () => void;
  onDone: () => void;
}) {
  const [phase, setPhase] = useState<Phase>(resume ? 'paused' : 'form');
  const [progress, setProgress] = useState<SnapshotProgress | null>(initial ?? null);
  const [error, setError] = useState<ApiError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    const unlisten = listen<SnapshotProgress>(SNAPSHOT_PROGRESS, (e) => {
      if (live.current) setProgress(e.payload);
    });
    return () => {
      live.current = false;
      unlisten.then((u) => u()).catch(() => {});
    };
  }, []);

  const run = async () => {
    setPhase('syncing');
    setError(null);
    setCancelling(false);
    try {
      const p = await syncApi.firstSync();
      if (!live.current) return;
      setProgress(p);
      if (p.done) {
        onDone();
      } else {
        setPhase('paused');
      }
    } catch (e) {
      if (!live.current) return;
      setError(e as ApiError);
      setPhase('failed');
    }
  };

  const cancel = async () => {
    setCancelling(true);
    try {
      await syncApi.cancelFirstSync();
    } catch (e) {
      setError(e as ApiError);
      setCancelling(false);
    }
  };

  return (
    <div className="screen-center">
      <Card className="setup-card" variant="borderless" data-testid="join-screen">
        <Typography.Title level={3}>{phase === 'form' ? st('join.title') : st('join.progressTitle')}</Typography.Title>
        {phase === 'form' && (
          <>
            <Typography.Paragraph type="secondary">{st('enrol.intro')}</Typography.Paragraph>
            <EnrolForm autoFocus onEnrolled={() => void run()} />
            {onBack && (
              <Button type="link" onClick={onBack} data-testid="join-back" className="join-back">
                {st('join.back')}
              </Button>
            )}
          </>
        )}
        {phase !== 'form' && (
          <>
            <Progress percent={percent(progress)} status={phase === 'failed' ? 'exception' : phase === 'syncing' ? 'active' : 'normal'} data-testid="join-progress" />
            <Typography.Paragraph data-testid="join-progress-text">
              {progress && progress.rows_total > 0
                ? st('join.progress', {
                    rows: progress.rows_done,
                    total: progress.rows_total,
                    mb: mb(progress.bytes_done),
                    totalMb: mb(progress.bytes_total),
                  })
                : st('join.waiting')}
            </Typography.Paragraph>
            {phase === 'paused' && progress && progress.rows_done > 0 && (
              <Alert type="info" showIcon message={st('join.cancelled')} className="form-alert" data-testid="join-paused" />
            )}
            {phase === 'failed' && error && (
              <Alert type="error" showIcon message={st('join.failed')} description={error.message} className="form-alert" data-testid="join-error" />
            )}
            <Space>
              {phase === 'syncing' ? (
                <Button onClick={() => void cancel()} loading={cancelling} data-testid="join-cancel">
                  {st('join.cancel')}
                </Button>
              ) : (
                <Button type="primary" onClick={() => void run()} data-testid="join-resume">
                  {st('join.resume')}
                </Button>
              )}
            </Space>
          </>
        )}
      </Card>
    </div>
  );
}
