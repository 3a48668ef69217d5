import type { Bilingual } from '../../api/admin/http.js';
import type { EventKind, StaffEvent, StaffSignup } from '../../api/admin/health.js';

/** Names of the health-hour kinds, sign-up phases and sign-up states on the admin page. */
export const KIND_LABELS: Record<EventKind, Bilingual> = {
  lecture: { zh: '讲座', en: 'Lecture' },
  'doctor-consultation': { zh: '医生问诊', en: 'Doctor consultation' },
  'health-talk-show': { zh: '健康脱口秀', en: 'Health talk show' },
  'digital-skills': { zh: '数字技能', en: 'Digital skills' },
  'youth-counselling': { zh: '青少年辅导', en: 'Youth counselling' },
  'music-therapy': { zh: '音乐疗愈', en: 'Music therapy' },
  other: { zh: '其他', en: 'Other' },
};

export const PHASE_LABELS: Record<StaffEvent['signup']['phase'], Bilingual> = {
  cancelled: { zh: '已取消', en: 'cancelled' },
  'not-yet-open': { zh: '未开放报名', en: 'sign-up not open yet' },
  open: { zh: '报名中', en: 'sign-up open' },
  closed: { zh: '报名已截止', en: 'sign-up closed' },
};

export const SIGNUP_LABELS: Record<StaffSignup['status'], Bilingual> = {
  confirmed: { zh: '已确认', en: 'confirmed' },
  waitlisted: { zh: '候补', en: 'waitlisted' },
  cancelled: { zh: '已取消', en: 'cancelled' },
};
