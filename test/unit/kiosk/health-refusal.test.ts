import { describe, expect, it } from 'vitest';
import { ApiError, ApiRefusal } from '../../../kiosk-ui/src/api/http.js';
import { stringsFor } from '../../../kiosk-ui/src/app/i18n.js';
import { refusalText } from '../../../kiosk-ui/src/screens/health/refusal.js';
import { noteServerNow, serverNow } from '../../../kiosk-ui/src/screens/health/server-time.js';
import { HEALTH_STRINGS } from '../../../kiosk-ui/src/screens/health/strings.js';

/** What a resident is told when the server says no, or cannot be reached. */
const zh = stringsFor(HEALTH_STRINGS, 'zh');
const en = stringsFor(HEALTH_STRINGS, 'en');

describe('refusalText', () => {
  it('uses the server’s own words in the chosen language', () => {
    const err = new ApiRefusal('POST … answered 409', 409, { code: 'TX_WEEK_LIMIT', message: 'x', text: { zh: '这个号码本周的报名名额已用完。', en: 'This number has used up its places for this week.' } });
    expect(refusalText(err, 'zh', zh)).toBe('这个号码本周的报名名额已用完。');
    expect(refusalText(err, 'en', en)).toBe('This number has used up its places for this week.');
  });

  it('says what to do next when the server gave no words', () => {
    expect(refusalText(new ApiRefusal('x', 429, { code: 'FST_ERR_RATE_LIMIT', message: 'Rate limit exceeded' }), 'en', en)).toBe(en.busy);
    expect(refusalText(new ApiRefusal('x', 400, { code: 'TX_BAD_REQUEST', message: 'invalid request' }), 'zh', zh)).toBe(zh.failed);
    expect(refusalText(new ApiRefusal('x', 400, undefined), 'zh', zh)).toBe(zh.failed);
    expect(refusalText(new ApiError('x', 503), 'zh', zh)).toBe(zh.offline);
    // fetch() itself rejecting: the network or the service is down.
    expect(refusalText(new TypeError('Failed to fetch'), 'en', en)).toBe(en.offline);
  });
});

describe('health strings', () => {
  it('have the same keys in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [k, v] of Object.entries({ ...zh, ...en })) if (typeof v === 'string') expect(v.trim(), k).not.toBe('');
  });

  it('say today and tomorrow, and the weekday, from the local day', () => {
    const day = { year: 2026, month: 11, day: 25, weekday: 2 };
    expect(zh.date({ ...day, fromToday: 0 })).toBe('今天 11月25日 周三');
    expect(zh.date({ ...day, fromToday: 1 })).toBe('明天 11月25日 周三');
    expect(zh.date({ ...day, fromToday: 5 })).toBe('11月25日 周三');
    expect(en.date({ ...day, fromToday: 1 })).toBe('Tomorrow, Wed 25 Nov');
    expect(en.date({ ...day, fromToday: 3 })).toBe('Wed 25 Nov');
  });

  it('name the retention when the site publishes it, else say "after the event"', () => {
    expect(zh.consentText(30)).toContain('活动结束 30 天后删除');
    expect(zh.consentText(null)).toContain('活动结束后删除');
    expect(en.consentText(null)).toContain('deleted after it');
  });
});

describe('serverNow', () => {
  it('carries the server’s clock forward from when it was last heard', () => {
    noteServerNow(1_000_000, 400_000);
    expect(serverNow(400_000)).toBe(1_000_000);
    expect(serverNow(460_000)).toBe(1_060_000);
  });
});
