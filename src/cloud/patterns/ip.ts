/**
 * IP addresses and CIDR blocks as event-ruler reads them [obs: event-ruler CIDR.java]: a value is
 * treated as an address only when it looks like one (IPv4 "n.n.n.n", or hex digits and colons with
 * at least one colon) and Java's InetAddress accepts it. IPv4-mapped IPv6 addresses become IPv4.
 * Validation texts are AWS's [rec: EventBridge TestEventPattern and SNS Subscribe recordings].
 */

export interface IpRange {
  v6: boolean;
  bottom: bigint;
  top: bigint;
}

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export class CidrError extends Error {}

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.').map((p) => parseInt(p, 10));
  return parts.every((n) => n >= 0 && n <= 255) ? parts : undefined;
}

function parseV6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const all = [...head, ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const missing = 8 - all.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].map((g) => parseInt(g, 16));
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  // Java converts IPv4-mapped addresses (::ffff:a.b.c.d) to IPv4.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  return bytes;
}

/**
 * The address bytes of a string, as CIDR.ipToBytes: undefined when it does not look like an address
 * ("Nonstandard"), null when it looks like one but is not valid ("Invalid").
 */
function ipBytes(s: string): number[] | undefined | null {
  if (IPV4_SHAPE.test(s)) return parseV4(s) ?? null;
  if (IPV6_SHAPE.test(s)) return parseV6(s) ?? null;
  return undefined;
}

function toBig(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/** An event value as an address, or undefined when it is not one. */
export function eventAddress(s: string): { v6: boolean; value: bigint } | undefined {
  const b = ipBytes(s);
  if (!b) return undefined;
  return { v6: b.length === 16, value: toBig(b) };
}

/** A string in a rule that is an IP address literal matches that address only. */
export function literalRange(s: string): IpRange | undefined {
  const a = eventAddress(s);
  return a && { v6: a.v6, bottom: a.value, top: a.value };
}

export function inIpRange(s: string, r: IpRange): boolean {
  const a = eventAddress(s);
  return a !== undefined && a.v6 === r.v6 && a.value >= r.bottom && a.value <= r.top;
}

/** Parses a "cidr" operand; throws CidrError with event-ruler's text. */
export function cidrRange(cidr: string): IpRange {
  const slashed = cidr.split('/');
  while (slashed.length > 0 && slashed[slashed.length - 1] === '') slashed.pop(); // Java String.split
  if (slashed.length !== 2) throw new CidrError("Malformed CIDR, one '/' required");
  if (!/^[+-]?\d+$/.test(slashed[1]) || Math.abs(Number(slashed[1])) > 2147483647) {
    throw new CidrError('Malformed CIDR, mask bits must be an integer');
  }
  const mask = Number(slashed[1]);
  if (mask < 0) throw new CidrError('Malformed CIDR, mask bits must not be negative');
  const bytes = ipBytes(slashed[0]);
  if (bytes === null) throw new CidrError(`Invalid IP address: ${slashed[0]}`);
  if (bytes === undefined) throw new CidrError(`Nonstandard IP address: ${slashed[0]}`);
  const v6 = bytes.length === 16;
  if (!v6 && mask > 31) throw new CidrError('IPv4 mask bits must be < 32');
  if (v6 && mask > 127) throw new CidrError('IPv6 mask bits must be < 128');
  const bits = BigInt(bytes.length * 8);
  const hostBits = bits - BigInt(mask);
  const value = toBig(bytes);
  const hostMask = (1n << hostBits) - 1n;
  return { v6, bottom: value & ~hostMask, top: value | hostMask };
}
