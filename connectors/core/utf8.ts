import { isUtf8 } from 'node:buffer';

/** Text of `bytes` with every byte that is not part of a valid UTF-8 sequence written as `\xNN`. */
export function escapeInvalidUtf8(bytes: Uint8Array): string {
  if (isUtf8(bytes))
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len =
      b < 0x80
        ? 1
        : b >= 0xc2 && b <= 0xdf
          ? 2
          : b >= 0xe0 && b <= 0xef
            ? 3
            : b >= 0xf0 && b <= 0xf4
              ? 4
              : 0;
    const seq = len === 0 ? undefined : bytes.subarray(i, i + len);
    if (seq !== undefined && seq.length === len && isUtf8(seq)) {
      out += Buffer.from(seq).toString('utf8');
      i += len;
    } else {
      out += `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}
