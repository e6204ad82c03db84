import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { IamStore, iamService } from '../../src/cloud/services/iam';
import { stsService } from '../../src/cloud/services/sts';
import { clientConfig, rawPost, startServer, TestServer, expectError } from './helpers';

let server: TestServer;
let iam: IAMClient;
let sts: STSClient;

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

beforeAll(async () => {
  const store = new IamStore();
  server = await startServer({ query: [iamService(store), stsService(store)] });
  iam = new IAMClient(clientConfig(server));
  sts = new STSClient(clientConfig(server));
});

afterAll(async () => {
  iam.destroy();
  sts.destroy();
  await server.close();
});

describe('IAM roles', () => {
  test('create, get, list (path prefix, paging), delete', async () => {
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'fn-role', AssumeRolePolicyDocument: trust, Description: 'for <tests> & "more"', Tags: [{ Key: 'team', Value: 'a b+c' }] }),
    );
    const role = created.Role!;
    expect(role.RoleName).toBe('fn-role');
    expect(role.Path).toBe('/');
    expect(role.Arn).toBe('arn:aws:iam::000000000000:role/fn-role');
    expect(role.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(role.CreateDate).toBeInstanceOf(Date);
    expect(Math.abs(role.CreateDate!.getTime() - server.clock.now())).toBeLessThan(5000);
    expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toBe(trust);
    expect(role.Tags).toEqual([{ Key: 'team', Value: 'a b+c' }]);

    const got = (await iam.send(new GetRoleCommand({ RoleName: 'FN-ROLE' }))).Role!;
    expect(got.RoleId).toBe(role.RoleId);
    expect(got.MaxSessionDuration).toBe(3600);
    expect(got.Description).toBe('for <tests> & "more"');
    expect(got.AssumeRolePolicyDocument).toBe(encodeURIComponent(trust));

    await iam.send(new CreateRoleCommand({ RoleName: 'svc-a', Path: '/service/', AssumeRolePolicyDocument: trust }));
    await iam.send(new CreateRoleCommand({ RoleName: 'svc-b', Path: '/service/', AssumeRolePolicyDocument: trust }));
    const svc = await iam.send(new ListRolesCommand({ PathPrefix: '/service/' }));
    expect(svc.Roles!.map((r) => r.Arn)).toEqual(['arn:aws:iam::000000000000:role/service/svc-a', 'arn:aws:iam::000000000000:role/service/svc-b']);
    expect(svc.IsTruncated).toBe(false);
    const p1 = await iam.send(new ListRolesCommand({ MaxItems: 2 }));
    expect(p1.Roles).toHaveLength(2);
    expect(p1.IsTruncated).toBe(true);
    const p2 = await iam.send(new ListRolesCommand({ MaxItems: 2, Marker: p1.Marker }));
    expect(p2.Roles!.map((r) => r.RoleName)).toEqual(['svc-b']);
    expect(p2.IsTruncated).toBe(false);
    const none = await iam.send(new ListRolesCommand({ PathPrefix: '/nothing/' }));
    expect(none.Roles).toEqual([]);

    await iam.send(new DeleteRoleCommand({ RoleName: 'svc-b' }));
    await expectError(iam.send(new GetRoleCommand({ RoleName: 'svc-b' })), 'NoSuchEntityException', 'The role with name svc-b cannot be found.', 404);
  });

  test('duplicates, bad names, bad documents', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: trust }));
    await expectError(
      iam.send(new CreateRoleCommand({ RoleName: 'DUP', AssumeRolePolicyDocument: trust })),
      'EntityAlreadyExistsException',
      'Role with name DUP already exists.',
      409,
    );
    await expectError(
      iam.send(new CreateRoleCommand({ RoleName: 'bad name', AssumeRolePolicyDocument: trust })),
      'ValidationError',
      "1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
    await expectError(iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: '{not json' })), 'MalformedPolicyDocumentException', 'This policy contains invalid Json');
    await expectError(iam.send(new CreateRoleCommand({ RoleName: 'x', Path: 'nopath', AssumeRolePolicyDocument: trust })), 'ValidationError', /at 'path'/);
    await expectError(iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: trust, MaxSessionDuration: 60 })), 'ValidationError', /maxSessionDuration/);
    await expectError(
      iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'k', Value: 'a&b' }] })),
      'ValidationError',
      /Value 'a&b' at 'tags.1.member.value' failed to satisfy constraint/,
    );
    await expectError(iam.send(new ListRolesCommand({ MaxItems: 0 })), 'ValidationError', /greater than or equal to 1/);
    await expectError(iam.send(new DeleteRoleCommand({ RoleName: 'ghost' })), 'NoSuchEntityException', 'The role with name ghost cannot be found.', 404);
  });

  test('managed and inline policies, delete conflicts', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'pol', AssumeRolePolicyDocument: trust }));
    const basic = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'pol', PolicyArn: basic }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'pol' }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: basic }]);
    await expectError(iam.send(new AttachRolePolicyCommand({ RoleName: 'pol', PolicyArn: 'not-an-arn-at-all-really' })), 'InvalidInputException', 'ARN not-an-arn-at-all-really is not valid.');
    await expectError(iam.send(new DeleteRoleCommand({ RoleName: 'pol' })), 'DeleteConflictException', 'Cannot delete entity, must detach all policies first.', 409);

    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'pol', PolicyName: 'inline1', PolicyDocument: doc }));
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'pol', PolicyName: 'inline1' }));
    expect(decodeURIComponent(inline.PolicyDocument!)).toBe(doc);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'pol' }))).PolicyNames).toEqual(['inline1']);
    await expectError(
      iam.send(new GetRolePolicyCommand({ RoleName: 'pol', PolicyName: 'nope' })),
      'NoSuchEntityException',
      'The role policy with name nope cannot be found.',
      404,
    );
    await expectError(iam.send(new PutRolePolicyCommand({ RoleName: 'pol', PolicyName: 'p2', PolicyDocument: 'nope' })), 'MalformedPolicyDocumentException');

    await iam.send(new DetachRolePolicyCommand({ RoleName: 'pol', PolicyArn: basic }));
    await expectError(iam.send(new DetachRolePolicyCommand({ RoleName: 'pol', PolicyArn: basic })), 'NoSuchEntityException', `Policy ${basic} was not found.`, 404);
    await expectError(iam.send(new DeleteRoleCommand({ RoleName: 'pol' })), 'DeleteConflictException', 'Cannot delete entity, must delete policies first.', 409);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'pol', PolicyName: 'inline1' }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'pol' }))).PolicyNames).toEqual([]);
    await iam.send(new DeleteRoleCommand({ RoleName: 'pol' }));
  });

  test('tags', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: trust }));
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'a', Value: '3' }] }));
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['b'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags).toEqual([{ Key: 'a', Value: '3' }]);
    expect((await iam.send(new GetRoleCommand({ RoleName: 'tagged' }))).Role!.Tags).toEqual([{ Key: 'a', Value: '3' }]);
    await expectError(iam.send(new TagRoleCommand({ RoleName: 'ghost', Tags: [{ Key: 'a', Value: '1' }] })), 'NoSuchEntityException', undefined, 404);
  });
});

