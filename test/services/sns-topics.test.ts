/**
 * SNS topics through the wire (@aws-sdk/client-sns, query protocol) against a started cloud:
 * CreateTopic (standard, FIFO, names, idempotency), DeleteTopic, ListTopics paging,
 * Get/SetTopicAttributes (every attribute, DeliveryPolicy forms), tags, Add/RemovePermission, and
 * the XML as sent. Expected values come from AWS recordings (LocalStack's test_sns.snapshot.json).
 */
import {
  AddPermissionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  RemovePermissionCommand,
  SetTopicAttributesCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { ACCOUNT, failure, rawQuery, REGION, topicArn, uniq, useSnsEnv } from './sns-helpers';

const env = useSnsEnv();

const create = async (Name = uniq('topic'), Attributes?: Record<string, string>, Tags?: { Key: string; Value: string }[]) =>
  (await env.sns.send(new CreateTopicCommand({ Name, Attributes, Tags }))).TopicArn!;
const attributes = async (TopicArn: string) => (await env.sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;

const DEFAULT_EFFECTIVE = {
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
}; // [rec]

const defaultPolicy = (arn: string) => ({
  Version: '2008-10-17',
  Id: '__default_policy_ID',
  Statement: [
    {
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: [
        'SNS:GetTopicAttributes',
        'SNS:SetTopicAttributes',
        'SNS:AddPermission',
        'SNS:RemovePermission',
        'SNS:DeleteTopic',
        'SNS:Subscribe',
        'SNS:ListSubscriptionsByTopic',
        'SNS:Publish',
      ],
      Resource: arn,
      Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT } },
    },
  ],
}); // [rec]

