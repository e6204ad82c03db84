/**
 * How a started target travels from the process that started it (jest globalSetup, or `testbed run`)
 * to the jest workers: plain environment variables, inherited by every worker.
 */
import {
  formatCapabilities,
  parseCapabilities,
  DEFAULT_CREDENTIALS,
  type TargetInfo,
  type TargetKind,
} from './targets';

export const ENV = {
  endpoint: 'TESTBED_ENDPOINT',
  kind: 'TESTBED_TARGET_KIND',
  region: 'TESTBED_REGION',
  capabilities: 'TESTBED_CAPABILITIES',
} as const;

type Env = Record<string, string | undefined>;

export function exportTarget(target: TargetInfo, env: Env = process.env): void {
  env[ENV.endpoint] = target.endpoint;
  env[ENV.kind] = target.kind;
  env[ENV.region] = target.region;
  env[ENV.capabilities] = formatCapabilities(target.capabilities);
}

export function clearExportedTarget(env: Env = process.env): void {
  for (const name of Object.values(ENV)) delete env[name];
}

/** The target a parent process already started and exported, if any. */
export function importTarget(env: Env = process.env): TargetInfo | undefined {
  const endpoint = env[ENV.endpoint];
  const kind = env[ENV.kind] as TargetKind | undefined;
  if (!endpoint || !kind) return undefined;
  if (kind !== 'embedded' && kind !== 'localstack' && kind !== 'endpoint') {
    throw new Error(`${ENV.kind}=${kind}: expected embedded, localstack or endpoint`);
  }
  return {
    kind,
    endpoint,
    region: env[ENV.region] || 'us-east-1',
    credentials: { ...DEFAULT_CREDENTIALS },
    capabilities: parseCapabilities(env[ENV.capabilities]),
  };
}
