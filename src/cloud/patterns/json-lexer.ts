/**
 * A pull tokenizer that moves through JSON text the way Jackson's ReaderBasedJsonParser does, so that
 * error texts and "[Source: ...; line: L, column: C]" locations come out as AWS prints them. The rule
 * compilers (EventBridge, SNS, Lambda all run aws/event-ruler on Jackson) ask this lexer for tokens in
 * the same order the Java code does and fail at the same parser position.
 *
 * Jackson details mirrored here:
 *  - after a FIELD_NAME the parser has already read the start of the value (a whole number or literal,
 *    the opening quote of a string, the bracket of a container), so locations reported right after a
 *    field name point past that value start;
 *  - strings are read lazily: the position sits after the opening quote until getText() or the next
 *    token finishes the string;
 *  - numbers and unrecognized words stop at (not after) the character that ends them;
 *  - an unexpected character is reported at its own column [rec: "{'bad'..." column 2].
 */

export type TokenType =
  | 'START_OBJECT'
  | 'END_OBJECT'
  | 'START_ARRAY'
  | 'END_ARRAY'
  | 'FIELD_NAME'
  | 'VALUE_STRING'
  | 'VALUE_NUMBER_INT'
  | 'VALUE_NUMBER_FLOAT'
  | 'VALUE_TRUE'
  | 'VALUE_FALSE'
  | 'VALUE_NULL';

/** How the location suffix names its source: older Jackson quotes the text, newer redacts it. */
export type SourceStyle = 'quoted' | 'redacted';

/** A Jackson-style parse failure: `reason` is the bare text, `message` adds the location line. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

const VALID_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const MAX_SNIPPET = 500;

/** Jackson's _getCharDesc. */
export function charDesc(code: number): string {
  if (code < 32 || (code >= 127 && code <= 159)) return `(CTRL-CHAR, code ${code})`;
  const ch = String.fromCodePoint(code);
  if (code > 255) return `'${ch}' (code ${code} / 0x${code.toString(16)})`;
  return `'${ch}' (code ${code})`;
}

function isIdentifierPart(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Sc}$_]/u.test(ch);
}

function isIdentifierStart(ch: string): boolean {
  return /[\p{L}\p{Nl}\p{Pc}\p{Sc}$_]/u.test(ch);
}

interface Context {
  type: 'root' | 'array' | 'object';
  /** Entries seen so far (a comma is expected before the next one). */
  count: number;
  line: number;
  column: number;
}

export class JsonLexer {
  private ptr = 0;
  private line = 1;
  private lineStart = 0;
  private readonly stack: Context[] = [{ type: 'root', count: 0, line: 1, column: 0 }];
  private current: TokenType | null = null;
  private pending: TokenType | null = null;
  private name = '';
  private text = '';
  private incomplete = false;

  constructor(
    private readonly src: string,
    private readonly style: SourceStyle = 'quoted',
  ) {}

  get token(): TokenType | null {
    return this.current;
  }

  /** Jackson's " at [Source: ...; line: L, column: C]" suffix for the current position. */
  location(line = this.line, column = this.ptr - this.lineStart + 1): string {
    return `\n at [Source: ${this.sourceDesc()}; line: ${line}, column: ${column}]`;
  }

  /** Throws a parse error at the current position (the rule compilers' "barf"). */
  fail(reason: string): never {
    throw new JsonSyntaxError(reason, reason + this.location());
  }

  currentName(): string {
    return this.name;
  }

  /** The current token's text; finishes a lazily read string first, as Jackson's getText() does. */
  getText(): string {
    switch (this.current) {
      case 'VALUE_STRING':
        if (this.incomplete) {
          this.text = this.readString('string value');
          this.incomplete = false;
        }
        return this.text;
      case 'FIELD_NAME':
        return this.name;
      case 'START_OBJECT':
        return '{';
      case 'END_OBJECT':
        return '}';
      case 'START_ARRAY':
        return '[';
      case 'END_ARRAY':
        return ']';
      case null:
        return 'null';
      default:
        return this.text;
    }
  }

