import type { FastifyPluginAsync } from 'fastify';

/**
 * A domain module (DESIGN.md §Layout, after zigbee2mqtt's extensions): its factory only stores its
 * collaborators; work begins in start() and stop() removes everything it registered. Where it
 * serves HTTP it also hands back a fastify plugin.
 */
export interface Module {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
  routes?: FastifyPluginAsync;
}
