// How a read-only summary of the filing shows one field: the text, or a grey
// 未填写 when it is empty. Used by the filing's 核对与提交 step (steps.tsx) and
// by the review desks' DraftSummary.
import type { ReactNode } from 'react';
import { Typography } from 'antd';
import { ft } from './texts';

export function text(s: string | null | undefined): ReactNode {
  return s && s.trim() !== '' ? s : <Typography.Text type="secondary">{ft('review.empty')}</Typography.Text>;
}

/** The non-empty parts, joined with a Chinese comma. */
export const join = (parts: (string | null | undefined)[]) => parts.filter((p) => p && p.trim() !== '').join('，');
