/**
 * The console test page (/_testbed/console, src/cloud/admin/console/): its JSON endpoints from
 * Node (always run), and the page itself in a real Chromium driven by playwright-core: pick a
 * function with the keyboard, load a template, invoke synchronously and asynchronously, read the
 * result, REPORT numbers and log, save shareable and private events and see them after a reload,
 * and malformed requests answered with a 4xx JSON error. Where no Chromium is installed, the
 * browser tests are reported as skipped with the reason (never passed); the test installs nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startCloud, type RunningCloud } from '../../src/cloud';
import { parseReport } from '../../src/cloud/admin/console/report';
import { deployStack } from '../../src/testbed/deploy';
import { DEFAULT_CREDENTIALS } from '../../src/testbed/targets';

jest.setTimeout(120_000);

let running: RunningCloud;
let endpoint = '';
const FN = 'console-fn';
const OTHER = 'console-other';

beforeAll(async () => {
  running = await startCloud({ port: 0 });
  endpoint = running.endpoint;
  await deployStack({ endpoint, region: 'us-east-1', credentials: { ...DEFAULT_CREDENTIALS } }, { name: 'console', functions: { fn: { code: 'control' }, other: { code: 'control' } } });
});

afterAll(async () => {
  await running?.stop();
});

async function call(method: string, p: string, body?: unknown): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(`${endpoint}/_testbed/console/api/${p}`, { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** Polls until `accept` holds (no sleeps: each round trip is the wait). */
async function until<T>(read: () => Promise<T>, accept: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (accept(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('the console page and its endpoints (no browser)', () => {
  it('serves the page, its style and script from the cloud', async () => {
    const page = await fetch(`${endpoint}/_testbed/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    for (const label of ['<label for="function">Function</label>', '<label for="template">Template</label>', '<label for="event-json">Event JSON</label>']) expect(html).toContain(label);
    expect(html).toMatch(/aria-live="polite"/);
    const js = await fetch(`${endpoint}/_testbed/console/console.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain("'/_testbed/console/api/'");
    expect((await fetch(`${endpoint}/_testbed/console/console.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${endpoint}/_testbed/console/nope.png`)).status).toBe(404);
    expect((await fetch(`${endpoint}/_testbed/console`, { method: 'POST' })).status).toBe(405);
  });

  it('lists functions with runtime, memory, timeout and their last invocations', async () => {
    await call('POST', 'invoke', { functionName: OTHER, payload: '{"value":1}' });
    const { status, json } = await call('GET', 'functions');
    expect(status).toBe(200);
    const other = json.functions.find((f: any) => f.name === OTHER);
    expect(other).toMatchObject({ region: 'us-east-1', runtime: 'nodejs20.x', memorySize: 128, timeout: 3, handler: 'index.handler', state: 'Active' });
    expect(other.lastInvocations[0]).toMatchObject({ trigger: 'console', outcome: 'success', executedVersion: '$LATEST' });
  });

  it('gives each template with this cloud’s account and clock', async () => {
    const { status, json } = await call('POST', 'templates/sqs', { options: { batchSize: 2, body: 'x' } });
    expect(status).toBe(200);
    expect(json.event.Records).toHaveLength(2);
    expect(json.event.Records[0].eventSourceARN).toBe('arn:aws:sqs:us-east-1:000000000000:example-queue');
    expect((await call('GET', 'templates')).json.templates.map((t: any) => t.name)).toContain('cloudfront-viewer-request');
    expect(await call('POST', 'templates/nope', {})).toMatchObject({ status: 404, json: { error: expect.stringMatching(/^unknown trigger "nope"/) } });
    expect(await call('POST', 'templates/sqs', { options: { batchSize: 0 } })).toMatchObject({ status: 400, json: { error: '--batch-size: must be from 1 to 10000, got 0' } });
  });

  it('invokes synchronously through Lambda’s invoke path: result, error, log tail and REPORT numbers', async () => {
    const ok = await call('POST', 'invoke', { functionName: FN, payload: JSON.stringify({ value: { hi: 1 }, log: ['from the console api'] }) });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ status: 200, executedVersion: '$LATEST', functionError: null, payload: '{"hi":1}' });
    expect(ok.json.logTail).toMatch(/^START RequestId: \S+ Version: \$LATEST/);
    expect(ok.json.logTail).toContain('from the console api');
    expect(ok.json.report).toMatchObject({ requestId: ok.json.requestId, memorySizeMB: 128 });
    expect(ok.json.report.durationMs).toBeGreaterThan(0);
    expect(ok.json.report.billedDurationMs).toBeGreaterThanOrEqual(1);
    expect(ok.json.report.maxMemoryUsedMB).toBeGreaterThan(0);
    const failed = await call('POST', 'invoke', { functionName: FN, event: { action: 'throw', message: 'broken on purpose' } });
    expect(failed.json).toMatchObject({ status: 200, functionError: 'Unhandled' });
    expect(JSON.parse(failed.json.payload)).toMatchObject({ errorType: 'Error', errorMessage: 'broken on purpose' });
    const inv = await until(
      () => call('GET', `functions`),
      (r) => r.json.functions.find((f: any) => f.name === FN).lastInvocations.some((i: any) => i.requestId === failed.json.requestId && i.outcome === 'error'),
    );
    expect(inv.status).toBe(200);
  });

  it('invokes asynchronously: 202, then the attempt, its log and REPORT numbers', async () => {
    const queued = await call('POST', 'invoke', { functionName: FN, invocationType: 'Event', payload: '{"log":["async hello"]}' });
    expect(queued.json).toEqual({ requestId: expect.any(String), status: 202 });
    const done = await until(
      () => call('GET', `invocations/${queued.json.requestId}?functionName=${FN}`),
      (r) => r.json.attempts.some((a: any) => a.outcome === 'success') && r.json.report !== null,
    );
    expect(done.json.attempts[0]).toMatchObject({ trigger: 'console', outcome: 'success' });
    expect(done.json.log).toContain('async hello');
    expect(done.json.report.requestId).toBe(queued.json.requestId);
  });

  it('keeps shareable events per function in the cloud', async () => {
    expect(await call('PUT', `functions/${FN}/events/order-1`, { event: '{"order":1}' })).toMatchObject({ status: 201, json: { saved: 'order-1' } });
    expect((await call('PUT', `functions/${FN}/events/order-1`, { event: { order: 2 } })).status).toBe(200);
    expect((await call('GET', `functions/${FN}/events`)).json.events).toEqual([{ name: 'order-1', event: '{"order":2}', savedAt: expect.any(Number) }]);
    expect((await call('GET', `functions/${OTHER}/events`)).json.events).toEqual([]);
    for (let i = 0; i < 9; i++) await call('PUT', `functions/${OTHER}/events/e${i}`, { event: {} });
    expect((await call('PUT', `functions/${OTHER}/events/e9`, { event: {} })).status).toBe(201);
    expect(await call('PUT', `functions/${OTHER}/events/e10`, { event: {} })).toMatchObject({ status: 409, json: { error: expect.stringMatching(/at most 10/) } });
    expect((await call('DELETE', `functions/${FN}/events/order-1`)).status).toBe(200);
    expect((await call('DELETE', `functions/${FN}/events/order-1`)).status).toBe(404);
  });

  it('answers malformed requests with a 4xx JSON error and nothing else changes', async () => {
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', 'invoke', '{not json', 400, /^the request body is not valid JSON/],
      ['POST', 'invoke', '[1]', 400, /must be a JSON object/],
      ['POST', 'invoke', {}, 400, /functionName is required/],
      ['POST', 'invoke', { functionName: 'no-such-function' }, 404, /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function/],
      ['POST', 'invoke', { functionName: FN, payload: '{oops' }, 400, /^Could not parse request body into json/],
      ['POST', 'invoke', { functionName: FN, invocationType: 'DryRun' }, 400, /invocationType must be RequestResponse or Event/],
      ['POST', 'invoke', { functionName: FN, region: 'moon' }, 400, /not a region/],
      ['GET', 'invoke', undefined, 405, /GET is not allowed/],
      ['DELETE', 'functions', undefined, 405, /DELETE is not allowed/],
      ['GET', 'nothing-here', undefined, 404, /unknown console endpoint/],
      ['GET', 'functions/no-such-function/events', undefined, 404, /Function not found/],
      ['PUT', `functions/${FN}/events/bad%20name`, { event: {} }, 400, /an event name has 1 to 25/],
      ['PUT', `functions/${FN}/events/x`, { event: '{bad' }, 400, /the event is not valid JSON/],
      ['PUT', `functions/${FN}/events/x`, {}, 400, /event is required/],
      ['POST', `functions/${FN}/events/x`, { event: {} }, 405, /POST is not allowed/],
      ['GET', `invocations/abc`, undefined, 400, /functionName is required/],
    ];
    for (const [method, p, body, status, error] of cases) {
      const r = await call(method, p, body);
      expect({ method, p, status: r.status }).toEqual({ method, p, status });
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(r.json.error).toMatch(error);
    }
    expect((await call('GET', 'invoke')).headers.get('allow')).toBe('POST');
    expect((await call('POST', 'invoke', { functionName: 'no-such-function' })).json.code).toBe('ResourceNotFoundException');
    // the cloud and the console still serve
    expect((await call('GET', 'functions')).status).toBe(200);
    expect((await call('POST', 'invoke', { functionName: FN, payload: '{}' })).json.status).toBe(200);
  });

  it('reads REPORT lines as the console does', () => {
    expect(parseReport('START x\nREPORT RequestId: r1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\tInit Duration: 150.50 ms\t\n')).toEqual({
      requestId: 'r1',
      durationMs: 12.34,
      billedDurationMs: 13,
      memorySizeMB: 256,
      maxMemoryUsedMB: 70,
      initDurationMs: 150.5,
    });
    expect(parseReport('REPORT RequestId: r2\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout')).toMatchObject({ status: 'timeout' });
    expect(parseReport('REPORT RequestId: r3\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: error\tError Type: Runtime.ExitError')).toMatchObject({ status: 'error', errorType: 'Runtime.ExitError' });
    expect(parseReport('no report here')).toBeUndefined();
  });
});

// ---------------------------------------------------------------- in Chromium

/** Debian's chromium (or another Chromium / Chrome) on PATH, or $TESTBED_CHROMIUM. */
function findChromium(): string | undefined {
  const explicit = process.env.TESTBED_CHROMIUM;
  if (explicit) return fs.existsSync(explicit) ? explicit : undefined;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      if (!dir) continue;
      const file = path.join(dir, name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const chromiumPath = findChromium();
const skipReason = chromiumPath
  ? undefined
  : 'no Chromium found (install Debian\'s "chromium" package: apt-get install -y chromium; or set TESTBED_CHROMIUM to a Chromium binary)';
if (skipReason) process.stderr.write(`testbed: skipping the console page's browser tests: ${skipReason}\n`);
const describeBrowser = skipReason ? (name: string, fn: () => void) => describe.skip(`${name} [skipped: ${skipReason}]`, fn) : describe;

describeBrowser('the console page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    // Playwright passes --no-sandbox (chromiumSandbox is off by default), which Chromium needs as root.
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-dev-shm-usage'] });
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterEach(() => {
    // the page's script never fails
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const value = (selector: string) => page.locator(selector).inputValue();
  // Page-side callbacks run in the browser; the project's types have no DOM lib, so they reach it through globalThis.
  const active = () => page.evaluate(() => (globalThis as any).document.activeElement?.id ?? '');
  const field = (name: string) => page.locator(`#result-summary [data-field="${name}"]`).innerText();

  /** Waits until the element's text (or a form control's value, or the count of matches) is as expected. */
  async function waitFor(p: Page, selector: string, kind: 'text' | 'value' | 'count', expected: string | RegExp | number): Promise<void> {
    const arg = {
      selector,
      kind,
      exact: typeof expected === 'string' || typeof expected === 'number' ? expected : null,
      source: expected instanceof RegExp ? expected.source : null,
      flags: expected instanceof RegExp ? expected.flags : '',
    };
    try {
      await p.waitForFunction(
        (a) => {
          const doc = (globalThis as any).document;
          if (a.kind === 'count') return doc.querySelectorAll(a.selector).length === a.exact;
          const el = doc.querySelector(a.selector);
          if (!el) return false;
          const got = a.kind === 'value' ? el.value : (el.textContent ?? '').trim();
          return a.source !== null ? new RegExp(a.source, a.flags).test(got) : got === a.exact;
        },
        arg,
        { timeout: 30_000 },
      );
    } catch {
      const got = await p.evaluate((a) => {
        const doc = (globalThis as any).document;
        if (a.kind === 'count') return String(doc.querySelectorAll(a.selector).length);
        const el = doc.querySelector(a.selector);
        return el ? (a.kind === 'value' ? el.value : (el.textContent ?? '').trim()) : '(no such element)';
      }, arg);
      throw new Error(`${selector}: expected ${kind} ${String(expected)}, got ${JSON.stringify(got).slice(0, 800)}`);
    }
  }
  const waitText = (selector: string, expected: string | RegExp, p: Page = page) => waitFor(p, selector, 'text', expected);
  const waitValue = (selector: string, expected: string | RegExp, p: Page = page) => waitFor(p, selector, 'value', expected);
  const waitCount = (selector: string, n: number, p: Page = page) => waitFor(p, selector, 'count', n);

  async function open(): Promise<void> {
    await page.goto(`${endpoint}/_testbed/console`);
    await page.waitForSelector('body[data-ready="true"]');
  }

  /** Tab until the element with this id has the focus. */
  async function tabTo(id: string): Promise<void> {
    for (let i = 0; i < 60 && (await active()) !== id; i++) await page.keyboard.press('Tab');
    expect(await active()).toBe(id);
  }

  /** Arrow keys through a focused select until its value satisfies `ok`. */
  async function arrowTo(id: string, ok: (v: string) => boolean, key: 'ArrowDown' | 'ArrowUp' = 'ArrowDown'): Promise<void> {
    for (let i = 0; i < 60 && !ok(await value(`#${id}`)); i++) await page.keyboard.press(key);
    expect(ok(await value(`#${id}`))).toBe(true);
  }

  async function typeEvent(text: string): Promise<void> {
    await page.focus('#event-json');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  it('picks a function with the keyboard, loads a template and invokes it with Ctrl+Enter', async () => {
    await open();
    expect(await page.locator('#functions-table tbody tr[data-function="console-fn"] td').nth(1).innerText()).toBe('nodejs20.x');
    await tabTo('function');
    await arrowTo('function', (v) => v === `us-east-1|${FN}`);
    await tabTo('template');
    await page.keyboard.type('eventbridge-sch');
    expect(await value('#template')).toBe('eventbridge-scheduled');
    await waitValue('#event-json', /"detail-type": "Scheduled Event"/);
    expect(await page.locator('#status').innerText()).toBe('Template eventbridge-scheduled loaded.');
    await page.focus('#event-json');
    await page.keyboard.press('Control+Enter');
    await waitText('#result-outcome', `Executing function: succeeded (${FN})`);
    expect(await field('status')).toBe('200');
    expect(await field('functionError')).toBe('none');
    expect(await page.locator('#result-payload').innerText()).toContain('"ok": true');
    expect(await page.locator('#result-log').innerText()).toMatch(/^START RequestId: [\w-]+ Version: \$LATEST[\s\S]*REPORT RequestId:/);
    expect(await field('duration')).toMatch(/^\d+(\.\d+)? ms$/);
    expect(await field('billedDuration')).toMatch(/^\d+ ms$/);
    expect(await field('maxMemoryUsed')).toMatch(/^\d+ MB$/);
    expect(await field('memorySize')).toBe('128 MB');
    expect(await field('initDuration')).toMatch(/^(\d+(\.\d+)? ms|none \(warm start\))$/);
    expect(await page.locator('#result-body').getAttribute('aria-live')).toBe('polite');
  });

  it('shows a custom event’s result and log, and a function error as the console does', async () => {
    await typeEvent('{"value":{"answer":42},"log":["hello from the browser"]}');
    await page.keyboard.press('Control+Enter');
    await waitText('#result-payload', /"answer": 42/);
    expect(await page.locator('#result-log').innerText()).toContain('hello from the browser');
    await typeEvent('{"action":"throw","message":"broken on purpose"}');
    await page.keyboard.press('Control+Enter');
    await waitText('#result-outcome', `Executing function: failed (${FN})`);
    expect(await field('functionError')).toBe('Unhandled');
    expect(await page.locator('#result-payload').innerText()).toContain('broken on purpose');
    await typeEvent('{"not": json');
    await page.keyboard.press('Control+Enter');
    await waitText('#event-json-error', /^The event is not valid JSON/);
    expect(await page.locator('#event-json').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#result-payload').innerText()).toContain('broken on purpose'); // nothing was sent
  });

  it('invokes asynchronously and follows the attempt', async () => {
    await typeEvent('{"log":["queued from the browser"]}');
    await page.focus('input[name="invocation-type"][value="RequestResponse"]');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('input[name="invocation-type"][value="Event"]').isChecked()).toBe(true);
    await page.keyboard.press('Enter');
    await waitText('#result-outcome', 'Accepted: the event is queued (status 202)');
    await waitText('#result-summary [data-field="attempts"]', /attempt 1: success/);
    await waitText('#result-log', /queued from the browser/);
  });

  it('saves a shareable event and a private one, and finds both after a reload', async () => {
    await typeEvent('{"shared":true}');
    await page.focus('#event-name');
    await page.keyboard.type('shared-one');
    await page.focus('input[name="sharing"][value="private"]');
    await page.keyboard.press('ArrowRight');
    await page.focus('#save');
    await page.keyboard.press('Enter');
    await waitText('#status', 'Saved shareable event shared-one.');
    await typeEvent('{"private":true}');
    await page.fill('#event-name', 'mine');
    await page.focus('input[name="sharing"][value="shareable"]');
    await page.keyboard.press('ArrowLeft');
    await page.focus('#save');
    await page.keyboard.press('Enter');
    await waitText('#status', 'Saved private event mine in this browser.');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await tabTo('function');
    await arrowTo('function', (v) => v === `us-east-1|${FN}`);
    await waitCount('#saved option[value="shareable:shared-one"]', 1);
    await waitCount('#saved option[value="private:mine"]', 1);
    await page.focus('#saved');
    await arrowTo('saved', (v) => v === 'shareable:shared-one');
    await waitValue('#event-json', '{"shared":true}');
    expect(await value('#event-name')).toBe('shared-one');
    await arrowTo('saved', (v) => v === 'private:mine', 'ArrowUp');
    await waitValue('#event-json', '{"private":true}');
    // the shareable one is the cloud's: another browser sees it, the private one it does not
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${endpoint}/_testbed/console`);
    await other.waitForSelector('body[data-ready="true"]');
    await other.selectOption('#function', `us-east-1|${FN}`);
    await waitCount('#saved option[value="shareable:shared-one"]', 1, other);
    await waitCount('#saved option[value="private:mine"]', 0, other);
    await other.close();
  });

  it('gets a 4xx JSON error for malformed requests to its endpoints, and keeps working', async () => {
    const answers = await page.evaluate(async () => {
      const go = async (method: string, p: string, body?: string) => {
        const r = await fetch(`/_testbed/console/api/${p}`, { method, body });
        return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
      };
      return [await go('POST', 'invoke', '{bad json'), await go('POST', 'invoke', '{"functionName":"nobody"}'), await go('GET', 'invoke')];
    });
    expect(answers[0]).toMatchObject({ status: 400, type: 'application/json', body: { error: expect.stringMatching(/not valid JSON/) } });
    expect(answers[1]).toMatchObject({ status: 404, body: { code: 'ResourceNotFoundException' } });
    expect(answers[2]).toMatchObject({ status: 405, body: { error: 'GET is not allowed on /_testbed/console/api/invoke' } });
    await typeEvent('{"value":"still fine"}');
    await page.focus('input[name="invocation-type"][value="Event"]');
    await page.keyboard.press('ArrowLeft');
    await page.focus('#event-json');
    await page.keyboard.press('Control+Enter');
    await waitText('#result-payload', '"still fine"');
  });

  it('has a visible focus ring and labels for every control', async () => {
    await page.focus('#function');
    const outline = await page.evaluate(() => {
      const g = globalThis as any;
      return g.getComputedStyle(g.document.activeElement).outlineStyle as string;
    });
    expect(outline).toBe('solid');
    const unlabeled = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      const controls: { id: string }[] = Array.from(doc.querySelectorAll('select, textarea, input:not([type=radio])'));
      return controls.filter((e) => !doc.querySelector(`label[for="${e.id}"]`)).map((e) => e.id);
    });
    expect(unlabeled).toEqual([]);
  });
});
