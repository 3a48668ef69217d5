import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { MARKERS, configReference, payloadSchemas, replaceBetween } from '../helpers/reference.js';

/**
 * The README's reference sections are generated from the schemas. Run with TONGXIN_UPDATE_README=1
 * to rewrite them after changing a schema; otherwise this fails when they are out of date.
 */
const README = join(packageRoot(), 'README.md');

describe('README', () => {
  it('has the configuration reference and payload schemas that the code validates with', () => {
    const text = readFileSync(README, 'utf8');
    const expected = replaceBetween(replaceBetween(text, MARKERS.config, configReference()), MARKERS.payloads, payloadSchemas());
    if (process.env.TONGXIN_UPDATE_README === '1' && expected !== text) writeFileSync(README, expected);
    else expect(text, 'README reference is stale: run TONGXIN_UPDATE_README=1 npm test').toBe(expected);
  });

  it('gives the two quick-start commands', () => {
    const text = readFileSync(README, 'utf8');
    expect(text).toContain('npm ci && npm start');
    expect(text).toContain('npm test');
  });
});
