/**
 * Event templates: realistic, AWS-shaped events for every trigger this project serves, with
 * options for the fields people change. Used by `testbed generate-event`, the console page
 * (/_testbed/console) and scenarios that need an event without its trigger. Pure functions, no
 * I/O; deterministic with a fixed `now` and `ids: sequentialIds()`.
 *
 *   generateEvent('apigateway-v1', { path: '/items', method: 'POST', body: { a: 1 } })
 *   generateEvent('sqs', { batchSize: 3 }, { now: 0, ids: sequentialIds() })
 *
 *   http.ts        apigateway-v1, apigateway-v2, function-url, alb
 *   cloudfront.ts  cloudfront-viewer-request, -origin-request, -origin-response, -viewer-response
 *   messaging.ts   sns, sqs, sqs-fifo, eventbridge, eventbridge-scheduled
 *   streams.ts     kinesis
 *   s3.ts          s3-put, s3-delete
 *   async.ts       destination-success, destination-failure, dlq
 *   shape.ts       sameShape / shapeDiff: the drift check against the events triggers produce
 *   options.ts     option values from the command line, JSON or code, checked
 *
 * Each template was checked field for field against the event this cloud's trigger produces
 * (scenarios/templates.test.ts), so they cannot drift apart.
 */
import { ASYNC_TEMPLATES } from './async';
import { CLOUDFRONT_TEMPLATES } from './cloudfront';
import { HTTP_TEMPLATES } from './http';
import { MESSAGING_TEMPLATES } from './messaging';
import { coerceOptions } from './options';
import { S3_TEMPLATES } from './s3';
import { STREAM_TEMPLATES } from './streams';
import { TemplateError, type EventTemplate, type TemplateContext } from './types';

export { sequentialIds } from './context';
export { flagOf } from './options';
export { sameShape, shapeDiff, type ShapeOptions } from './shape';
export { TemplateError, type EventTemplate, type IdSource, type OptionDef, type OptionType, type TemplateContext } from './types';

/** Every template, in the order help lists them. */
export const TEMPLATES: readonly EventTemplate[] = [
  ...HTTP_TEMPLATES,
  ...CLOUDFRONT_TEMPLATES,
  ...MESSAGING_TEMPLATES,
  ...STREAM_TEMPLATES,
  ...S3_TEMPLATES,
  ...ASYNC_TEMPLATES,
];

export const TEMPLATE_NAMES: readonly string[] = TEMPLATES.map((t) => t.name);

export function findTemplate(name: string): EventTemplate | undefined {
  return TEMPLATES.find((t) => t.name === name);
}

/**
 * The event of one template with these options (checked and coerced: strings from a command line,
 * JSON values or native ones). Throws TemplateError for an unknown template, option or bad value.
 */
export function generateEvent(name: string, options: Record<string, unknown> = {}, ctx: TemplateContext = {}): Record<string, unknown> {
  const template = findTemplate(name);
  if (!template) throw new TemplateError(`unknown trigger "${name}" (one of: ${TEMPLATE_NAMES.join(', ')})`);
  return template.build(coerceOptions(template.options, options, name), ctx);
}

/** The templates as data (the console page's list, the help text). */
export function describeTemplates(): { name: string; family: string; title: string; options: EventTemplate['options'] }[] {
  return TEMPLATES.map((t) => ({ name: t.name, family: t.family, title: t.title, options: t.options }));
}
