/**
 * Shared by the CloudFront service tests: a started cloud with CloudFront and Lambda clients, a
 * minimal valid DistributionConfig, and a published Lambda@Edge-shaped function version.
 */
import { randomUUID } from 'node:crypto';
import { CloudFrontClient, type DistributionConfig, type LambdaFunctionAssociation } from '@aws-sdk/client-cloudfront';
import { CreateFunctionCommand, LambdaClient, PublishVersionCommand, type CreateFunctionRequest } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { credentials } from './helpers';

export interface CfFixture {
  cloud: RunningCloud;
  cf: CloudFrontClient;
  lambda: LambdaClient;
  stop(): Promise<void>;
}

export async function startCloudFront(): Promise<CfFixture> {
  const cloud = await startCloud({ port: 0, timeMode: 'compressed' });
  const cf = new CloudFrontClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  return {
    cloud,
    cf,
    lambda,
    async stop() {
      cf.destroy();
      lambda.destroy();
      await cloud.stop();
    },
  };
}

/** The smallest config CloudFront accepts: one custom origin, a default behavior, ForwardedValues. */
export function minimalConfig(over: Partial<DistributionConfig> = {}, associations: LambdaFunctionAssociation[] = []): DistributionConfig {
  return {
    CallerReference: randomUUID(),
    Comment: 'test',
    Enabled: true,
    Origins: {
      Quantity: 1,
      Items: [{ Id: 'origin-1', DomainName: 'origin.localhost', CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' } }],
    },
    DefaultCacheBehavior: {
      TargetOriginId: 'origin-1',
      ViewerProtocolPolicy: 'allow-all',
      ForwardedValues: { QueryString: true, Cookies: { Forward: 'none' } },
      LambdaFunctionAssociations: { Quantity: associations.length, Items: associations },
    },
    ...over,
  };
}

let seq = 0;

/** Create a function (the given settings over Lambda@Edge-friendly ones) and publish version 1. */
export async function edgeFunction(lambda: LambdaClient, over: Partial<CreateFunctionRequest> = {}): Promise<{ name: string; arn: string; versionArn: string }> {
  const name = `edge-${++seq}-${randomUUID().slice(0, 8)}`;
  const zip = zipSync({ 'index.js': new TextEncoder().encode('exports.handler = async (e) => e.Records[0].cf.request;') });
  const created = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/edge',
      Code: { ZipFile: zip },
      Timeout: 3,
      MemorySize: 128,
      ...over,
    }),
  );
  const v = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  return { name, arn: created.FunctionArn!, versionArn: v.FunctionArn! };
}
