/**
 * Message ids: random (version 4) UUIDs, like AWS's, made as one flat string. crypto.randomUUID()
 * builds its text by concatenation, and a stored message kept that tree of ~15 string pieces
 * (~450 bytes, and as many objects for every garbage collection to trace) for as long as it lived.
 * Here the text is written into a buffer and read out once.
 */
import { randomFillSync } from 'node:crypto';

const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Random bytes for 256 ids at a time (as crypto.randomUUID caches them too). */
const pool = Buffer.allocUnsafe(16 * 256);
let poolPos = pool.length;
const text = Buffer.allocUnsafe(36);

export function newMessageId(): string {
  if (poolPos === pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  let o = 0;
  for (let i = 0; i < 16; i++) {
    let b = pool[poolPos + i];
    if (i === 6) b = (b & 0x0f) | 0x40; // version 4
    else if (i === 8) b = (b & 0x3f) | 0x80; // variant 10
    if (i === 4 || i === 6 || i === 8 || i === 10) text[o++] = 0x2d; // '-'
    text[o++] = HEX[b >> 4];
    text[o++] = HEX[b & 15];
  }
  poolPos += 16;
  return text.toString('latin1', 0, 36);
}
