/**
 * Lambda@Edge's rules, checked when a distribution is created or updated, as CloudFront checks them
 * [doc: "Restrictions on Lambda@Edge", "Quotas on Lambda@Edge"]. Every refusal is
 * InvalidLambdaFunctionAssociation (400) with AWS's text; [obs] texts are AWS answers quoted in
 * public bug reports, the others are marked unconfirmed.
 *
 * Per cache behavior: one function per event type; IncludeBody only for request events. Per
 * association: a numbered version (not $LATEST, not an alias), in us-east-1, that exists; a Node.js
 * or Python runtime; no environment variables; no dead-letter queue; x86_64; timeout at most 5 s
 * (viewer events) or 30 s (origin events); memory at most 128 MB and code at most 1 MB for viewer
 * events (50 MB for origin events).
 */
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { LambdaService } from '../../lambda/service';
import type { FunctionVersion } from '../../lambda/model';
import { invalidLambdaAssociation } from './errors';
import { CLOUDFRONT_REGION, type EdgeEventType } from './types';
import { behaviorsOf } from './validate';

/** [doc] Lambda@Edge's runtimes (the deprecated Node.js ones can still be associated). */
export const EDGE_RUNTIMES = [
  'nodejs22.x', 'nodejs20.x', 'nodejs18.x', 'nodejs16.x', 'nodejs14.x', 'nodejs12.x', 'nodejs10.x', 'nodejs8.10', 'nodejs6.10',
  'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7',
];

/** [doc] Quotas that differ by event type. */
export const EDGE_LIMITS = {
  viewer: { timeoutSeconds: 5, memoryMb: 128, codeBytes: 1024 * 1024 },
  origin: { timeoutSeconds: 30, memoryMb: undefined, codeBytes: 50 * 1024 * 1024 },
} as const;

const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([^:]+))?$/;

export interface EdgeFunctionRef {
  region: string;
  accountId: string;
  name: string;
  version: string;
}

/** A version ARN's parts, or undefined when it is not a function version's ARN. */
export function parseVersionArn(arn: string): EdgeFunctionRef | undefined {
  const m = FUNCTION_ARN.exec(arn);
  if (!m || m[4] === undefined || !/^[1-9][0-9]*$/.test(m[4])) return undefined;
  return { region: m[1], accountId: m[2], name: m[3], version: m[4] };
}

export const isViewerEvent = (type: string) => type === 'viewer-request' || type === 'viewer-response';

/** Throws InvalidLambdaFunctionAssociation for the first association that breaks a rule. */
export function checkEdgeAssociations(lambda: LambdaService, config: DistributionConfig, accountId: string): void {
  const behaviors = behaviorsOf(config);
  for (const b of behaviors) checkBehaviorShape(b);
  for (const b of behaviors) {
    for (const a of b.LambdaFunctionAssociations?.Items ?? []) {
      checkFunction(lambda, a.LambdaFunctionARN ?? '', a.EventType as EdgeEventType, accountId);
    }
  }
}

function checkBehaviorShape(b: DefaultCacheBehavior | CacheBehavior): void {
  const seen = new Set<string>();
  for (const a of b.LambdaFunctionAssociations?.Items ?? []) {
    const type = a.EventType ?? '';
    if (seen.has(type)) {
      // [obs] (sst issues 2822, 3696)
      throw invalidLambdaAssociation(
        `The event type of a function association must be unique in the cache behavior. Event type ${type} cannot be associated with two functions`,
      );
    }
    seen.add(type);
    if (a.IncludeBody && (type === 'viewer-response' || type === 'origin-response')) {
      // [obs] (serverless-next.js 533)
      throw invalidLambdaAssociation('The IncludeBody option can only be used with viewer-request or origin-request events.');
    }
  }
}

function checkFunction(lambda: LambdaService, arn: string, type: EdgeEventType, accountId: string): void {
  const ref = parseVersionArn(arn);
  // [obs] (terraform-aws-hugo 43, terraform-aws-munki-repo 6)
  if (!ref) throw invalidLambdaAssociation(`The function ARN must reference a specific function version. (The ARN must end with the version number.) ARN: ${arn}`);
  // [obs] (TechToSpeech 79, aws-ia runtask 6)
  if (ref.region !== CLOUDFRONT_REGION) throw invalidLambdaAssociation(`The function must be in region '${CLOUDFRONT_REGION}'. ARN: ${arn}`);
  const version = findVersion(lambda, ref, accountId);
  // [obs] (aws-cdk 1474): a version CloudFront cannot read
  if (!version) {
    throw invalidLambdaAssociation(
      `Lambda@Edge cannot retrieve the specified Lambda function. Update the IAM policy to add permission: lambda:GetFunction for resource: ${arn} and try again.`,
    );
  }
  const c = version.config;
  const limits = isViewerEvent(type) ? EDGE_LIMITS.viewer : EDGE_LIMITS.origin;
  if (!EDGE_RUNTIMES.includes(c.runtime)) {
    // [obs] (cloudfront-auth 59, serverless-next.js 915)
    throw invalidLambdaAssociation(
      `The function has a runtime that is not supported by Lambda@Edge: ${c.runtime} Function: ${arn} Supported runtimes: [${EDGE_RUNTIMES.join(', ')}]`,
    );
  }
  if (c.codeSize > limits.codeBytes) {
    // [obs] (cloudfront-auth 43)
    throw invalidLambdaAssociation(
      `The function code size is larger than the maximum allowed size for functions that are triggered by a CloudFront event: ${c.codeSize} Max allowed: ${limits.codeBytes} Function: ${arn}`,
    );
  }
  // [obs] (anomalyco/ion 1194)
  if (c.environment && Object.keys(c.environment).length > 0) throw invalidLambdaAssociation(`The function cannot have environment variables. Function: ${arn}`);
  // unconfirmed text, in the same form
  if (c.deadLetterArn) throw invalidLambdaAssociation(`The function cannot have a dead letter queue. Function: ${arn}`);
  if (c.timeout > limits.timeoutSeconds) {
    // [obs] (aws-cloudfront-extensions 112)
    throw invalidLambdaAssociation(
      `The function timeout is larger than the maximum allowed for functions that are triggered by a CloudFront event: ${c.timeout} Max allowed: ${limits.timeoutSeconds} Function: ${arn}`,
    );
  }
  if (limits.memoryMb !== undefined && c.memorySize > limits.memoryMb) {
    // [obs] (serverless-lambda-edge-pre-existing-cloudfront 11)
    throw invalidLambdaAssociation(
      `The function memory size is larger than the maximum allowed size for functions that are triggered by a CloudFront event: ${c.memorySize} Max allowed: ${limits.memoryMb} Function: ${arn}`,
    );
  }
  // unconfirmed text, in the runtime message's form
  const arch = c.architectures.find((a) => a !== 'x86_64');
  if (arch) throw invalidLambdaAssociation(`The function has an architecture that is not supported by Lambda@Edge: ${arch} Function: ${arn}`);
}

function findVersion(lambda: LambdaService, ref: EdgeFunctionRef, accountId: string): FunctionVersion | undefined {
  if (ref.accountId !== accountId) return undefined;
  const fn = lambda.functions.get(lambda.key({ accountId, region: ref.region }, ref.name));
  return fn?.versions.get(ref.version);
}
