/**
 * jest globalSetup for the scenarios project: starts the target named by TESTBED_TARGET (embedded by
 * default) once for the whole run and exports it to the workers through the environment. When a
 * parent (`testbed run`) already started one and exported it, that one is reused and left alone.
 */
import { resolveTargetSpec, startTarget, type StartedTarget } from '../../src/testbed/targets';
import { exportTarget, importTarget } from '../../src/testbed/target-env';

const HANDLE = Symbol.for('lambda-testbed.globalSetup.target');
type Holder = { [HANDLE]?: StartedTarget };

export default async function globalSetup(): Promise<void> {
  if (importTarget()) return; // started by the caller, who also stops it
  const spec = resolveTargetSpec();
  const target = await startTarget(spec);
  (globalThis as Holder)[HANDLE] = target;
  exportTarget(target);
  process.stderr.write(`\ntestbed: target ${target.kind} at ${target.endpoint}\n`);
}

/** Used by globalTeardown: the target this process started, if any. */
export function takeStartedTarget(): StartedTarget | undefined {
  const holder = globalThis as Holder;
  const t = holder[HANDLE];
  delete holder[HANDLE];
  return t;
}
