/** What the CLI tests share: a fake terminal for `testbed` commands. */
import { EventEmitter } from 'node:events';
import type { CliIo } from '../../src/cli';

/** A CliIo that records output, exit codes and lets a test deliver signals. */
export function fakeIo() {
  const lines: string[] = [];
  const errors: string[] = [];
  const exits: number[] = [];
  const signals = new EventEmitter();
  const waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  const io: CliIo = {
    out(line) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.re.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    },
    err: (line) => void errors.push(line),
    onSignal(names, handler) {
      for (const n of names) signals.on(n, handler);
      return () => {
        for (const n of names) signals.off(n, handler);
      };
    },
    exit: (code) => void exits.push(code),
  };
  /** Resolves with the first output line (past or future) matching re. */
  const waitForLine = (re: RegExp) =>
    new Promise<string>((resolve) => {
      const seen = lines.find((l) => re.test(l));
      if (seen) resolve(seen);
      else waiters.push({ re, resolve });
    });
  return { io, lines, errors, exits, signals, waitForLine };
}