describe('STS', () => {
  test('GetCallerIdentity answers with the account and the caller key', async () => {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ UserId: 'AKIAIOSFODNN7EXAMPLE', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  });

  test('AssumeRole issues temporary credentials that identify as the assumed role', async () => {
    const role = (await iam.send(new CreateRoleCommand({ RoleName: 'assumable', AssumeRolePolicyDocument: trust }))).Role!;
    const before = server.clock.now();
    const r = await sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'my-session', DurationSeconds: 900 }));
    expect(r.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(r.Credentials!.SecretAccessKey).toHaveLength(40);
    expect(r.Credentials!.SessionToken!.length).toBeGreaterThan(100);
    expect(r.Credentials!.Expiration!.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 899_000);
    expect(r.Credentials!.Expiration!.getTime()).toBeLessThanOrEqual(before + 905_000);
    expect(r.AssumedRoleUser).toEqual({ AssumedRoleId: `${role.RoleId}:my-session`, Arn: 'arn:aws:sts::000000000000:assumed-role/assumable/my-session' });

    const asRole = new STSClient({ ...clientConfig(server), credentials: { accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken! } });
    const id = await asRole.send(new GetCallerIdentityCommand({}));
    asRole.destroy();
    expect(id).toMatchObject({ UserId: `${role.RoleId}:my-session`, Account: '000000000000', Arn: 'arn:aws:sts::000000000000:assumed-role/assumable/my-session' });

    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'x' })), 'ValidationError', /roleSessionName.*greater than or equal to 2/);
    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'ok-name', DurationSeconds: 7200 })), 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: role.Arn, RoleSessionName: 'ok-name', DurationSeconds: 60 })), 'ValidationError', /durationSeconds/);
  });

  test('GetSessionToken', async () => {
    const r = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 1800 }));
    expect(r.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(r.Credentials!.Expiration).toBeInstanceOf(Date);
    await expectError(sts.send(new GetSessionTokenCommand({ DurationSeconds: 10 })), 'ValidationError');
  });
});

describe('query protocol on the wire', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-service': 'iam' };

  test('unknown Action, wrong Version and missing Action are InvalidAction', async () => {
    const r = await rawPost(server, form, 'Action=Frobnicate&Version=2010-05-08');
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('text/xml');
    expect(r.text).toContain('<Code>InvalidAction</Code>');
    expect(r.text).toContain('<Message>Could not find operation Frobnicate for version 2010-05-08</Message>');
    expect(r.text).toMatch(/^<ErrorResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type>/);
    const v = await rawPost(server, form, 'Action=ListRoles&Version=1999-01-01');
    expect(v.text).toContain('Could not find operation ListRoles for version 1999-01-01');
    const m = await rawPost(server, form, 'Version=2010-05-08');
    expect(m.status).toBe(400);
    expect(m.text).toContain('<Code>InvalidAction</Code>');
    // and the service still answers
    const ok = await rawPost(server, form, 'Action=ListRoles&Version=2010-05-08');
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/^<ListRolesResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><ListRolesResult>/);
    expect(ok.text).toMatch(/<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/ListRolesResponse>$/);
  });
});
