/**
 * `testbed generate-event <trigger> [options]`: prints a realistic event for a trigger as JSON on
 * stdout, as `sam local generate-event <service> <event>` does. The triggers and their options are
 * the event templates' (src/events); the options are parsed here rather than by commander, since
 * each trigger has its own. An unknown trigger, option or bad value is one line on stderr and exit
 * code 2, with nothing on stdout.
 *
 *   testbed generate-event                       the triggers
 *   testbed generate-event sqs --help            its options
 *   testbed generate-event apigateway-v1 --path /items --method POST --body '{"a":1}'
 */
import type { Command } from 'commander';
import { describeTemplates, findTemplate, flagOf, generateEvent, sequentialIds, TemplateError, type EventTemplate, type OptionDef, type TemplateContext } from '../events';
import type { CliIo } from './index';

/** Exit code for a usage error (unknown trigger, option or value), as shells use it. */
export const USAGE_ERROR = 2;

/** Options every trigger takes (the event's surroundings). */
const GLOBAL_OPTIONS: OptionDef[] = [
  { name: 'region', type: 'string', description: 'AWS region in ARNs and hosts', default: 'us-east-1' },
  { name: 'accountId', type: 'string', description: 'account id in ARNs', default: '123456789012' },
  { name: 'time', type: 'string', description: "the event's time: ISO 8601 or epoch milliseconds", default: 'now' },
  { name: 'seed', type: 'string', description: 'derive every id from this seed: the same command prints the same event', default: 'random ids' },
  { name: 'compact', type: 'boolean', description: 'print the JSON on one line', default: 'false' },
];

/** One example per trigger: shown by each trigger's --help (and checked to run, test/unit/generate-event.test.ts). */
export const EXAMPLES = [
  "testbed generate-event apigateway-v1 --path /items --method POST --body '{\"a\":1}'",
  "testbed generate-event apigateway-v2 --path /items --query 'a=1&b=2' --headers 'Authorization: Bearer x'",
  'testbed generate-event function-url --method POST --body hello',
  'testbed generate-event alb --path /health --multi-value',
  'testbed generate-event cloudfront-viewer-request --uri /index.html --headers "Accept: text/html"',
  'testbed generate-event cloudfront-origin-request --uri /api/items --origin-type s3',
  'testbed generate-event cloudfront-origin-response --status 404',
  'testbed generate-event cloudfront-viewer-response --response-headers "Cache-Control: max-age=60"',
  "testbed generate-event sns --message '{\"order\":1}' --subject Orders --attributes kind=order",
  'testbed generate-event sqs --body hello --batch-size 3',
  'testbed generate-event sqs-fifo --message-group-id g1 --batch-size 2',
  'testbed generate-event eventbridge --source com.example --detail-type "Order Placed" --detail \'{"id":1}\'',
  'testbed generate-event eventbridge-scheduled --rule nightly',
  'testbed generate-event kinesis --data hello --partition-key pk --batch-size 2',
  "testbed generate-event s3-put --bucket photos --key 'a b.jpg' --size 2048",
  'testbed generate-event s3-delete --bucket photos --key a.jpg',
  "testbed generate-event destination-success --function-name my-fn --response-payload '{\"ok\":true}'",
  'testbed generate-event destination-failure --error-message boom --condition RetriesExhausted',
  "testbed generate-event dlq --event '{\"a\":1}' --error-message boom",
];

function optionLines(defs: readonly OptionDef[]): string[] {
  return defs.map((d) => {
    const value = d.type === 'boolean' ? '' : ` <${d.type === 'map' ? 'name=value' : d.type === 'list' ? 'value' : d.type}>`;
    const left = `  ${flagOf(d.name)}${value}`;
    const more = [d.choices ? `one of ${d.choices.join(', ')}` : '', d.default !== undefined ? `default ${d.default}` : '', d.type === 'map' || d.type === 'list' ? 'repeatable' : '']
      .filter(Boolean)
      .join('; ');
    return `${left.padEnd(34)} ${d.description}${more ? ` (${more})` : ''}`;
  });
}

/** `testbed generate-event --help`: usage, the triggers, the shared options, examples. */
export function generalHelp(): string {
  const templates = describeTemplates();
  const width = Math.max(...templates.map((t) => t.name.length)) + 2;
  return [
    'Usage: testbed generate-event <trigger> [options]',
    '',
    'Print a realistic event for a trigger as JSON (like `sam local generate-event`).',
    '',
    'Triggers:',
    ...templates.map((t) => `  ${t.name.padEnd(width)}${t.title}`),
    '',
    'Options of every trigger:',
    ...optionLines(GLOBAL_OPTIONS),
    '  --help                             the trigger\'s own options',
    '',
    'Examples:',
    ...EXAMPLES.slice(0, 4).map((e) => `  ${e}`),
    '',
    'Run "testbed generate-event <trigger> --help" for its options.',
  ].join('\n');
}

