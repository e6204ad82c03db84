/**
 * relay: passes its event on, one hop further, with the runtime's AWS SDK: to a function
 * (asynchronous Invoke), an SNS topic (Publish) or an SQS queue (SendMessage). Pointed at what
 * invokes it, it makes the recursive loop that Lambda's loop detection stops.
 *
 * Event: `{ hop, maxHops?, via: 'lambda' | 'sns' | 'sqs', target }` (ARN, or queue URL for sqs),
 * directly or as the Message of an SNS record. Logs `relay hop=<n>` and stops passing on once
 * `hop + 1` reaches `maxHops` (no limit when absent). Returns `{ hop, forwarded }`.
 */
import type { Context } from 'aws-lambda';

export interface RelayEvent {
  hop: number;
  maxHops?: number;
  via: 'lambda' | 'sns' | 'sqs';
  target: string;
}

function relayEvent(event: unknown): RelayEvent {
  const e = event as { Records?: { Sns?: { Message?: string }; body?: string }[] } & Partial<RelayEvent>;
  const record = e?.Records?.[0];
  if (record?.Sns?.Message !== undefined) return JSON.parse(record.Sns.Message) as RelayEvent;
  if (record?.body !== undefined) return JSON.parse(record.body) as RelayEvent;
  return e as RelayEvent;
}

// require, not import: the runtime's SDK is found through NODE_PATH, as on AWS.
async function forward(next: RelayEvent): Promise<void> {
  const body = JSON.stringify(next);
  if (next.via === 'lambda') {
    const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
    await new LambdaClient({}).send(new InvokeCommand({ FunctionName: next.target, InvocationType: 'Event', Payload: Buffer.from(body) }));
  } else if (next.via === 'sns') {
    const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
    await new SNSClient({}).send(new PublishCommand({ TopicArn: next.target, Message: body }));
  } else {
    const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs');
    await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: next.target, MessageBody: body }));
  }
}

export const handler = async (event: unknown, _context: Context): Promise<{ hop: number; forwarded: boolean }> => {
  const e = relayEvent(event);
  const hop = Number(e.hop ?? 0);
  console.log(`relay hop=${hop}`);
  const forwarded = e.maxHops === undefined || hop + 1 < e.maxHops;
  if (forwarded) await forward({ ...e, hop: hop + 1 });
  return { hop, forwarded };
};
