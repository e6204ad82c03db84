/**
 * XML in and out (fast-xml-parser). Bodies are checked for well-formedness first: a broken body is
 * MalformedXML [rec]. Parsed values stay strings; lists are made arrays by element name.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AwsError } from '../../errors';
import { malformedXML, missingRequestBody } from './errors';
import { S3_NAMESPACE, type S3Context, type S3Response } from './types';

/** Elements that may repeat (flattened lists in the S3 model). */
const LISTS = new Set([
  'Object',
  'Part',
  'Tag',
  'TopicConfiguration',
  'QueueConfiguration',
  'CloudFunctionConfiguration',
  'Event',
  'FilterRule',
  'Rule',
  'CORSRule',
  'Grant',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  removeNSPrefix: true,
  isArray: (name) => LISTS.has(name),
});

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressBooleanAttributes: false });

export type XmlNode = Record<string, unknown>;

/** The body parsed: { Root: {...} }. Empty bodies are MissingRequestBodyError, broken ones MalformedXML. */
export function parseXml(body: Buffer, opts: { allowEmpty?: boolean } = {}): XmlNode | undefined {
  const text = body.toString('utf8').trim();
  if (text === '') {
    if (opts.allowEmpty) return undefined;
    throw missingRequestBody();
  }
  if (XMLValidator.validate(text) !== true) throw malformedXML();
  let out: XmlNode;
  try {
    out = parser.parse(text) as XmlNode;
  } catch {
    throw malformedXML();
  }
  delete out['?xml'];
  return out;
}

/** The root element's content; MalformedXML when the root is another element. */
export function rootOf(doc: XmlNode | undefined, name: string): XmlNode {
  const root = doc?.[name];
  if (root === undefined) throw malformedXML();
  if (root === '' || root === null) return {};
  if (typeof root !== 'object' || Array.isArray(root)) throw malformedXML();
  return root as XmlNode;
}

/** A child element's text, or undefined. */
export function text(node: XmlNode, name: string): string | undefined {
  const v = node[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return undefined;
  return String(v);
}

/** A repeated child element as a list of nodes ('' entries become {}). */
export function list(node: XmlNode, name: string): XmlNode[] {
  const v = node[name];
  if (v === undefined) return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => (x && typeof x === 'object' ? (x as XmlNode) : {}));
}

/** A child element as a node. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  const v = node[name];
  if (v === undefined) return undefined;
  if (v === '' || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) return undefined;
  return v as XmlNode;
}

/** An XML document with the S3 namespace on its root. Undefined members are left out. */
export function buildXml(root: string, content: XmlNode | string, withNamespace = true): string {
  const body = typeof content === 'string' ? { '#text': content } : prune(content);
  const rootNode = withNamespace ? { '@_xmlns': S3_NAMESPACE, ...body } : body;
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, [root]: rootNode }) as string;
}

function prune(node: XmlNode): XmlNode {
  const out: XmlNode = {};
  for (const [k, v] of Object.entries(node)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) out[k] = v.map((x) => (x && typeof x === 'object' ? prune(x as XmlNode) : x));
    else if (v && typeof v === 'object') out[k] = prune(v as XmlNode);
    else out[k] = v;
  }
  return out;
}

export function baseHeaders(ctx: S3Context): Record<string, string> {
  return { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': ctx.hostId, server: 'AmazonS3' };
}

export function xmlAnswer(ctx: S3Context, root: string, content: XmlNode | string, extra: Record<string, string> = {}, status = 200): S3Response {
  return { status, headers: { ...baseHeaders(ctx), 'content-type': 'application/xml', ...extra }, body: buildXml(root, content) };
}

export function emptyAnswer(ctx: S3Context, status = 200, extra: Record<string, string> = {}): S3Response {
  return { status, headers: { ...baseHeaders(ctx), ...extra }, body: '' };
}

/** AWS's error document; HEAD answers and 304s have no body (the SDKs read the status alone). */
export function errorAnswer(ctx: S3Context, e: AwsError, method: string): S3Response {
  const headers: Record<string, string> = { ...baseHeaders(ctx), ...(e.options.headers ?? {}) };
  if (method === 'HEAD' || e.status === 304) return { status: e.status, headers, body: '' };
  const fields = (e.options.fields ?? {}) as XmlNode;
  const doc = { Code: e.code, Message: e.message, ...fields, RequestId: ctx.requestId, HostId: ctx.hostId };
  return { status: e.status, headers: { ...headers, 'content-type': 'application/xml' }, body: buildXml('Error', doc, false) };
}

/** A repeated child element's texts (<Event>a</Event><Event>b</Event> -> ['a', 'b']). */
export function texts(node: XmlNode, name: string): string[] {
  const v = node[name];
  if (v === undefined || v === null) return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.filter((x) => typeof x !== 'object').map(String);
}
