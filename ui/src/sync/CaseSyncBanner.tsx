// The banner on a case the central server rejected work on: the case shows
// the server's record, and the person's version waits in 需处理.
import { Alert, Button } from 'antd';
import { openSync } from './syncNav';
import { st } from './texts';

export function CaseSyncBanner({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <Alert
      className="form-alert"
      type="warning"
      showIcon
      data-testid="case-sync-banner"
      message={st('banner.case', { count })}
      action={
        <Button size="small" onClick={openSync} data-testid="case-sync-open">
          {st('banner.open')}
        </Button>
      }
    />
  );
}
