// The colour of a deadline's level, as the core classifies it (normal, soon, overdue).
import type { DeadlineLevel } from '../api/bindings';

export const DEADLINE_COLOR: Record<DeadlineLevel, string> = {
  normal: 'blue',
  soon: 'orange',
  overdue: 'red',
};
