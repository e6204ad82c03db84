/**
 * Real clients against a started cloud: every SNS operation the cloud has through each python3 with
 * boto3 on PATH (test/services/sns-boto3.py; botocore speaks the query protocol to SNS), and, opted
 * in with TESTBED_CLI_TESTS=1 (one Python start per call, minutes in all), through each AWS CLI on
 * PATH. When no client is installed the test is skipped with the reason in its title and on stderr.
 * (Client discovery and running are in real-clients.ts.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT, boto3Tests, CliSession, describeEachCli, lazyCloud, notDriven, REGION, reportClient, TIMEOUT } from './real-clients';

/** The operations the cloud has (each client must drive them all). */
const SNS_OPERATIONS = [
  'CreateTopic',
  'DeleteTopic',
  'ListTopics',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'Subscribe',
  'ConfirmSubscription',
  'Unsubscribe',
  'ListSubscriptions',
  'ListSubscriptionsByTopic',
  'GetSubscriptionAttributes',
  'SetSubscriptionAttributes',
  'Publish',
  'PublishBatch',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'AddPermission',
  'RemovePermission',
];

const getCloud = lazyCloud();

// ------------------------------------------------------------------------------------ boto3

boto3Tests({
  service: 'SNS',
  script: 'sns-boto3.py',
  title: 'drives every SNS operation (test/services/sns-boto3.py)',
  operations: SNS_OPERATIONS,
  cloud: getCloud,
  check: (result) => expect(result.protocol).toBe('query'),
  log: 'sns-clients',
});

// ------------------------------------------------------------------------------------ AWS CLI

describeEachCli('SNS', (cli) => {
  it(
    'drives every SNS operation',
    async () => {
      const running = await getCloud();
      const aws = new CliSession(cli, running.endpoint);
      const sns = (op: string, command: string, ...args: string[]) => aws.call('sns', op, command, ...args);
      const snsError = (command: string, ...args: string[]) => aws.error('sns', command, ...args);

      // An HTTP endpoint for the confirmation token.
      const bodies: string[] = [];
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          bodies.push(Buffer.concat(chunks).toString('utf8'));
          res.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const name = `cli-${process.pid}-${cli.version.split('/')[1]?.split(' ')[0].replace(/\./g, '-')}`;
        const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
        expect((await sns('CreateTopic', 'create-topic', '--name', name, '--attributes', 'DisplayName=D', '--tags', 'Key=team,Value=a')).TopicArn).toBe(arn);
        expect((await sns('ListTopics', 'list-topics')).Topics.map((t: { TopicArn: string }) => t.TopicArn)).toContain(arn);
        await sns('SetTopicAttributes', 'set-topic-attributes', '--topic-arn', arn, '--attribute-name', 'DisplayName', '--attribute-value', 'E');
        expect((await sns('GetTopicAttributes', 'get-topic-attributes', '--topic-arn', arn)).Attributes).toMatchObject({ DisplayName: 'E', TopicArn: arn });
        expect(await snsError('get-topic-attributes', '--topic-arn', `${arn}x`)).toMatchObject({ code: 'NotFound', message: 'Topic does not exist' });
        await sns('TagResource', 'tag-resource', '--resource-arn', arn, '--tags', 'Key=env,Value=dev');
        await sns('UntagResource', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'team');
        expect((await sns('ListTagsForResource', 'list-tags-for-resource', '--resource-arn', arn)).Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
        await sns('AddPermission', 'add-permission', '--topic-arn', arn, '--label', 'p1', '--aws-account-id', '111122223333', '--action-name', 'Publish');
        await sns('RemovePermission', 'remove-permission', '--topic-arn', arn, '--label', 'p1');

        const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}-q`;
        const sub = (await sns('Subscribe', 'subscribe', '--topic-arn', arn, '--protocol', 'sqs', '--notification-endpoint', queueArn, '--return-subscription-arn')).SubscriptionArn;
        expect(sub).toMatch(new RegExp(`^${arn}:`));
        await sns('SetSubscriptionAttributes', 'set-subscription-attributes', '--subscription-arn', sub, '--attribute-name', 'RawMessageDelivery', '--attribute-value', 'true');
        expect((await sns('GetSubscriptionAttributes', 'get-subscription-attributes', '--subscription-arn', sub)).Attributes).toMatchObject({ RawMessageDelivery: 'true' });
        expect((await sns('ListSubscriptions', 'list-subscriptions')).Subscriptions.map((s: { SubscriptionArn: string }) => s.SubscriptionArn)).toContain(sub);
        const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sns`;
        expect((await sns('Subscribe', 'subscribe', '--topic-arn', arn, '--protocol', 'http', '--notification-endpoint', endpointUrl)).SubscriptionArn).toBe('pending confirmation');
        for (let i = 0; i < 100 && bodies.length === 0; i++) await running.cloud.clock.advanceBy(100);
        const token = JSON.parse(bodies[0]).Token as string;
        expect((await sns('ConfirmSubscription', 'confirm-subscription', '--topic-arn', arn, '--token', token)).SubscriptionArn).toMatch(new RegExp(`^${arn}:`));
        expect((await sns('ListSubscriptionsByTopic', 'list-subscriptions-by-topic', '--topic-arn', arn)).Subscriptions).toHaveLength(2);
        expect((await sns('Publish', 'publish', '--topic-arn', arn, '--message', 'hello', '--subject', 'S')).MessageId).toMatch(/^[0-9a-f-]{36}$/);
        expect(await snsError('publish', '--topic-arn', arn, '--message', 'x', '--subject', '')).toMatchObject({ code: 'InvalidParameter', message: 'Invalid parameter: Subject' });
        const batch = await sns('PublishBatch', 'publish-batch', '--topic-arn', arn, '--publish-batch-request-entries', JSON.stringify([{ Id: 'a', Message: 'one' }, { Id: 'b', Message: 'two' }]));
        expect(batch.Successful.map((s: { Id: string }) => s.Id)).toEqual(['a', 'b']);
        await sns('Unsubscribe', 'unsubscribe', '--subscription-arn', sub);
        await sns('DeleteTopic', 'delete-topic', '--topic-arn', arn);
        expect(notDriven(SNS_OPERATIONS, aws.passed)).toEqual([]);
        reportClient('sns-clients', aws.name, undefined, aws.passed.size);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    },
    TIMEOUT,
  );
});
