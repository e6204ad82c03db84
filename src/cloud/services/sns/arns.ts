/**
 * ARN parameters (TopicArn, SubscriptionArn, TargetArn, ResourceArn) and topic names, with the
 * errors AWS answers for each way they go wrong [rec].
 */
import type { RequestContext } from '../../protocols/types';
import { invalidParameter, notAnArn } from './errors';

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon. */
  resource: string;
}

/** botocore's ARN split: at least 6 colon-separated elements starting with "arn". */
export function parseArn(value: string): ParsedArn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

/** An ARN parameter, or InvalidParameter "<param> Reason: An ARN must have at least 6 elements, not N". */
export function arnParam(value: string | undefined, param: string): ParsedArn {
  const v = value ?? '';
  const arn = parseArn(v);
  if (!arn) throw notAnArn(param, v);
  return arn;
}

/**
 * A topic ARN the request may act on: well formed [rec], in the region the request is signed for
 * ("Invalid parameter: TopicArn" otherwise [rec]). An unsigned request (a SubscribeURL or
 * UnsubscribeURL followed from a browser) takes the region from the ARN.
 */
export function topicArnParam(ctx: Pick<RequestContext, 'region' | 'accessKeyId'>, value: string | undefined, param = 'TopicArn'): ParsedArn {
  const arn = arnParam(value, param);
  if (ctx.accessKeyId !== undefined && arn.region !== ctx.region) throw invalidParameter(param);
  return arn;
}

/** The region a request acts in: the signed one, or the ARN's for unsigned requests. */
export function regionFor(ctx: Pick<RequestContext, 'region' | 'accessKeyId'>, arn: ParsedArn): string {
  return ctx.accessKeyId === undefined && arn.region ? arn.region : ctx.region;
}

export function topicArnOf(region: string, accountId: string, name: string): string {
  return `arn:aws:sns:${region}:${accountId}:${name}`;
}

const STANDARD_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

/**
 * Topic name rules [rec]: 1-256 of [A-Za-z0-9_-]; a FIFO topic's name ends in ".fifo" (and only a
 * FIFO topic's). Every violation is "Invalid parameter: Topic Name".
 */
export function checkTopicName(name: string, fifo: boolean): void {
  if (!(fifo ? FIFO_NAME : STANDARD_NAME).test(name)) throw invalidParameter('Topic Name');
}