  nextToken(): TokenType | null {
    if (this.current === 'FIELD_NAME') {
      const t = this.pending as TokenType;
      this.pending = null;
      if (t === 'START_ARRAY' || t === 'START_OBJECT') this.push(t, this.ptr - 1);
      return (this.current = t);
    }
    if (this.incomplete) {
      this.readString('string value');
      this.incomplete = false;
    }
    let c = this.skipWs();
    const ctx = this.top();
    if (c === undefined) {
      if (ctx.type !== 'root') {
        const start = this.location(ctx.line, ctx.column).slice(5);
        this.eof(`: expected close marker for ${ctx.type === 'array' ? 'Array' : 'Object'} (start marker at ${start})`);
      }
      return (this.current = null);
    }
    if (c === ']' || c === '}') {
      this.ptr++;
      this.closeScope(c, ctx);
      return this.current;
    }
    if (ctx.count > 0 && ctx.type !== 'root') {
      if (c !== ',') this.unexpected(c, `was expecting comma to separate ${ctx.type === 'array' ? 'Array' : 'Object'} entries`);
      this.ptr++;
      c = this.skipWs();
      if (c === undefined) this.eof(` within/between ${ctx.type === 'array' ? 'Array' : 'Object'} entries`);
    }
    ctx.count++;
    if (ctx.type === 'object') {
      if (c !== '"') this.unexpected(c, 'was expecting double-quote to start field name');
      this.ptr++;
      this.name = this.readString('name');
      c = this.skipWs();
      if (c !== ':') {
        if (c === undefined) this.eof(' within/between Object entries');
        this.unexpected(c, 'was expecting a colon to separate field name and value');
      }
      this.ptr++;
      c = this.skipWs();
      if (c === undefined) this.eof(' within/between Object entries');
      this.pending = this.valueStart(c, true);
      return (this.current = 'FIELD_NAME');
    }
    return (this.current = this.valueStart(c, false));
  }

  // ---- internals ----

  private top(): Context {
    return this.stack[this.stack.length - 1];
  }

  private push(t: 'START_ARRAY' | 'START_OBJECT', at: number): void {
    this.stack.push({ type: t === 'START_ARRAY' ? 'array' : 'object', count: 0, line: this.line, column: at - this.lineStart + 1 });
  }

  private sourceDesc(): string {
    if (this.style === 'redacted') return 'REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)';
    const over = this.src.length - MAX_SNIPPET;
    return `(String)"${this.src.slice(0, MAX_SNIPPET)}"${over > 0 ? `[truncated ${over} chars]` : ''}`;
  }

  private error(reason: string): never {
    throw new JsonSyntaxError(reason, reason + this.location());
  }

  /** Jackson reports an unexpected character at that character's own column [rec]. */
  private unexpected(c: string, comment: string): never {
    this.error(`Unexpected character (${charDesc(c.codePointAt(0) as number)}): ${comment}`);
  }

  private eof(detail: string): never {
    this.error(`Unexpected end-of-input${detail}`);
  }

  private closeScope(c: string, ctx: Context): void {
    const want = ctx.type === 'object' ? '}' : ']';
    if (c !== want) {
      const desc = ctx.type === 'root' ? 'root' : ctx.type === 'array' ? 'Array' : 'Object';
      const expected = ctx.type === 'object' ? '}' : ']';
      const start = this.location(ctx.line, ctx.column).slice(5);
      this.error(`Unexpected close marker '${c}': expected '${expected}' (for ${desc} starting at ${start})`);
    }
    this.stack.pop();
    this.current = c === '}' ? 'END_OBJECT' : 'END_ARRAY';
  }

  /** Skips JSON white space; returns the next character without consuming it. */
  private skipWs(): string | undefined {
    for (;;) {
      const c = this.src[this.ptr];
      if (c === undefined) return undefined;
      if (c === ' ' || c === '\t') this.ptr++;
      else if (c === '\n') this.newline(1);
      else if (c === '\r') this.newline(this.src[this.ptr + 1] === '\n' ? 2 : 1);
      else if (c === '/' || c === '#') {
        const feature = c === '/' ? 'ALLOW_COMMENTS' : 'ALLOW_YAML_COMMENTS';
        this.unexpected(c, `maybe a (non-standard) comment? (not recognized as one since Feature '${feature}' not enabled for parser)`);
      } else if (c.charCodeAt(0) < 32) {
        this.ptr++;
        this.error(`Illegal character (${charDesc(c.charCodeAt(0))}): only regular white space (\\r, \\n, \\t) is allowed between tokens`);
      } else return c;
    }
  }

  private newline(width: number): void {
    this.ptr += width;
    this.line++;
    this.lineStart = this.ptr;
  }

  /** Reads the start of a value at `c` (not yet consumed). */
  private valueStart(c: string, afterName: boolean): TokenType {
    const at = this.ptr;
    this.ptr++;
    switch (c) {
      case '"':
        this.incomplete = true;
        this.text = '';
        return 'VALUE_STRING';
      case '[':
        if (!afterName) this.push('START_ARRAY', at);
        return 'START_ARRAY';
      case '{':
        if (!afterName) this.push('START_OBJECT', at);
        return 'START_OBJECT';
      case '}':
        this.ptr = at;
        this.unexpected(c, 'expected a value');
        break;
      case 't':
        this.matchLiteral('true');
        return 'VALUE_TRUE';
      case 'f':
        this.matchLiteral('false');
        return 'VALUE_FALSE';
      case 'n':
        this.matchLiteral('null');
        return 'VALUE_NULL';
      default:
        if (c === '-' || (c >= '0' && c <= '9')) {
          this.ptr--;
          return this.readNumber();
        }
    }
    const cp = this.src.codePointAt(at) as number;
    const ch = String.fromCodePoint(cp);
    this.ptr = at + ch.length;
    if (isIdentifierStart(ch)) this.invalidToken(ch);
    this.ptr = at;
    this.unexpected(ch, `expected a valid value ${VALID_VALUES}`);
  }

