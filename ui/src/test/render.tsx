import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import Desk from '../App';

/** Renders the whole desk (it asks app_status itself). */
export function renderDesk() {
  const user = userEvent.setup({ pointerEventsCheck: 0 });
  return { user, ...render(<Desk />) };
}

/** Renders one component inside the providers the app gives it. */
export function renderWithProviders(ui: ReactElement) {
  const user = userEvent.setup({ pointerEventsCheck: 0 });
  return {
    user,
    ...render(
      <ConfigProvider locale={zhCN}>
        <AntApp>{ui}</AntApp>
      </ConfigProvider>,
    ),
  };
}

type User = ReturnType<typeof userEvent.setup>;

/** Types a whole value at once (a paste): far quicker than key by key under jsdom. */
export async function fill(user: User, el: HTMLElement, value: string) {
  await user.click(el);
  await user.paste(value);
}
