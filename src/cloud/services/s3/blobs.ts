/**
 * Object bodies. A body up to INLINE_MAX bytes stays in memory; a larger one is a file under the
 * store's folder (in the cloud's dataDir). A body is a list of chunks, so a multipart object is its
 * parts' chunks (no copy at Complete) and a copy shares its source's chunks; each chunk counts who
 * holds it and its file goes when nobody does.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Blob, Chunk } from './types';

export const INLINE_MAX = 256 * 1024;

export class BlobStore {
  private made = false;
  private counter = 0;

  constructor(readonly dir: string) {}

  private file(): string {
    if (!this.made) {
      fs.mkdirSync(this.dir, { recursive: true });
      this.made = true;
    }
    return path.join(this.dir, `${(this.counter++).toString(36)}-${randomBytes(6).toString('hex')}`);
  }

  /** A new body holding these bytes (held once). */
  async put(data: Buffer): Promise<Blob> {
    if (data.length <= INLINE_MAX) return this.putSmall(data);
    const file = this.file();
    await fs.promises.writeFile(file, data);
    return { size: data.length, chunks: [{ size: data.length, path: file, refs: 1 }] };
  }

  /** A body kept in memory (its own copy, so a request's socket buffer is not retained). */
  putSmall(data: Buffer): Blob {
    const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : Buffer.from(data);
    return { size: own.length, chunks: [{ size: own.length, data: own, refs: 1 }] };
  }

  /** A body made of other bodies' chunks, in order (multipart Complete, copies): each chunk held once more. */
  join(parts: Blob[]): Blob {
    const chunks: Chunk[] = [];
    let size = 0;
    for (const p of parts) {
      for (const c of p.chunks) {
        c.refs++;
        chunks.push(c);
        size += c.size;
      }
    }
    return { size, chunks };
  }

  /** Another hold on the same bytes. */
  share(blob: Blob): Blob {
    return this.join([blob]);
  }

  /** Drop one hold; files nobody holds are removed. */
  release(blob: Blob): void {
    for (const c of blob.chunks) {
      c.refs--;
      if (c.refs <= 0 && c.path) {
        const p = c.path;
        c.path = undefined;
        fs.rm(p, { force: true }, () => undefined);
      }
    }
  }

  /** Bytes [start, end] (inclusive) of a body. */
  async read(blob: Blob, start = 0, end = blob.size - 1): Promise<Buffer> {
    if (end < start) return Buffer.alloc(0);
    const only = blob.chunks.length === 1 ? blob.chunks[0] : undefined;
    if (only?.data) return start === 0 && end === only.size - 1 ? only.data : only.data.subarray(start, end + 1);
    const out: Buffer[] = [];
    let offset = 0;
    for (const c of blob.chunks) {
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + c.size - 1);
      if (from <= to) out.push(await readChunk(c, from - offset, to - offset));
      offset += c.size;
      if (offset > end) break;
    }
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }

  /** The whole body, synchronously (Lambda's CreateFunction reads a zip from a bucket). */
  readSync(blob: Blob): Buffer {
    const out = blob.chunks.map((c) => (c.data ? c.data : fs.readFileSync(c.path!)));
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }

  /** Every chunk's bytes in order, for digests over large bodies without one big buffer. */
  async *stream(blob: Blob): AsyncIterable<Buffer> {
    for (const c of blob.chunks) {
      if (c.data) yield c.data;
      else yield await fs.promises.readFile(c.path!);
    }
  }

  /** Remove every file of this store. */
  clear(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.made = false;
  }
}

async function readChunk(c: Chunk, from: number, to: number): Promise<Buffer> {
  if (c.data) return c.data.subarray(from, to + 1);
  const fh = await fs.promises.open(c.path!, 'r');
  try {
    const buf = Buffer.allocUnsafe(to - from + 1);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, from + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}
