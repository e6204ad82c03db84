/**
 * What a deployment package's central directory says that fflate's unzip does not hand out: each
 * entry's Unix mode (Lambda keeps a `bootstrap`'s execute bit; a zip made on Windows has none) and
 * its uncompressed size (code and layers together may not pass 250 MB unpacked, checked before
 * anything is unpacked). Reads the end-of-central-directory record (zip64 too) and the entries.
 */

export interface ZipEntryInfo {
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** Unix mode (file type and permission bits) when the entry was made on a Unix system. */
  mode?: number;
  isDir: boolean;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
/** "Version made by" host systems whose external attributes carry a Unix mode: Unix, OS X. */
const UNIX_HOSTS = new Set([3, 19]);

function u64(buf: Buffer, at: number): number {
  return Number(buf.readBigUInt64LE(at));
}

/** The central directory's entries, or undefined when the buffer is not a readable zip. */
export function readCentralDirectory(buf: Buffer): ZipEntryInfo[] | undefined {
  try {
    return parse(buf);
  } catch {
    return undefined;
  }
}

function parse(buf: Buffer): ZipEntryInfo[] | undefined {
  // The end record is at the end, followed by a comment of at most 65535 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  let count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && buf.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIG) {
    const z64 = u64(buf, eocd - 20 + 8);
    if (buf.readUInt32LE(z64) !== ZIP64_EOCD_SIG) return undefined;
    count = u64(buf, z64 + 32);
    offset = u64(buf, z64 + 48);
  }
  const out: ZipEntryInfo[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== CENTRAL_SIG) return undefined;
    const host = buf.readUInt8(p + 5);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const external = buf.readUInt32LE(p + 38);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (size === 0xffffffff) {
      // The zip64 extended information extra field holds the real size (first, when present).
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = buf.readUInt16LE(e);
        const len = buf.readUInt16LE(e + 2);
        if (id === 0x0001 && len >= 8) {
          size = u64(buf, e + 4);
          break;
        }
        e += 4 + len;
      }
    }
    const entry: ZipEntryInfo = { name, size, isDir: name.endsWith('/') };
    if (UNIX_HOSTS.has(host)) entry.mode = external >>> 16;
    out.push(entry);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Total uncompressed size of the files in a zip (0 when it cannot be read). */
export function unzippedSize(buf: Buffer): number {
  let total = 0;
  for (const e of readCentralDirectory(buf) ?? []) if (!e.isDir) total += e.size;
  return total;
}

/** Names of the file entries with an execute bit (as Lambda keeps them when it unpacks). */
export function executableEntries(buf: Buffer): Set<string> {
  const out = new Set<string>();
  for (const e of readCentralDirectory(buf) ?? []) {
    if (!e.isDir && e.mode !== undefined && (e.mode & 0o111) !== 0) out.add(e.name);
  }
  return out;
}
