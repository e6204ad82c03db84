/**
 * The CloudFront door: the viewer side of distributions, reached at their DomainName
 * `<distribution-id>.cloudfront.localhost` on the cloud's port (the control plane is
 * services/cloudfront).
 *
 *   index.ts       the door: which distribution a Host names
 *   pipeline.ts    one request through the four Lambda@Edge events and the origin
 *   behaviors.ts   cache behaviors by path pattern; the target origin
 *   event.ts       the CloudFront record a function receives
 *   results.ts     what a function returned, checked as CloudFront checks it
 *   forwarding.ts  the origin request: forwarded headers, cookies and query strings
 *   origin.ts      the HTTP call to a loopback origin
 *   headers.ts     headers in the event's form; disallowed and read-only headers
 *   pages.ts       CloudFront's response headers (x-cache, via, x-amz-cf-*) and error pages
 */
import type { LambdaService } from '../../lambda/service';
import type { LogsStore } from '../../services/logs/store';
import type { CloudFrontStore } from '../../services/cloudfront/store';
import { DOMAIN_SUFFIX } from '../../services/cloudfront/types';
import type { FrontDoor } from '../index';
import { errorPage, newEdgeRequestId, PAGE } from './pages';
import { serveViewer } from './pipeline';

export function cloudfrontDoor(store: CloudFrontStore, lambda: LambdaService, logs?: LogsStore): FrontDoor {
  return {
    name: 'cloudfront',
    handle(r) {
      if (!r.host.endsWith(DOMAIN_SUFFIX)) return undefined;
      const dist = store.byHost(r.host);
      // A name under cloudfront.localhost that is no distribution's: CloudFront's 403 (Bad request).
      if (!dist) return Promise.resolve(errorPage(403, PAGE.badRequest, 'Error', newEdgeRequestId(), r.req.method === 'HEAD'));
      return serveViewer({ store, lambda, logs }, dist, r);
    },
  };
}
