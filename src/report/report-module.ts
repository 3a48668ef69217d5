import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import { reportRoutes } from './report-routes.js';

/**
 * The monthly report for the street committee (issue "Garden and lounge", part 4). It only reads
 * what the other modules stored, on request: nothing to start, nothing to stop.
 */
export function createReportModule(deps: ModuleDeps): Module {
  return {
    name: 'report',
    start() {},
    stop() {},
    routes: reportRoutes({ db: deps.store.db, config: deps.config, clock: deps.clock, auth: deps.auth }),
  };
}
