/**
 * CloudFront (API version 2020-05-31, REST-XML, signing name `cloudfront`, a global service whose
 * endpoint is in us-east-1): the shapes shared by its files. No behaviour here.
 *
 *   types.ts       this map, the stored distribution
 *   errors.ts      CloudFront's errors (codes, statuses, texts)
 *   xml.ts         REST-XML in and out: bodies read and written with the SDK's own XML codec and
 *                  the CloudFront model's schemas (element names, list members, types), error bodies
 *   validate.ts    a DistributionConfig's model constraints (MalformedXML), Quantity/Items
 *                  (InconsistentQuantities), origins and cache behaviors
 *   defaults.ts    the fields CloudFront fills in when a config leaves them out
 *   policies.ts    the managed cache and origin request policies (what each forwards)
 *   edge-rules.ts  Lambda@Edge's rules for LambdaFunctionAssociations (InvalidLambdaFunctionAssociation)
 *   store.ts       distributions: ids, domain names, ETags, Status InProgress -> Deployed
 *   api.ts         the operations and their routes (Create/Get/GetConfig/Update/Delete/List)
 *   index.ts       the front door that takes `/2020-05-31/...` requests signed for `cloudfront`
 *
 * Configs are kept in the SDK's shapes (@aws-sdk/client-cloudfront), which are the model's.
 */
import type { DistributionConfig, Tag } from '@aws-sdk/client-cloudfront';
import type { TimerHandle } from '../../clock';

export const CLOUDFRONT_VERSION = '2020-05-31';
export const CLOUDFRONT_REGION = 'us-east-1';
/** The suffix of the domain names distributions get here (`<id>.cloudfront.localhost`). */
export const DOMAIN_SUFFIX = '.cloudfront.localhost';

export type EdgeEventType = 'viewer-request' | 'origin-request' | 'origin-response' | 'viewer-response';
export const EDGE_EVENT_TYPES: readonly EdgeEventType[] = ['viewer-request', 'viewer-response', 'origin-request', 'origin-response'];

export type DistributionStatus = 'InProgress' | 'Deployed';

export interface DistributionRecord {
  id: string;
  arn: string;
  /** `<id in lower case>.cloudfront.localhost` (no port: the viewer adds the cloud's). */
  domainName: string;
  /** The config as stored (defaults filled in). */
  config: DistributionConfig;
  status: DistributionStatus;
  /** Virtual epoch ms. */
  lastModified: number;
  /** Changes with every config version. */
  etag: string;
  tags: Tag[];
  /** The pending InProgress -> Deployed transition. */
  deploy?: TimerHandle;
}
