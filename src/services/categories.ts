/**
 * The fixed list of service categories, in the order the kiosk shows its filter buttons. The labels
 * are served by the API so the kiosk and the admin page never spell them differently. The migration's
 * CHECK constraint repeats the ids: a new category needs a migration too.
 */
export const CATEGORIES = ['health', 'finance', 'digital', 'legal', 'elderly-care', 'youth', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, { zh: string; en: string }> = {
  health: { zh: '健康医疗', en: 'Health' },
  finance: { zh: '金融服务', en: 'Finance' },
  digital: { zh: '数字生活', en: 'Digital skills' },
  legal: { zh: '法律咨询', en: 'Legal advice' },
  'elderly-care': { zh: '为老服务', en: 'Elderly care' },
  youth: { zh: '青少年', en: 'Youth' },
  other: { zh: '其他', en: 'Other' },
};

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
