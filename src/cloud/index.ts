/** Public entry of the embedded cloud. */
import { Cloud, type CloudOptions } from './cloud';

export { Cloud, type CloudOptions } from './cloud';

export interface RunningCloud {
  endpoint: string;
  port: number;
  host: string;
  cloud: Cloud;
  stop(): Promise<void>;
}

/** Start the embedded cloud on 127.0.0.1 (port 4566 by default; 0 = any free port). */
export async function startCloud(opts: CloudOptions = {}): Promise<RunningCloud> {
  const cloud = await new Cloud(opts).start();
  return {
    endpoint: cloud.endpoint,
    port: cloud.port,
    host: opts.host ?? '127.0.0.1',
    cloud,
    stop: () => cloud.stop(),
  };
}
