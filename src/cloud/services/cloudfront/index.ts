/**
 * CloudFront's control plane as a front door: the router speaks rest-json, json and query, and
 * CloudFront is REST-XML, so its requests are taken before the router, by their path
 * (`/2020-05-31/...`) and their SigV4 scope service (`cloudfront`). The viewer side
 * (`<id>.cloudfront.localhost`) is frontdoors/cloudfront.
 */
import type { FrontDoor } from '../../frontdoors';
import type { LambdaService } from '../../lambda/service';
import { parseCredentialScope } from '../../protocols/sigv4';
import { serveApi } from './api';
import type { CloudFrontStore } from './store';
import { CLOUDFRONT_VERSION } from './types';

export { CloudFrontStore } from './store';

const API_PREFIX = `/${CLOUDFRONT_VERSION}/`;

/** The door for CloudFront's API. */
export function cloudfrontApiDoor(store: CloudFrontStore, lambda: LambdaService): FrontDoor {
  return {
    name: 'cloudfront-api',
    handle(r) {
      if (!r.req.path.startsWith(API_PREFIX)) return undefined;
      const scope = parseCredentialScope(r.req.headers.authorization, r.req.query);
      if (scope?.service !== 'cloudfront') return undefined;
      return Promise.resolve(serveApi({ store, lambda }, r.req));
    },
  };
}
