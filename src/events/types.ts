/**
 * What every event template shares: its description (name, options for the fields people change),
 * the context that makes it deterministic (a fixed clock and id source), and the option types the
 * registry coerces from the command line, the console page or code.
 */

/** Where a template gets its ids from: successive UUID-like strings. */
export type IdSource = () => string;

/** What a template may take from its surroundings; everything has a default. */
export interface TemplateContext {
  /** The event's time: epoch ms or a Date (default: now). */
  now?: number | Date;
  /** Ids (message ids, request ids...); pass `sequentialIds()` for a deterministic event. */
  ids?: IdSource;
  /** Default us-east-1. */
  region?: string;
  /** Default 123456789012, the account AWS's documentation uses. */
  accountId?: string;
}

/**
 * Option value types:
 *   string   text as given
 *   integer  a whole number (min/max checked)
 *   boolean  true/false (the command line also takes yes/no, 1/0)
 *   json     any JSON value; on the command line, text that is not JSON is taken as a string
 *   map      name/value pairs: a JSON object, or "name=value" (headers also "Name: value"; query
 *            strings "a=1&b=2"); repeating an option adds pairs
 *   list     strings: a JSON array, or repeated options
 */
export type OptionType = 'string' | 'integer' | 'boolean' | 'json' | 'map' | 'list';

export interface OptionDef {
  /** camelCase; the command line spells it kebab-case (--partition-key). */
  name: string;
  type: OptionType;
  description: string;
  /** Shown in help: the value used when the option is not given. */
  default?: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** map options: how a plain "a=1&b=2" / "Name: value" text is split. */
  pairs?: 'query' | 'header';
}

/** One trigger's event template. */
export interface EventTemplate {
  /** What `generate-event` and the console call it: "apigateway-v1", "sqs-fifo", ... */
  name: string;
  /** The trigger family (the file it lives in): "http", "cloudfront", "messaging", "streams", "s3", "async". */
  family: string;
  /** One line: what the event is. */
  title: string;
  options: readonly OptionDef[];
  /**
   * Paths whose keys are data rather than structure (header names, message attribute names,
   * EventBridge detail...): a drift check compares only their values' shapes. Paths use dots,
   * `[]` for any element of an array: "Records[].Sns.MessageAttributes".
   */
  mapPaths: readonly string[];
  /** Paths whose contents are free-form (a body, a detail, a payload): a drift check skips them. */
  freePaths?: readonly string[];
  build(options: Record<string, unknown>, ctx?: TemplateContext): Record<string, unknown>;
}

/** A bad template name, option name or option value: the message is one line for the user. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** Name/value pairs in order, repeats kept (headers, query strings). */
export type Pairs = [string, string][];