describe('CreateTopic and GetTopicAttributes', () => {
  it('a standard topic has exactly the attributes AWS answers', async () => {
    const name = uniq('std');
    const arn = await create(name);
    expect(arn).toBe(topicArn(name));
    const a = await attributes(arn);
    expect(Object.keys(a)).toEqual([
      'DisplayName',
      'EffectiveDeliveryPolicy',
      'Owner',
      'Policy',
      'SubscriptionsConfirmed',
      'SubscriptionsDeleted',
      'SubscriptionsPending',
      'TopicArn',
    ]);
    expect(a.DisplayName).toBe('');
    expect(JSON.parse(a.EffectiveDeliveryPolicy)).toEqual(DEFAULT_EFFECTIVE);
    expect(JSON.parse(a.Policy)).toEqual(defaultPolicy(arn));
    expect(a.Policy.startsWith('{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":')).toBe(true);
    expect([a.Owner, a.SubscriptionsConfirmed, a.SubscriptionsDeleted, a.SubscriptionsPending, a.TopicArn]).toEqual([ACCOUNT, '0', '0', '0', arn]);
  });

  it('a FIFO topic adds FifoTopic and ContentBasedDeduplication; attributes given at creation are kept', async () => {
    const arn = await create(`${uniq('fifo')}.fifo`, { DisplayName: 'TestTopic', SignatureVersion: '2', FifoTopic: 'true' });
    const a = await attributes(arn);
    expect(a).toMatchObject({ ContentBasedDeduplication: 'false', DisplayName: 'TestTopic', FifoTopic: 'true', SignatureVersion: '2' });
    expect(Object.keys(a)).toEqual([
      'ContentBasedDeduplication',
      'DisplayName',
      'EffectiveDeliveryPolicy',
      'FifoTopic',
      'Owner',
      'Policy',
      'SignatureVersion',
      'SubscriptionsConfirmed',
      'SubscriptionsDeleted',
      'SubscriptionsPending',
      'TopicArn',
    ]);
    const withDedup = await create(`${uniq('fifo')}.fifo`, { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    expect((await attributes(withDedup)).ContentBasedDeduplication).toBe('true');
  });

  it('refuses names AWS refuses: "Invalid parameter: Topic Name"', async () => {
    expect(await create('a'.repeat(256))).toBe(topicArn('a'.repeat(256)));
    const bad = ['', 'a'.repeat(257), 'test.fifo', 'bad:name', 'bad;name', 'bad!name', 'bad@name', 'bad|name', 'bad^name', 'bad%name', 'bad name'];
    for (const Name of bad) {
      expect(await failure(env.sns.send(new CreateTopicCommand({ Name })))).toMatchObject({ code: 'InvalidParameter', status: 400, message: 'Invalid parameter: Topic Name' });
    }
    const noSuffix = await failure(env.sns.send(new CreateTopicCommand({ Name: 'test', Attributes: { FifoTopic: 'true' } })));
    expect(noSuffix).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: Topic Name' });
    const fifo250 = `${'b'.repeat(251)}.fifo`;
    expect(await create(fifo250, { FifoTopic: 'true' })).toBe(topicArn(fifo250));
    const missing = await failure(env.sns.send(new CreateTopicCommand({ Name: undefined as unknown as string })));
    expect(missing).toMatchObject({ code: 'ValidationError', message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null" });
  });

  it('is idempotent with the same attributes and refuses different ones [rec]', async () => {
    const name = uniq('idem');
    const arn = await create(name, { DisplayName: 'Value1' });
    expect(await create(name)).toBe(arn);
    expect(await create(name, { DisplayName: 'Value1' })).toBe(arn);
    expect(await create(name, { FifoTopic: 'false' })).toBe(arn);
    const different = 'Invalid parameter: Attributes Reason: Topic already exists with different attributes';
    expect(await failure(create(name, { DisplayName: 'Value2' }))).toMatchObject({ code: 'InvalidParameter', message: different });
    expect(await failure(create(name, { FifoTopic: 'true' }))).toMatchObject({ message: 'Invalid parameter: Topic Name' });
    expect(await failure(create(name, { SignatureVersion: '2' }))).toMatchObject({ message: different });
    expect(await failure(create(name, { SignatureVersion: '2', DisplayName: 'Value1' }))).toMatchObject({ message: different });
    expect((await attributes(arn)).DisplayName).toBe('Value1');
  });

  it('with tags: the same, fewer or no tags answer the topic; another tag is refused [rec]', async () => {
    const name = uniq('tags');
    const tags = [
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ];
    const arn = await create(name, undefined, tags);
    expect(await create(name, undefined, tags)).toBe(arn);
    expect(await create(name, undefined, [tags[0]])).toBe(arn);
    expect(await create(name, undefined, [])).toBe(arn);
    expect(await failure(create(name, undefined, [{ Key: 'key1', Value: 'value1' }]))).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Tags Reason: Topic already exists with different tags',
    });
    // After a delete, the name is free for new tags.
    await env.sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    expect(await create(name, undefined, [{ Key: 'Name', Value: 'abc' }])).toBe(arn);
    expect((await env.sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'Name', Value: 'abc' }]);
  });

  it('checks attribute names and values at creation', async () => {
    expect(await failure(create(uniq(), { Bogus: 'x' }))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: AttributeName' });
    expect(await failure(create(uniq(), { SignatureVersion: '3' }))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: Attributes Reason: SignatureVersion' });
    expect(await failure(create(uniq(), { ContentBasedDeduplication: 'true' }))).toMatchObject({ code: 'InvalidParameter' });
    expect(await failure(create(uniq(), { Policy: 'not json' }))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: Attributes Reason: Policy' });
  });

  it('answers NotFound, a malformed ARN and another region as AWS does [rec]', async () => {
    const arn = await create();
    expect(await failure(env.sns.send(new GetTopicAttributesCommand({ TopicArn: `${arn}-nope` })))).toEqual({
      name: 'NotFoundException',
      code: 'NotFound',
      status: 404,
      message: 'Topic does not exist',
    });
    expect(await failure(env.sns.send(new GetTopicAttributesCommand({ TopicArn: 'test-topic' })))).toMatchObject({
      code: 'InvalidParameter',
      status: 400,
      message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1',
    });
    const west = env.snsIn('us-west-2');
    for (const p of [
      west.send(new GetTopicAttributesCommand({ TopicArn: arn })),
      west.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'x' })),
      west.send(new DeleteTopicCommand({ TopicArn: arn })),
    ]) {
      expect(await failure(p)).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: TopicArn' });
    }
  });
});

describe('DeleteTopic and ListTopics', () => {
  it('DeleteTopic is idempotent and succeeds for a topic that never existed [rec]', async () => {
    const arn = await create();
    await env.sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    expect((await failure(attributes(arn))).code).toBe('NotFound');
    await env.sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    await env.sns.send(new DeleteTopicCommand({ TopicArn: topicArn(uniq('never')) }));
    expect(await failure(env.sns.send(new DeleteTopicCommand({ TopicArn: 'a:b' })))).toMatchObject({
      message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 2',
    });
  });

  it('pages by 100 with a NextToken, per region', async () => {
    const region = 'eu-west-3';
    const client = env.snsIn(region);
    const arns: string[] = [];
    for (let i = 0; i < 120; i++) arns.push((await client.send(new CreateTopicCommand({ Name: `paging-${i}` }))).TopicArn!);
    const first = await client.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await client.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.Topics).toHaveLength(20);
    expect(second.NextToken).toBeUndefined();
    const listed = [...first.Topics!, ...second.Topics!].map((t) => t.TopicArn);
    expect(new Set(listed)).toEqual(new Set(arns));
    expect((await env.sns.send(new ListTopicsCommand({}))).Topics!.some((t) => t.TopicArn!.includes(region))).toBe(false);
    expect(await failure(client.send(new ListTopicsCommand({ NextToken: 'garbage!' })))).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: NextToken' });
  });
});

