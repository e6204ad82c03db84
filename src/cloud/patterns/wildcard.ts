/**
 * Wildcard patterns ("*" matches any run of characters; "\*" and "\\" are the literal characters)
 * [doc: EventBridge wildcard filters], their validation [obs: event-ruler WildcardParser] and the
 * rule complexity EventBridge limits [rec: TestEventPattern].
 */

/** A parsed wildcard: one entry per character, null for a wildcard. */
export type Glob = (string | null)[];

export class WildcardError extends Error {}

/**
 * Parses a wildcard operand. Positions in errors count UTF-8 bytes of the value with its quotes, as
 * event-ruler reports them ("arn:...:**" -> "Consecutive wildcard characters at pos 26") [rec].
 */
export function parseWildcard(text: string): Glob {
  const out: Glob = [];
  const chars = [...text];
  let pos = 1; // the opening quote
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '*') {
      if (chars[i + 1] === '*') throw new WildcardError(`Consecutive wildcard characters at pos ${pos}`);
      out.push(null);
    } else if (ch === '\\') {
      const next = chars[i + 1];
      if (next !== '*' && next !== '\\') throw new WildcardError(`Invalid escape character at pos ${pos}`);
      out.push(next);
      i++;
      pos++;
    } else out.push(...ch.split(''));
    pos += Buffer.byteLength(ch);
  }
  return out;
}

/** The same operand read without validation (the early engine SNS runs): backslash is literal. */
export function looseWildcard(text: string): Glob {
  return text.split('').map((c) => (c === '*' ? null : c));
}

export function globMatch(glob: Glob, s: string): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (j < glob.length && glob[j] !== null && glob[j] === s[i]) {
      i++;
      j++;
    } else if (j < glob.length && glob[j] === null) {
      star = j++;
      mark = i;
    } else if (star >= 0) {
      j = star + 1;
      i = ++mark;
    } else return false;
  }
  while (j < glob.length && glob[j] === null) j++;
  return j === glob.length;
}

/**
 * Largest complexity EventBridge accepts. Known points: "*:*:*:*:*:event-bus/*" (11) is refused [rec];
 * three "*:stack/<name>/*" on one field (9) pass and four (12) are refused [obs: Valkyrie#278]; the
 * event-ruler README suggests a per-rule limit of 10 [obs].
 */
export const MAX_WILDCARD_COMPLEXITY = 10;

const MAX_EXPLORED = 20000;

function closure(glob: Glob, states: Set<number>): Set<number> {
  for (const k of [...states].sort((a, b) => a - b)) {
    let p = k;
    while (glob[p] === null) states.add(++p);
  }
  return states;
}

function step(glob: Glob, states: Set<number>, c: string): Set<number> {
  const next = new Set<number>();
  for (const k of states) {
    if (k > 0 && glob[k - 1] === null) next.add(k);
    if (glob[k] === c) next.add(k + 1);
  }
  return closure(glob, next);
}

/**
 * The complexity event-ruler's MachineComplexityEvaluator assigns to the wildcards of one field: the
 * largest number of wildcard rule prefixes ("a*", "a*b", ...) that one input value can match at once.
 * Stops counting once `limit` is reached.
 */
export function wildcardComplexity(globs: Glob[], limit = MAX_WILDCARD_COMPLEXITY + 1): number {
  if (globs.length === 0) return 0;
  const alphabet = new Set<string>();
  for (const g of globs) for (const c of g) if (c !== null) alphabet.add(c);
  let other = '\u0001';
  while (alphabet.has(other)) other = String.fromCharCode(other.charCodeAt(0) + 1);
  alphabet.add(other);
  const count = (sets: Set<number>[]) => sets.reduce((n, s) => n + [...s].filter((k) => k > 0).length, 0);
  const key = (sets: Set<number>[]) => sets.map((s) => [...s].sort((a, b) => a - b).join(',')).join('|');
  const start = globs.map((g) => closure(g, new Set([0])));
  const seen = new Set([key(start)]);
  const queue = [start];
  let max = count(start);
  while (queue.length > 0 && max < limit && seen.size < MAX_EXPLORED) {
    const cur = queue.shift() as Set<number>[];
    for (const c of alphabet) {
      const next = cur.map((s, i) => step(globs[i], s, c));
      if (next.every((s) => s.size === 0)) continue;
      const k = key(next);
      if (seen.has(k)) continue;
      seen.add(k);
      max = Math.max(max, count(next));
      queue.push(next);
    }
  }
  return Math.min(max, limit);
}
