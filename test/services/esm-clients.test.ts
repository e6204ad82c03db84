/**
 * Real clients against a started cloud: Lambda's event source mapping API (Create/Get/Update/Delete/
 * ListEventSourceMappings, and TagResource/UntagResource/ListTags on the mapping ARN) through each
 * python3 with boto3 found on PATH (test/services/esm-boto3.py; botocore speaks rest-json and sends
 * StartingPositionTimestamp in whole epoch seconds), and through each AWS CLI (opt in with
 * TESTBED_CLI_TESTS=1: each CLI call starts a Python interpreter, seconds each). The boto3 script makes
 * its own function, queues and stream; the CLI test makes them with the JS SDK and drives only the
 * mapping operations through the CLI. When no client is installed the test is skipped with the reason
 * in its title and on stderr. (Client discovery and running are in real-clients.ts.)
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createFunction, createQueue, createStream, type Env } from '../cloud/esm-helpers';
import { ACCOUNT, boto3Tests, CliSession, describeEachCli, lazyCloud, notDriven, REGION, reportClient, TIMEOUT } from './real-clients';

const ESM_OPERATIONS = [
  'CreateEventSourceMapping',
  'GetEventSourceMapping',
  'UpdateEventSourceMapping',
  'DeleteEventSourceMapping',
  'ListEventSourceMappings',
  'TagResource',
  'UntagResource',
  'ListTags',
] as const;

const WINDOW_RULE = 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10';
const NOT_FOUND = { code: 'ResourceNotFoundException', message: 'The resource you requested does not exist.' };

const getCloud = lazyCloud();

// ------------------------------------------------------------------------------------ boto3

boto3Tests({
  service: 'event source mapping',
  script: 'esm-boto3.py',
  title: 'drives every event source mapping operation (test/services/esm-boto3.py)',
  operations: ESM_OPERATIONS,
  cloud: getCloud,
  check: (result) => expect(result.protocol).toBe('rest-json'),
  log: 'esm-clients',
});

// ------------------------------------------------------------------------------------ AWS CLI

/** SDK clients against the file's cloud, for what the CLI test needs around the mappings. */
async function sdkEnv(): Promise<Env> {
  const cloud = await getCloud();
  const common = { endpoint: cloud.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  return { cloud, lambda: new LambdaClient(common), sqs: new SQSClient(common), kinesis: new KinesisClient({ ...common, requestHandler: new NodeHttpHandler() }) };
}

describeEachCli('event source mapping', (cli) => {
  it(
    'drives every event source mapping operation',
    async () => {
      const env = await sdkEnv();
      try {
        const aws = new CliSession(cli, env.cloud.endpoint);
        const lambda = (op: string, command: string, ...args: string[]) => aws.call('lambda', op, command, ...args);
        const lambdaError = (command: string, ...args: string[]) => aws.error('lambda', command, ...args);
        const stamp = `${Date.now().toString(36)}${cli.major}`;
        const fn = `cli-esm-${stamp}`;
        const fnArn = await createFunction(env, fn, 'exports.handler = async () => ({ batchItemFailures: [] });');
        const queue = await createQueue(env, `${fn}-q`);
        const other = await createQueue(env, `${fn}-other`);
        const dlq = await createQueue(env, `${fn}-dlq`);
        const streamArn = await createStream(env, `${fn}-stream`);
        const mappingArn = (uuid: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${uuid}`;
        /** get-event-source-mapping until the mapping is in `state` (transitions end on their own). */
        const settles = async (uuid: string, state: string) => {
          for (let i = 0; i < 20; i++) {
            const m = await lambda('GetEventSourceMapping', 'get-event-source-mapping', '--uuid', uuid);
            if (m.State === state) return m;
          }
          throw new Error(`${uuid} did not reach ${state}`);
        };

        // ---- an SQS mapping (with Tags at create where this CLI has them: CLI 2.9 does not)
        const createArgs = ['--function-name', fn, '--event-source-arn', queue.arn, '--batch-size', '5'];
        let tagged = true;
        let r = await aws.run('lambda', 'create-event-source-mapping', ...createArgs, '--tags', 'team=a');
        if (r.code !== 0 && /Unknown options: --tags/.test(r.stderr)) {
          tagged = false;
          r = await aws.run('lambda', 'create-event-source-mapping', ...createArgs);
        }
        if (r.code !== 0) throw new Error(`create-event-source-mapping: ${r.stderr}`);
        aws.passed.add('CreateEventSourceMapping');
        const created = JSON.parse(r.stdout);
        const uuid = created.UUID as string;
        expect(created).toMatchObject({ State: 'Creating', StateTransitionReason: 'USER_INITIATED', BatchSize: 5, MaximumBatchingWindowInSeconds: 0, FunctionArn: fnArn, EventSourceArn: queue.arn });
        expect(await lambdaError('create-event-source-mapping', '--function-name', fn, '--event-source-arn', other.arn, '--batch-size', '100')).toMatchObject({
          code: 'InvalidParameterValueException',
          operation: 'CreateEventSourceMapping',
          message: WINDOW_RULE,
        });
        expect(await lambdaError('create-event-source-mapping', '--function-name', fn, '--event-source-arn', queue.arn)).toMatchObject({ code: 'ResourceConflictException' });
        expect((await settles(uuid, 'Enabled')).BatchSize).toBe(5);
        expect(await lambdaError('get-event-source-mapping', '--uuid', 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d')).toMatchObject(NOT_FOUND);

        // ---- updates
        expect((await lambda('UpdateEventSourceMapping', 'update-event-source-mapping', '--uuid', uuid, '--no-enabled')).State).toBe('Disabling');
        await settles(uuid, 'Disabled');
        expect((await lambda('UpdateEventSourceMapping', 'update-event-source-mapping', '--uuid', uuid, '--enabled')).State).toBe('Enabling');
        await settles(uuid, 'Enabled');
        const red = JSON.stringify({ body: { colour: ['red'] } });
        const updated = await lambda(
          'UpdateEventSourceMapping',
          'update-event-source-mapping',
          '--uuid',
          uuid,
          '--batch-size',
          '100',
          '--maximum-batching-window-in-seconds',
          '2',
          '--function-response-types',
          'ReportBatchItemFailures',
          '--filter-criteria',
          JSON.stringify({ Filters: [{ Pattern: red }] }),
        );
        expect(updated).toMatchObject({
          State: 'Updating',
          BatchSize: 100,
          MaximumBatchingWindowInSeconds: 2,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          FilterCriteria: { Filters: [{ Pattern: red }] },
        });
        await settles(uuid, 'Enabled');
        expect(await lambdaError('update-event-source-mapping', '--uuid', uuid, '--maximum-batching-window-in-seconds', '0')).toMatchObject({
          code: 'InvalidParameterValueException',
          message: WINDOW_RULE,
        });

        // ---- a Kinesis mapping: the CLI sends the timestamp in whole seconds
        const at = Math.floor(Date.now() / 1000) - 300;
        const kinesis = await lambda(
          'CreateEventSourceMapping',
          'create-event-source-mapping',
          '--function-name',
          fn,
          '--event-source-arn',
          streamArn,
          '--starting-position',
          'AT_TIMESTAMP',
          '--starting-position-timestamp',
          new Date(at * 1000 + 700).toISOString(),
          '--maximum-retry-attempts',
          '2',
          '--bisect-batch-on-function-error',
          '--destination-config',
          JSON.stringify({ OnFailure: { Destination: dlq.arn } }),
        );
        expect(kinesis).toMatchObject({
          State: 'Creating',
          StartingPosition: 'AT_TIMESTAMP',
          MaximumRetryAttempts: 2,
          BisectBatchOnFunctionError: true,
          DestinationConfig: { OnFailure: { Destination: dlq.arn } },
          LastProcessingResult: 'No records processed',
        });
        // CLI v1 prints timestamps as received (epoch seconds), v2 as ISO 8601.
        const shown = kinesis.StartingPositionTimestamp as number | string;
        expect(typeof shown === 'number' ? shown : Date.parse(shown) / 1000).toBe(at);
        const kUuid = kinesis.UUID as string;
        expect(await lambdaError('create-event-source-mapping', '--function-name', fn, '--event-source-arn', streamArn)).toMatchObject({
          code: 'InvalidParameterValueException',
          message: "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
        });
        await settles(kUuid, 'Enabled');
        const cleared = await lambda('UpdateEventSourceMapping', 'update-event-source-mapping', '--uuid', kUuid, '--destination-config', '{"OnFailure":{}}');
        expect(cleared).toMatchObject({ State: 'Updating', DestinationConfig: { OnFailure: {} } });

        // ---- lists
        // (--page-size 1: the CLI pages through with MaxItems=1 and Marker)
        const all = await lambda('ListEventSourceMappings', 'list-event-source-mappings', '--function-name', fn, '--page-size', '1');
        expect(all.EventSourceMappings.map((m: { UUID: string }) => m.UUID)).toEqual([uuid, kUuid]);
        const byStream = await lambda('ListEventSourceMappings', 'list-event-source-mappings', '--event-source-arn', streamArn);
        expect(byStream.EventSourceMappings.map((m: { UUID: string }) => m.UUID)).toEqual([kUuid]);

        // ---- tags on the mapping ARN
        await lambda('TagResource', 'tag-resource', '--resource', mappingArn(uuid), '--tags', 'env=dev');
        expect((await lambda('ListTags', 'list-tags', '--resource', mappingArn(uuid))).Tags).toEqual(tagged ? { team: 'a', env: 'dev' } : { env: 'dev' });
        await lambda('UntagResource', 'untag-resource', '--resource', mappingArn(uuid), '--tag-keys', 'env', 'team');
        expect((await lambda('ListTags', 'list-tags', '--resource', mappingArn(uuid))).Tags).toEqual({});

        // ---- delete: Deleting, then gone
        for (const id of [uuid, kUuid]) {
          expect(await lambda('DeleteEventSourceMapping', 'delete-event-source-mapping', '--uuid', id)).toMatchObject({ UUID: id, State: 'Deleting' });
        }
        expect(await lambdaError('get-event-source-mapping', '--uuid', uuid)).toMatchObject(NOT_FOUND);
        expect((await lambda('ListEventSourceMappings', 'list-event-source-mappings', '--function-name', fn)).EventSourceMappings).toEqual([]);
        expect(notDriven(ESM_OPERATIONS, aws.passed)).toEqual([]);
        reportClient('esm-clients', aws.name, undefined, aws.passed.size);
      } finally {
        env.lambda.destroy();
        env.sqs.destroy();
        env.kinesis.destroy();
      }
    },
    TIMEOUT,
  );
});
