/**
 * The console test page, /_testbed/console: the AWS console's Test tab for this cloud's functions.
 *
 *   GET /_testbed/console              the page (page.ts)
 *   GET /_testbed/console/console.css  its style (style.ts)
 *   GET /_testbed/console/console.js   its script (script.ts)
 *   /_testbed/console/api/...          its JSON endpoints (api.ts)
 *
 * Invocations go through the Lambda service's real invoke path (lambda/invoke.ts, LogType Tail for
 * synchronous ones, trigger "console" in /_testbed/invocations). Shareable test events are kept in
 * the cloud's memory (shared-events.ts) where AWS keeps them in the EventBridge Schemas registry
 * `lambda-testevent-schemas`; private ones in the browser's localStorage. The page, style and
 * script are TS modules so that `tsc` carries them into dist/ (it copies no other files).
 */
import type { Cloud } from '../../cloud';
import type { RawRequest, RawResponse } from '../../protocols/types';
import { apiError, handleApi } from './api';
import { PAGE_HTML } from './page';
import { PAGE_JS } from './script';
import { PAGE_CSS } from './style';

export const CONSOLE_PATH = '/_testbed/console';

const ASSETS: Record<string, { type: string; body: string }> = {
  '': { type: 'text/html; charset=utf-8', body: PAGE_HTML },
  '/': { type: 'text/html; charset=utf-8', body: PAGE_HTML },
  '/console.css': { type: 'text/css; charset=utf-8', body: PAGE_CSS },
  '/console.js': { type: 'text/javascript; charset=utf-8', body: PAGE_JS },
};

/** Whether a path is the console's. */
export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

export async function handleConsole(cloud: Cloud, req: RawRequest): Promise<RawResponse> {
  const rest = req.path.slice(CONSOLE_PATH.length);
  if (rest.startsWith('/api/')) return handleApi(cloud, req, rest.slice('/api/'.length));
  const asset = ASSETS[rest];
  if (!asset) return apiError(404, `unknown console path ${req.path}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') return apiError(405, `${req.method} is not allowed on ${req.path}`, {}, { allow: 'GET, HEAD' });
  return {
    status: 200,
    headers: {
      'content-type': asset.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      // Everything the page needs comes from this origin; no inline script or style.
      'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    },
    body: req.method === 'HEAD' ? '' : asset.body,
  };
}
