import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseDocument } from 'yaml';
import { errors } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { SiteConfigSchema, type SiteConfig } from './schema.js';
import { crossCheck, type ConfigIssue } from './cross-check.js';

export type { ConfigIssue } from './cross-check.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, discriminator: true });
addFormats(ajv);
const validate = ajv.compile<SiteConfig>(SiteConfigSchema);

export const DEMO_SITE_FILE = join(packageRoot(), 'src', 'config', 'sites', 'demo.yaml');

/** `/sensors/3/calibration` → `sensors[3].calibration`: the path as a maintainer reads YAML. */
function readablePath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(top level)' : out;
}

function toIssue(e: ErrorObject): ConfigIssue {
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: readablePath(e.instancePath, String(e.params.additionalProperty)), message: 'unknown field' };
    case 'required':
      return { path: readablePath(e.instancePath, String(e.params.missingProperty)), message: 'is required' };
    case 'enum':
      return { path: readablePath(e.instancePath), message: `must be one of: ${(e.params.allowedValues as string[]).join(', ')}` };
    case 'pattern':
      return { path: readablePath(e.instancePath), message: `does not have the expected form (${e.parentSchema?.description ?? e.params.pattern})` };
    default:
      return { path: readablePath(e.instancePath), message: e.message ?? e.keyword };
  }
}

/**
 * Validates a parsed site document. Returns every problem at once (schema and cross-references),
 * or the config with defaults applied and frozen.
 */
export function validateSiteConfig(doc: unknown): { ok: true; config: SiteConfig } | { ok: false; issues: ConfigIssue[] } {
  const copy = structuredClone(doc ?? {});
  if (!validate(copy)) {
    const seen = new Set<string>();
    const issues = (validate.errors ?? []).map(toIssue).filter((i) => {
      const key = `${i.path} ${i.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
    return { ok: false, issues };
  }
  const issues = crossCheck(copy);
  if (issues.length > 0) return { ok: false, issues };
  applyDerivedDefaults(copy);
  return { ok: true, config: deepFreeze(copy) };
}

function applyDerivedDefaults(config: SiteConfig): void {
  // No broker named: run our own on loopback, with credentials required.
  if (!config.mqtt.embedded && !config.mqtt.external) {
    config.mqtt.embedded = { listeners: [{ host: '127.0.0.1', port: 1883, websocket: false, anonymousLocal: false }] };
  }
}

export function parseSiteYaml(text: string): { ok: true; doc: unknown } | { ok: false; issues: ConfigIssue[] } {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return { ok: false, issues: doc.errors.map((e) => ({ path: `line ${e.linePos?.[0].line ?? '?'}`, message: e.message.split('\n')[0] ?? e.message })) };
  }
  return { ok: true, doc: doc.toJS() };
}

/** Reads and validates a site file; throws TX_CONFIG_INVALID carrying every issue. */
export function loadSiteConfig(file: string = DEMO_SITE_FILE): SiteConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw errors.configUnreadable(`cannot read site file ${file}: ${(err as Error).message}`);
  }
  const parsed = parseSiteYaml(text);
  const result = parsed.ok ? validateSiteConfig(parsed.doc) : parsed;
  if (!result.ok) throw errors.configInvalid(formatIssues(file, result.issues), result.issues);
  return result.config;
}

export function formatIssues(file: string, issues: ConfigIssue[]): string {
  const lines = issues.map((i) => `  - ${i.path}: ${i.message}`);
  return `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${lines.join('\n')}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
