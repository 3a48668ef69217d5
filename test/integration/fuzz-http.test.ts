import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup } from '../helpers/app.js';

/**
 * Every public endpoint, fed random and malformed requests: each answer is a 4xx with a readable JSON
 * error (or a 2xx), never a 5xx. Requests go through fastify's inject (the whole app, no socket), so
 * thousands fit in seconds; TONGXIN_FUZZ_RUNS raises the count.
 */
const RUNS = Number(process.env.TONGXIN_FUZZ_RUNS ?? 40);
const defer = useCleanup();
let app: RunningApp;

beforeAll(async () => {
  const { dir, remove } = tempDir();
  const config = await demoConfigWith((doc) => {
    doc.http.publicRateLimitPerMinute = 1_000_000;
  });
  ({ app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, config) }));
  return async () => {
    await app.stop();
    remove();
  };
});

const weirdText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', ' ', '0', '-1', '1e309', 'null', '../../etc', '%00', '13800138000', '😀', 'x'.repeat(5000)));
const jsonBody = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })));

function fill(url: string, param: string): string {
  return url.replace(/:(\w+)/g, () => encodeURIComponent(param));
}

async function expectHandled(res: { statusCode: number; body: string }, what: string) {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const body = JSON.parse(res.body) as { error?: { message?: unknown } };
    expect(typeof body.error?.message, `${what}: readable error`).toBe('string');
  }
}

describe('fuzzed requests to every public endpoint', () => {
  it('never answer 5xx', async () => {
    const routes = app.http.apiRoutes.filter((r) => r.roles === null && r.method !== 'HEAD' && !r.url.includes('/live') && !r.url.startsWith('/api/staff/log'));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    let requests = 0;
    for (const route of routes) {
      for (const method of route.method.split(',').filter((m) => m !== 'HEAD')) {
        await fc.assert(
          fc.asyncProperty(weirdText, fc.dictionary(fc.string({ maxLength: 8 }), weirdText, { maxKeys: 4 }), jsonBody, fc.boolean(), async (param, query, body, rawGarbage) => {
            const url = `${fill(route.url, param)}?${new URLSearchParams(query).toString()}`;
            const res = await app.http.inject({
              method: method as 'GET',
              url,
              ...(method === 'GET' || method === 'DELETE'
                ? {}
                : rawGarbage
                  ? { payload: '{"not": json', headers: { 'content-type': 'application/json' } }
                  : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
            });
            requests++;
            await expectHandled(res, `${method} ${url}`);
          }),
          { numRuns: RUNS },
        );
      }
    }
    expect(requests).toBeGreaterThanOrEqual(routes.length * RUNS);
  });
});
