import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Clock } from '../../src/cloud/clock';
import { EnvironmentManager } from '../../src/cloud/lambda/runtime/manager';
import type { InvokeRequest, LogSink, VersionSpec } from '../../src/cloud/lambda/runtime/types';

export interface PutCall {
  region: string;
  accountId: string;
  group: string;
  stream: string;
  events: { timestamp: number; message: string }[];
}

export class FakeSink implements LogSink {
  readonly calls: PutCall[] = [];
  put(region: string, accountId: string, group: string, stream: string, events: { timestamp: number; message: string }[]): void {
    this.calls.push({ region, accountId, group, stream, events: [...events] });
  }
  messages(stream?: string): string[] {
    return this.calls.filter((c) => !stream || c.stream === stream).flatMap((c) => c.events.map((e) => e.message));
  }
}

export const ENDPOINT = 'http://127.0.0.1:45666';

export class Fixture {
  readonly root = mkdtempSync(path.join(tmpdir(), 'rt-test-'));
  readonly clock = new Clock();
  readonly sink = new FakeSink();
  readonly manager: EnvironmentManager;
  private seq = 0;

  constructor(keepAliveMs?: number) {
    this.manager = new EnvironmentManager({
      clock: this.clock,
      logSink: this.sink,
      dataDir: path.join(this.root, 'data'),
      endpoint: () => ENDPOINT,
      keepAliveMs,
    });
  }

  /** Write a function's files into a fresh code folder and return a spec for it. */
  fn(files: Record<string, string>, over: Partial<VersionSpec> = {}): VersionSpec {
    const n = ++this.seq;
    const codeDir = path.join(this.root, `code${n}`);
    for (const [name, text] of Object.entries(files)) {
      const p = path.join(codeDir, name);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
    mkdirSync(codeDir, { recursive: true });
    const functionName = over.functionName ?? `fn${n}`;
    return {
      key: `key-${n}`,
      functionName,
      version: '$LATEST',
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
      region: 'us-east-1',
      accountId: '000000000000',
      codeDir,
      handler: 'index.handler',
      runtime: 'nodejs20.x',
      memorySize: 128,
      timeout: 10,
      environment: {},
      role: 'arn:aws:iam::000000000000:role/r',
      logGroupName: `/aws/lambda/${functionName}`,
      ...over,
    };
  }

  req(spec: VersionSpec, event: unknown = {}, over: Partial<InvokeRequest> = {}): InvokeRequest {
    return {
      requestId: `${spec.functionName}-req-${++this.seq}-0000-0000-000000000000`,
      payload: Buffer.from(JSON.stringify(event)),
      invokedFunctionArn: spec.functionArn,
      ...over,
    };
  }

  async invoke(spec: VersionSpec, event: unknown = {}, over: Partial<InvokeRequest> = {}) {
    const r = await this.manager.invoke(spec, this.req(spec, event, over));
    return { ...r, json: parse(r.payload) };
  }

  async close(): Promise<void> {
    await this.manager.shutdown();
    rmSync(this.root, { recursive: true, force: true });
  }
}

function parse(b: Buffer): any {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Poll a condition (no fixed sleeps): resolves when it holds, rejects after `ms`. */
export async function waitFor(cond: () => boolean, ms = 10000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
