/**
 * Ready-made words for the on-screen keyboard: Chinese typing on a kiosk is hard, so the words a
 * concern most often needs are one tap each (places, things, when, what is wrong). Three rows of six.
 */
export const CONCERN_WORDS: readonly string[] = [
  '路灯', '垃圾', '噪音', '停车', '绿化', '漏水',
  '楼道', '电梯', '树枝', '单车', '电动车', '门口',
  '晚上', '早上', '太吵', '太暗', '坏了', '危险',
];

/** For the "somewhere else" place: where, in a few words. */
export const PLACE_WORDS: readonly string[] = [
  '号楼', '单元', '门口', '路口', '小区', '大门',
  '停车场', '楼道', '花园', '广场', '东侧', '西侧',
  '南侧', '北侧', '旁边', '对面', '附近', '弄',
];
