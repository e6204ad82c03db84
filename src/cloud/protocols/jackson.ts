/**
 * Lambda parses JSON with Jackson, and its error texts quote the parser. This describes why bytes are
 * not JSON in those words, for request bodies and Invoke payloads alike.
 */

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const JSON_VALUE_EXPECTED = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/** How Lambda's (Jackson) parser names a character in its messages. */
function charDesc(code: number): string {
  if (code < 32 || (code >= 127 && code <= 159)) return `(CTRL-CHAR, code ${code})`;
  return `'${String.fromCharCode(code)}' (code ${code})`;
}

/** Jackson's location suffix; columns count from 1 on the line of `offset`. */
function jsonLocation(bytes: Buffer, offset: number, column?: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${column ?? offset - lineStart + 1}]`;
}

/**
 * Why a body is not JSON, worded as Lambda's parser words it (undefined when it is JSON). The common
 * cases - a bare word, a stray first character, bytes that are not UTF-8 - follow AWS's text; errors
 * deeper inside a document are approximated.
 */
export function jsonProblem(buf: Buffer): string | undefined {
  let text: string | undefined;
  try {
    text = UTF8.decode(buf);
    JSON.parse(text);
    return undefined;
  } catch {
    // described below
  }
  let i = 0;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  const first = buf[i];
  if (first === undefined) return `No content to map due to end-of-input${jsonLocation(buf, i)}`;
  const lineStart = lineStartOf(buf, i);
  const isLetter = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
  const isWordChar = (b: number) => isLetter(b) || (b >= 0x30 && b <= 0x39) || b === 0x5f || b === 0x24;
  if (isLetter(first)) {
    let j = i;
    while (j < buf.length && isWordChar(buf[j])) j++;
    const token = buf.subarray(i, j).toString('latin1');
    if (j < buf.length && buf[j] >= 0x80 && text === undefined) {
      // The word runs into bytes that are not UTF-8.
      return `Invalid UTF-8 start byte 0x${buf[j].toString(16)}${jsonLocation(buf, j, j - lineStart + 2)}`;
    }
    if (!['true', 'false', 'null'].includes(token)) {
      // The parser has consumed the character that ended the word when it reports.
      const column = (j < buf.length ? j + 1 : j) - lineStart + 1;
      return `Unrecognized token '${token}': was expecting ${JSON_VALUE_EXPECTED}${jsonLocation(buf, j, column)}`;
    }
  }
  const startsValue = first === 0x7b || first === 0x5b || first === 0x22 || first === 0x2d || (first >= 0x30 && first <= 0x39) || isLetter(first);
  if (!startsValue) return `Unexpected character (${charDesc(first)}): expected a valid value ${JSON_VALUE_EXPECTED}${jsonLocation(buf, i)}`;
  // Somewhere inside the document: take the offending position from the platform parser.
  let pos = buf.length;
  try {
    JSON.parse(text ?? buf.toString('utf8'));
  } catch (e) {
    const source = text ?? buf.toString('utf8');
    const m = /position (\d+)/.exec((e as Error).message);
    // Node names the position, or only the offending token ("Unexpected token '}', ...").
    const token = /^Unexpected token '(.)'/.exec((e as Error).message);
    const at = m ? Number(m[1]) : token ? source.indexOf(token[1], i) : -1;
    if (at >= 0) pos = Buffer.byteLength(source.slice(0, at));
  }
  if (pos >= buf.length) return `Unexpected end-of-input${jsonLocation(buf, buf.length)}`;
  return `Unexpected character (${charDesc(buf[pos])}): expected a valid value ${JSON_VALUE_EXPECTED}${jsonLocation(buf, pos)}`;
}

function lineStartOf(buf: Buffer, offset: number): number {
  let start = 0;
  for (let k = 0; k < offset; k++) if (buf[k] === 0x0a) start = k + 1;
  return start;
}
