/**
 * What the CloudFront suites share: the `edge` function deployed and published in us-east-1 the way
 * Lambda@Edge needs it (numbered versions, no environment variables, 5 s / 128 MB for viewer
 * events), an origin server the test starts on 127.0.0.1 (reached as `origin.localhost:<port>`)
 * that echoes what it received, and distributions created through the CloudFront API whose
 * DomainName answers on the target's port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateDistributionCommand,
  type CacheBehavior,
  type DistributionConfig,
  type EventType,
  type LambdaFunctionAssociation,
} from '@aws-sdk/client-cloudfront';
import { httpRequest, type HttpRequestOptions, type HttpResponse } from '../../src/testbed/http';
import { getTestbed, unique } from '../_support/testbed';

const tb = getTestbed();

/** The edge functions (memoized per worker). `slow` times out after 1 s; `throttled` has no concurrency. */
export const edgeStack = () =>
  tb.deploy({
    name: 'http-cloudfront',
    functions: {
      edge: { code: 'edge', publish: true, timeout: 5, memorySize: 128 },
      slow: { code: 'edge', publish: true, timeout: 1, memorySize: 128 },
      throttled: { code: 'edge', publish: true, timeout: 5, memorySize: 128, reservedConcurrency: 0 },
      big: { code: 'edge', publish: true, timeout: 30, memorySize: 512 },
      withEnv: { code: 'edge', publish: true, timeout: 5, memorySize: 128, environment: { STAGE: 'test' } },
    },
  });

/**
 * Where the function's own log lines are. AWS writes Lambda@Edge logs to
 * `/aws/lambda/us-east-1.<name>` in the Region nearest the viewer (us-east-1 on this cloud).
 */
export const edgeFunctionLogGroup = (name: string) => `/aws/lambda/us-east-1.${name}`;

/** The published version's ARN (`...:function:name:1`). */
export const versionArn = (fn: { arn: string; version?: string }) => `${fn.arn}:${fn.version}`;

export interface OriginRecord {
  method: string;
  url: string;
  /** Header lines as received (original casing). */
  headers: [string, string][];
  body: string;
}

export interface OriginServer {
  port: number;
  requests: OriginRecord[];
  close(): Promise<void>;
}

/**
 * An origin on 127.0.0.1 that answers JSON `{method, url, headers, body}` describing the request;
 * `/status/<code>` answers with that status.
 */
export async function startOrigin(name = 'origin'): Promise<OriginServer> {
  const requests: OriginRecord[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      const record = { method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(record);
      const m = /^\/status\/(\d{3})/.exec(req.url ?? '');
      const status = m ? Number(m[1]) : 200;
      res.writeHead(status, { 'content-type': 'application/json', 'x-origin': name });
      res.end(JSON.stringify(record));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The header values an origin received under one name (case-insensitive). */
export const received = (r: OriginRecord, name: string) => r.headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);

export interface Distribution {
  id: string;
  domainName: string;
  /** http://<DomainName>:<target port> */
  url: string;
  etag: string;
  config: DistributionConfig;
}

export const ALL_METHODS = { Quantity: 7, Items: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'DELETE'] as const, CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] as const } };

export function associations(fnArn: string, events: EventType[], includeBody = false): { Quantity: number; Items: LambdaFunctionAssociation[] } {
  return {
    Quantity: events.length,
    Items: events.map((EventType) => ({ EventType, LambdaFunctionARN: fnArn, IncludeBody: includeBody && EventType.endsWith('request') })),
  };
}

/** A distribution in front of `origin.localhost:<port>` (or `originDomain`), with the default behavior's associations. */
export async function distribution(opts: {
  originPort: number;
  /** Default `origin.localhost` (the test's server); a front door of this cloud works too. */
  originDomain?: string;
  associations?: { Quantity: number; Items: LambdaFunctionAssociation[] };
  cacheBehaviors?: CacheBehavior[];
  allMethods?: boolean;
}): Promise<Distribution> {
  const config: DistributionConfig = {
    CallerReference: unique('cf'),
    Comment: 'lambda-testbed scenario',
    Enabled: true,
    Origins: {
      Quantity: 1,
      Items: [{ Id: 'origin', DomainName: opts.originDomain ?? 'origin.localhost', CustomOriginConfig: { HTTPPort: opts.originPort, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' } }],
    },
    DefaultCacheBehavior: {
      TargetOriginId: 'origin',
      ViewerProtocolPolicy: 'allow-all',
      ForwardedValues: { QueryString: true, Cookies: { Forward: 'none' } },
      LambdaFunctionAssociations: opts.associations ?? { Quantity: 0 },
      ...(opts.allMethods ? { AllowedMethods: { ...ALL_METHODS, Items: [...ALL_METHODS.Items], CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] } } } : {}),
    },
    ...(opts.cacheBehaviors ? { CacheBehaviors: { Quantity: opts.cacheBehaviors.length, Items: opts.cacheBehaviors } } : {}),
  };
  const out = await tb.clients.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config }));
  const d = out.Distribution!;
  const port = new URL(tb.target.endpoint).port || '80';
  return { id: d.Id!, domainName: d.DomainName!, url: `http://${d.DomainName}:${port}`, etag: out.ETag!, config: d.DistributionConfig! };
}

export function get(url: string, opts: HttpRequestOptions = {}): Promise<HttpResponse> {
  return httpRequest(url, opts);
}

/** A request telling the edge function what to do at some events (`x-test-<event>: <action>`). */
export function directing(url: string, actions: Partial<Record<EventType, string>>, opts: HttpRequestOptions = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
  for (const [event, act] of Object.entries(actions)) headers[`x-test-${event}`] = act;
  return httpRequest(url, { ...opts, headers });
}

/** The CloudFront record the edge function echoed (`echo-event`). */
export function echoedEvent(r: HttpResponse): { Records: [{ cf: { config: Record<string, string>; request: any; response?: any } }] } {
  return r.json();
}
