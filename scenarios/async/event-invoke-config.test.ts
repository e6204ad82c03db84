/**
 * Event invoke config: the retry policy and destinations of asynchronous invocation, per function,
 * version or alias. Put replaces, Update merges; AWS's errors for what it refuses.
 */
import {
  CreateAliasCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { getTestbed, rejection } from '../_support/testbed';
import { putConfig, queueTracker } from './_helpers';

const tb = getTestbed();
const lambda = () => tb.clients.lambda;
const stack = () => tb.deploy({ name: 'async-config', functions: { subject: { code: 'control' }, other: { code: 'control' } } });
const queues = queueTracker();

describe('event invoke config', () => {
  it('Put answers the qualified function ARN, the settings given, and empty destinations', async () => {
    const { functions } = await stack();
    const out = await putConfig({ FunctionName: functions.subject.name, MaximumRetryAttempts: 0 });
    expect(out.FunctionArn).toBe(`${functions.subject.arn}:$LATEST`);
    expect(out.MaximumRetryAttempts).toBe(0);
    expect(out.MaximumEventAgeInSeconds).toBeUndefined();
    expect(out.DestinationConfig).toEqual({ OnSuccess: {}, OnFailure: {} });
    expect(out.LastModified).toBeInstanceOf(Date);
  });

  it('Put replaces the whole config: a setting left out is gone, not kept', async () => {
    const { functions } = await stack();
    await putConfig({ FunctionName: functions.subject.name, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 });
    await putConfig({ FunctionName: functions.subject.name, MaximumRetryAttempts: 0 });
    const got = await lambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: functions.subject.name }));
    expect(got.MaximumRetryAttempts).toBe(0);
    expect(got.MaximumEventAgeInSeconds).toBeUndefined();
  });

  it('Update merges into the existing config', async () => {
    const { functions } = await stack();
    await putConfig({ FunctionName: functions.subject.name, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 });
    const q = await queues.create('async-config-dest');
    const out = await lambda().send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: functions.subject.name, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: q.arn } } }),
    );
    expect(out.MaximumRetryAttempts).toBe(0);
    expect(out.MaximumEventAgeInSeconds).toBe(60);
    expect(out.DestinationConfig).toEqual({ OnSuccess: {}, OnFailure: { Destination: q.arn } });
  });

  it('keeps one config per qualifier, lists them, and deletes each on its own', async () => {
    const { functions } = await stack();
    const name = functions.other.name;
    const version = (await lambda().send(new PublishVersionCommand({ FunctionName: name }))).Version!;
    await lambda()
      .send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: version }))
      .catch((e) => {
        if (e.name !== 'ResourceConflictException') throw e; // created by an earlier run of this worker's stack
      });
    await putConfig({ FunctionName: name, MaximumRetryAttempts: 1 });
    await putConfig({ FunctionName: name, Qualifier: version, MaximumEventAgeInSeconds: 120 });
    const aliasOut = await putConfig({ FunctionName: `${name}:live`, MaximumRetryAttempts: 0 });
    expect(aliasOut.FunctionArn).toBe(`${functions.other.arn}:live`);
    const list = await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }));
    expect(list.FunctionEventInvokeConfigs!.map((c) => c.FunctionArn).sort()).toEqual(
      [`${functions.other.arn}:$LATEST`, `${functions.other.arn}:${version}`, `${functions.other.arn}:live`].sort(),
    );
    await lambda().send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: 'live' }));
    const after = await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }));
    expect(after.FunctionEventInvokeConfigs!.map((c) => c.FunctionArn)).not.toContain(`${functions.other.arn}:live`);
    const gone = await rejection(lambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: 'live' })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.message).toBe(`The function ${functions.other.arn}:live doesn't have an EventInvokeConfig`);
    await lambda().send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: version }));
    await lambda().send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name }));
  });
});

