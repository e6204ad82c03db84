/**
 * CloudFront's REST-XML: request bodies read and response bodies written with the AWS SDK's own
 * XML codec over the CloudFront model's schemas (exported by @aws-sdk/client-cloudfront), so element
 * names, list member names (`<Items><Origin>`), booleans, numbers and timestamps are the model's,
 * exactly the inverse of what the SDK clients write and read. Errors are
 * `<ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
import { Distribution$, DistributionConfig$, DistributionConfigWithTags$, DistributionList$, Tags$ } from '@aws-sdk/client-cloudfront';
import { XmlCodec } from '@aws-sdk/core/protocols';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AwsError } from '../../errors';
import type { RawResponse } from '../../protocols/types';
import { malformedXmlDocument, missingBody } from './errors';

export const CF_NAMESPACE = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

/** The schemas of the payloads this service reads or writes. */
export const SCHEMAS = {
  Distribution: Distribution$,
  DistributionConfig: DistributionConfig$,
  DistributionConfigWithTags: DistributionConfigWithTags$,
  DistributionList: DistributionList$,
  Tags: Tags$,
} as const;
export type PayloadName = keyof typeof SCHEMAS;

const codec = new XmlCodec({
  xmlNamespace: CF_NAMESPACE,
  serviceNamespace: 'com.amazonaws.cloudfront',
  // Timestamps as ISO 8601 with milliseconds (`2022-10-10T21:52:23.837Z`), as CloudFront writes them.
  timestampFormat: { useTrait: true, default: 5 },
});

const rootReader = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

/**
 * A request body as the payload `root` (its model shape), or MissingBody / MalformedXML when the
 * body is empty, not XML, or another element.
 */
export function readPayload<T>(body: Buffer, root: PayloadName): T {
  const text = body.toString('utf8');
  if (text.trim() === '') throw missingBody();
  if (XMLValidator.validate(text) !== true) throw malformedXmlDocument();
  let parsed: Record<string, unknown>;
  try {
    parsed = rootReader.parse(text) as Record<string, unknown>;
  } catch {
    throw malformedXmlDocument();
  }
  const top = Object.keys(parsed).filter((k) => k !== '?xml');
  if (top.length !== 1 || top[0] !== root) throw malformedXmlDocument();
  const value: unknown = codec.createDeserializer().read(SCHEMAS[root], text);
  if (!value || typeof value !== 'object') throw malformedXmlDocument();
  return value as T;
}

/** A payload written as its model shape: `<?xml version="1.0"?>` then `<Root xmlns="...">...`. */
export function writePayload(root: PayloadName, value: unknown): string {
  const serializer = codec.createSerializer();
  serializer.write(SCHEMAS[root], value);
  return `<?xml version="1.0"?>\n${String(serializer.flush())}`;
}

export function xmlAnswer(status: number, requestId: string, body?: string, headers: Record<string, string> = {}): RawResponse {
  return {
    status,
    headers: { 'x-amzn-requestid': requestId, ...(body === undefined ? {} : { 'content-type': 'text/xml' }), ...headers },
    body: body ?? '',
  };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** CloudFront's error document (as the SDK's rest-xml error parser reads it: Error.Code, Error.Message). */
export function xmlError(err: AwsError, requestId: string): RawResponse {
  const body =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${CF_NAMESPACE}"><Error><Type>${err.sender ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return xmlAnswer(err.status, requestId, body, err.options.headers ?? {});
}
