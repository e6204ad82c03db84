/** AWS SDK v3 clients pointed at a target. Scenarios speak only these (plus the probe). */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { TargetInfo } from './targets';

export type TargetConnection = Pick<TargetInfo, 'endpoint' | 'region' | 'credentials'>;

export interface Clients {
  /** Lambda client with the SDK's default retries (3 attempts). */
  lambda: LambdaClient;
  /** Lambda client that never retries: for asserting 429 throttling, 5xx and other first answers. */
  lambdaNoRetry: LambdaClient;
  logs: CloudWatchLogsClient;
  iam: IAMClient;
  sts: STSClient;
  sqs: SQSClient;
  sns: SNSClient;
  events: EventBridgeClient;
  kinesis: KinesisClient;
  /** API Gateway REST APIs (v1). */
  apigateway: APIGatewayClient;
  /** API Gateway HTTP APIs (v2). */
  apigatewayv2: ApiGatewayV2Client;
  elbv2: ElasticLoadBalancingV2Client;
  /** Path-style addressing: the endpoint is an IP, which has no bucket subdomains. */
  s3: S3Client;
  cloudfront: CloudFrontClient;
  /** Destroys every client (closes their sockets). */
  destroy(): void;
}

/** The options every client gets: the target's endpoint, region and credentials. */
export function clientConfig(target: TargetConnection) {
  return {
    endpoint: target.endpoint,
    region: target.region,
    credentials: { ...target.credentials },
  };
}

export function makeLambdaClient(target: TargetConnection, opts: { retries?: boolean } = {}): LambdaClient {
  return new LambdaClient({ ...clientConfig(target), ...(opts.retries === false ? { maxAttempts: 1 } : {}) });
}

/** A Lambda client with maxAttempts 1, so a throttle (429) reaches the caller instead of being retried. */
export function makeNoRetryLambdaClient(target: TargetConnection): LambdaClient {
  return makeLambdaClient(target, { retries: false });
}

export function makeClients(target: TargetConnection): Clients {
  const cfg = clientConfig(target);
  const clients = {
    lambda: makeLambdaClient(target),
    lambdaNoRetry: makeNoRetryLambdaClient(target),
    logs: new CloudWatchLogsClient(cfg),
    iam: new IAMClient(cfg),
    sts: new STSClient(cfg),
    sqs: new SQSClient(cfg),
    sns: new SNSClient(cfg),
    events: new EventBridgeClient(cfg),
    kinesis: new KinesisClient(cfg),
    apigateway: new APIGatewayClient(cfg),
    apigatewayv2: new ApiGatewayV2Client(cfg),
    elbv2: new ElasticLoadBalancingV2Client(cfg),
    s3: new S3Client({ ...cfg, forcePathStyle: true }),
    cloudfront: new CloudFrontClient(cfg),
  };
  return {
    ...clients,
    destroy() {
      for (const c of Object.values(clients)) c.destroy();
    },
  };
}