describe('SetTopicAttributes', () => {
  it('sets DisplayName and refuses FifoTopic and unknown names [rec]', async () => {
    const arn = await create(uniq(), { FifoTopic: 'false' });
    await env.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'AlreadySet' }));
    expect((await attributes(arn)).DisplayName).toBe('AlreadySet');
    for (const AttributeName of ['FifoTopic', 'Foo']) {
      expect(await failure(env.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName, AttributeValue: 'false' })))).toMatchObject({
        code: 'InvalidParameter',
        message: 'Invalid parameter: AttributeName',
      });
    }
    expect(await failure(env.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'true' })))).toMatchObject({
      code: 'InvalidParameter',
    });
    expect(await failure(env.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'TracingConfig', AttributeValue: 'Sometimes' })))).toMatchObject({
      message: 'Invalid parameter: TracingConfig',
    });
    expect(await failure(env.sns.send(new SetTopicAttributesCommand({ TopicArn: `${arn}x`, AttributeName: 'DisplayName', AttributeValue: 'x' })))).toMatchObject({ code: 'NotFound' });
    await env.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'TracingConfig', AttributeValue: 'Active' }));
    await env.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'LambdaSuccessFeedbackSampleRate', AttributeValue: '100' }));
    expect(await attributes(arn)).toMatchObject({ TracingConfig: 'Active', LambdaSuccessFeedbackSampleRate: '100' });
  });

  it('stores a DeliveryPolicy as AWS does and derives the EffectiveDeliveryPolicy [rec]', async () => {
    const arn = await create(`${uniq()}.fifo`, {
      FifoTopic: 'true',
      DeliveryPolicy: JSON.stringify({ http: { defaultRequestPolicy: { headerContentType: 'application/json' } } }),
    });
    let a = await attributes(arn);
    expect(JSON.parse(a.DeliveryPolicy)).toEqual({ http: { disableSubscriptionOverrides: false, defaultRequestPolicy: { headerContentType: 'application/json' } } });
    expect(JSON.parse(a.EffectiveDeliveryPolicy).http.defaultRequestPolicy).toEqual({ headerContentType: 'application/json' });

    const set = (AttributeValue: string) => env.sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue }));
    await set(JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1 } } }));
    a = await attributes(arn);
    expect(a.DeliveryPolicy).toBe('{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":6,"numRetries":1},"disableSubscriptionOverrides":false}}');
    expect(JSON.parse(a.EffectiveDeliveryPolicy)).toEqual({
      http: {
        defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 6, numRetries: 1, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
        disableSubscriptionOverrides: false,
        defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
      },
    });
    await set(JSON.stringify({ http: { defaultHealthyRetryPolicy: null } }));
    a = await attributes(arn);
    expect(JSON.parse(a.DeliveryPolicy)).toEqual({ http: { disableSubscriptionOverrides: false } });
    expect(JSON.parse(a.EffectiveDeliveryPolicy)).toEqual(DEFAULT_EFFECTIVE);
    await set('');
    a = await attributes(arn);
    expect(a.DeliveryPolicy).toBeUndefined();

    const refused = async (policy: unknown, message: string | RegExp) => {
      const f = await failure(set(typeof policy === 'string' ? policy : JSON.stringify(policy)));
      expect(f.code).toBe('InvalidParameter');
      if (typeof message === 'string') expect(f.message).toBe(message);
      else expect(f.message).toMatch(message);
    };
    await refused({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 2, numRetries: 101 } } }, 'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100'); // [obs]
    await refused({ http: { defaultHealthyRetryPolicy: { numRetries: 3 } } }, 'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.minDelayTarget must be specified');
    await refused({ http: { throttlePolicy: {} } }, 'Invalid parameter: DeliveryPolicy: Unexpected JSON member: throttlePolicy'); // [obs]
    await refused({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 30, maxDelayTarget: 20, numRetries: 3 } } }, /minDelayTarget must be less than or equal to maxDelayTarget/);
    await refused({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 20, numRetries: 3, backoffFunction: 'cubic' } } }, /backoffFunction must be one of/);
    await refused('{nope', /^Invalid parameter: DeliveryPolicy: failed to parse JSON\./);
  });
});