  private matchLiteral(word: string): void {
    for (let i = 1; i < word.length; i++) {
      if (this.src[this.ptr] !== word[i]) this.invalidToken(word.slice(0, i));
      this.ptr++;
    }
    if (isIdentifierPart(this.src[this.ptr])) this.invalidToken(word);
    this.text = word;
  }

  /** Jackson's _reportInvalidToken: the rest of the identifier joins the token named in the error. */
  private invalidToken(matched: string): never {
    let token = matched;
    while (this.ptr < this.src.length && isIdentifierPart(this.src[this.ptr]) && token.length < 256) token += this.src[this.ptr++];
    this.error(`Unrecognized token '${token}': was expecting ${VALID_VALUES}`);
  }

  private readNumber(): TokenType {
    const start = this.ptr;
    const s = this.src;
    let float = false;
    if (s[this.ptr] === '-') {
      this.ptr++;
      const d = s[this.ptr];
      if (d === undefined) this.eof(' in a Number value');
      if (!(d >= '0' && d <= '9')) this.numberChar(d, 'expected digit (0-9) to follow minus sign, for valid numeric value');
    }
    if (s[this.ptr] === '0' && s[this.ptr + 1] >= '0' && s[this.ptr + 1] <= '9') {
      this.ptr += 2;
      this.error('Invalid numeric value: Leading zeroes not allowed');
    }
    while (s[this.ptr] >= '0' && s[this.ptr] <= '9') this.ptr++;
    if (s[this.ptr] === '.') {
      float = true;
      this.ptr++;
      if (!(s[this.ptr] >= '0' && s[this.ptr] <= '9')) this.numberChar(s[this.ptr], 'Decimal point not followed by a digit');
      while (s[this.ptr] >= '0' && s[this.ptr] <= '9') this.ptr++;
    }
    if (s[this.ptr] === 'e' || s[this.ptr] === 'E') {
      float = true;
      this.ptr++;
      if (s[this.ptr] === '+' || s[this.ptr] === '-') this.ptr++;
      if (!(s[this.ptr] >= '0' && s[this.ptr] <= '9')) this.numberChar(s[this.ptr], 'Exponent indicator not followed by a digit');
      while (s[this.ptr] >= '0' && s[this.ptr] <= '9') this.ptr++;
    }
    this.text = s.slice(start, this.ptr);
    return float ? 'VALUE_NUMBER_FLOAT' : 'VALUE_NUMBER_INT';
  }

  private numberChar(c: string | undefined, comment: string): never {
    if (c === undefined) this.eof(' in a Number value');
    this.error(`Unexpected character (${charDesc(c.charCodeAt(0))}) in numeric value: ${comment}`);
  }

  /** Reads the rest of a string whose opening quote was consumed; returns the decoded text. */
  private readString(what: 'string value' | 'name'): string {
    let out = '';
    const s = this.src;
    for (;;) {
      const c = s[this.ptr];
      if (c === undefined) {
        this.eof(what === 'name' ? `: was expecting closing '"' for name` : ': was expecting closing quote for a string value');
      }
      this.ptr++;
      if (c === '"') return out;
      if (c === '\\') {
        out += this.escape();
        continue;
      }
      const code = c.charCodeAt(0);
      if (code < 32) {
        this.error(`Illegal unquoted character (${charDesc(code)}): has to be escaped using backslash to be included in ${what}`);
      }
      out += c;
    }
  }

  private escape(): string {
    const c = this.src[this.ptr];
    if (c === undefined) this.eof(' in character escape sequence');
    this.ptr++;
    switch (c) {
      case 'b':
        return '\b';
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'f':
        return '\f';
      case 'r':
        return '\r';
      case '"':
      case '/':
      case '\\':
        return c;
      case 'u': {
        let v = 0;
        for (let i = 0; i < 4; i++) {
          const h = this.src[this.ptr];
          if (h === undefined) this.eof(' in character escape sequence');
          this.ptr++;
          const d = parseInt(h, 16);
          if (!/[0-9a-fA-F]/.test(h)) this.error(`Unexpected character (${charDesc(h.charCodeAt(0))}): expected a hex-digit for character escape sequence`);
          v = v * 16 + d;
        }
        return String.fromCharCode(v);
      }
      default:
        this.error(`Unrecognized character escape ${charDesc(c.charCodeAt(0))}`);
    }
  }
}
