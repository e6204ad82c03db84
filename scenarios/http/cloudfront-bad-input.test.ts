/**
 * Lambda@Edge's rules, broken at CreateDistribution (InvalidLambdaFunctionAssociation) and at
 * request time (a function that throws, times out, is throttled, or returns what CloudFront cannot
 * use): CloudFront's status, error page and `x-cache` kind, the distribution keeps serving, and a
 * function's own error is in its logs.
 */
import { CreateDistributionCommand, type DistributionConfig, type EventType } from '@aws-sdk/client-cloudfront';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { eventually, getTestbed, rejection, unique } from '../_support/testbed';
import {
  associations,
  directing,
  distribution,
  edgeFunctionLogGroup,
  edgeStack,
  get,
  startOrigin,
  versionArn,
  type Distribution,
  type OriginServer,
} from './_cloudfront-helpers';

const tb = getTestbed();

async function createWith(fnArn: string, event: EventType, includeBody = false): Promise<unknown> {
  const config: DistributionConfig = {
    CallerReference: unique('cf-bad'),
    Comment: '',
    Enabled: true,
    Origins: { Quantity: 1, Items: [{ Id: 'o', DomainName: 'origin.localhost', CustomOriginConfig: { HTTPPort: 8080, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' } }] },
    DefaultCacheBehavior: {
      TargetOriginId: 'o',
      ViewerProtocolPolicy: 'allow-all',
      ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
      LambdaFunctionAssociations: { Quantity: 1, Items: [{ EventType: event, LambdaFunctionARN: fnArn, IncludeBody: includeBody }] },
    },
  };
  return tb.clients.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config }));
}

async function refusal(call: Promise<unknown>): Promise<[string, number | undefined, string]> {
  const e = await rejection(call);
  return [e.name, e.$metadata?.httpStatusCode, e.message];
}

tb.describeIf('cloudfront')('CreateDistribution refuses functions that break the Lambda@Edge rules', () => {
  let fns: Awaited<ReturnType<typeof edgeStack>>['functions'];
  beforeAll(async () => {
    fns = (await edgeStack()).functions;
  });

  it('refuses $LATEST and the unqualified ARN: the ARN must end with the version number', async () => {
    for (const arn of [`${fns.edge.arn}:$LATEST`, fns.edge.arn]) {
      expect(await refusal(createWith(arn, 'viewer-request'))).toEqual([
        'InvalidLambdaFunctionAssociation',
        400,
        `The function ARN must reference a specific function version. (The ARN must end with the version number.) ARN: ${arn}`,
      ]);
    }
  });

  it('refuses a function with environment variables', async () => {
    const arn = versionArn(fns.withEnv);
    expect(await refusal(createWith(arn, 'origin-request'))).toEqual(['InvalidLambdaFunctionAssociation', 400, `The function cannot have environment variables. Function: ${arn}`]);
  });

  it('refuses more than 5 s or 128 MB for viewer events, and accepts them for origin events', async () => {
    const arn = versionArn(fns.big);
    expect(await refusal(createWith(arn, 'viewer-request'))).toEqual([
      'InvalidLambdaFunctionAssociation',
      400,
      `The function timeout is larger than the maximum allowed for functions that are triggered by a CloudFront event: 30 Max allowed: 5 Function: ${arn}`,
    ]);
    expect(((await createWith(arn, 'origin-response')) as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(201);
  });

  it('refuses IncludeBody for a response event, and a function outside us-east-1', async () => {
    expect(await refusal(createWith(versionArn(fns.edge), 'viewer-response', true))).toEqual([
      'InvalidLambdaFunctionAssociation',
      400,
      'The IncludeBody option can only be used with viewer-request or origin-request events.',
    ]);
    const elsewhere = versionArn(fns.edge).replace(':us-east-1:', ':eu-west-1:');
    expect(await refusal(createWith(elsewhere, 'origin-request'))).toEqual(['InvalidLambdaFunctionAssociation', 400, `The function must be in region 'us-east-1'. ARN: ${elsewhere}`]);
  });
});

tb.describeIf('cloudfront')('A function that fails at request time', () => {
  let origin: OriginServer;
  let fns: Awaited<ReturnType<typeof edgeStack>>['functions'];
  let dist: Distribution;
  beforeAll(async () => {
    fns = (await edgeStack()).functions;
    origin = await startOrigin();
    dist = await distribution({ originPort: origin.port, associations: associations(versionArn(fns.edge), ['viewer-request', 'origin-request', 'origin-response', 'viewer-response']) });
  });
  afterAll(() => origin.close());

  it('answers 503 LambdaExecutionError when the function throws, and the error is in the function logs', async () => {
    const r = await directing(`${dist.url}/`, { 'viewer-request': 'throw' });
    expect([r.status, r.headers['x-cache'], r.headers.server, r.headers['content-type']]).toEqual([503, 'LambdaExecutionError from cloudfront', 'CloudFront', 'text/html']);
    expect(r.text).toContain('<H1>503 ERROR</H1>');
    expect(r.text).toContain("The Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions.");
    expect(r.text).toContain(`Request ID: ${r.headers['x-amz-cf-id']}`);
    const events = await eventually(
      async () => (await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: edgeFunctionLogGroup(fns.edge.name), filterPattern: '"edge function failed in viewer-request"' }))).events ?? [],
      (e) => e.length > 0,
    );
    expect(events.length).toBeGreaterThan(0);
  });

  it('answers 503 LambdaExecutionError when the function times out', async () => {
    const slow = await distribution({ originPort: origin.port, associations: associations(versionArn(fns.slow), ['origin-request']) });
    const r = await directing(`${slow.url}/`, { 'origin-request': 'hang' });
    expect([r.status, r.headers['x-cache']]).toEqual([503, 'LambdaExecutionError from cloudfront']);
  });

  it('answers 503 LambdaLimitExceeded when Lambda throttles the function', async () => {
    const throttled = await distribution({ originPort: origin.port, associations: associations(versionArn(fns.throttled), ['viewer-request']) });
    const r = await get(`${throttled.url}/`);
    expect([r.status, r.headers['x-cache']]).toEqual([503, 'LambdaLimitExceeded from cloudfront']);
    expect(r.text).toContain('The Lambda function associated with the CloudFront distribution was throttled.');
  });

  it.each([
    ['an answer that is not an object', { 'viewer-request': 'string' }, 'The Lambda function returned invalid JSON: The JSON output must be an object type.'],
    ['null', { 'origin-request': 'null' }, 'The Lambda function returned invalid JSON: The JSON output must be an object type.'],
    [
      'a header that is not a list',
      { 'origin-response': 'headers-object' },
      'The Lambda function returned an invalid entry in the headers object: Each header entry in the headers object must be an array.',
    ],
    ['a changed Host in the viewer request', { 'viewer-request': 'read-only' }, 'The Lambda function result failed validation: The function tried to add, delete, or change a read-only header.'],
    ['a changed Via in the origin response', { 'origin-response': 'read-only' }, 'The Lambda function result failed validation: The function tried to add, delete, or change a read-only header.'],
    ['an added Warning in the viewer response', { 'viewer-response': 'read-only' }, 'The Lambda function result failed validation: The function tried to add, delete, or change a read-only header.'],
    ['an added X-Edge-* header', { 'origin-request': 'disallowed' }, 'The Lambda function result failed validation: The function tried to add a disallowed header.'],
    [
      'a viewer-request response over 40 KB',
      { 'viewer-request': 'big' },
      'The Lambda function result failed validation: The body is not a string, is not an object, or exceeds the maximum size.',
    ],
    [
      'an origin-request response over 1 MB',
      { 'origin-request': 'big' },
      'The Lambda function result failed validation: The body is not a string, is not an object, or exceeds the maximum size.',
    ],
    ['a status outside 200-599', { 'origin-response': 'bad-status' }, 'The Lambda function result failed validation: The status code is not valid.'],
    ['a URI without its leading slash', { 'viewer-request': 'bad-uri' }, 'The Lambda function result failed validation: The specified URI is in an invalid format.'],
    ['a generated 204 with a body', { 'viewer-request': 'no-content-body' }, 'The Lambda function result failed validation: A response with status 204 cannot have a body.'],
  ] as [string, Partial<Record<EventType, string>>, string][])('answers 502 LambdaValidationError for %s', async (_what, actions, line) => {
    const r = await directing(`${dist.url}/`, actions);
    expect([r.status, r.statusMessage, r.headers['x-cache']]).toEqual([502, 'Bad Gateway', 'LambdaValidationError from cloudfront']);
    expect(r.text).toContain('<H1>502 ERROR</H1>');
    expect(r.text).toContain(`${line}\n`);
  });

  it('writes each invalid response to the distribution\'s log group /aws/cloudfront/LambdaEdge/<id>', async () => {
    const r = await directing(`${dist.url}/`, { 'viewer-request': 'bad-uri' });
    const cfId = r.headers['x-amz-cf-id'];
    const events = await eventually(
      async () => (await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/cloudfront/LambdaEdge/${dist.id}` }))).events ?? [],
      (e) => e.some((x) => x.message?.startsWith(`(${cfId})`)),
    );
    expect(events.find((x) => x.message?.startsWith(`(${cfId})`))?.message).toBe(
      `(${cfId}) ERROR Validation error: The Lambda function result failed validation: The specified URI is in an invalid format.`,
    );
  });

  it('keeps serving after all of that', async () => {
    const r = await get(`${dist.url}/fine`);
    expect([r.status, r.headers['x-cache'], r.headers['x-viewer-response']]).toEqual([200, 'Miss from cloudfront', 'seen']);
  });
});

tb.describeIf('cloudfront')('An origin or a distribution that cannot serve', () => {
  it("answers 502 when CloudFront can't connect to the origin", async () => {
    const gone = await startOrigin();
    await gone.close();
    const dist = await distribution({ originPort: gone.port });
    const r = await get(`${dist.url}/`);
    expect([r.status, r.headers['x-cache']]).toEqual([502, 'Error from cloudfront']);
    expect(r.text).toContain("CloudFront wasn't able to connect to the origin.");
  });

  it('answers 403 for a name under cloudfront.localhost that no distribution has', async () => {
    const port = new URL(tb.target.endpoint).port;
    const r = await get(`http://e0000000000000.cloudfront.localhost:${port}/`);
    expect([r.status, r.headers['x-cache']]).toEqual([403, 'Error from cloudfront']);
  });
});
