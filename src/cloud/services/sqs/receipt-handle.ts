/**
 * Receipt handles of one queue. They are opaque: base64 of "<queue arn><pad> <message id> <random>",
 * so a malformed handle, another queue's handle and a stale handle are told apart. <pad> ('#', 0-2 of
 * them) makes "<queue arn><pad> " a whole number of 3-byte groups, so its base64 (`head`) is computed
 * once per queue, only the rest is encoded per receive, and a 36-character message id is the 48
 * base64 characters right after the head. A message's latest handle is found from those alone
 * (`quickId`: decode them, then the model looks the id up and compares the handle): no parse, and no
 * map of handles to keep. Any other handle (an older one, a deleted message's, another queue's, a
 * malformed one) is parsed in full (`parse`) to tell which it is.
 */
import { randomBytes } from 'node:crypto';
import { receiptHandleIsInvalid } from './errors';

const HANDLE_TAIL_RE = /^[0-9a-f]{24}$/;
/** A message id (a UUID, 36 characters) in base64. */
const ID_BASE64_LENGTH = 48;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

export class ReceiptHandles {
  private readonly prefix = randomBytes(6).toString('hex');
  private seq = 0;
  /** "<queue arn><pad>": a handle's first word. */
  private readonly word: string;
  /** base64 of "<queue arn><pad> ": every handle of this queue starts with it. */
  private readonly head: string;

  constructor(queueArn: string) {
    let word = queueArn;
    while ((Buffer.byteLength(word, 'utf8') + 1) % 3 !== 0) word += '#';
    this.word = word;
    this.head = Buffer.from(`${word} `, 'utf8').toString('base64');
  }

  /** A new handle for the message: unique (a counter) and unguessable enough (a random per-queue prefix). */
  issue(messageId: string): string {
    const rest = `${messageId} ${this.prefix}${(++this.seq).toString(16).padStart(12, '0')}`;
    try {
      return this.head + btoa(rest); // (several times faster than Buffer here; ASCII only)
    } catch {
      return this.head + Buffer.from(rest, 'utf8').toString('base64');
    }
  }

  /** The message id in the place a handle of this queue carries it, unchecked; undefined if there is none. */
  quickId(handle: string): string | undefined {
    const head = this.head.length;
    if (typeof handle !== 'string' || handle.length <= head + ID_BASE64_LENGTH || !handle.startsWith(this.head)) return undefined;
    try {
      return atob(handle.slice(head, head + ID_BASE64_LENGTH));
    } catch {
      return undefined; // not base64 there: the full parse says what is wrong
    }
  }

  /** The message id a handle names; ReceiptHandleIsInvalid if it is malformed or another queue's. */
  parse(handle: string): string {
    if (typeof handle !== 'string' || handle.length < 16 || handle.length > 2048 || !BASE64_RE.test(handle)) throw receiptHandleIsInvalid(String(handle));
    const parts = Buffer.from(handle, 'base64').toString('utf8').split(' ');
    if (parts.length !== 3 || parts[0] !== this.word || !HANDLE_TAIL_RE.test(parts[2])) throw receiptHandleIsInvalid(handle);
    return parts[1];
  }
}
