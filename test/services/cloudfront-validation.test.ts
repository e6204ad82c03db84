/**
 * CloudFront's refusals of bad DistributionConfigs through the SDK and on the wire: model
 * constraints (MalformedXML), Quantity/Items, origins, cache behaviors and policies, and every
 * Lambda@Edge rule (InvalidLambdaFunctionAssociation) at CreateDistribution and UpdateDistribution.
 */
import {
  CreateDistributionCommand,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
  type LambdaFunctionAssociation,
} from '@aws-sdk/client-cloudfront';
import { CreateAliasCommand } from '@aws-sdk/client-lambda';
import { credentials, expectError } from './helpers';
import { edgeFunction, minimalConfig, startCloudFront, type CfFixture } from './cloudfront-helpers';

let f: CfFixture;
beforeAll(async () => {
  f = await startCloudFront();
});
afterAll(async () => {
  await f.stop();
});

const create = (config: DistributionConfig) => f.cf.send(new CreateDistributionCommand({ DistributionConfig: config }));

/** A request on the wire, signed for cloudfront (the cloud reads only the scope). */
async function raw(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${f.cloud.endpoint}${path}`, {
    method,
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20240101/us-east-1/cloudfront/aws4_request, SignedHeaders=host, Signature=0`,
      'content-type': 'application/xml',
      ...headers,
    },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('the wire', () => {
  it('answers XML with the 2020-05-31 namespace, x-amzn-RequestId and ETag', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">' +
      '<CallerReference>wire-1</CallerReference><Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>origin.localhost</DomainName>' +
      '<CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>' +
      '<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>' +
      '<ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues></DefaultCacheBehavior>' +
      '<Comment></Comment><Enabled>true</Enabled></DistributionConfig>';
    const r = await raw('POST', '/2020-05-31/distribution', xml);
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('text/xml');
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('etag')).toMatch(/^E[A-Z0-9]{13}$/);
    expect(r.text).toMatch(/^<\?xml version="1.0"\?>\n<Distribution xmlns="http:\/\/cloudfront.amazonaws.com\/doc\/2020-05-31\/"><Id>E[A-Z0-9]{13}<\/Id>/);
    expect(r.text).toContain('<Items><Origin><Id>o</Id><DomainName>origin.localhost</DomainName>');
    expect(r.text).toContain('<Status>InProgress</Status>');
  });

  it('an empty body is MissingBody; a body that is not XML, or another element, is MalformedXML', async () => {
    const empty = await raw('POST', '/2020-05-31/distribution', '');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<Code>MissingBody</Code>');
    expect(empty.text).toContain('<Type>Sender</Type>');
    const notXml = await raw('POST', '/2020-05-31/distribution', '<DistributionConfig><Comment>');
    expect(notXml.status).toBe(400);
    expect(notXml.text).toContain('<Code>MalformedXML</Code>');
    const other = await raw('POST', '/2020-05-31/distribution', '<Foo/>');
    expect(other.text).toContain('<Code>MalformedXML</Code>');
  });

  it('an unknown path under /2020-05-31/ is an XML error, and requests signed for another service are not CloudFront\'s', async () => {
    const r = await raw('GET', '/2020-05-31/nothing-here');
    expect(r.status).toBe(404);
    expect(r.text).toContain('<ErrorResponse');
    const res = await fetch(`${f.cloud.endpoint}/2020-05-31/distribution`, {
      headers: { authorization: `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0` },
    });
    expect(res.headers.get('content-type')).toBe('application/json');
    await res.text();
  });
});

