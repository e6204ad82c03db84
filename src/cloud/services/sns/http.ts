/**
 * POSTs to HTTP/S subscription endpoints. Only loopback hosts (localhost, 127.0.0.0/8, ::1) are
 * delivered to: any other host fails as unreachable (a server-side failure, retried by the delivery
 * policy), so nothing leaves the machine. HTTPS endpoints on loopback are not certificate-checked
 * (tests serve self-signed certificates).
 *
 * Outcomes [doc]: 2xx is delivered; 429, 5xx, connection failures and timeouts (15 s) are
 * server-side failures (retried); any other status is a client-side failure (not retried, to the
 * DLQ at once).
 */
import http from 'node:http';
import https from 'node:https';
import type { Clock, TimerHandle } from '../../clock';
import type { DeliveryOutcome } from '../../deliver/types';

export const HTTP_TIMEOUT_MS = 15_000;

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice(7) : host;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const fail = (kind: 'not-found' | 'permission' | 'invalid' | 'internal', code: string, message: string): DeliveryOutcome => ({
  ok: false,
  kind,
  code,
  message,
  retryable: kind === 'internal',
});

/** One POST; never throws. The caller holds the clock busy while it runs. */
export function postToEndpoint(clock: Clock, url: string, headers: Record<string, string>, body: string, timeoutMs = HTTP_TIMEOUT_MS): Promise<DeliveryOutcome> {
  if (!isLoopbackUrl(url)) {
    return Promise.resolve(fail('internal', 'EndpointUnreachable', `${url} is unreachable: the embedded cloud delivers to loopback hosts only`));
  }
  return new Promise<DeliveryOutcome>((resolve) => {
    let settled = false;
    let timer: TimerHandle | undefined;
    const done = (o: DeliveryOutcome) => {
      if (settled) return;
      settled = true;
      timer?.cancel();
      resolve(o);
    };
    const payload = Buffer.from(body, 'utf8');
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    let req: http.ClientRequest;
    try {
      req = client.request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(payload.length) },
          agent: false,
          ...(target.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
        },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          res.on('end', () => {
            if (status >= 200 && status < 300) done({ ok: true });
            else if (status === 429 || status >= 500) done(fail('internal', `HTTP ${status}`, `${url} answered ${status}`));
            else if (status === 401 || status === 403) done(fail('permission', `HTTP ${status}`, `${url} answered ${status}`));
            else if (status === 404 || status === 410) done(fail('not-found', `HTTP ${status}`, `${url} answered ${status}`));
            else done(fail('invalid', `HTTP ${status}`, `${url} answered ${status}`));
          });
          res.on('error', (e) => done(fail('internal', 'ConnectionError', e.message)));
        },
      );
    } catch (e) {
      done(fail('invalid', 'InvalidEndpoint', (e as Error).message));
      return;
    }
    timer = clock.setTimeout(() => {
      req.destroy();
      done(fail('internal', 'Timeout', `${url} did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    req.on('error', (e) => done(fail('internal', 'ConnectionError', `${url}: ${e.message}`)));
    req.end(payload);
  });
}
