/**
 * What the asynchronous suites share: a stack of `control` functions, destination queues, reading
 * invocation records off a queue, and the START lines of a request in CloudWatch Logs (one per
 * attempt, with AWS's timestamps).
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, InvokeCommand, PutFunctionEventInvokeConfigCommand, type PutFunctionEventInvokeConfigCommandInput } from '@aws-sdk/client-lambda';
import type { Message } from '@aws-sdk/client-sqs';
import { eventually, getTestbed, payload, unique } from '../_support/testbed';
import { receive } from '../sqs/_helpers';

export { queueTracker, receive } from '../sqs/_helpers';

const tb = getTestbed();

/**
 * Long-polls a queue until `count` messages came, or the target's clock moved `withinMs` (virtual
 * on the embedded target: each empty poll jumps 20 s there; real time elsewhere).
 */
export async function awaitMessages(url: string, count: number, withinMs = 15 * 60_000): Promise<Message[]> {
  const got: Message[] = [];
  const start = await tb.now();
  while (got.length < count) {
    const batch = await receive(url, {
      WaitTimeSeconds: 20,
      // Other suites move the shared virtual clock on: keep what was read from coming back.
      VisibilityTimeout: 43_200,
      MaxNumberOfMessages: Math.min(10, count - got.length),
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    });
    got.push(...batch);
    if (got.length >= count || (await tb.now()) - start > withinMs) break;
  }
  return got;
}

/** Invoke with InvocationType Event; the request id Lambda answers with. */
export async function invokeEvent(functionName: string, event: unknown, qualifier?: string): Promise<string> {
  const out = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: payload(event), Qualifier: qualifier }));
  expect(out.StatusCode).toBe(202);
  const id = out.$metadata.requestId;
  if (!id) throw new Error('no request id on the 202');
  return id;
}

export function putConfig(input: PutFunctionEventInvokeConfigCommandInput) {
  return tb.clients.lambda.send(new PutFunctionEventInvokeConfigCommand(input));
}

/** The timestamps of the START lines of one request (one per attempt), oldest first. */
export async function attemptStarts(functionName: string, requestId: string, count: number, timeoutMs = 30_000): Promise<number[]> {
  const events = await eventually(
    async () =>
      (await tb.clients.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: `"START RequestId: ${requestId}"` })).catch(() => ({ events: [] })))
        .events ?? [],
    (ev) => ev.length >= count,
    timeoutMs,
  );
  return events.map((e) => e.timestamp!).sort((a, b) => a - b);
}

/** Let a service (sns.amazonaws.com, events.amazonaws.com) invoke the function, from this source. */
export async function allowService(functionName: string, principal: string, sourceArn: string): Promise<void> {
  await tb.clients.lambda.send(
    new AddPermissionCommand({ FunctionName: functionName, StatementId: unique('allow').slice(0, 60), Action: 'lambda:InvokeFunction', Principal: principal, SourceArn: sourceArn }),
  );
}

/** A message body parsed as JSON. */
export function body(m: Message): any {
  return JSON.parse(m.Body ?? 'null');
}
