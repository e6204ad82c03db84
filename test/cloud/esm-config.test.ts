/**
 * The event source mapping knobs of /_testbed/config: `mappingConcurrentBatches` (batches one SQS
 * mapping has with its function at once, 1-1000, default 16) and `mappingTransitionMs` (how long
 * Creating, Enabling, Disabling, Updating and Deleting last, virtual ms 0-600000, default 0). Both are
 * validated like the other knobs, take effect on mappings, and survive /_testbed/reset. A cloud of its
 * own in compressed time: the transitions end only when the test advances the clock.
 */
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createFunction, createQueue, errorOf, eventually, uniq, useCloud } from './esm-helpers';

const env = useCloud({ timeMode: 'compressed' });

interface Config {
  mappingConcurrentBatches: number;
  mappingTransitionMs: number;
  [k: string]: unknown;
}

async function config(body?: unknown): Promise<{ status: number; json: Config & { error?: string } }> {
  const res = await fetch(`${env.cloud.endpoint}/_testbed/config`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Config & { error?: string } };
}

async function reset(): Promise<void> {
  expect((await fetch(`${env.cloud.endpoint}/_testbed/reset`, { method: 'POST' })).status).toBe(200);
}

const mappings = () => env.cloud.cloud.lambda.mappings;
const state = async (UUID: string) => (await env.lambda.send(new GetEventSourceMappingCommand({ UUID }))).State;

afterEach(async () => {
  await config({ mappingConcurrentBatches: 16, mappingTransitionMs: 0 });
});

describe('GET and POST', () => {
  it('shows the defaults, and sets each knob on the mappings', async () => {
    const initial = await config();
    expect(initial.status).toBe(200);
    expect(initial.json).toMatchObject({ mappingConcurrentBatches: 16, mappingTransitionMs: 0 });
    const set = await config({ mappingConcurrentBatches: 3, mappingTransitionMs: 2500 });
    expect(set).toMatchObject({ status: 200, json: { mappingConcurrentBatches: 3, mappingTransitionMs: 2500 } });
    expect(mappings().maxConcurrentBatches).toBe(3);
    expect(mappings().transitionMs).toBe(2500);
    expect((await config()).json).toMatchObject({ mappingConcurrentBatches: 3, mappingTransitionMs: 2500 });
    // One knob leaves the other as it is.
    expect((await config({ mappingTransitionMs: 0 })).json).toMatchObject({ mappingConcurrentBatches: 3, mappingTransitionMs: 0 });
  });

  it.each([
    [1, 0],
    [1000, 600_000],
  ])('takes the bounds %d and %d', async (batches, ms) => {
    expect((await config({ mappingConcurrentBatches: batches, mappingTransitionMs: ms })).json).toMatchObject({ mappingConcurrentBatches: batches, mappingTransitionMs: ms });
  });

  const batchesError = 'mappingConcurrentBatches must be an integer from 1 to 1000';
  const msError = 'mappingTransitionMs must be a number from 0 to 600000';
  it.each<[string, Record<string, unknown>, string]>([
    ['no batches', { mappingConcurrentBatches: 0 }, batchesError],
    ['too many batches', { mappingConcurrentBatches: 1001 }, batchesError],
    ['a fraction of a batch', { mappingConcurrentBatches: 2.5 }, batchesError],
    ['batches as text', { mappingConcurrentBatches: '4' }, batchesError],
    ['null batches', { mappingConcurrentBatches: null }, batchesError],
    ['a negative transition', { mappingTransitionMs: -1 }, msError],
    ['a transition over ten minutes', { mappingTransitionMs: 600_001 }, msError],
    ['a transition as text', { mappingTransitionMs: '100' }, msError],
    ['a transition as a boolean', { mappingTransitionMs: true }, msError],
  ])('refuses %s with 400, changing nothing', async (_name, body, message) => {
    await config({ mappingConcurrentBatches: 7, mappingTransitionMs: 70 });
    // A valid knob beside the bad one is not applied either.
    const other = 'mappingConcurrentBatches' in body ? { mappingTransitionMs: 5 } : { mappingConcurrentBatches: 5 };
    const res = await config({ ...body, ...other });
    expect(res).toEqual({ status: 400, json: { error: message } });
    expect((await config()).json).toMatchObject({ mappingConcurrentBatches: 7, mappingTransitionMs: 70 });
  });
});