describe('model constraints: MalformedXML', () => {
  it('lists every missing required member with its path', async () => {
    const config = minimalConfig();
    delete (config as Partial<DistributionConfig>).Enabled;
    delete (config as Partial<DistributionConfig>).Comment;
    await expectError(
      create(config),
      'MalformedXML',
      "2 validation errors detected: Value null at 'distributionConfig.comment' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'distributionConfig.enabled' failed to satisfy constraint: Member must not be null",
    );
  });

  it('names list members as items.N.member and enums as their value set', async () => {
    const config = minimalConfig();
    config.Origins!.Items![0].DomainName = undefined;
    config.DefaultCacheBehavior!.ViewerProtocolPolicy = 'sometimes' as never;
    await expectError(
      create(config),
      'MalformedXML',
      "2 validation errors detected: Value null at 'distributionConfig.origins.items.1.member.domainName' failed to satisfy constraint: Member must not be null; " +
        "Value 'sometimes' at 'distributionConfig.defaultCacheBehavior.viewerProtocolPolicy' failed to satisfy constraint: Member must satisfy value set: [allow-all, https-only, redirect-to-https]",
    );
  });

  it('an EventType outside the four events', async () => {
    const config = minimalConfig({}, [{ EventType: 'viewer-everything' as never, LambdaFunctionARN: 'arn:aws:lambda:us-east-1:000000000000:function:x:1' }]);
    await expectError(
      create(config),
      'MalformedXML',
      "1 validation error detected: Value 'viewer-everything' at 'distributionConfig.defaultCacheBehavior.lambdaFunctionAssociations.items.1.member.eventType' " +
        'failed to satisfy constraint: Member must satisfy value set: [viewer-request, viewer-response, origin-request, origin-response]',
    );
  });
});

describe('Quantity and Items: InconsistentQuantities', () => {
  it('names the list and both counts', async () => {
    const config = minimalConfig({ Aliases: { Quantity: 2, Items: ['a.example.com'] } });
    await expectError(create(config), 'InconsistentQuantities', 'The specified quantity of Aliases (2) does not match the actual quantity supplied (1).');
    const assoc = minimalConfig();
    assoc.DefaultCacheBehavior!.LambdaFunctionAssociations = { Quantity: 1 };
    await expectError(create(assoc), 'InconsistentQuantities', 'The specified quantity of LambdaFunctionAssociations (1) does not match the actual quantity supplied (0).');
  });
});

