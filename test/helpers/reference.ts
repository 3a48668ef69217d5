import { SiteConfigSchema } from '../../src/config/schema.js';
import { publishedSchemas } from '../../src/contract/payloads.js';

/**
 * Generates the README's configuration reference and MQTT payload schemas from the very schemas the
 * code validates with, so the documentation cannot drift (test/docs/readme.test.ts checks it).
 */
type Json = Record<string, any>;

function typeOf(s: Json): string {
  if (s.enum) return (s.enum as string[]).map((v) => `\`${v}\``).join(' \\| ');
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.anyOf) return (s.anyOf as Json[]).map(typeOf).join(' \\| ');
  if (s.type === 'array') return s.prefixItems || s.items?.length ? 'pair of numbers' : `list of ${typeOf(s.items ?? {})}`;
  if (s.type === 'object') return 'object';
  return s.type ?? 'any';
}

export function configReference(): string {
  const rows: string[] = ['| field | type | default | meaning |', '| --- | --- | --- | --- |'];
  const walk = (s: Json, path: string, required: boolean) => {
    if (path) {
      const def = s.default === undefined ? (required ? '*required*' : '') : `\`${JSON.stringify(s.default)}\``;
      const desc = [s.description, s.pattern && !s.description ? `form: \`${s.pattern}\`` : ''].filter(Boolean).join(' ');
      rows.push(`| \`${path}\` | ${typeOf(s)} | ${def} | ${desc.replace(/\|/g, '\\|')} |`);
    }
    const obj = s.type === 'object' ? s : s.type === 'array' && s.items?.type === 'object' ? s.items : undefined;
    if (!obj?.properties) return;
    const req = new Set<string>(obj.required ?? []);
    const prefix = s.type === 'array' ? `${path}[]` : path;
    for (const [k, v] of Object.entries(obj.properties as Record<string, Json>)) walk(v, prefix ? `${prefix}.${k}` : k, req.has(k));
  };
  walk(JSON.parse(JSON.stringify(SiteConfigSchema)) as Json, '', true);
  return rows.join('\n');
}

export function payloadSchemas(): string {
  return Object.entries(publishedSchemas)
    .map(([topic, schema]) => `\`tongxin/<site>/${topic}\`\n\n\`\`\`json\n${JSON.stringify(JSON.parse(JSON.stringify(schema)), null, 2)}\n\`\`\``)
    .join('\n\n');
}

export const MARKERS = {
  config: ['<!-- config-reference:start -->', '<!-- config-reference:end -->'],
  payloads: ['<!-- payload-schemas:start -->', '<!-- payload-schemas:end -->'],
} as const;

export function replaceBetween(text: string, [start, end]: readonly [string, string], body: string): string {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README lacks the markers ${start} … ${end}`);
  return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}