/** `testbed generate-event <trigger> --help`. */
export function triggerHelp(t: EventTemplate): string {
  const examples = EXAMPLES.filter((e) => e.startsWith(`testbed generate-event ${t.name} `));
  return [
    `Usage: testbed generate-event ${t.name} [options]`,
    '',
    `${t.title}.`,
    '',
    'Options:',
    ...optionLines(t.options),
    ...optionLines(GLOBAL_OPTIONS),
    ...(examples.length ? ['', 'Example:', ...examples.map((e) => `  ${e}`)] : []),
  ].join('\n');
}

type Parsed = { help: true; template?: EventTemplate } | { help: false; template: EventTemplate; options: Record<string, unknown>; globals: Record<string, unknown> };

/** The words after `generate-event`: the trigger, then --flag value / --flag=value pairs. */
export function parseGenerateEventArgs(args: string[]): Parsed {
  const [first, ...rest] = args;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { help: true };
  if (first.startsWith('-')) throw new TemplateError(`expected a trigger before ${first} (run "testbed generate-event --help" for the triggers)`);
  const template = findTemplate(first);
  if (!template) throw new TemplateError(`unknown trigger "${first}" (run "testbed generate-event --help" for the triggers)`);
  const byFlag = new Map<string, OptionDef>();
  for (const d of [...template.options, ...GLOBAL_OPTIONS]) byFlag.set(flagOf(d.name), d);
  const options: Record<string, unknown> = {};
  const globals: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (word === '--help' || word === '-h') return { help: true, template };
    if (!word.startsWith('--')) throw new TemplateError(`unexpected argument "${word}" (options are --name value)`);
    const eq = word.indexOf('=');
    const flag = eq > 0 ? word.slice(0, eq) : word;
    const def = byFlag.get(flag);
    if (!def) throw new TemplateError(`unknown option ${flag} for ${template.name} (run "testbed generate-event ${template.name} --help" for its options)`);
    let value: string;
    if (eq > 0) value = word.slice(eq + 1);
    else if (def.type === 'boolean' && (i + 1 >= rest.length || rest[i + 1].startsWith('--'))) value = 'true';
    else if (i + 1 < rest.length && !rest[i + 1].startsWith('--')) value = rest[++i];
    else throw new TemplateError(`${flag} needs a value`);
    const target = GLOBAL_OPTIONS.includes(def) ? globals : options;
    if (def.type === 'map' || def.type === 'list') target[def.name] = [...((target[def.name] as string[] | undefined) ?? []), value];
    else target[def.name] = value;
  }
  return { help: false, template, options, globals };
}

function contextOf(globals: Record<string, unknown>): TemplateContext {
  const ctx: TemplateContext = {};
  if (typeof globals.region === 'string') {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(globals.region)) throw new TemplateError(`--region: not a region name: ${JSON.stringify(globals.region)}`);
    ctx.region = globals.region;
  }
  if (typeof globals.accountId === 'string') {
    if (!/^\d{12}$/.test(globals.accountId)) throw new TemplateError(`--account-id: expected 12 digits, got ${JSON.stringify(globals.accountId)}`);
    ctx.accountId = globals.accountId;
  }
  if (typeof globals.time === 'string') {
    const t = /^\d+$/.test(globals.time) ? Number(globals.time) : Date.parse(globals.time);
    if (!Number.isFinite(t)) throw new TemplateError(`--time: expected ISO 8601 or epoch milliseconds, got ${JSON.stringify(globals.time)}`);
    ctx.now = t;
  }
  if (typeof globals.seed === 'string') ctx.ids = sequentialIds(globals.seed);
  return ctx;
}

/** Runs the command: the exit code (0, or 2 for a usage error). */
export function generateEventCommand(args: string[], io: CliIo): number {
  try {
    const parsed = parseGenerateEventArgs(args);
    if (parsed.help) {
      io.out(parsed.template ? triggerHelp(parsed.template) : generalHelp());
      return 0;
    }
    const ctx = contextOf(parsed.globals);
    const compact = parsed.globals.compact !== undefined && !['false', 'no', '0'].includes(String(parsed.globals.compact).toLowerCase());
    const event = generateEvent(parsed.template.name, parsed.options, ctx);
    io.out(compact ? JSON.stringify(event) : JSON.stringify(event, null, 2));
    return 0;
  } catch (e) {
    if (e instanceof TemplateError) {
      io.err(`testbed generate-event: ${e.message}`);
      return USAGE_ERROR;
    }
    throw e;
  }
}

/** Adds `generate-event` to the program (one line in index.ts). */
export function registerGenerateEvent(program: Command, io: CliIo): void {
  const cmd = program
    .command('generate-event')
    .description('print a realistic event for a trigger as JSON (API Gateway, Function URL, ALB, CloudFront, SNS, SQS, EventBridge, Kinesis, S3, destinations, DLQ)')
    .usage('<trigger> [options]')
    .argument('[trigger]', 'the trigger, then its options (see "testbed generate-event --help")')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action((_trigger: string | undefined, _opts: unknown, command: Command) => {
      io.exit(generateEventCommand(command.args, io));
    });
  // `testbed help generate-event` shows the same help as `testbed generate-event --help`.
  cmd.helpInformation = () => `${generalHelp()}\n`;
}
