import { AwsError } from '../../src/cloud/errors';
import { type FunctionVersion, type LambdaFunction, toConfiguration } from '../../src/cloud/lambda/model';
import { fail, javaDoubleMap, javaList } from '../../src/cloud/lambda/validate';

function fixture(environment: Record<string, string> | undefined): { fn: LambdaFunction; latest: FunctionVersion; v1: FunctionVersion } {
  const config = {
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::000000000000:role/r',
    description: '',
    timeout: 3,
    memorySize: 128,
    environment,
    codeSha256: 'sha',
    codeSize: 1,
    codeDir: '/tmp/x',
    zipPath: '/tmp/x.zip',
    tracingMode: 'PassThrough' as const,
    architectures: ['x86_64'],
    ephemeralStorage: 512,
    logGroup: '/aws/lambda/f',
  };
  const latest: FunctionVersion = { version: '$LATEST', config, lastModified: 0, revisionId: 'r0', state: 'Active', lastUpdateStatus: 'Successful', envKey: 'k0' };
  const v1: FunctionVersion = { ...latest, version: '1', revisionId: 'r1', envKey: 'k1' };
  const fn: LambdaFunction = {
    name: 'f',
    region: 'us-east-1',
    accountId: '000000000000',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    latest,
    versions: new Map([['1', v1]]),
    nextVersion: 2,
    aliases: new Map(),
    policies: new Map(),
    tags: {},
    codeRoot: '/tmp',
  };
  return { fn, latest, v1 };
}

describe('toConfiguration', () => {
  it('shows Environment only once variables were configured', () => {
    const unset = fixture(undefined);
    expect(toConfiguration(unset.fn, unset.latest)).not.toHaveProperty('Environment');
    const empty = fixture({});
    expect(toConfiguration(empty.fn, empty.latest).Environment).toEqual({ Variables: {} });
  });

  it('echoes the qualifier the caller named in FunctionArn', () => {
    const { fn, latest, v1 } = fixture({});
    expect(toConfiguration(fn, latest).FunctionArn).toBe(fn.arn);
    expect(toConfiguration(fn, latest, { qualifier: '$LATEST' }).FunctionArn).toBe(`${fn.arn}:$LATEST`);
    expect(toConfiguration(fn, v1).FunctionArn).toBe(`${fn.arn}:1`);
    expect(toConfiguration(fn, v1, { qualifier: 'live' })).toEqual(expect.objectContaining({ FunctionArn: `${fn.arn}:live`, Version: '1' }));
  });

  it('leaves state and runtime version out of list entries', () => {
    const { fn, latest } = fixture({});
    const full = toConfiguration(fn, latest);
    expect(full).toEqual(expect.objectContaining({ State: 'Active', LastUpdateStatus: 'Successful' }));
    expect(full).toHaveProperty('RuntimeVersionConfig');
    const listed = toConfiguration(fn, latest, { list: true });
    for (const key of ['State', 'StateReason', 'StateReasonCode', 'LastUpdateStatus', 'RuntimeVersionConfig']) expect(listed).not.toHaveProperty(key);
    expect(listed).toEqual(expect.objectContaining({ FunctionName: 'f', Version: '$LATEST', RevisionId: 'r0', SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' } }));
  });
});

describe('validation wording', () => {
  it('prints a missing value bare and a present one quoted', () => {
    expect(() => fail('tagKeys', null, 'Member must not be null')).toThrow(
      new AwsError('ValidationException', "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"),
    );
    expect(() => fail('timeout', 0, 'Member must have value greater than or equal to 1')).toThrow(
      "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('prints lists and maps the way the Java validator does', () => {
    expect(javaList(['x86_64', 'arm64'])).toBe('[x86_64, arm64]');
    expect(javaDoubleMap({ 2: 2 })).toBe('{2=2.0}');
    expect(javaDoubleMap({ 2: -1 })).toBe('{2=-1.0}');
    expect(javaDoubleMap({ $LATEST: 0.5 })).toBe('{$LATEST=0.5}');
  });
});
