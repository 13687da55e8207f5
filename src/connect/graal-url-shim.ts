/**
 * `URL` for the plugin's bundle (GraalJS 23.1 has none): whatwg-url, the WHATWG parser that Node's
 * URL implements. Imported by connect-entry.ts after graal-shims.ts (the package needs TextEncoder).
 */
import { URL as UrlPolyfill } from 'whatwg-url';

const g = globalThis as unknown as { URL?: unknown };
g.URL ??= UrlPolyfill;