describe('event invoke config refuses what AWS refuses', () => {
  it('MaximumRetryAttempts above 2 and MaximumEventAgeInSeconds below 60', async () => {
    const { functions } = await stack();
    const high = await rejection(putConfig({ FunctionName: functions.subject.name, MaximumRetryAttempts: 5 }));
    expect(high.name).toBe('ValidationException');
    expect(high.message).toBe(
      "1 validation error detected: Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
    );
    const low = await rejection(putConfig({ FunctionName: functions.subject.name, MaximumEventAgeInSeconds: 59 }));
    expect(low.name).toBe('ValidationException');
    expect(low.message).toMatch(/Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60/);
  });

  it('a config without any setting', async () => {
    const { functions } = await stack();
    const e = await rejection(putConfig({ FunctionName: functions.subject.name }));
    expect(e.name).toBe('InvalidParameterValueException');
    expect(e.message).toBe('You must specify at least one of error handling or destination setting.');
  });

  it('a destination function that does not exist, or the function itself', async () => {
    const { functions } = await stack();
    const missing = functions.subject.arn.replace(/function:.*/, 'function:does-not-exist');
    const e1 = await rejection(putConfig({ FunctionName: functions.subject.name, DestinationConfig: { OnSuccess: { Destination: missing } } }));
    expect(e1.name).toBe('InvalidParameterValueException');
    expect(e1.message).toBe(`The destination ARN ${missing} is invalid.`);
    const e2 = await rejection(putConfig({ FunctionName: functions.subject.name, DestinationConfig: { OnSuccess: { Destination: functions.subject.arn } } }));
    expect(e2.message).toBe("You can't specify the function as a destination for itself.");
  });

  it('a destination of a service that cannot be one', async () => {
    const { functions } = await stack();
    const iamArn = functions.subject.arn.replace(':lambda:', ':iam:');
    const e = await rejection(putConfig({ FunctionName: functions.subject.name, DestinationConfig: { OnSuccess: { Destination: iamArn } } }));
    expect(e.name).toBe('InvalidParameterValueException');
    expect(e.message).toBe(`The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=${iamArn}), onFailure=null) is invalid.`);
  });

  it('a destination in another region', async () => {
    const { functions } = await stack();
    const region = tb.target.region === 'eu-west-1' ? 'us-east-1' : 'eu-west-1';
    const account = functions.subject.arn.split(':')[4];
    const elsewhere = `arn:aws:sqs:${region}:${account}:somewhere`;
    const e = await rejection(putConfig({ FunctionName: functions.subject.name, DestinationConfig: { OnFailure: { Destination: elsewhere } } }));
    expect(e.name).toBe('InvalidParameterValueException');
  });

  it('Get, Update and Delete where there is no config; Put on a function that does not exist', async () => {
    const { functions } = await stack();
    const name = functions.subject.name;
    await lambda().send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name })).catch(() => undefined);
    const get = await rejection(lambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name })));
    expect(get.name).toBe('ResourceNotFoundException');
    expect(get.message).toBe(`The function ${functions.subject.arn}:$LATEST doesn't have an EventInvokeConfig`);
    const upd = await rejection(lambda().send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 1 })));
    expect(upd.message).toBe(`The function ${functions.subject.arn}:$LATEST doesn't have an EventInvokeConfig`);
    const put = await rejection(putConfig({ FunctionName: `${name}-missing`, MaximumRetryAttempts: 1 }));
    expect(put.name).toBe('ResourceNotFoundException');
    expect(put.message).toBe("The function doesn't exist.");
    expect(put.$metadata.httpStatusCode).toBe(404);
  });

  it('a qualifier that differs from the one in the function name', async () => {
    const { functions } = await stack();
    const e = await rejection(putConfig({ FunctionName: `${functions.subject.name}:$LATEST`, Qualifier: '1', MaximumRetryAttempts: 1 }));
    expect(e.name).toBe('InvalidParameterValueException');
    expect(e.message).toBe('The derived qualifier from the function name does not match the specified qualifier.');
  });
});
