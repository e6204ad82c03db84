/** The function a mapping invokes, resolved at each batch: the function may be deleted, its alias moved. */
import type { FunctionVersion, LambdaFunction } from '../model';
import type { EventSourceMapping, MappingHost } from './types';

export interface Target {
  fn: LambdaFunction;
  qualifier: string | undefined;
  version: FunctionVersion;
}

/** The mapping's function and the version its qualifier names now; undefined when either is gone. */
export function resolveTarget(host: MappingHost, m: EventSourceMapping): Target | undefined {
  const fn = host.functionByArn(m, m.functionArn);
  if (!fn) return undefined;
  const qualifier = m.functionArn.split(':')[7];
  try {
    return { fn, qualifier, version: host.resolveVersion(fn, qualifier).version };
  } catch {
    return undefined; // the version or alias is gone
  }
}
