/**
 * `node:buffer` in the Kafka Connect plugin's bundle: the sink imports only `isAscii` from it (the
 * strict UTF-8 decoder's fast path); GraalJS has no Node built-ins, so the same answer comes from
 * a plain scan here.
 */
export function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return false;
  return true;
}
