/**
 * What endpoints receive:
 *   - the JSON envelope of SQS and HTTP/S deliveries [rec]: Type, MessageId, (SequenceNumber),
 *     TopicArn, Subject (left out when unset), Message, Timestamp, SignatureVersion, Signature,
 *     SigningCertURL, UnsubscribeURL, MessageAttributes {Type, Value} (left out when none). FIFO
 *     topics' envelopes carry SequenceNumber and no signature fields [rec, 2025].
 *   - the Lambda event (§4): Records[0] {EventSource aws:sns, EventVersion 1.0, EventSubscriptionArn,
 *     Sns {..., Subject null when unset, SigningCertUrl/UnsubscribeUrl casing, MessageAttributes
 *     always}}. Its SignatureVersion always reads "1" while the signature follows the topic's
 *     version, as AWS does [rec].
 *   - raw delivery: the Message itself, with the message attributes as SQS message attributes.
 *   - SubscriptionConfirmation / UnsubscribeConfirmation messages with their Token and SubscribeURL.
 */
import type { DeliveryAttribute } from '../../deliver/types';
import { signMessage } from './signing';
import type { MessageAttribute, SnsMessage, SubscriptionRecord, TopicRecord } from './types';

/** The Message a protocol gets (MessageStructure json: its own entry, else "default"). */
export function protocolMessage(msg: SnsMessage, protocol: string): string {
  return msg.perProtocol?.[protocol] ?? msg.message;
}

/** Message attributes as envelopes carry them: {Type, Value}, binary values in base64. */
export function envelopeAttributes(attrs: Record<string, MessageAttribute>): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [k, a] of Object.entries(attrs)) out[k] = { Type: a.DataType, Value: a.BinaryValue ? a.BinaryValue.toString('base64') : (a.StringValue ?? '') };
  return out;
}

/** Message attributes as raw delivery hands them to SQS (same names, types and values). */
export function rawAttributes(attrs: Record<string, MessageAttribute>): Record<string, DeliveryAttribute> {
  const out: Record<string, DeliveryAttribute> = {};
  for (const [k, a] of Object.entries(attrs)) {
    out[k] = a.BinaryValue ? { DataType: a.DataType, BinaryValue: a.BinaryValue } : { DataType: a.DataType, StringValue: a.StringValue ?? '' };
  }
  return out;
}

export function unsubscribeUrl(endpoint: string, subscriptionArn: string): string {
  return `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

export function subscribeUrl(endpoint: string, topicArn: string, token: string): string {
  return `${endpoint}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`;
}

export const signatureVersion = (topic: TopicRecord): string => topic.attributes.SignatureVersion ?? '1';

/** Signatures are made once per message and Message text. */
const signatures = new WeakMap<SnsMessage, Map<string, Promise<{ signature: string; certUrl: string }>>>();

function notificationSignature(msg: SnsMessage, message: string) {
  let byText = signatures.get(msg);
  if (!byText) signatures.set(msg, (byText = new Map()));
  let s = byText.get(message);
  if (!s) {
    s = signMessage(
      { Type: msg.type, MessageId: msg.messageId, Subject: msg.subject, Timestamp: msg.timestamp, TopicArn: msg.topic.arn, Message: message },
      signatureVersion(msg.topic),
      msg.endpoint,
    );
    byText.set(message, s);
  }
  return s;
}

/** The JSON envelope an SQS queue or HTTP/S endpoint gets (also what a DLQ gets). */
export async function notificationEnvelope(msg: SnsMessage, sub: SubscriptionRecord, protocol = sub.protocol): Promise<string> {
  const message = protocolMessage(msg, protocol);
  const out: Record<string, unknown> = { Type: msg.type, MessageId: msg.messageId };
  if (msg.topic.fifo && msg.sequenceNumber !== undefined) out.SequenceNumber = msg.sequenceNumber;
  out.TopicArn = msg.topic.arn;
  if (msg.subject !== undefined) out.Subject = msg.subject;
  out.Message = message;
  out.Timestamp = msg.timestamp;
  if (!msg.topic.fifo) {
    const { signature, certUrl } = await notificationSignature(msg, message);
    out.SignatureVersion = signatureVersion(msg.topic);
    out.Signature = signature;
    out.SigningCertURL = certUrl;
  }
  out.UnsubscribeURL = unsubscribeUrl(msg.endpoint, sub.arn);
  if (Object.keys(msg.attributes).length) out.MessageAttributes = envelopeAttributes(msg.attributes);
  return JSON.stringify(out);
}

/** The event a Lambda function subscribed to the topic is invoked with (§4). */
export async function lambdaEvent(msg: SnsMessage, sub: SubscriptionRecord): Promise<string> {
  const message = protocolMessage(msg, 'lambda');
  const { signature, certUrl } = await notificationSignature(msg, message);
  return JSON.stringify({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: sub.arn,
        Sns: {
          Type: msg.type,
          MessageId: msg.messageId,
          TopicArn: msg.topic.arn,
          Subject: msg.subject ?? null,
          Message: message,
          Timestamp: msg.timestamp,
          SignatureVersion: '1', // [rec] always "1", whatever the topic's version
          Signature: signature,
          SigningCertUrl: certUrl,
          UnsubscribeUrl: unsubscribeUrl(msg.endpoint, sub.arn),
          MessageAttributes: envelopeAttributes(msg.attributes),
        },
      },
    ],
  });
}

export interface Confirmation {
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  token: string;
  topic: TopicRecord;
  subscriptionArn: string;
  timestamp: string;
  endpoint: string;
}

/** The confirmation message [rec texts], signed. */
export async function confirmationBody(c: Confirmation): Promise<string> {
  const message =
    c.type === 'SubscriptionConfirmation'
      ? `You have chosen to subscribe to the topic ${c.topic.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
      : `You have chosen to deactivate subscription ${c.subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
  const url = subscribeUrl(c.endpoint, c.topic.arn, c.token);
  const fields = { Type: c.type, MessageId: c.messageId, Token: c.token, TopicArn: c.topic.arn, Message: message, SubscribeURL: url, Timestamp: c.timestamp };
  const { signature, certUrl } = await signMessage(fields, signatureVersion(c.topic), c.endpoint);
  return JSON.stringify({ ...fields, SignatureVersion: signatureVersion(c.topic), Signature: signature, SigningCertURL: certUrl });
}
