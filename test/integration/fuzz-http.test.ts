import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup } from '../helpers/app.js';
import { addStaff, loginCookie } from '../helpers/staff.js';

/**
 * Every public endpoint, fed random and malformed requests: each answer is a 4xx with a readable JSON
 * error (or a 2xx), never a 5xx. Requests go through fastify's inject (the whole app, no socket), so
 * thousands fit in seconds; TONGXIN_FUZZ_RUNS (or TONGXIN_LONG=1) raises the count.
 */
const RUNS = Number(process.env.TONGXIN_FUZZ_RUNS ?? (process.env.TONGXIN_LONG === '1' ? 800 : 40));
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

/**
 * Malformed bodies to every POST and PATCH route, public and staff (sent as an admin, so that the
 * body is what is judged): JSON that does not parse, unsupported content types, bodies over the
 * 64 KiB limit, an empty body, and, for each route's own body schema (read from the OpenAPI document
 * the routes generate), a value that breaks it: the wrong top-level type, a required field missing,
 * an unknown field, and each declared field given a wrong type, a string too long or too short, a
 * number out of range, an enum value that is not one, deep nesting. Every body is invalid by
 * construction, so every answer must be a 4xx with the JSON error shape; never a 2xx, never a 5xx.
 * Seeded (TONGXIN_FUZZ_SEED); ≥ 10,000 bodies, ×20 with TONGXIN_LONG=1.
 */
const BODIES = 10_000 * (process.env.TONGXIN_LONG === '1' ? 20 : 1);
const BODY_SEED = Number(process.env.TONGXIN_FUZZ_SEED ?? 0x626f6479) >>> 0;

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  minProperties?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: Schema;
  maxItems?: number;
  uniqueItems?: boolean;
  nullable?: boolean;
  default?: unknown;
}

function bodyRng(seed: number) {
  let s = seed;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const text = (min: number, max: number) => Array.from({ length: min + int(max - min + 1) }, () => String.fromCharCode(32 + int(95))).join('');
  return { int, pick, chance: (p: number) => next() < p, text };
}
type BodyRng = ReturnType<typeof bodyRng>;

const enumOf = (s: Schema): unknown[] | undefined => s.enum ?? (s.anyOf?.every((b) => b.enum) ? s.anyOf.flatMap((b) => b.enum ?? []) : undefined);
/** Values that no coercion (fastify's ajv coerces scalars, and one-element arrays to their element) can make valid for a scalar. */
const notScalar = (r: BodyRng) => r.pick<unknown>([{}, { [`k${r.int(100)}`]: r.int(9) }, [1, 2], [], [[r.text(0, 5)], 3]]);
/** Deep nesting, as a placeholder that json() turns into the brackets (JSON.stringify itself would overflow the stack). */
const nested = (r: BodyRng) => `@@nested:${100 + r.int(10_000)}@@`;
const NESTED = /"@@nested:(\d+)@@"/g;

/** A value that breaks `s`, whatever else is around it. */
function breakSchema(s: Schema, r: BodyRng): unknown {
  const values = enumOf(s);
  if (values) {
    const other = `${r.text(0, 12)}~`;
    return r.pick([values.includes(other) ? {} : other, notScalar(r), nested(r)]);
  }
  switch (s.type) {
    case 'object': {
      const ways: (() => unknown)[] = [() => r.pick<unknown>([r.text(0, 20), r.int(1000), r.chance(0.5), [], [{}, {}]])];
      if (!s.nullable) ways.push(() => null);
      const props = Object.keys(s.properties ?? {});
      // A required field with a default is filled in by the validator (useDefaults): not a missing one.
      const required = (s.required ?? []).filter((k) => s.properties?.[k]?.default === undefined);
      if (required.length > 0) ways.push(() => ({ ...someValues(s, r), [r.pick(required)]: undefined }));
      if (s.additionalProperties === false) ways.push(() => ({ ...someValues(s, r), [`unknown_${r.text(1, 8).replace(/\W/g, '_')}`]: r.int(10) }));
      if ((s.minProperties ?? 0) > 0) ways.push(() => ({}));
      if (props.length > 0) {
        ways.push(() => {
          const key = r.pick(props);
          return { ...someValues(s, r), [key]: breakSchema(s.properties![key]!, r) };
        });
      }
      return r.pick(ways)();
    }
    case 'string': {
      const ways: (() => unknown)[] = [() => notScalar(r), () => nested(r)];
      if (s.maxLength !== undefined) ways.push(() => 'x'.repeat(s.maxLength! + 1 + r.int(200)));
      if ((s.minLength ?? 0) > 0) ways.push(() => 'y'.repeat(r.int(s.minLength!)));
      if (s.pattern) {
        const re = new RegExp(s.pattern, 'u');
        ways.push(() => {
          const t = r.text(0, 40);
          return re.test(t) ? `\u0001${t}` : t;
        });
      }
      return r.pick(ways)();
    }
    case 'integer':
    case 'number': {
      const ways: (() => unknown)[] = [() => notScalar(r), () => `n${r.text(0, 6)}`];
      if (s.type === 'integer') ways.push(() => r.int(1000) + 0.5);
      if (s.minimum !== undefined) ways.push(() => s.minimum! - 1 - r.int(1000));
      if (s.exclusiveMinimum !== undefined) ways.push(() => s.exclusiveMinimum! - r.int(1000));
      if (s.maximum !== undefined) ways.push(() => s.maximum! + 1 + r.int(1000));
      return r.pick(ways)();
    }
    case 'boolean':
      return r.pick<unknown>([`maybe${r.int(10)}`, 2 + r.int(100), notScalar(r)]);
    case 'array': {
      const ways: (() => unknown)[] = [() => ({ [`k${r.int(9)}`]: 1 })];
      if (s.items) ways.push(() => [breakSchema(s.items!, r)]);
      if (s.maxItems !== undefined) ways.push(() => Array.from({ length: s.maxItems! + 1 }, (_, i) => i + 1));
      if (s.uniqueItems) ways.push(() => [1, 1, 1]);
      return r.pick(ways)();
    }
    default:
      throw new Error(`no way to break the schema ${JSON.stringify(s).slice(0, 200)}`);
  }
}

