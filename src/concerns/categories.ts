/**
 * The fixed list of things a resident can raise, each with preset phrases (KIOSK.md: typing Chinese
 * on a kiosk is hard, so a resident taps a category and a few phrases; free words are optional).
 * A concern stores phrase ids, so the board shows them in either language. Adding a category needs
 * a migration (the table CHECKs the list); adding or rewording a phrase does not, but never reuse an
 * id for a different meaning: stored concerns refer to it.
 */
export interface Text {
  zh: string;
  en: string;
}
export interface Phrase {
  id: string;
  text: Text;
}
export interface Category {
  id: CategoryId;
  label: Text;
  phrases: Phrase[];
}

export const CATEGORY_IDS = ['tree-signal', 'street-stalls', 'bike-parking', 'waste', 'noise', 'lighting', 'accessibility', 'other'] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

const p = (id: string, zh: string, en: string): Phrase => ({ id, text: { zh, en } });

export const CATEGORIES: readonly Category[] = [
  {
    id: 'tree-signal',
    label: { zh: '树木遮挡信号灯或路灯', en: 'Tree hiding a signal or light' },
    phrases: [
      p('hides-traffic-light', '树枝挡住了红绿灯', 'Branches hide the traffic light'),
      p('hides-street-light', '树枝挡住了路灯', 'Branches block the street light'),
      p('hides-sign', '树枝挡住了路牌', 'Branches hide a road sign'),
      p('please-trim', '请修剪树枝', 'Please trim the branches'),
    ],
  },
  {
    id: 'street-stalls',
    label: { zh: '占道摊贩', en: 'Street stalls' },
    phrases: [
      p('block-pavement', '摊位占用人行道', 'Stalls block the pavement'),
      p('smoke-smell', '油烟和气味大', 'Cooking smoke and smells'),
      p('leave-rubbish', '收摊后留下垃圾', 'Rubbish left behind'),
      p('evenings', '晚上特别多', 'Worst in the evening'),
    ],
  },
  {
    id: 'bike-parking',
    label: { zh: '非机动车停放', en: 'Bike parking' },
    phrases: [
      p('shared-bikes', '共享单车乱停', 'Shared bikes parked anywhere'),
      p('blocks-passage', '电动车堵住通道', 'E-bikes block the way'),
      p('indoor-charging', '楼道里给电动车充电', 'E-bikes charged in the stairwell'),
      p('need-spaces', '需要更多停车位', 'More parking spaces needed'),
    ],
  },
  {
    id: 'waste',
    label: { zh: '垃圾', en: 'Waste' },
    phrases: [
      p('bins-full', '垃圾桶满了', 'The bins are full'),
      p('late-pickup', '清运不及时', 'Collection is late'),
      p('smell', '有异味', 'It smells'),
      p('dumped', '有人乱扔垃圾', 'Rubbish is dumped'),
    ],
  },
  {
    id: 'noise',
    label: { zh: '噪音', en: 'Noise' },
    phrases: [
      p('at-night', '夜间噪音', 'Noise at night'),
      p('square-dancing', '广场舞音乐太响', 'Square-dance music too loud'),
      p('building-work', '施工噪音', 'Building work'),
      p('horns', '车辆鸣笛', 'Car horns'),
    ],
  },
  {
    id: 'lighting',
    label: { zh: '照明', en: 'Lighting' },
    phrases: [
      p('light-broken', '路灯坏了', 'A street light is broken'),
      p('too-dark', '路太暗', 'The path is too dark'),
      p('stairwell-light', '楼道灯坏了', 'The stairwell light is broken'),
      p('on-all-day', '灯白天也亮着', 'A light is on all day'),
    ],
  },
  {
    id: 'accessibility',
    label: { zh: '无障碍', en: 'Accessibility' },
    phrases: [
      p('need-ramp', '需要坡道', 'A ramp is needed'),
      p('need-handrail', '需要扶手', 'A handrail is needed'),
      p('tactile-blocked', '盲道被占用', 'The tactile paving is blocked'),
      p('need-seats', '需要更多座椅', 'More seats are needed'),
    ],
  },
  {
    id: 'other',
    label: { zh: '其他', en: 'Other' },
    phrases: [
      p('unsafe', '存在安全隐患', 'It is unsafe'),
      p('needs-repair', '需要维修', 'Something needs repair'),
      p('please-look', '请来现场看看', 'Please come and look'),
      p('suggestion', '我有一个建议', 'I have a suggestion'),
    ],
  },
];

export const categoryById = (id: string): Category | undefined => CATEGORIES.find((c) => c.id === id);

/** The phrases as stored, rendered in both languages; an id no longer known is shown as itself. */
export function phraseTexts(categoryId: string, ids: readonly string[]): Phrase[] {
  const known = categoryById(categoryId)?.phrases ?? [];
  return ids.map((id) => known.find((ph) => ph.id === id) ?? { id, text: { zh: id, en: id } });
}