describe('after /_testbed/reset', () => {
  it('both knobs are kept, and a new mapping follows mappingTransitionMs', async () => {
    await config({ mappingConcurrentBatches: 2, mappingTransitionMs: 60_000 });
    const before = mappings();
    await reset();
    expect(mappings()).not.toBe(before); // a fresh set of mappings...
    expect((await config()).json).toMatchObject({ mappingConcurrentBatches: 2, mappingTransitionMs: 60_000 }); // ...with the knobs
    expect(mappings().maxConcurrentBatches).toBe(2);

    const fn = uniq('esm-cfg');
    await createFunction(env, fn, 'exports.handler = async () => ({});');
    const q = await createQueue(env, uniq('esm-cfg-q'));
    const created = await env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: q.arn }));
    const uuid = created.UUID!;
    expect(created.State).toBe('Creating');
    await env.cloud.cloud.clock.advanceBy(59_000);
    expect(await state(uuid)).toBe('Creating');
    // An update while it is Creating is refused (the mapping is in a transition).
    expect(await errorOf(env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 5 })))).toMatchObject({ name: 'ResourceInUseException', status: 400 });
    await env.cloud.cloud.clock.advanceBy(1_000);
    expect(await state(uuid)).toBe('Enabled');
    expect((await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }))).State).toBe('Disabling');
    await env.cloud.cloud.clock.advanceBy(60_000);
    expect(await state(uuid)).toBe('Disabled');
    expect((await env.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Deleting');
    await env.cloud.cloud.clock.advanceBy(59_000);
    expect(await state(uuid)).toBe('Deleting');
    await env.cloud.cloud.clock.advanceBy(1_000);
    expect(await errorOf(env.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('set back to 0 after a reset, a mapping is Enabled without time passing', async () => {
    await config({ mappingTransitionMs: 60_000 });
    await reset();
    await config({ mappingTransitionMs: 0 });
    const fn = uniq('esm-cfg0');
    await createFunction(env, fn, 'exports.handler = async () => ({});');
    const q = await createQueue(env, uniq('esm-cfg0-q'));
    const t0 = env.cloud.cloud.clock.now();
    const { UUID } = await env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: q.arn, Enabled: false }));
    expect((await env.lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }))).State).toBe('Enabling');
    expect(await state(UUID!)).toBe('Enabled');
    expect(env.cloud.cloud.clock.now() - t0).toBeLessThan(10_000);
  });

  it('mappingConcurrentBatches caps the batches an SQS mapping has with its function at once', async () => {
    await config({ mappingConcurrentBatches: 1 });
    await reset();
    const fn = uniq('esm-cap');
    await createFunction(env, fn, 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 100)); return {}; };');
    const q = await createQueue(env, uniq('esm-cap-q'));
    await env.sqs.send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: Array.from({ length: 6 }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${i}` })) }));
    // Batches of one: without the cap the mapping starts at five batches at once [doc].
    await env.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: q.arn, BatchSize: 1 }));
    let most = 0;
    await eventually(
      async () => {
        const res = await fetch(`${env.cloud.endpoint}/_testbed/invocations?functionName=${fn}`);
        const list = ((await res.json()) as { invocations: { outcome: string }[] }).invocations;
        most = Math.max(most, list.filter((i) => i.outcome === 'running').length);
        return list.filter((i) => i.outcome === 'success').length;
      },
      (n) => n === 6,
    );
    expect(most).toBe(1);
  });
});
