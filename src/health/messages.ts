import type { FastifyReply } from 'fastify';
import type { Text } from './health-store.js';
import type { Failure } from './health-service.js';

/**
 * What a refusal means to the person at the kiosk or the admin page, in both languages. `message`
 * is the English text (as every other error of the service), `text` both for the kiosk to show.
 */
const FAILURES: Record<Failure | 'bad-phone' | 'no-consent' | 'too-many-attempts', { status: number; code: string; text: Text }> = {
  'bad-phone': { status: 400, code: 'TX_BAD_PHONE', text: { zh: '请输入11位中国大陆手机号码。', en: 'Please enter an 11-digit mainland China mobile number.' } },
  'no-consent': {
    status: 400,
    code: 'TX_CONSENT_REQUIRED',
    text: { zh: '请先勾选同意：手机号码只用于本次活动的通知，活动结束后会删除。', en: 'Please tick the consent box first: the number is used only for this event and deleted afterwards.' },
  },
  'no-event': { status: 404, code: 'TX_NOT_FOUND', text: { zh: '没有找到这个活动。', en: 'There is no such event.' } },
  'too-many-attempts': { status: 429, code: 'TX_TOO_MANY_ATTEMPTS', text: { zh: '尝试次数太多，请十五分钟后再试，或请工作人员帮忙。', en: 'Too many tries. Please try again in 15 minutes, or ask the staff for help.' } },
  'no-signup': { status: 404, code: 'TX_SIGNUP_NOT_FOUND', text: { zh: '手机尾号或报名码不对。', en: 'The last four digits or the code do not match a sign-up.' } },
  'event-cancelled': { status: 409, code: 'TX_EVENT_CANCELLED', text: { zh: '这个活动已取消。', en: 'This event has been cancelled.' } },
  'not-yet-open': { status: 409, code: 'TX_SIGNUP_NOT_OPEN', text: { zh: '报名还没有开始。', en: 'Sign-up has not opened yet.' } },
  closed: { status: 409, code: 'TX_SIGNUP_CLOSED', text: { zh: '报名已经截止。', en: 'Sign-up has closed.' } },
  'too-many-people': { status: 400, code: 'TX_TOO_MANY_PEOPLE', text: { zh: '一次报名的人数超过了上限。', en: 'Too many people for one sign-up.' } },
  'group-larger-than-event': { status: 409, code: 'TX_GROUP_TOO_LARGE', text: { zh: '人数超过了活动的总名额。', en: 'The group is larger than the event has places.' } },
  'already-signed-up': { status: 409, code: 'TX_ALREADY_SIGNED_UP', text: { zh: '这个号码已经报名了这个活动。', en: 'This number has already signed up for this event.' } },
  'week-limit': { status: 409, code: 'TX_WEEK_LIMIT', text: { zh: '这个号码本周的报名名额已用完。', en: 'This number has used up its places for this week.' } },
  'event-started': { status: 409, code: 'TX_EVENT_STARTED', text: { zh: '活动已经开始，不能再取消。', en: 'The event has started; it can no longer be cancelled.' } },
  'too-early': { status: 409, code: 'TX_CHECKIN_NOT_OPEN', text: { zh: '签到还没有开始。', en: 'Check-in has not opened yet.' } },
  'event-ended': { status: 409, code: 'TX_EVENT_ENDED', text: { zh: '活动已经结束。', en: 'The event has ended.' } },
  'not-confirmed': { status: 409, code: 'TX_NOT_CONFIRMED', text: { zh: '您还在候补名单上，请找工作人员。', en: 'You are on the waiting list; please ask the staff.' } },
  'signup-cancelled': { status: 409, code: 'TX_SIGNUP_CANCELLED', text: { zh: '这个报名已经取消。', en: 'This sign-up was cancelled.' } },
  'capacity-below-confirmed': {
    status: 409,
    code: 'TX_CAPACITY_BELOW_CONFIRMED',
    text: { zh: '名额不能少于已确认的人数。', en: 'The capacity cannot be less than the people already confirmed.' },
  },
  'invalid-event': { status: 400, code: 'TX_BAD_REQUEST', text: { zh: '活动信息有误。', en: 'The event is not valid.' } },
};

export function sendFailure(reply: FastifyReply, reason: keyof typeof FAILURES, problems?: string[]) {
  const f = FAILURES[reason];
  const message = problems && problems.length > 0 ? `${f.text.en} ${problems.join('; ')}` : f.text.en;
  return reply.code(f.status).send({ error: { code: f.code, message, text: f.text, ...(problems ? { details: problems.map((message) => ({ path: 'body', message })) } : {}) } });
}
