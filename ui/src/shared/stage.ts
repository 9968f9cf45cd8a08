import type { Stage } from '../api/bindings';

/** One colour per lifecycle stage, everywhere (UI.md). */
export const STAGE_COLOR: Record<Stage, string> = {
  draft: 'default',
  waiting_applicant: 'orange',
  waiting_office: 'blue',
  registered: 'green',
  closed: 'red',
};
