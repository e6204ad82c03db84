/**
 * A small zip holding one large file of zero bytes (e.g. 140 MB in about 140 KB), for tests of
 * Lambda's unpacked-size limits. Built fast: one 1 MiB deflate block made once and repeated (a full
 * flush makes each block independent), the CRC-32 chained per MiB, and the zip records written here.
 */
import * as zlib from 'node:zlib';

const MIB = 1024 * 1024;

export function zerosZip(name: string, size: number, mode = 0o100644): Buffer {
  const chunk = Buffer.alloc(MIB);
  const whole = Math.floor(size / MIB);
  const rest = size - whole * MIB;
  const block = zlib.deflateRawSync(chunk, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const parts: Buffer[] = [];
  let crc = 0;
  for (let i = 0; i < whole; i++) {
    parts.push(block);
    crc = zlib.crc32(chunk, crc);
  }
  if (rest > 0) {
    const tail = Buffer.alloc(rest);
    parts.push(zlib.deflateRawSync(tail, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH }));
    crc = zlib.crc32(tail, crc);
  }
  parts.push(Buffer.from([0x03, 0x00])); // the final, empty block
  const data = Buffer.concat(parts);
  const fileName = Buffer.from(name, 'utf8');

  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0, 6); // flags
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(0, 10); // time
  local.writeUInt16LE(0x21, 12); // date: 1980-01-01
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(fileName.length, 26);
  local.writeUInt16LE(0, 28);

  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE((mode << 16) >>> 0, 38); // external attributes: the Unix mode
  central.writeUInt32LE(0, 42); // local header offset

  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}
