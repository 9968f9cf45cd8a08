// 工作日历: the years deadlines are counted on (built in, or loaded by an admin)
// and loading a new year's holiday schedule, pasted or from a file. The file
// format and its checks are the core's; a wrong line is named with its number.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Input, Space, Table, Tag, Typography } from 'antd';
import { FolderOpenOutlined } from '@ant-design/icons';
import type { ApiError, CalendarYearView, LoadCalendarInput, LoadedYear } from '../api/bindings';
import { call } from '../api/client';
import { t } from '../i18n';
import { pickPaths } from '../shared/files';

export function CalendarTab() {
  const { message } = AntApp.useApp();
  const [years, setYears] = useState<CalendarYearView[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(() => {
    call<CalendarYearView[]>('calendar_years').then(setYears, (e: ApiError) => setError(e.message));
  }, []);
  useEffect(reload, [reload]);

  const load = async (input: LoadCalendarInput) => {
    setBusy(true);
    setError(null);
    try {
      const y = await call<LoadedYear>('load_calendar', { input });
      void message.success(t(y.replaced ? 'calendar.replaced' : 'calendar.loaded', { year: y.year, holidays: y.holidays, workdays: y.make_up_workdays }));
      setText('');
      reload();
    } catch (e) {
      const err = e as ApiError;
      setError(err.fields.length > 0 ? err.fields.map((f) => f.message).join('；') : err.message);
    } finally {
      setBusy(false);
    }
  };

  const fromFile = async () => {
    const [path] = await pickPaths(false);
    if (path) await load({ text: '', path });
  };

  return (
    <div data-testid="calendar-tab">
      <Typography.Paragraph type="secondary">{t('calendar.hint')}</Typography.Paragraph>
      <Table<CalendarYearView>
        size="small"
        rowKey="year"
        pagination={false}
        dataSource={years}
        columns={[
          { title: t('calendar.col.year'), dataIndex: 'year', key: 'year', width: 90 },
          { title: t('calendar.col.source'), dataIndex: 'source', key: 'source', ellipsis: true },
          { title: t('calendar.col.holidays'), dataIndex: 'holidays', key: 'holidays', width: 110, align: 'right' },
          { title: t('calendar.col.workdays'), dataIndex: 'make_up_workdays', key: 'workdays', width: 110, align: 'right' },
          {
            title: '',
            key: 'builtin',
            width: 110,
            render: (_v, y) => <Tag color={y.builtin ? 'default' : 'blue'}>{t(y.builtin ? 'calendar.builtin' : 'calendar.loadedTag')}</Tag>,
          },
        ]}
      />
      <Typography.Title level={5} className="applicant-section">
        {t('calendar.load')}
      </Typography.Title>
      <Input.TextArea
        rows={8}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={'year 2027\nsource 国务院办公厅关于2027年部分节假日安排的通知\noff 2027-01-01 元旦\nwork 2027-…'}
        className="mono"
        data-testid="calendar-text"
      />
      <Space className="calendar-actions">
        <Button type="primary" loading={busy} disabled={text.trim() === ''} onClick={() => void load({ text, path: null })} data-testid="calendar-load">
          {t('calendar.loadText')}
        </Button>
        <Button icon={<FolderOpenOutlined />} onClick={() => void fromFile()} disabled={busy}>
          {t('calendar.loadFile')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} data-testid="calendar-error" className="form-alert" />}
    </div>
  );
}
