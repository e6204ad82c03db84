/**
 * SQS queue tags and permissions (TagQueue, UntagQueue, ListQueueTags, AddPermission,
 * RemovePermission) through the wire, as sqs-queues.test.ts does the other queue operations.
 */
import {
  AddPermissionCommand,
  ListQueueTagsCommand,
  RemovePermissionCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { arnOf, attrs, create, failure, sqs, uniq, useSqsCloud } from './sqs-queues-helpers';

useSqsCloud();

describe('tags', () => {
  it('tags, lists and untags (AWS-recorded)', async () => {
    const url = await create();
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { tag1: 'value1', tag2: 'value2', tag3: '' } }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ tag1: 'value1', tag2: 'value2', tag3: '' });
    await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['tag1', 'tag3', 'missing'] }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ tag2: 'value2' });
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { tag2: 'V2', Tag2: 'other case' } }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ tag2: 'V2', Tag2: 'other case' });
    await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['tag2', 'Tag2'] }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toBeUndefined();
  });

  it('takes tags at creation', async () => {
    const url = await create(uniq(), undefined, { team: 'a', env: 'test' });
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'a', env: 'test' });
  });

  it('checks tag limits', async () => {
    const name = uniq();
    const url = await create(name);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: many }));
    expect(await failure(sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { one: 'more' } })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: `Too many tags added for queue ${name}.`,
    });
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { k0: 'replaced' } })); // overwriting does not add
    expect((await failure(sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { ['k'.repeat(129)]: 'v' } })))).message).toBe(
      'Tag keys must be between 1 and 128 characters in length.',
    );
    expect(await failure(sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: {} })))).toEqual({
      name: 'MissingParameter',
      code: 'MissingParameter',
      status: 400,
      message: 'The request must contain the parameter Tags.',
    });
    expect((await failure(sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: [] })))).message).toBe(
      'Tag keys must be between 1 and 128 characters in length.',
    );
  });
});

// ------------------------------------------------------------------ permissions

describe('AddPermission / RemovePermission', () => {
  it('builds the Policy attribute as AWS does through a permission lifecycle (AWS-recorded)', async () => {
    const url = await create();
    const arn = await arnOf(url);
    const policyOf = async () => {
      const a = await attrs(url, ['Policy']);
      return a && JSON.parse(a.Policy);
    };
    await sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['000000000000', '668614515564'], Actions: ['ReceiveMessage'], Label: 'crossaccountpermission' }));
    expect(await policyOf()).toEqual({
      Version: '2008-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [
        {
          Sid: 'crossaccountpermission',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::000000000000:root', 'arn:aws:iam::668614515564:root'] },
          Action: 'SQS:ReceiveMessage',
          Resource: arn,
        },
      ],
    });
    await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission' }));
    expect(await policyOf()).toBeUndefined();

    await sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['000000000000'], Actions: ['ReceiveMessage'], Label: 'crossaccountpermission' }));
    expect((await policyOf()).Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::000000000000:root' });
    expect(
      await failure(sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['668614515564'], Actions: ['ReceiveMessage'], Label: 'crossaccountpermission' }))),
    ).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: 'Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.',
    });
    await sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['000000000000'], Actions: ['ReceiveMessage'], Label: 'crossaccountpermission2' }));
    expect((await policyOf()).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['crossaccountpermission', 'crossaccountpermission2']);
    await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission' }));
    expect((await policyOf()).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['crossaccountpermission2']);
    await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission2' }));
    expect(await policyOf()).toBeUndefined();
    expect(await failure(sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccountpermission2' })))).toEqual({
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      status: 400,
      message: "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
    });
  });

  it('checks actions', async () => {
    const url = await create();
    const add = (Actions: string[]) => failure(sqs.send(new AddPermissionCommand({ QueueUrl: url, AWSAccountIds: ['000000000000'], Actions, Label: 'l' })));
    expect(await add(Array(8).fill('SendMessage'))).toEqual({
      name: 'OverLimit',
      code: 'OverLimit',
      status: 403,
      message: '8 Actions were found, maximum allowed is 7.',
    });
    expect((await add(['CreateQueue'])).message).toBe('Value SQS:CreateQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.');
    expect(await attrs(url, ['Policy'])).toBeUndefined();
  });
});