describe('tags', () => {
  it('tags, lists, updates and untags; refuses duplicate keys [rec]', async () => {
    const arn = await create();
    expect(
      await failure(
        env.sns.send(
          new TagResourceCommand({
            ResourceArn: arn,
            Tags: [
              { Key: 'k1', Value: 'v1' },
              { Key: 'k2', Value: 'v2' },
              { Key: 'k2', Value: 'v2' },
            ],
          }),
        ),
      ),
    ).toMatchObject({ code: 'InvalidParameter', status: 400, message: 'Invalid parameter: Duplicated keys are not allowed.' });
    const list = async () => (await env.sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;
    expect(await list()).toEqual([]);
    await env.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] }));
    expect(await list()).toEqual([{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }]);
    await env.sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['k1'] }));
    expect(await list()).toEqual([{ Key: 'k2', Value: 'v2' }]);
    await env.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k2', Value: 'v2b' }] }));
    expect(await list()).toEqual([{ Key: 'k2', Value: 'v2b' }]);
  });

  it('refuses a missing topic, over-long keys and more than 50 tags', async () => {
    const arn = await create();
    expect(await failure(env.sns.send(new ListTagsForResourceCommand({ ResourceArn: `${arn}x` })))).toMatchObject({ code: 'ResourceNotFound', status: 404 });
    const long = await failure(env.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] })));
    expect(long).toMatchObject({
      code: 'ValidationError',
      message: `1 validation error detected: Value '${'k'.repeat(129)}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`,
    });
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `t${i}`, Value: 'v' }));
    expect(await failure(env.sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: many })))).toMatchObject({
      code: 'TagLimitExceeded',
      message: 'Could not complete request: tag quota of per resource exceeded',
    });
    expect(await failure(env.sns.send(new ListTagsForResourceCommand({ ResourceArn: 'nope' })))).toMatchObject({ code: 'InvalidParameter' });
  });
});