/** Some of an object's declared properties with plausible values (valid or not: the body is broken elsewhere). */
function someValues(s: Schema, r: BodyRng): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (!r.chance(0.6)) continue;
    const values = enumOf(p);
    out[k] = values ? r.pick(values) : p.type === 'string' ? r.text(p.minLength ?? 0, Math.min(p.maxLength ?? 20, 20)) : p.type === 'integer' || p.type === 'number' ? (p.minimum ?? 1) : p.type === 'boolean' ? true : p.type === 'array' ? [] : {};
  }
  return out;
}

interface BodyCase {
  kind: string;
  payload: string;
  contentType: string | undefined;
}

function malformedBody(schema: Schema | undefined, r: BodyRng): BodyCase {
  const json = (kind: string, v: unknown): BodyCase => ({ kind, payload: JSON.stringify(v).replace(NESTED, (_, d: string) => `${'['.repeat(Number(d))}${']'.repeat(Number(d))}`), contentType: 'application/json' });
  // Without a body schema (logout, accept, cancel…) a route ignores well-formed bodies: only the
  // ones that cannot be read at all are malformed there.
  const way = r.int(schema ? 10 : 4);
  switch (way) {
    case 0: {
      const valid = JSON.stringify(schema ? someValues(schema, r) : { a: 1 });
      // A proper prefix of an object, or a NUL after any text: never JSON.
      const garbage = r.pick([valid.slice(0, Math.max(1, r.int(valid.length))), `{${r.text(0, 30)}\u0000`, `\u0000${r.text(0, 20)}`, `{"a":1}}`, `{'a':1}`, `[1,]`, `{"a":01}`, `{"a":NaN}`, `\ufeff\ufeff{}`, `{"a":"\\x"}`]);
      return { kind: 'not JSON', payload: garbage, contentType: 'application/json' };
    }
    case 1:
      return { kind: 'unsupported content type', payload: r.pick(['a=1&b=2', '<x/>', '--x\r\n\r\n--x--', '\u0089PNG']), contentType: r.pick(['application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'image/png', 'text/html', 'application/json-patch+jsonx']) };
    case 2:
      return { kind: 'over 64 KiB', payload: JSON.stringify({ a: 'z'.repeat(65_536 + r.int(100_000)) }), contentType: 'application/json' };
    case 3:
      return { kind: 'empty', payload: '', contentType: 'application/json' };
    case 4:
      return { kind: 'text/plain', payload: r.text(0, 40), contentType: 'text/plain' };
    default:
      return json('breaks the schema', breakSchema(schema!, r));
  }
}

describe('malformed bodies to every POST and PATCH route', () => {
  it(`${BODIES} bodies, all answered 4xx with a JSON error`, { timeout: 600_000 }, async () => {
    await addStaff(app, 'fuzz-admin', 'admin');
    const cookie = await loginCookie(app, 'fuzz-admin');
    const doc = app.http.swagger() as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> }; parameters?: { in: string; name: string; schema: Schema }[] }>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([m]) => m === 'post' || m === 'patch')
        .map(([m, op]) => ({
          method: m.toUpperCase() as 'POST' | 'PATCH',
          // Valid path parameters, so that the body is what is judged.
          url: path.replace(/\{(\w+)\}/g, (_, name: string) => {
            const p = op.parameters?.find((x) => x.in === 'path' && x.name === name)?.schema;
            return p?.type === 'integer' ? '1' : p?.pattern?.includes('23456789') ? 'ABCDEF' : 'fuzz';
          }),
          schema: op.requestBody?.content?.['application/json']?.schema,
        })),
    );
    expect(routes.length, 'POST and PATCH routes found in the OpenAPI document').toBeGreaterThanOrEqual(20);
    expect(routes.filter((x) => x.schema).length).toBeGreaterThanOrEqual(15);

    const r = bodyRng(BODY_SEED);
    const byStatus = new Map<number, number>();
    const byKind = new Map<string, number>();
    const t0 = Date.now();
    for (let i = 0; i < BODIES; i++) {
      const route = routes[i % routes.length]!;
      const c = malformedBody(route.schema, r);
      const res = await app.http.inject({ method: route.method, url: route.url, payload: c.payload, headers: { cookie, ...(c.contentType ? { 'content-type': c.contentType } : {}) } });
      const what = `${route.method} ${route.url} (${c.kind}) ${c.payload.slice(0, 160)}`;
      expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      await expectHandled(res, what);
      byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
      byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
    }
    // Still serving, and the admin session was never ended by a body that reached the logout route.
    expect((await app.http.inject({ method: 'GET', url: '/api/staff/me', headers: { cookie } })).statusCode).toBeLessThan(400);
    console.log(`${BODIES} malformed bodies over ${routes.length} routes in ${((Date.now() - t0) / 1000).toFixed(1)} s; by status ${JSON.stringify(Object.fromEntries(byStatus))}; by kind ${JSON.stringify(Object.fromEntries(byKind))}`);
  });
});