describe('origins and cache behaviors', () => {
  const origin = (over: object) => minimalConfig({ Origins: { Quantity: 1, Items: [{ Id: 'origin-1', DomainName: 'origin.localhost', ...over }] } });
  const custom = { CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' as const } };

  it('refuses IP addresses, colons, non-bucket S3 origins and both origin kinds', async () => {
    await expectError(create(origin({ ...custom, DomainName: '127.0.0.1' })), 'InvalidArgument', 'The parameter origin name must be a domain name.');
    await expectError(create(origin({ ...custom, DomainName: 'origin.localhost:8080' })), 'InvalidArgument', 'The parameter origin name cannot contain a colon.');
    await expectError(create(origin({})), 'InvalidArgument', 'The parameter Origin DomainName does not refer to a valid S3 bucket.');
    await expectError(
      create(origin({ ...custom, S3OriginConfig: { OriginAccessIdentity: '' } })),
      'InvalidOrigin',
      'You must specify either a CustomOrigin or an S3Origin. You cannot specify both.',
    );
  });

  it('a target origin that does not exist is NoSuchOrigin 404', async () => {
    const config = minimalConfig();
    config.DefaultCacheBehavior!.TargetOriginId = 'elsewhere';
    await expectError(create(config), 'NoSuchOrigin', 'One or more of your cache behavior target origins or origin groups do not exist.', 404);
  });

  it('needs ForwardedValues or a cache policy, not both; policies must exist', async () => {
    const none = minimalConfig();
    delete none.DefaultCacheBehavior!.ForwardedValues;
    await expectError(create(none), 'InvalidArgument', 'The parameter ForwardedValues is required.');
    const both = minimalConfig();
    both.DefaultCacheBehavior!.CachePolicyId = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
    await expectError(create(both), 'InvalidArgument', 'The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior.');
    const unknown = minimalConfig();
    delete unknown.DefaultCacheBehavior!.ForwardedValues;
    unknown.DefaultCacheBehavior!.CachePolicyId = 'not-a-policy';
    await expectError(create(unknown), 'NoSuchCachePolicy', undefined, 404);
    const managed = minimalConfig();
    delete managed.DefaultCacheBehavior!.ForwardedValues;
    managed.DefaultCacheBehavior!.CachePolicyId = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
    managed.DefaultCacheBehavior!.OriginRequestPolicyId = 'nope';
    await expectError(create(managed), 'NoSuchOriginRequestPolicy', undefined, 404);
    managed.DefaultCacheBehavior!.OriginRequestPolicyId = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
    expect((await create(managed)).$metadata.httpStatusCode).toBe(201);
  });
});

describe('Lambda@Edge rules: InvalidLambdaFunctionAssociation', () => {
  const withAssoc = (assoc: LambdaFunctionAssociation) => create(minimalConfig({}, [assoc]));

  it('a numbered version in us-east-1 is accepted, and kept as sent', async () => {
    const fn = await edgeFunction(f.lambda);
    const out = await withAssoc({ EventType: 'viewer-request', LambdaFunctionARN: fn.versionArn, IncludeBody: true });
    expect(out.Distribution!.DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations).toEqual({
      Quantity: 1,
      Items: [{ EventType: 'viewer-request', LambdaFunctionARN: fn.versionArn, IncludeBody: true }],
    });
  });

  it('$LATEST, an unqualified ARN or an alias: the ARN must end with the version number', async () => {
    const fn = await edgeFunction(f.lambda);
    await f.lambda.send(new CreateAliasCommand({ FunctionName: fn.name, Name: 'live', FunctionVersion: '1' }));
    for (const arn of [`${fn.arn}:$LATEST`, fn.arn, `${fn.arn}:live`]) {
      await expectError(
        withAssoc({ EventType: 'viewer-request', LambdaFunctionARN: arn }),
        'InvalidLambdaFunctionAssociation',
        `The function ARN must reference a specific function version. (The ARN must end with the version number.) ARN: ${arn}`,
      );
    }
  });

  it('a function outside us-east-1', async () => {
    const arn = 'arn:aws:lambda:eu-west-1:000000000000:function:far-away:1';
    await expectError(withAssoc({ EventType: 'origin-request', LambdaFunctionARN: arn }), 'InvalidLambdaFunctionAssociation', `The function must be in region 'us-east-1'. ARN: ${arn}`);
  });

  it('a version that does not exist', async () => {
    const fn = await edgeFunction(f.lambda);
    const arn = `${fn.arn}:7`;
    await expectError(
      withAssoc({ EventType: 'origin-request', LambdaFunctionARN: arn }),
      'InvalidLambdaFunctionAssociation',
      `Lambda@Edge cannot retrieve the specified Lambda function. Update the IAM policy to add permission: lambda:GetFunction for resource: ${arn} and try again.`,
    );
  });

  it('environment variables', async () => {
    const fn = await edgeFunction(f.lambda, { Environment: { Variables: { STAGE: 'prod' } } });
    await expectError(
      withAssoc({ EventType: 'origin-response', LambdaFunctionARN: fn.versionArn }),
      'InvalidLambdaFunctionAssociation',
      `The function cannot have environment variables. Function: ${fn.versionArn}`,
    );
  });

  it('a dead-letter queue', async () => {
    const fn = await edgeFunction(f.lambda, { DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq' } });
    await expectError(
      withAssoc({ EventType: 'origin-request', LambdaFunctionARN: fn.versionArn }),
      'InvalidLambdaFunctionAssociation',
      `The function cannot have a dead letter queue. Function: ${fn.versionArn}`,
    );
  });

  it('timeouts: 5 s for viewer events, 30 s for origin events', async () => {
    const six = await edgeFunction(f.lambda, { Timeout: 6 });
    await expectError(
      withAssoc({ EventType: 'viewer-response', LambdaFunctionARN: six.versionArn }),
      'InvalidLambdaFunctionAssociation',
      `The function timeout is larger than the maximum allowed for functions that are triggered by a CloudFront event: 6 Max allowed: 5 Function: ${six.versionArn}`,
    );
    expect((await withAssoc({ EventType: 'origin-request', LambdaFunctionARN: six.versionArn })).$metadata.httpStatusCode).toBe(201);
    const long = await edgeFunction(f.lambda, { Timeout: 31 });
    await expectError(
      withAssoc({ EventType: 'origin-response', LambdaFunctionARN: long.versionArn }),
      'InvalidLambdaFunctionAssociation',
      `The function timeout is larger than the maximum allowed for functions that are triggered by a CloudFront event: 31 Max allowed: 30 Function: ${long.versionArn}`,
    );
  });

  it('memory: 128 MB for viewer events, not limited by CloudFront for origin events', async () => {
    const big = await edgeFunction(f.lambda, { MemorySize: 1024 });
    await expectError(
      withAssoc({ EventType: 'viewer-request', LambdaFunctionARN: big.versionArn }),
      'InvalidLambdaFunctionAssociation',
      `The function memory size is larger than the maximum allowed size for functions that are triggered by a CloudFront event: 1024 Max allowed: 128 Function: ${big.versionArn}`,
    );
    expect((await withAssoc({ EventType: 'origin-request', LambdaFunctionARN: big.versionArn })).$metadata.httpStatusCode).toBe(201);
  });

  it('one function per event type in a cache behavior; IncludeBody only for request events', async () => {
    const fn = await edgeFunction(f.lambda);
    const twice = minimalConfig({}, [
      { EventType: 'viewer-request', LambdaFunctionARN: fn.versionArn },
      { EventType: 'viewer-request', LambdaFunctionARN: fn.versionArn },
    ]);
    await expectError(
      create(twice),
      'InvalidLambdaFunctionAssociation',
      'The event type of a function association must be unique in the cache behavior. Event type viewer-request cannot be associated with two functions',
    );
    await expectError(
      withAssoc({ EventType: 'origin-response', LambdaFunctionARN: fn.versionArn, IncludeBody: true }),
      'InvalidLambdaFunctionAssociation',
      'The IncludeBody option can only be used with viewer-request or origin-request events.',
    );
  });

  it('the same rules at UpdateDistribution, which then leaves the distribution as it was', async () => {
    const created = await create(minimalConfig());
    const fn = await edgeFunction(f.lambda, { Environment: { Variables: { MODE: '1' } } });
    const config = created.Distribution!.DistributionConfig!;
    const changed: DistributionConfig = {
      ...config,
      DefaultCacheBehavior: { ...config.DefaultCacheBehavior!, LambdaFunctionAssociations: { Quantity: 1, Items: [{ EventType: 'viewer-request', LambdaFunctionARN: `${fn.arn}:$LATEST` }] } },
    };
    await expectError(
      f.cf.send(new UpdateDistributionCommand({ Id: created.Distribution!.Id, IfMatch: created.ETag, DistributionConfig: changed })),
      'InvalidLambdaFunctionAssociation',
      `The function ARN must reference a specific function version. (The ARN must end with the version number.) ARN: ${fn.arn}:$LATEST`,
    );
    changed.DefaultCacheBehavior!.LambdaFunctionAssociations!.Items![0].LambdaFunctionARN = fn.versionArn;
    await expectError(
      f.cf.send(new UpdateDistributionCommand({ Id: created.Distribution!.Id, IfMatch: created.ETag, DistributionConfig: changed })),
      'InvalidLambdaFunctionAssociation',
      `The function cannot have environment variables. Function: ${fn.versionArn}`,
    );
    const after = await f.cf.send(new GetDistributionConfigCommand({ Id: created.Distribution!.Id }));
    expect(after.ETag).toBe(created.ETag);
    expect(after.DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations).toEqual({ Quantity: 0 });
  });
});

describe('Lambda@Edge rules: runtimes and architectures', () => {
  const withAssoc = (arn: string) => create(minimalConfig({}, [{ EventType: 'origin-request', LambdaFunctionARN: arn }]));

  it('a runtime Lambda@Edge does not support', async () => {
    const fn = await edgeFunction(f.lambda, { Runtime: 'provided.al2023' });
    await expectError(
      withAssoc(fn.versionArn),
      'InvalidLambdaFunctionAssociation',
      `The function has a runtime that is not supported by Lambda@Edge: provided.al2023 Function: ${fn.versionArn} Supported runtimes: ` +
        '[nodejs22.x, nodejs20.x, nodejs18.x, nodejs16.x, nodejs14.x, nodejs12.x, nodejs10.x, nodejs8.10, nodejs6.10, python3.13, python3.12, python3.11, python3.10, python3.9, python3.8, python3.7]',
    );
  });

  it('the arm64 architecture', async () => {
    const fn = await edgeFunction(f.lambda, { Architectures: ['arm64'] });
    await expectError(withAssoc(fn.versionArn), 'InvalidLambdaFunctionAssociation', `The function has an architecture that is not supported by Lambda@Edge: arm64 Function: ${fn.versionArn}`);
  });
});
