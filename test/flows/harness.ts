import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { fakeService, helper, inbox, palette, record, siteNode, siteReady, startBroker, type FakeService, type TestBroker } from '../helpers/nodered-runtime.js';

/**
 * What the palette's node tests share: one broker and the Node-RED test helper per file, a fresh
 * stand-in service per test, and the flows unloaded after each. The fields are set by the hooks
 * (read them inside tests); a test may put a new broker in `broker` (afterAll closes that one).
 */
export interface Rig {
  broker: TestBroker;
  svc: FakeService;
}

export function flowRig(): Rig {
  const rig = {} as Rig;
  beforeAll(async () => {
    rig.broker = await startBroker();
    await helper.startServer();
  });
  afterAll(async () => {
    await helper.stopServer();
    await rig.broker.close();
  });
  beforeEach(async () => {
    rig.svc = await fakeService(rig.broker.url);
  });
  afterEach(async () => {
    await helper.unload();
    await rig.svc.close();
  });
  return rig;
}

/**
 * A node that asks the service (n1, with `node` over its defaults) wired to an output helper and to
 * a Catch node's helper, loaded once the site is connected.
 */
export async function loadAskingNode(rig: Rig, nodePalette: unknown, node: Record<string, unknown>) {
  const flow = [
    { id: 'tab', type: 'tab', label: String(node.type) },
    siteNode(rig.broker.url),
    { id: 'n1', z: 'tab', site: 's1', wires: [['out']], ...node },
    { id: 'out', z: 'tab', type: 'helper' },
    { id: 'c1', z: 'tab', type: 'catch', scope: ['n1'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'tab', type: 'helper' },
  ];
  await helper.load([palette.site, nodePalette], flow);
  const n1 = helper.getNode('n1');
  await siteReady();
  return { n1, seen: record(n1), out: inbox(helper.getNode('out')), caught: inbox(helper.getNode('caught')) };
}

/** A node that listens (n1, `node` with its type and settings) wired to an output helper, loaded once the site is connected. */
export async function loadInNode(rig: Rig, nodePalette: unknown, node: Record<string, unknown>) {
  await helper.load([palette.site, nodePalette], [siteNode(rig.broker.url), { id: 'n1', site: 's1', wires: [['out']], ...node }, { id: 'out', type: 'helper' }]);
  const n1 = helper.getNode('n1');
  await siteReady();
  return { n1, seen: record(n1), out: inbox(helper.getNode('out')) };
}
