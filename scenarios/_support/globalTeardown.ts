/** jest globalTeardown for the scenarios project: stops the target globalSetup started (if it did). */
import { clearExportedTarget } from '../../src/testbed/target-env';
import { takeStartedTarget } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
  const target = takeStartedTarget();
  if (!target) return;
  try {
    await target.stop();
  } finally {
    clearExportedTarget();
  }
}
