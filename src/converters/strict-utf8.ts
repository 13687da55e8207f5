/**
 * Strict UTF-8 decoding: invalid byte sequences are an error for the record, never a silent
 * U+FFFD replacement. A leading byte order mark is kept as data (it is part of the value).
 */
import { isAscii } from 'node:buffer';
import { undecodable } from './converter-errors';

/** Node's unchecked slice helpers (present on every Buffer, absent from @types/node 20.9). */
type FastSlices = Buffer & { latin1Slice(start: number, end: number): string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Below this length an ASCII scan in JS plus `latin1Slice` beats TextDecoder's call overhead. */
const ASCII_FAST_PATH_MAX = 64;

/**
 * Decodes `bytes[start, end)` strictly; `what` names the thing being decoded in the error. ASCII
 * (most JSON) is copied as Latin-1, which is the same text: Node's native `isAscii` checks a whole
 * record in a fraction of what TextDecoder takes to validate and decode it.
 */
export function decodeUtf8(bytes: Buffer, start: number, end: number, what: string): string {
  if (end - start <= ASCII_FAST_PATH_MAX) {
    let i = start;
    while (i < end && bytes[i] < 0x80) i++;
    if (i === end) return (bytes as FastSlices).latin1Slice(start, end);
  } else if (isAscii((start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end)) as unknown as Uint8Array)) {
    return (bytes as FastSlices).latin1Slice(start, end);
  }
  try {
    return decoder.decode(bytes.subarray(start, end) as unknown as Uint8Array);
  } catch {
    throw undecodable(`${what} is not valid UTF-8`);
  }
}
