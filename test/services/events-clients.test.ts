/**
 * Real clients against a started cloud: every EventBridge operation through each python3 with
 * boto3 found on PATH (test/services/events-boto3.py, always when there is one) and through each
 * AWS CLI (opt in with TESTBED_CLI_TESTS=1: each CLI call starts a Python interpreter, seconds
 * each). When no client is installed the test is skipped with the reason in its title and on stderr.
 * (Client discovery and running are in real-clients.ts.)
 */
import { EVENTS_OPERATIONS } from './events-helpers';
import { ACCOUNT, boto3Tests, CliSession, describeEachCli, lazyCloud, notDriven, REGION, reportClient, TIMEOUT } from './real-clients';

const getCloud = lazyCloud();

// ------------------------------------------------------------------------------------ boto3

boto3Tests({
  service: 'EventBridge',
  script: 'events-boto3.py',
  title: 'drives every EventBridge operation (test/services/events-boto3.py)',
  operations: EVENTS_OPERATIONS,
  cloud: getCloud,
  log: 'events-clients',
});

// ------------------------------------------------------------------------------------ AWS CLI

describeEachCli('EventBridge', (cli) => {
  it(
    'drives every EventBridge operation',
    async () => {
      const session = new CliSession(cli, (await getCloud()).endpoint);
      const aws = (service: string, op: string | undefined, command: string, ...args: string[]) => session.call(service, op, command, ...args);
      const stamp = `${Date.now().toString(36)}`;
      const bus = `cli-bus-${stamp}`;
      const rule = `cli-rule-${stamp}`;
      const busArn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${bus}`;
      const q = await aws('sqs', undefined, 'create-queue', '--queue-name', `cli-q-${stamp}`);
      const qArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:cli-q-${stamp}`;

      expect((await aws('events', 'CreateEventBus', 'create-event-bus', '--name', bus, '--tags', 'Key=k,Value=v')).EventBusArn).toBe(busArn);
      expect((await aws('events', 'DescribeEventBus', 'describe-event-bus', '--name', bus)).Name).toBe(bus);
      expect((await aws('events', 'ListEventBuses', 'list-event-buses', '--name-prefix', bus)).EventBuses.map((b: { Name: string }) => b.Name)).toEqual([bus]);
      const ruleArn = (await aws('events', 'PutRule', 'put-rule', '--name', rule, '--event-bus-name', bus, '--event-pattern', '{"source":["cli.test"]}')).RuleArn;
      expect(ruleArn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/${bus}/${rule}`);
      expect((await aws('events', 'DescribeRule', 'describe-rule', '--name', rule, '--event-bus-name', bus)).State).toBe('ENABLED');
      expect((await aws('events', 'ListRules', 'list-rules', '--event-bus-name', bus)).Rules.map((r: { Name: string }) => r.Name)).toEqual([rule]);
      await aws('events', 'DisableRule', 'disable-rule', '--name', rule, '--event-bus-name', bus);
      await aws('events', 'EnableRule', 'enable-rule', '--name', rule, '--event-bus-name', bus);
      const targets = JSON.stringify([{ Id: 'q', Arn: qArn, InputPath: '$.detail' }]);
      expect((await aws('events', 'PutTargets', 'put-targets', '--rule', rule, '--event-bus-name', bus, '--targets', targets)).FailedEntryCount).toBe(0);
      expect((await aws('events', 'ListTargetsByRule', 'list-targets-by-rule', '--rule', rule, '--event-bus-name', bus)).Targets).toEqual([{ Id: 'q', Arn: qArn, InputPath: '$.detail' }]);
      expect((await aws('events', 'ListRuleNamesByTarget', 'list-rule-names-by-target', '--target-arn', qArn, '--event-bus-name', bus)).RuleNames).toEqual([rule]);
      const entries = JSON.stringify([{ Source: 'cli.test', DetailType: 't', Detail: '{"n": 1}', EventBusName: bus }]);
      expect((await aws('events', 'PutEvents', 'put-events', '--entries', entries)).FailedEntryCount).toBe(0);
      const got = await aws('sqs', undefined, 'receive-message', '--queue-url', q.QueueUrl, '--wait-time-seconds', '20');
      expect(got.Messages.map((m: { Body: string }) => JSON.parse(m.Body))).toEqual([{ n: 1 }]);
      const ev = JSON.stringify({ id: '1', source: 'cli.test', 'detail-type': 't', account: ACCOUNT, region: REGION, time: '2024-01-01T00:00:00Z' });
      expect((await aws('events', 'TestEventPattern', 'test-event-pattern', '--event-pattern', '{"source":["cli.test"]}', '--event', ev)).Result).toBe(true);
      await aws('events', 'TagResource', 'tag-resource', '--resource-arn', ruleArn, '--tags', 'Key=a,Value=1');
      expect((await aws('events', 'ListTagsForResource', 'list-tags-for-resource', '--resource-arn', ruleArn)).Tags).toEqual([{ Key: 'a', Value: '1' }]);
      await aws('events', 'UntagResource', 'untag-resource', '--resource-arn', ruleArn, '--tag-keys', 'a');
      await aws('events', 'RemoveTargets', 'remove-targets', '--rule', rule, '--event-bus-name', bus, '--ids', 'q');
      await aws('events', 'DeleteRule', 'delete-rule', '--name', rule, '--event-bus-name', bus);
      await aws('events', 'DeleteEventBus', 'delete-event-bus', '--name', bus);
      expect(await session.error('events', 'describe-event-bus', '--name', bus)).toMatchObject({
        code: 'ResourceNotFoundException',
        operation: 'DescribeEventBus',
        message: `Event bus ${bus} does not exist.`,
      });
      expect(notDriven(EVENTS_OPERATIONS, session.passed)).toEqual([]);
      reportClient('events-clients', session.name, undefined, session.passed.size);
    },
    TIMEOUT,
  );
});
