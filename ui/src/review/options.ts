// The fixed choices of the review desks. Which decision is allowed is the core's rule.
import type { RefusalGround } from '../api/bindings';
import { rt } from './texts';
import type { ReviewTextKey } from './texts';

/** The grounds of 不予登记, in the order of the core's RefusalGround enum (试行办法 art. 5). */
export const REFUSAL_GROUNDS: ReadonlyArray<RefusalGround> = ['not_a_work', 'term_expired', 'publication_prohibited', 'ownership_disputed'];

export const refusalGroundOptions = () => REFUSAL_GROUNDS.map((g) => ({ value: g, label: rt(`ground.${g}`) }));

/**
 * Templated reasons for a return. They are sent as they stand and printed on the
 * 补正通知书 (a Chinese document), so they are not translated.
 */
export const RETURN_TEMPLATES: ReadonlyArray<string> = [
  '身份证明文件不清晰或与申请人不符',
  '作品样本无法识别或与类别不符',
  '创作完成日期与发表日期矛盾',
  '权利归属说明不完整',
  '缺少权利证明文件',
];

/** The reviewer's own checklist (local only, never saved). */
export const CHECKLIST: ReadonlyArray<{ key: string; text: ReviewTextKey }> = [
  { key: 'id', text: 'check.id' },
  { key: 'category', text: 'check.category' },
  { key: 'dates', text: 'check.dates' },
  { key: 'ownership', text: 'check.ownership' },
  { key: 'samples', text: 'check.samples' },
  { key: 'duplicates', text: 'check.duplicates' },
];
