/**
 * SQS server capacity under a light client. The SDK figures of the SQS section are bounded by the
 * SDK itself (its stub-server baseline shows the ceiling), so this part drives the same operations
 * as plain JSON 1.0 requests over keep-alive HTTP from this process: bodies serialized once per queue,
 * a fixed signature header (neither server checks signatures), responses parsed with JSON.parse. The
 * client then costs a fraction of what a server does, and the figures measure the servers.
 *   send   CALLERS callers doing SendMessage
 *   loop   CALLERS callers each sending one, receiving up to 10 (no wait), deleting them in one batch
 */
import http from 'node:http';
import { compare, describe, rotate, throughputGoal, type Runner } from './slices';

export interface WireTarget {
  label: string;
  pid: number;
  endpoint: string;
}

const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=0';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function caller(endpoint: string, agent: http.Agent) {
  const url = new URL(endpoint);
  return (operation: string, body: string): Promise<Json> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: '/',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `AmazonSQS.${operation}`,
            'x-amz-date': '20260101T000000Z',
            authorization: AUTH,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`${operation}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
            else resolve(text ? JSON.parse(text) : {});
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** The light-client figures for `targets` (ours and fauxqs), as printable lines. */
export async function wireCapacity(targets: WireTarget[], body: string): Promise<string[]> {
  const agents: http.Agent[] = [];
  let seq = 0;
  try {
    type Call = ReturnType<typeof caller>;
    /** A runner whose prepare() makes a fresh queue and the operation its callers repeat. */
    const runner = (t: WireTarget, make: (call: Call, queueUrl: string) => () => Promise<number>): Runner => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
      agents.push(agent);
      const call = caller(t.endpoint, agent);
      return {
        label: t.label,
        pid: t.pid,
        prepare: async () => {
          const { QueueUrl } = await call('CreateQueue', JSON.stringify({ QueueName: `bench-wire-${process.pid}-${++seq}` }));
          return make(call, QueueUrl as string);
        },
      };
    };
    const send = await rotate(
      targets.map((t) =>
        runner(t, (call, queueUrl) => {
          const request = JSON.stringify({ QueueUrl: queueUrl, MessageBody: body });
          return async () => {
            await call('SendMessage', request);
            return 1;
          };
        }),
      ),
    );
    const loop = await rotate(
      targets.map((t) =>
        runner(t, (call, queueUrl) => {
          const sendRequest = JSON.stringify({ QueueUrl: queueUrl, MessageBody: body });
          const receiveRequest = JSON.stringify({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 });
          return async () => {
            await call('SendMessage', sendRequest);
            const got = ((await call('ReceiveMessage', receiveRequest)).Messages ?? []) as { ReceiptHandle: string }[];
            if (got.length === 0) return 0;
            const entries = got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
            const d = await call('DeleteMessageBatch', JSON.stringify({ QueueUrl: queueUrl, Entries: entries }));
            if (d.Failed?.length) throw new Error(`DeleteMessageBatch failed: ${JSON.stringify(d.Failed[0])}`);
            return got.length;
          };
        }),
      ),
    );
    return [
      'server capacity with a light client (plain JSON 1.0 over keep-alive HTTP, bodies serialized once, no SDK):',
      `  baseline, stub SQS server: send ${describe(send.get('stub'), 'msg/s')}; loop ${describe(loop.get('stub'), 'msg/s')}`,
      `  send:  ours ${describe(send.get('ours'), 'msg/s')} | fauxqs ${describe(send.get('fauxqs'), 'msg/s')} | ${compare(send)}   ${throughputGoal(send)}`,
      `  loop:  ours ${describe(loop.get('ours'), 'msg/s')} | fauxqs ${describe(loop.get('fauxqs'), 'msg/s')} | ${compare(loop)}   ${throughputGoal(loop)}`,
    ];
  } finally {
    for (const a of agents) a.destroy();
  }
}
