/**
 * The event source mapping API over the wire (@aws-sdk/client-lambda): shapes, states, lists, tags
 * and every refusal. [rec] = AWS-recorded responses (LocalStack's test_lambda_api and
 * event_source_mapping snapshots); [obs] = texts AWS users report; the rest is marked unconfirmed
 * in the source.
 */
import {
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  ListTagsCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingCommandInput,
} from '@aws-sdk/client-lambda';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { createFunction, createQueue, createStream, errorOf, uniq, useCloud, waitForState } from '../cloud/esm-helpers';

const env = useCloud();
const code = 'exports.handler = async () => ({});';
let fnName: string;
let fnArn: string;
let queueArn: string;
let streamArn: string;

beforeAll(async () => {
  fnName = uniq('esm-fn');
  fnArn = await createFunction(env, fnName, code);
  queueArn = (await createQueue(env, uniq('esm-q'))).arn;
  streamArn = await createStream(env, uniq('esm-stream'));
});

const create = (input: Partial<CreateEventSourceMappingCommandInput>) =>
  env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fnName, ...input } as CreateEventSourceMappingCommandInput));
const remove = (UUID: string) => env.lambda.send(new DeleteEventSourceMappingCommand({ UUID }));

/** A raw REST call, to see status codes and bodies as sent. */
async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; type: string | null }> {
  const res = await fetch(`${env.cloud.endpoint}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {}, type: res.headers.get('x-amzn-errortype') };
}

describe('an SQS mapping', () => {
  it('is created (202, Creating) with the recorded members, then Enabled [rec]', async () => {
    const res = await raw('POST', '/2015-03-31/event-source-mappings', { EventSourceArn: queueArn, FunctionName: fnName });
    expect(res.status).toBe(202);
    const uuid = res.json.UUID as string;
    expect(Object.keys(res.json).sort()).toEqual(
      ['BatchSize', 'EventSourceArn', 'EventSourceMappingArn', 'FunctionArn', 'FunctionResponseTypes', 'LastModified', 'MaximumBatchingWindowInSeconds', 'State', 'StateTransitionReason', 'UUID'].sort(),
    );
    expect(res.json).toMatchObject({
      BatchSize: 10,
      EventSourceArn: queueArn,
      EventSourceMappingArn: `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${uuid}`,
      FunctionArn: fnArn,
      FunctionResponseTypes: [],
      MaximumBatchingWindowInSeconds: 0,
      State: 'Creating',
      StateTransitionReason: 'USER_INITIATED',
    });
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(typeof res.json.LastModified).toBe('number');
    const got = await waitForState(env, uuid, 'Enabled');
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(got.LastProcessingResult).toBeUndefined(); // SQS mappings show none [rec]
    await remove(uuid);
  });

  it('created with Enabled false is Disabled at once [rec]', async () => {
    const out = await create({ EventSourceArn: queueArn, Enabled: false, BatchSize: 1 });
    expect(out.State).toBe('Disabled');
    expect(out.$metadata.httpStatusCode).toBe(202);
    await remove(out.UUID!);
  });

  it('keeps the qualifier the function was named with in FunctionArn [rec]', async () => {
    const name = uniq('esm-names');
    const arn = await createFunction(env, name, code);
    const v1 = await env.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const alias = await env.lambda.send(new CreateAliasCommand({ FunctionName: name, FunctionVersion: v1.Version!, Name: 'myalias' }));
    const cases: [string, string][] = [
      [name, arn],
      [`${name}:$LATEST`, `${arn}:$LATEST`],
      [`${name}:1`, `${arn}:1`],
      [`${name}:myalias`, `${arn}:myalias`],
      [arn, arn],
      [v1.FunctionArn!, `${arn}:1`],
      [alias.AliasArn!, `${arn}:myalias`],
    ];
    for (const [given, shown] of cases) {
      const out = await create({ FunctionName: given, EventSourceArn: queueArn });
      expect(out.FunctionArn).toBe(shown);
      await remove(out.UUID!);
      await expect(waitForState(env, out.UUID!, 'never')).rejects.toThrow(); // gone: 404
    }
  });

  it('shows FilterCriteria and ScalingConfig when set, and leaves out an empty filter list [rec]', async () => {
    const pattern = JSON.stringify({ body: { testItem: ['test24'] } });
    const q = await createQueue(env, uniq('esm-filters'));
    const out = await create({ EventSourceArn: q.arn, MaximumBatchingWindowInSeconds: 1, BatchSize: 20, FilterCriteria: { Filters: [{ Pattern: pattern }] }, ScalingConfig: { MaximumConcurrency: 2 } });
    expect(out.FilterCriteria).toEqual({ Filters: [{ Pattern: pattern }] });
    expect(out.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    expect(out.BatchSize).toBe(20);
    await waitForState(env, out.UUID!, 'Enabled');
    const cleared = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: out.UUID!, FilterCriteria: { Filters: [] }, ScalingConfig: {} }));
    expect(cleared.FilterCriteria).toBeUndefined();
    expect(cleared.ScalingConfig).toBeUndefined();
    await waitForState(env, out.UUID!, 'Enabled');
    await remove(out.UUID!);
  });
});

describe('a Kinesis mapping', () => {
  it('is created with the streams defaults and "User action" [rec]', async () => {
    const out = await create({ EventSourceArn: streamArn, StartingPosition: 'LATEST' });
    expect(out.$metadata.httpStatusCode).toBe(202);
    expect(out).toMatchObject({
      BatchSize: 100,
      BisectBatchOnFunctionError: false,
      DestinationConfig: { OnFailure: {} },
      EventSourceArn: streamArn,
      FunctionArn: fnArn,
      FunctionResponseTypes: [],
      LastProcessingResult: 'No records processed',
      MaximumBatchingWindowInSeconds: 0,
      MaximumRecordAgeInSeconds: -1,
      MaximumRetryAttempts: -1,
      ParallelizationFactor: 1,
      StartingPosition: 'LATEST',
      State: 'Creating',
      StateTransitionReason: 'User action',
      TumblingWindowInSeconds: 0,
    });
    const got = await waitForState(env, out.UUID!, 'Enabled');
    expect(got.StateTransitionReason).toBe('User action');
    await remove(out.UUID!);
  });

  it('takes every stream setting, and an OnFailure destination [rec]', async () => {
    const dest = (await createQueue(env, uniq('esm-onfailure'))).arn;
    const out = await create({
      EventSourceArn: streamArn,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 1,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 60,
      BisectBatchOnFunctionError: true,
      ParallelizationFactor: 10,
      TumblingWindowInSeconds: 900,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: dest } },
    });
    expect(out).toMatchObject({
      BatchSize: 500,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 60,
      BisectBatchOnFunctionError: true,
      ParallelizationFactor: 10,
      TumblingWindowInSeconds: 900,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: dest } },
    });
    await waitForState(env, out.UUID!, 'Enabled');
    const updated = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: out.UUID!, DestinationConfig: { OnFailure: {} }, MaximumRetryAttempts: -1 }));
    expect(updated.DestinationConfig).toEqual({ OnFailure: {} });
    expect(updated.State).toBe('Updating');
    await remove(out.UUID!);
  });

  it('takes AT_TIMESTAMP with a timestamp in the past', async () => {
    const at = new Date(Date.now() - 60_000);
    const out = await create({ EventSourceArn: streamArn, StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: at });
    expect(out.StartingPositionTimestamp).toEqual(at);
    await waitForState(env, out.UUID!, 'Enabled');
    await remove(out.UUID!);
  });
});

describe('states', () => {
  it('Disabling then Disabled, Enabling then Enabled, Updating then Enabled [rec]', async () => {
    const out = await create({ EventSourceArn: queueArn });
    const uuid = out.UUID!;
    await waitForState(env, uuid, 'Enabled');
    const disabling = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    expect(disabling.State).toBe('Disabling');
    expect(disabling.$metadata.httpStatusCode).toBe(202);
    await waitForState(env, uuid, 'Disabled');
    const enabling = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    expect(enabling.State).toBe('Enabling');
    await waitForState(env, uuid, 'Enabled');
    const updating = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 5 }));
    expect(updating).toMatchObject({ State: 'Updating', BatchSize: 5, StateTransitionReason: 'USER_INITIATED' });
    await waitForState(env, uuid, 'Enabled');
    const same = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    expect(same.State).toBe('Enabled'); // nothing to change
    await remove(uuid);
  });

  it('an update of the function moves FunctionArn [rec]', async () => {
    const other = uniq('esm-other');
    const otherArn = await createFunction(env, other, code);
    const out = await create({ EventSourceArn: queueArn });
    await waitForState(env, out.UUID!, 'Enabled');
    const updated = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: out.UUID!, FunctionName: other }));
    expect(updated).toMatchObject({ FunctionArn: otherArn, State: 'Updating' });
    await waitForState(env, out.UUID!, 'Enabled');
    await remove(out.UUID!);
  });

  it('Delete answers 202 Deleting, then the mapping is gone [rec]', async () => {
    const out = await create({ EventSourceArn: queueArn });
    await waitForState(env, out.UUID!, 'Enabled');
    const res = await raw('DELETE', `/2015-03-31/event-source-mappings/${out.UUID}`);
    expect(res.status).toBe(202);
    expect(res.json.State).toBe('Deleting');
    const err = await errorOf(env.lambda.send(new GetEventSourceMappingCommand({ UUID: out.UUID! })));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('stays when its function is deleted [rec]', async () => {
    const name = uniq('esm-deleted-fn');
    await createFunction(env, name, code);
    const out = await create({ FunctionName: name, EventSourceArn: queueArn });
    await waitForState(env, out.UUID!, 'Enabled');
    await env.lambda.send(new DeleteFunctionCommand({ FunctionName: name }));
    const got = await env.lambda.send(new GetEventSourceMappingCommand({ UUID: out.UUID! }));
    expect(got.State).toBe('Enabled');
    await remove(out.UUID!);
  });
});

describe('lists', () => {
  it('filters by EventSourceArn and FunctionName and pages with Marker and MaxItems', async () => {
    const name = uniq('esm-list');
    const arn = await createFunction(env, name, code);
    const queues = await Promise.all([1, 2, 3].map(() => createQueue(env, uniq('esm-list-q'))));
    const uuids: string[] = [];
    for (const q of queues) uuids.push((await create({ FunctionName: name, EventSourceArn: q.arn })).UUID!);
    const aliasQueue = await createQueue(env, uniq('esm-list-alias'));
    uuids.push((await create({ FunctionName: `${name}:$LATEST`, EventSourceArn: aliasQueue.arn })).UUID!);
    const byFn = await env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name }));
    expect(byFn.EventSourceMappings!.map((m) => m.UUID)).toEqual(uuids);
    const byQualified = await env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: `${arn}:$LATEST` }));
    expect(byQualified.EventSourceMappings!.map((m) => m.UUID)).toEqual([uuids[3]]);
    const bySource = await env.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queues[1].arn }));
    expect(bySource.EventSourceMappings!.map((m) => m.UUID)).toEqual([uuids[1]]);
    const page1 = await env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name, MaxItems: 3 }));
    expect(page1.EventSourceMappings).toHaveLength(3);
    expect(page1.NextMarker).toBeDefined();
    const page2 = await env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name, MaxItems: 3, Marker: page1.NextMarker }));
    expect(page2.EventSourceMappings!.map((m) => m.UUID)).toEqual([uuids[3]]);
    expect(page2.NextMarker).toBeUndefined();
    // Unknown filters are not errors [rec].
    const none = await env.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'doesnotexist' }));
    expect(none.EventSourceMappings).toEqual([]);
    const noSource = await env.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: 'arn:aws:sqs:us-east-1:111111111111:somequeue' }));
    expect(noSource.EventSourceMappings).toEqual([]);
    const all = await env.lambda.send(new ListEventSourceMappingsCommand({}));
    expect(all.EventSourceMappings!.length).toBeGreaterThanOrEqual(4);
    const bad = await errorOf(env.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 0 })));
    expect(bad).toMatchObject({ name: 'ValidationException', message: "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1" });
    for (const u of uuids) await remove(u);
  });
});

describe('tags', () => {
  it('takes Tags at create and Tag/Untag/ListTags on the mapping ARN [rec]', async () => {
    const out = await create({ EventSourceArn: queueArn, Tags: { testtag: 'v' } });
    const arn = out.EventSourceMappingArn!;
    expect((await env.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ testtag: 'v' });
    await env.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { A: 'tag-a', B: 'tag-b' } }));
    await env.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['testtag', 'nonexisting'] }));
    expect((await env.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({ A: 'tag-a', B: 'tag-b' });
    await remove(out.UUID!);
  });

  it('refuses an unknown mapping ARN and a qualified one [rec]', async () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:event-source-mapping:a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
    for (const call of [
      env.lambda.send(new ListTagsCommand({ Resource: arn })),
      env.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { a: 'b' } })),
      env.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['a'] })),
    ]) {
      expect(await errorOf(call)).toEqual({ name: 'ResourceNotFoundException', message: `Event source mapping not found: ${arn}`, status: 404 });
    }
    const aliased = await errorOf(env.lambda.send(new ListTagsCommand({ Resource: `${arn}:alias` })));
    expect(aliased.name).toBe('ValidationException');
    expect(aliased.message).toContain(`Value '${arn}:alias' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:(eusc-)?`);
  });
});

describe('refusals', () => {
  const notFound = { name: 'ResourceNotFoundException', message: 'The resource you requested does not exist.', status: 404 };
  const uuid = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';

  it('unknown UUIDs [rec]', async () => {
    expect(await errorOf(env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })))).toEqual(notFound);
    expect(await errorOf(env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid })))).toEqual(notFound);
    expect(await errorOf(env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false })))).toEqual(notFound);
    const res = await raw('GET', `/2015-03-31/event-source-mappings/${uuid}`);
    expect(res).toEqual({ status: 404, type: 'ResourceNotFoundException', json: { Type: 'User', Message: 'The resource you requested does not exist.' } });
  });

  const ipve = (message: string) => ({ name: 'InvalidParameterValueException', message, status: 400 });
  const validation = (message: string) => ({ name: 'ValidationException', message: `1 validation error detected: ${message}`, status: 400 });

  it.each<[string, () => Partial<CreateEventSourceMappingCommandInput>, ReturnType<typeof ipve>]>([
    ['no EventSourceArn [rec]', () => ({ FunctionName: 'doesnotexist' }), ipve('Unrecognized event source.')],
    ['an unknown function [rec]', () => ({ FunctionName: 'doesnotexist', EventSourceArn: 'arn:aws:sqs:us-east-1:111111111111:somequeue' }), ipve('Function does not exist')],
    [
      'an OnSuccess destination, before the function [rec]',
      () => ({ FunctionName: 'doesnotexist', EventSourceArn: queueArn, DestinationConfig: { OnSuccess: { Destination: queueArn } } }),
      ipve('Unsupported DestinationConfig parameter for given event source mapping type.'),
    ],
    [
      'a queue that does not exist [rec]',
      () => ({ EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue' }),
      ipve('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.'),
    ],
    [
      'a stream that does not exist [rec]',
      () => ({ EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/test-foobar-81ded7e8', StartingPosition: 'LATEST' }),
      ipve('Stream not found: arn:aws:kinesis:us-east-1:000000000000:stream/test-foobar-81ded7e8'),
    ],
    ['a source Lambda cannot map', () => ({ EventSourceArn: 'arn:aws:sns:us-east-1:000000000000:topic' }), ipve('Unrecognized event source.')],
    [
      'a batch over 10 without a window [rec]',
      () => ({ EventSourceArn: queueArn, BatchSize: 11 }),
      ipve('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'),
    ],
    ['a stream without StartingPosition [rec]', () => ({ EventSourceArn: streamArn }), ipve("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.")],
    ['StartingPosition on a queue [obs]', () => ({ EventSourceArn: queueArn, StartingPosition: 'LATEST' }), ipve('StartingPosition is not valid for SQS event sources.')],
    ['a destination on a queue', () => ({ EventSourceArn: queueArn, DestinationConfig: { OnFailure: { Destination: queueArn } } }), ipve('Unsupported DestinationConfig parameter for given event source mapping type.')],
    ['a retry setting on a queue', () => ({ EventSourceArn: queueArn, MaximumRetryAttempts: 1 }), ipve('Unsupported MaximumRetryAttempts parameter for given event source mapping type.')],
    ['bisect on a queue', () => ({ EventSourceArn: queueArn, BisectBatchOnFunctionError: true }), ipve('Unsupported BisectBatchOnFunctionError parameter for given event source mapping type.')],
    ['parallelization on a queue', () => ({ EventSourceArn: queueArn, ParallelizationFactor: 2 }), ipve('Unsupported ParallelizationFactor parameter for given event source mapping type.')],
    ['a tumbling window on a queue', () => ({ EventSourceArn: queueArn, TumblingWindowInSeconds: 60 }), ipve('Unsupported TumblingWindowInSeconds parameter for given event source mapping type.')],
    ['a record age on a queue', () => ({ EventSourceArn: queueArn, MaximumRecordAgeInSeconds: 60 }), ipve('Unsupported MaximumRecordAgeInSeconds parameter for given event source mapping type.')],
    ['ScalingConfig on a stream', () => ({ EventSourceArn: streamArn, StartingPosition: 'LATEST', ScalingConfig: { MaximumConcurrency: 5 } }), ipve('Unsupported ScalingConfig parameter for given event source mapping type.')],
    [
      'a record age of 30 seconds',
      () => ({ EventSourceArn: streamArn, StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 30 }),
      ipve('Invalid MaximumRecordAgeInSeconds value: 30. It must be -1 or between 60 and 604800.'),
    ],
    ['AT_TIMESTAMP without a timestamp', () => ({ EventSourceArn: streamArn, StartingPosition: 'AT_TIMESTAMP' }), ipve('StartingPositionTimestamp must be provided when StartingPosition is AT_TIMESTAMP.')],
    [
      'a timestamp in the future',
      () => ({ EventSourceArn: streamArn, StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(Date.now() + 3_600_000) }),
      ipve('StartingPositionTimestamp cannot be in the future.'),
    ],
    ['an invalid filter pattern [rec]', () => ({ EventSourceArn: queueArn, FilterCriteria: { Filters: [{ Pattern: 'simple string' }] } }), ipve('Invalid filter pattern definition.')],
    ['a filter without its Pattern [rec]', () => ({ EventSourceArn: queueArn, FilterCriteria: { Filters: [{}] } }), ipve('Invalid filter pattern definition.')],
    ['a filter pattern that is not an object [rec]', () => ({ EventSourceArn: queueArn, FilterCriteria: { Filters: [{ Pattern: '[1, 2]' }] } }), ipve('Invalid filter pattern definition.')],
    [
      'six filters',
      () => ({ EventSourceArn: queueArn, FilterCriteria: { Filters: Array.from({ length: 6 }, (_, i) => ({ Pattern: JSON.stringify({ body: { n: [i] } }) })) } }),
      ipve('The number of filters in FilterCriteria (6) exceeds the limit of 5.'),
    ],
  ])('%s', async (_name, input, expected) => {
    expect(await errorOf(create(input()))).toEqual(expected);
  });

  it.each<[string, () => Partial<CreateEventSourceMappingCommandInput>, string]>([
    ['BatchSize 10001', () => ({ EventSourceArn: queueArn, BatchSize: 10_001 }), "Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000"],
    ['BatchSize 0', () => ({ EventSourceArn: queueArn, BatchSize: 0 }), "Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    ['a window of 301 s', () => ({ EventSourceArn: queueArn, MaximumBatchingWindowInSeconds: 301 }), "Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300"],
    [
      'an unknown StartingPosition [rec]',
      () => ({ EventSourceArn: streamArn, StartingPosition: 'invalid' as 'LATEST' }),
      "Value 'invalid' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
    ],
    ['MaximumRetryAttempts -2', () => ({ EventSourceArn: streamArn, StartingPosition: 'LATEST', MaximumRetryAttempts: -2 }), "Value '-2' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to -1"],
    ['MaximumRetryAttempts 10001', () => ({ EventSourceArn: streamArn, StartingPosition: 'LATEST', MaximumRetryAttempts: 10_001 }), "Value '10001' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 10000"],
    ['MaximumRecordAgeInSeconds 604801', () => ({ EventSourceArn: streamArn, StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 604_801 }), "Value '604801' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 604800"],
    ['ParallelizationFactor 11', () => ({ EventSourceArn: streamArn, StartingPosition: 'LATEST', ParallelizationFactor: 11 }), "Value '11' at 'parallelizationFactor' failed to satisfy constraint: Member must have value less than or equal to 10"],
    ['TumblingWindowInSeconds 901', () => ({ EventSourceArn: streamArn, StartingPosition: 'LATEST', TumblingWindowInSeconds: 901 }), "Value '901' at 'tumblingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900"],
    ['MaximumConcurrency 1', () => ({ EventSourceArn: queueArn, ScalingConfig: { MaximumConcurrency: 1 } }), "Value '1' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 2"],
    ['MaximumConcurrency 1001', () => ({ EventSourceArn: queueArn, ScalingConfig: { MaximumConcurrency: 1001 } }), "Value '1001' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value less than or equal to 1000"],
    [
      'an unknown FunctionResponseType',
      () => ({ EventSourceArn: queueArn, FunctionResponseTypes: ['Foo' as 'ReportBatchItemFailures'] }),
      "Value '[Foo]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]",
    ],
    [
      'a pattern over 4096 characters',
      () => ({ EventSourceArn: queueArn, FilterCriteria: { Filters: [{ Pattern: `{"body": {"a": ["${'x'.repeat(4100)}"]}}` }] } }),
      `Value '{"body": {"a": ["${'x'.repeat(4100)}"]}}' at 'filterCriteria.filters.1.member.pattern' failed to satisfy constraint: Member must have length less than or equal to 4096`,
    ],
  ])('%s: ValidationException', async (_name, input, message) => {
    expect(await errorOf(create(input()))).toEqual(validation(message));
  });

  it('a function as a stream failure destination', async () => {
    expect(await errorOf(create({ EventSourceArn: streamArn, StartingPosition: 'LATEST', DestinationConfig: { OnFailure: { Destination: fnArn } } }))).toEqual(
      ipve(`The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=${fnArn})) is invalid.`),
    );
  });

  it('FIFO queues refuse a batching window and batches over 10 [obs]', async () => {
    const fifo = await createQueue(env, `${uniq('esm')}.fifo`);
    expect(await errorOf(create({ EventSourceArn: fifo.arn, MaximumBatchingWindowInSeconds: 1 }))).toEqual(ipve('Batching window is not supported for FIFO queues'));
    expect(await errorOf(create({ EventSourceArn: fifo.arn, BatchSize: 11 }))).toEqual(ipve('Maximum batch size must be between 1 and 10 inclusive'));
    const ok = await create({ EventSourceArn: fifo.arn, BatchSize: 10 });
    expect(ok.BatchSize).toBe(10);
    await remove(ok.UUID!);
  });

  it("refuses a function whose timeout exceeds the queue's visibility timeout [obs]", async () => {
    const name = uniq('esm-slow');
    await createFunction(env, name, code, { Timeout: 60 });
    const q = await createQueue(env, uniq('esm-vt'));
    expect(await errorOf(create({ FunctionName: name, EventSourceArn: q.arn }))).toEqual(ipve('Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds'));
    const out = await create({ EventSourceArn: q.arn });
    await waitForState(env, out.UUID!, 'Enabled');
    expect(await errorOf(env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: out.UUID!, FunctionName: name })))).toEqual(
      ipve('Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds'),
    );
    await remove(out.UUID!);
  });

  it('refuses a duplicate, with each source kind its own text [rec]', async () => {
    const sqsMapping = await create({ EventSourceArn: queueArn });
    expect(await errorOf(create({ EventSourceArn: queueArn }))).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: `An event source mapping with SQS arn (" ${queueArn} ") and function (" ${fnName} ") already exists. Please update or delete the existing mapping with UUID ${sqsMapping.UUID}`,
    });
    // Another qualifier is another function ARN: no conflict.
    const qualified = await create({ FunctionName: `${fnName}:$LATEST`, EventSourceArn: queueArn });
    const streamMapping = await create({ EventSourceArn: streamArn, StartingPosition: 'LATEST' });
    expect(await errorOf(create({ EventSourceArn: streamArn, StartingPosition: 'TRIM_HORIZON' }))).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: `The event source arn (" ${streamArn} ") and function (" ${fnName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${streamMapping.UUID}`,
    });
    for (const m of [sqsMapping, qualified, streamMapping]) await remove(m.UUID!);
  });

  it('checks an update against the merged settings [rec]', async () => {
    const out = await create({ EventSourceArn: queueArn });
    await waitForState(env, out.UUID!, 'Enabled');
    expect(await errorOf(env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: out.UUID!, BatchSize: 20 })))).toEqual(
      ipve('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'),
    );
    const ok = await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: out.UUID!, BatchSize: 20, MaximumBatchingWindowInSeconds: 1 }));
    expect(ok).toMatchObject({ BatchSize: 20, MaximumBatchingWindowInSeconds: 1 });
    await waitForState(env, out.UUID!, 'Enabled');
    expect(await errorOf(env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: out.UUID!, FunctionName: 'doesnotexist' })))).toEqual(ipve('Function does not exist'));
    expect(await errorOf(env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: out.UUID!, MaximumRetryAttempts: 2 })))).toEqual(
      ipve('Unsupported MaximumRetryAttempts parameter for given event source mapping type.'),
    );
    await remove(out.UUID!);
  });

  it('answers a body that is not JSON, and wrong member types, without crashing', async () => {
    const res = await fetch(`${env.cloud.endpoint}/2015-03-31/event-source-mappings`, { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    const typed = await raw('POST', '/2015-03-31/event-source-mappings', { FunctionName: fnName, EventSourceArn: queueArn, BatchSize: 'ten' });
    expect(typed.status).toBe(400);
    expect(typed.type).toBe('SerializationException');
    const noName = await raw('POST', '/2015-03-31/event-source-mappings', { EventSourceArn: queueArn });
    expect(noName).toMatchObject({ status: 400, type: 'ValidationException' });
    expect(noName.json.message).toBe("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null");
    const badArn = await raw('POST', '/2015-03-31/event-source-mappings', { FunctionName: fnName, EventSourceArn: 'not-an-arn' });
    expect(badArn.type).toBe('ValidationException');
    expect(badArn.json.message).toContain("Value 'not-an-arn' at 'eventSourceArn' failed to satisfy constraint");
  });

  it('a mapping whose queue is deleted stays (nothing is lost)', async () => {
    const q = await createQueue(env, uniq('esm-gone'));
    const out = await create({ EventSourceArn: q.arn });
    await waitForState(env, out.UUID!, 'Enabled');
    await env.sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    const got = await env.lambda.send(new GetEventSourceMappingCommand({ UUID: out.UUID! }));
    expect(got.State).toBe('Enabled');
    await remove(out.UUID!);
  });
});
