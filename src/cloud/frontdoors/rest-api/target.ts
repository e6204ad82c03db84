/**
 * Which API, stage and path a request to the execute-api door names, in the three forms served:
 *   host  `<api-id>.execute-api.localhost` + `/<stage>/<path>`           (AWS's form, on loopback)
 *   path  `/restapis/<api-id>/<stage>/_user_request_/<path>`             (LocalStack's older form)
 *   path  `/_aws/execute-api/<api-id>/<stage>/<path>`                    (LocalStack's current form)
 * The path stays as sent (percent-encoding kept), without the query string.
 */
import { safeDecode } from '../../protocols/url';

export interface DoorTarget {
  apiId: string;
  /** Undefined when the URL names no stage (`/` on the API's host). */
  stage?: string;
  /** The path after the stage, "/" at least ("/pets/1", "//double"). */
  path: string;
  form: 'host' | 'user-request' | 'execute-api';
}

const HOST = /^([a-z0-9]+)\.execute-api\.localhost$/;

/** Splits "/<stage>/<rest>" into the stage and "/<rest>". */
function stageAndPath(rest: string): { stage?: string; path: string } {
  const m = /^\/([^/]+)(\/.*)?$/.exec(rest);
  if (!m) return { path: '/' };
  return { stage: safeDecode(m[1]), path: m[2] ?? '/' };
}

export function parseTarget(host: string, rawPath: string): DoorTarget | undefined {
  const h = HOST.exec(host);
  if (h) return { apiId: h[1], ...stageAndPath(rawPath), form: 'host' };
  let m = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/.exec(rawPath);
  if (m) return { apiId: m[1].toLowerCase(), stage: safeDecode(m[2]), path: m[3] ?? '/', form: 'user-request' };
  m = /^\/_aws\/execute-api\/([^/]+)(\/.*)?$/.exec(rawPath);
  if (m) return { apiId: m[1].toLowerCase(), ...stageAndPath(m[2] ?? ''), form: 'execute-api' };
  return undefined;
}
