/**
 * Pure helpers shared by the execution-environment manager and the in-process bootstrap:
 * handler strings, log stream names, and the platform log lines (START / END / REPORT) and
 * error texts exactly as AWS Lambda prints them. No I/O, no state, no dependencies.
 */

/** Largest response a function may return synchronously (AWS: 6 MB + 100 bytes of envelope). */
export const MAX_RESPONSE_BYTES = 6291556;

export const RESPONSE_TOO_LARGE_BODY =
  '{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}';

export interface ParsedHandler {
  /** Folder part of the handler, relative to the task root ("" or "src/lambda/"). */
  moduleRoot: string;
  /** Module file name without extension ("index"). */
  module: string;
  /** Property path inside the module ("handler" or "nested.fn"). */
  handlerPath: string;
}

export class MalformedHandlerNameError extends Error {
  constructor(message: string) {
    super(message);
  }
}
MalformedHandlerNameError.prototype.name = 'Runtime.MalformedHandlerName';

/**
 * Parse `_HANDLER` as the Node.js runtime interface client does:
 * "path/to/module.fn.nested" -> moduleRoot "path/to/", module "module", handlerPath "fn.nested".
 */
export function parseHandler(fullHandler: string): ParsedHandler {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerNameError(
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const slash = fullHandler.lastIndexOf('/');
  const base = slash >= 0 ? fullHandler.slice(slash + 1) : fullHandler;
  const moduleRoot = slash >= 0 ? fullHandler.slice(0, slash + 1) : '';
  const m = /^([^.]*)\.(.*)$/.exec(base);
  if (!m || m.length !== 3) throw new MalformedHandlerNameError('Bad handler');
  return { moduleRoot, module: m[1], handlerPath: m[2] };
}

/** Lambda's log stream name for a new environment: `2024/01/31/[$LATEST]0123...` (32 lowercase hex). */
export function logStreamName(virtualNowMs: number, version: string, hex32: string): string {
  const d = new Date(virtualNowMs);
  const yyyy = d.getUTCFullYear().toString().padStart(4, '0');
  const mm = (d.getUTCMonth() + 1).toString().padStart(2, '0');
  const dd = d.getUTCDate().toString().padStart(2, '0');
  return `${yyyy}/${mm}/${dd}/[${version}]${hex32}`;
}

/** `AWS_Lambda_nodejs20.x` for runtime `nodejs20.x`. */
export function executionEnv(runtime: string): string {
  return `AWS_Lambda_${runtime}`;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedMs: number;
  memorySize: number;
  maxMemoryUsedMB: number;
  /** Present on cold starts only. */
  initDurationMs?: number;
  /** "timeout", or an error type for platform failures (crash, OOM, init error). */
  status?: { kind: 'timeout' } | { kind: 'error'; errorType: string };
}

export function reportLine(f: ReportFields): string {
  let s =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${f.billedMs} ms\t` +
    `Memory Size: ${f.memorySize} MB\tMax Memory Used: ${f.maxMemoryUsedMB} MB\t`;
  if (f.initDurationMs !== undefined) s += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  if (f.status?.kind === 'timeout') s += 'Status: timeout';
  else if (f.status?.kind === 'error') s += `Status: error\tError Type: ${f.status.errorType}`;
  return s + '\n';
}

/** Billed duration: whole milliseconds, rounded up; cold starts bill the Init phase too (since Aug 2025). */
export function billedDuration(durationMs: number, initDurationMs?: number): number {
  return Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0) - 1e-9));
}

/** "3.00" for a 3 s timeout, as `Task timed out after %.2f seconds`. */
export function timeoutSeconds(timeoutSec: number): string {
  return timeoutSec.toFixed(2);
}

export function timeoutLogLine(isoTs: string, requestId: string, timeoutSec: number): string {
  return `${isoTs} ${requestId} Task timed out after ${timeoutSeconds(timeoutSec)} seconds\n`;
}

export function timeoutErrorBody(requestId: string, timeoutSec: number): string {
  return JSON.stringify({
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds(timeoutSec)} seconds`,
  });
}

const SIGNAL_TEXT: Record<string, string> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
  SIGHUP: 'hangup',
  SIGPIPE: 'broken pipe',
  SIGTRAP: 'trace/breakpoint trap',
  SIGQUIT: 'quit',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

/** The reason text AWS prints when the runtime process exits (Go's ExitError.Error()). */
export function exitReason(code: number | null, signal: string | null): string {
  if (signal) return `Runtime exited with error: signal: ${SIGNAL_TEXT[signal] ?? signal.toLowerCase()}`;
  if (code === 0 || code === null) return 'Runtime exited without providing a reason';
  return `Runtime exited with error: exit status ${code}`;
}

/** Error body + log line of a process that died during an invocation. */
export function exitError(
  requestId: string,
  errorType: 'Runtime.ExitError' | 'Runtime.OutOfMemory' | string,
  reason: string,
): { body: string; logLine: string } {
  const errorMessage = `RequestId: ${requestId} Error: ${reason}`;
  return {
    body: JSON.stringify({ errorType, errorMessage }),
    logLine: `${errorMessage}\n${errorType}\n`,
  };
}

/** OOM: AWS reports the kernel kill, whatever signal V8 died with. */
export function outOfMemoryError(requestId: string): { body: string; logLine: string } {
  return exitError(requestId, 'Runtime.OutOfMemory', 'Runtime exited with error: signal: killed');
}

/** V8's messages when the heap limit is hit. */
export function isHeapOomText(text: string): boolean {
  return text.includes('heap out of memory') || text.includes('Reached heap limit') || text.includes('<--- Last few GCs --->');
}

/**
 * A console line in the Node.js runtime's text format: `<ISO ts>\t<requestId>\t<LEVEL>\t<message>\n`,
 * with newlines inside the message turned into carriage returns (one CloudWatch event per call).
 */
export function consoleLine(isoTs: string, requestId: string, level: string, message: string): string {
  return `${isoTs}\t${requestId}\t${level}\t${message.replace(/\n/g, '\r')}\n`;
}

/** Turn one raw output line (without its trailing "\n") into a CloudWatch event message. */
export function lineToMessage(line: string): string {
  return (line.includes('\r') ? line.replace(/\r/g, '\n') : line) + '\n';
}

/** Round a byte count up to whole MB as REPORT's "Max Memory Used" does. */
export function bytesToMB(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / (1024 * 1024)));
}
