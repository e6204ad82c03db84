/** Percent-decoding for paths and query parts that clients may send malformed. */

/** decodeURIComponent, or the text unchanged when it is not valid percent-encoding. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
