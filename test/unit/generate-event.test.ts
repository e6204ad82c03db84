/**
 * `testbed generate-event <trigger> [options]` (src/cli/generate-event.ts): JSON on stdout, the
 * triggers with --help or no argument, each trigger's options, and a usage error as one line on
 * stderr with exit code 2 and nothing on stdout.
 */
import { createProgram, main } from '../../src/cli';
import { EXAMPLES } from '../../src/cli/generate-event';
import { TEMPLATE_NAMES } from '../../src/events';
import { fakeIo } from './cli-helpers';

async function run(...args: string[]) {
  const f = fakeIo();
  await main(['node', 'testbed', 'generate-event', ...args], f.io);
  return { out: f.lines.join('\n'), lines: f.lines, errors: f.errors, exits: f.exits };
}

async function event(...args: string[]): Promise<any> {
  const r = await run(...args);
  expect(r.errors).toEqual([]);
  expect(r.exits).toEqual([0]);
  return JSON.parse(r.out);
}

async function usageError(...args: string[]): Promise<string> {
  const r = await run(...args);
  expect(r.exits).toEqual([2]);
  expect(r.lines).toEqual([]);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]).not.toMatch(/\n/);
  return r.errors[0];
}

describe('testbed generate-event', () => {
  it('is listed in the program help', () => {
    const { io, lines } = fakeIo();
    createProgram(io).outputHelp();
    expect(lines.join('\n')).toMatch(/^\s+generate-event \[trigger\]\s+print a realistic event/m);
  });

  it('lists every trigger with no argument and with --help, exit 0', async () => {
    for (const args of [[], ['--help']]) {
      const r = await run(...args);
      expect(r.exits).toEqual([0]);
      expect(r.errors).toEqual([]);
      expect(r.out).toMatch(/^Usage: testbed generate-event <trigger> \[options\]/);
      for (const name of TEMPLATE_NAMES) expect(r.out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
  });

  it("shows a trigger's options with --help", async () => {
    const r = await run('apigateway-v1', '--help');
    expect(r.exits).toEqual([0]);
    expect(r.out).toMatch(/^Usage: testbed generate-event apigateway-v1 \[options\]/);
    for (const flag of ['--path', '--method', '--body', '--query', '--headers', '--stage', '--region', '--seed']) expect(r.out).toContain(`  ${flag}`);
    expect(r.out).toContain('one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS');
    expect((await run('sqs', '--batch-size', '2', '--help')).out).toMatch(/--batch-size <integer> +number of records/);
  });

  it('prints the event as JSON with the options applied', async () => {
    const e = await event('apigateway-v1', '--path', '/items', '--method', 'POST', '--body', '{"a":1}');
    expect(e).toMatchObject({ path: '/items', httpMethod: 'POST', body: '{"a":1}', resource: '/{proxy+}' });
    const q = await event('apigateway-v2', '--query', 'a=1&b=2', '--headers', 'X-One: 1', '--headers', 'x-two=2', '--base64');
    expect(q.queryStringParameters).toEqual({ a: '1', b: '2' });
    expect(q.headers).toMatchObject({ 'x-one': '1', 'x-two': '2' });
    expect(q.isBase64Encoded).toBe(true);
    expect((await event('sqs', '--batch-size=3', '--body', 'hi')).Records).toHaveLength(3);
    expect((await event('kinesis', '--data', 'a', '--data', 'b', '--partition-key', 'pk')).Records.map((r: any) => Buffer.from(r.kinesis.data, 'base64').toString())).toEqual(['a', 'b']);
    expect((await event('eventbridge', '--detail', '{"id":1}', '--detail-type', 'Order Placed')).detail).toEqual({ id: 1 });
    expect((await event('cloudfront-origin-response', '--status', '404')).Records[0].cf.response.status).toBe('404');
    expect((await event('alb', '--multi-value', 'false')).headers).toBeDefined();
  });

  it('is deterministic with --seed and --time, and takes --region and --account-id', async () => {
    const a = await run('sns', '--seed', 'x', '--time', '2025-01-02T03:04:05Z', '--region', 'eu-west-1', '--account-id', '000000000000');
    const b = await run('sns', '--seed', 'x', '--time', '2025-01-02T03:04:05Z', '--region', 'eu-west-1', '--account-id', '000000000000');
    expect(a.out).toBe(b.out);
    const e = JSON.parse(a.out);
    expect(e.Records[0].Sns.Timestamp).toBe('2025-01-02T03:04:05.000Z');
    expect(e.Records[0].Sns.TopicArn).toBe('arn:aws:sns:eu-west-1:000000000000:example-topic');
    const c = await run('sns', '--compact', '--seed', 'x', '--time', '0');
    expect(c.lines).toHaveLength(1);
    expect(JSON.parse(c.out).Records[0].Sns.Timestamp).toBe('1970-01-01T00:00:00.000Z');
  });

  it('has a working example for every trigger, shown in its --help', async () => {
    /** The words of a command line, as a POSIX shell splits it (single and double quotes). */
    const words = (line: string) => [...line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3]);
    for (const name of TEMPLATE_NAMES) {
      const example = EXAMPLES.find((e) => e.startsWith(`testbed generate-event ${name} `));
      expect({ name, example: example !== undefined }).toEqual({ name, example: true });
      expect((await run(name, '--help')).out).toContain(`  ${example}`);
      const [testbed, command, ...args] = words(example!);
      expect([testbed, command]).toEqual(['testbed', 'generate-event']);
      const e = await event(...args);
      expect(typeof e).toBe('object');
    }
  });

  it('answers an unknown trigger or option, or a bad value, with one line and exit code 2', async () => {
    expect(await usageError('apigateway')).toBe('testbed generate-event: unknown trigger "apigateway" (run "testbed generate-event --help" for the triggers)');
    expect(await usageError('sqs', '--partition-key', 'x')).toBe(
      'testbed generate-event: unknown option --partition-key for sqs (run "testbed generate-event sqs --help" for its options)',
    );
    expect(await usageError('sqs', '--batch-size', 'lots')).toBe('testbed generate-event: --batch-size: expected a whole number, got "lots"');
    expect(await usageError('sqs', '--batch-size')).toBe('testbed generate-event: --batch-size needs a value');
    expect(await usageError('sqs', 'stray')).toBe('testbed generate-event: unexpected argument "stray" (options are --name value)');
    expect(await usageError('--path', '/x')).toMatch(/^testbed generate-event: expected a trigger before --path/);
    expect(await usageError('apigateway-v1', '--method', 'FETCH')).toMatch(/--method: must be one of GET/);
    expect(await usageError('sns', '--time', 'yesterday')).toMatch(/--time: expected ISO 8601 or epoch milliseconds/);
    expect(await usageError('sns', '--account-id', '12')).toMatch(/--account-id: expected 12 digits/);
    expect(await usageError('eventbridge', '--detail', '[1]')).toMatch(/--detail: must be a JSON object/);
  });
});
