/**
 * What the sink's code takes from Node and GraalJS 23.1 lacks, installed only where missing (a
 * no-op under Node): `Buffer` (the buffer package, Node's own API); the `process` fields read at
 * module load (`process.env`, `process.pid` in scratch table names); a strict UTF-8 `TextDecoder`
 * (`fatal: true` is the only mode the sink uses) and a `TextEncoder`; `String.prototype.isWellFormed` (ES2024).
 * Imported first by connect-entry.ts; `URL` comes next (graal-url-shim.ts), as its package needs TextEncoder.
 */
import { Buffer as BufferPolyfill } from 'buffer';

const g = globalThis as unknown as { Buffer?: unknown; process?: unknown; TextDecoder?: unknown; TextEncoder?: unknown };
g.Buffer ??= BufferPolyfill;
// Scratch table names hold the pid to stay apart from other writers': every task's context is a
// process of its own here, and tasks of one worker (or of two workers) must not share a number.
g.process ??= { env: {}, pid: 1 + Math.floor(Math.random() * 0x7fffffff) };

/** Fatal UTF-8 decoding: bytes that do not re-encode to themselves held an invalid sequence. */
class StrictUtf8Decoder {
  decode(input: Uint8Array): string {
    const bytes = BufferPolyfill.from(input.buffer, input.byteOffset, input.byteLength);
    const text = bytes.toString('utf8');
    if (!BufferPolyfill.from(text, 'utf8').equals(bytes)) throw new TypeError('The encoded data was not valid for encoding utf-8');
    return text;
  }
}
g.TextDecoder ??= StrictUtf8Decoder;

class Utf8Encoder {
  readonly encoding = 'utf-8';
  encode(text = ''): Uint8Array {
    return BufferPolyfill.from(text, 'utf8');
  }
}
g.TextEncoder ??= Utf8Encoder;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const strings = String.prototype as unknown as { isWellFormed?: () => boolean };
strings.isWellFormed ??= function isWellFormed(this: string): boolean {
  return !LONE_SURROGATE.test(this);
};
