import { describe, expect, it } from 'vitest';
import { startTestApp, tempDir, useCleanup } from '../helpers/app.js';

/** The OpenAPI documentation is served at /docs, generated from the routes' own schemas. */
const defer = useCleanup();

describe('/docs', () => {
  it('serves the API reference and an OpenAPI document of every API route', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const { app } = await startTestApp({ dataDir: dir });
    defer(() => app.stop());
    const page = await fetch(`${app.httpUrl}/docs/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    const doc = (await (await fetch(`${app.httpUrl}/docs/json`)).json()) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.0.3');
    const documented = Object.keys(doc.paths);
    for (const route of app.http.apiRoutes.filter((r) => r.method !== 'HEAD')) {
      expect(documented, route.url).toContain(route.url.replace(/:(\w+)/g, '{$1}'));
    }
    expect(doc.paths['/api/sensors/{id}/history']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['hours', 'limit', 'id']));
  });
});