describe('AddPermission and RemovePermission', () => {
  const policyOf = async (arn: string) => JSON.parse((await attributes(arn)).Policy) as { Statement: Record<string, unknown>[] };

  it('adds statements to the Policy (one action as a string, several as a list) and removes them [rec]', async () => {
    const arn = await create();
    await env.sns.send(new AddPermissionCommand({ TopicArn: arn, Label: 'test', AWSAccountId: [ACCOUNT], ActionName: ['Publish'] }));
    await env.sns.send(new AddPermissionCommand({ TopicArn: arn, Label: 'two', AWSAccountId: [ACCOUNT, '111122223333'], ActionName: ['Publish', 'Subscribe'] }));
    const p = await policyOf(arn);
    expect(p.Statement[1]).toEqual({ Sid: 'test', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'SNS:Publish', Resource: arn });
    expect(p.Statement[2]).toEqual({
      Sid: 'two',
      Effect: 'Allow',
      Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, 'arn:aws:iam::111122223333:root'] },
      Action: ['SNS:Publish', 'SNS:Subscribe'],
      Resource: arn,
    });
    await env.sns.send(new RemovePermissionCommand({ TopicArn: arn, Label: 'test' }));
    await env.sns.send(new RemovePermissionCommand({ TopicArn: arn, Label: 'two' }));
    expect(await policyOf(arn)).toEqual(defaultPolicy(arn));
  });

  it('refuses a duplicate label, an unknown action and a missing topic [rec]', async () => {
    const arn = await create();
    await env.sns.send(new AddPermissionCommand({ TopicArn: arn, Label: 'test', AWSAccountId: [ACCOUNT], ActionName: ['Publish'] }));
    expect(await failure(env.sns.send(new AddPermissionCommand({ TopicArn: arn, Label: 'test', AWSAccountId: [ACCOUNT], ActionName: ['AddPermission'] })))).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Statement already exists',
    });
    expect(await failure(env.sns.send(new AddPermissionCommand({ TopicArn: arn, Label: 't2', AWSAccountId: [ACCOUNT], ActionName: ['InvalidAction'] })))).toMatchObject({
      code: 'InvalidParameter',
      message: 'Invalid parameter: Policy statement action out of service scope!',
    });
    expect(await failure(env.sns.send(new AddPermissionCommand({ TopicArn: `${arn}-x`, Label: 't2', AWSAccountId: [ACCOUNT], ActionName: ['Publish'] })))).toMatchObject({
      code: 'NotFound',
      status: 404,
    });
    expect(await failure(env.sns.send(new RemovePermissionCommand({ TopicArn: `${arn}-x`, Label: 'test' })))).toMatchObject({ code: 'NotFound', message: 'Topic does not exist' });
  });
});

describe('the query protocol as sent', () => {
  it('answers in the SNS namespace, with a Result element and ResponseMetadata', async () => {
    const name = uniq('raw');
    const r = await rawQuery(env, { Action: 'CreateTopic', Version: '2010-03-31', Name: name });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(
      new RegExp(`^<CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><CreateTopicResult><TopicArn>${topicArn(name)}</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>[0-9a-f-]+</RequestId></ResponseMetadata></CreateTopicResponse>$`),
    );
    const del = await rawQuery(env, { Action: 'DeleteTopic', Version: '2010-03-31', TopicArn: topicArn(name) });
    expect(del.text).toMatch(/^<DeleteTopicResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/"><ResponseMetadata><RequestId>/);
  });

  it('errors are <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/>', async () => {
    const r = await rawQuery(env, { Action: 'GetTopicAttributes', Version: '2010-03-31', TopicArn: topicArn(uniq('none')) });
    expect(r.status).toBe(404);
    expect(r.text).toMatch(
      /^<ErrorResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>NotFound<\/Code><Message>Topic does not exist<\/Message><\/Error><RequestId>[0-9a-f-]+<\/RequestId><\/ErrorResponse>$/,
    );
    const unknown = await rawQuery(env, { Action: 'MakeCoffee', Version: '2010-03-31' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    expect(REGION).toBe('us-east-1');
  });
});
