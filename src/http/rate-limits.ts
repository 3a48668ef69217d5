/**
 * The rate limit of the public kiosk endpoints, as a route's `config` (the plugin is registered with
 * `global: false`, so routes opt in). One definition, so every domain limits alike.
 */
export function publicRateLimit(perMinute: number) {
  return { rateLimit: { max: perMinute, timeWindow: '1 minute' } };
}
