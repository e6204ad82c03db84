/**
 * Non-proxy integrations' mapping: the request template chosen by Content-Type under the
 * passthroughBehavior rules, the MOCK integration (its status code comes from the rendered request
 * template's `statusCode`), and the integration response chosen by selectionPattern with its
 * response template and static response parameters [doc: "Set up mock integrations",
 * "Integration passthrough behaviors"; rec: test_apigateway_basic.snapshot.json mock responses].
 *
 *   WHEN_NO_MATCH      no template for the Content-Type: the body passes through
 *   WHEN_NO_TEMPLATES  no templates at all: passes through; templates but none matching: 415
 *   NEVER              no template for the Content-Type: 415
 */
import type { Integration, IntegrationResponse } from '../../services/apigateway/types';
import { jsonPath, renderTemplate, type Rendered, type TemplateInput } from './templates';

export type RequestMapping = { kind: 'body'; body: string } | { kind: 'unsupported-media-type' };

function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase() || 'application/json';
}

/** The integration request body: the request template's rendering, or the body passed through. */
export function mapRequest(integration: Integration, contentType: string | undefined, input: TemplateInput): RequestMapping {
  const templates = integration.requestTemplates ?? {};
  const ct = mediaType(contentType);
  const key = Object.keys(templates).find((k) => k.toLowerCase() === ct);
  if (key !== undefined) return { kind: 'body', body: renderTemplate(templates[key] ?? '', input).text };
  const behavior = integration.passthroughBehavior;
  if (behavior === 'NEVER' || (behavior === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length > 0)) return { kind: 'unsupported-media-type' };
  return { kind: 'body', body: input.body };
}

/** MOCK's status code: `statusCode` of the rendered request template (JSON, or the `{statusCode: 200}` shape CDK writes). */
export function mockStatusCode(body: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const m = /^\s*\{[\s\S]*?['"]?statusCode['"]?\s*:\s*(\d+)[\s\S]*\}\s*$/.exec(body);
    return m ? Number(m[1]) : undefined;
  }
  const code = parsed && typeof parsed === 'object' ? (parsed as { statusCode?: unknown }).statusCode : undefined;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}

/** The integration response whose selectionPattern matches the whole value, else the default one. */
export function selectIntegrationResponse(responses: Record<string, IntegrationResponse>, value: string): IntegrationResponse | undefined {
  const all = Object.values(responses);
  const matching = all.find((r) => {
    if (!r.selectionPattern) return false;
    try {
      return new RegExp(`^(?:${r.selectionPattern})$`, 's').test(value);
    } catch {
      return false;
    }
  });
  return matching ?? all.find((r) => !r.selectionPattern);
}

export interface MappedResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/**
 * The method response from an integration response: its template (by the request's Accept, else
 * application/json, else the first) rendered over the endpoint's body, static `'value'` and
 * `integration.response.body[.path]` response parameters, and #set overrides.
 */
export function mapResponse(r: IntegrationResponse, endpointBody: string, accept: string | undefined, input: TemplateInput): MappedResponse {
  const templates = r.responseTemplates ?? {};
  const keys = Object.keys(templates);
  const wanted = accept ? accept.split(',').map((a) => a.split(';')[0].trim().toLowerCase()) : [];
  const key = keys.find((k) => wanted.includes(k.toLowerCase())) ?? keys.find((k) => k.toLowerCase() === 'application/json') ?? keys[0];
  let rendered: Rendered | undefined;
  if (key !== undefined) rendered = renderTemplate(templates[key] ?? '', { ...input, body: endpointBody });
  const headers: [string, string][] = [];
  for (const [target, source] of Object.entries(r.responseParameters ?? {})) {
    const h = /^method\.response\.header\.(.+)$/.exec(target);
    if (!h) continue;
    const literal = /^'(.*)'$/s.exec(source);
    let value: string | undefined;
    if (literal) value = literal[1];
    else if (source === 'integration.response.body') value = endpointBody;
    else if (source.startsWith('integration.response.body.')) {
      let doc: unknown;
      try {
        doc = JSON.parse(endpointBody);
      } catch {
        doc = undefined;
      }
      const v = jsonPath(doc, `$.${source.slice('integration.response.body.'.length)}`);
      if (v !== undefined) value = typeof v === 'string' ? v : JSON.stringify(v);
    }
    if (value !== undefined) headers.push([h[1], value]);
  }
  for (const [k, v] of Object.entries(rendered?.headerOverrides ?? {})) headers.push([k, v]);
  return { status: rendered?.statusOverride ?? Number(r.statusCode), headers, body: rendered ? rendered.text : endpointBody };
}
