/**
 * What the container tests share: finding a running Docker daemon (or the reason there is none), a
 * skipped test that says why, running the docker CLI, a CliIo that records what `serve` prints, and a
 * small function that reports its process and what it sees of the cloud.
 */
import { execFile, execFileSync } from 'node:child_process';
import http from 'node:http';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';

export const REGION = 'us-east-1';
export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

/** A test that cannot run here: skipped, with the reason in its title and on stderr. */
export function skip(name: string, reason: string): void {
  process.stderr.write(`testbed: skipping "${name}": ${reason}\n`);
  it.skip(`${name} [skipped: ${reason}]`, () => undefined);
}

/** The Docker server version, or why Docker cannot be used here (asked once, when the file loads). */
export function dockerStatus(): { version: string } | { reason: string } {
  if (process.platform !== 'linux') return { reason: `the registry-free image build needs Linux (this is ${process.platform})` };
  try {
    const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    }).trim();
    return { version };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') return { reason: 'docker: command not found (install Docker to run the container tests)' };
    const why = String(err.stderr ?? err.message).trim().split('\n').filter(Boolean).pop() ?? 'no answer';
    return { reason: `the Docker daemon is not running (${why})` };
  }
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never rejects (a failure is a non-zero code). */
export function exec(file: string, args: string[], opts: { timeout?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', timeout: opts.timeout ?? 60_000, maxBuffer: 16 * 1024 * 1024, env: opts.env, cwd: opts.cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? Number((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `docker <args>`; throws with docker's message when it fails. */
export async function docker(...args: string[]): Promise<string> {
  const r = await exec('docker', args, { timeout: 120_000 });
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${r.code}): ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/**
 * GET over node:http, failing after 2 s of silence. Used to poll a container that is starting:
 * Docker's port proxy accepts connections before the container listens and then resets them, and
 * fetch (undici) was seen to never settle on such a connection.
 */
export function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 2_000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within 2 s`)));
    req.on('error', reject);
  });
}

export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({ endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

/**
 * A function that answers with its event, its process id, the account the runtime's own AWS SDK
 * sees through AWS_ENDPOINT_URL (GetCallerIdentity), and that endpoint.
 */
export function whoamiZip(): Uint8Array {
  const code = `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
exports.handler = async (event) => {
  const id = await new STSClient({}).send(new GetCallerIdentityCommand({}));
  return { event, pid: process.pid, account: id.Account, endpoint: process.env.AWS_ENDPOINT_URL };
};`;
  return zipSync({ 'index.js': new TextEncoder().encode(code) });
}

/** A CliIo that records output and exit codes, and lets a test deliver signals. */
export { fakeIo } from '../unit/cli-helpers';
