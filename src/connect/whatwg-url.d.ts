/** The one export of whatwg-url the plugin's shims use: the WHATWG URL class, as Node's global. */
declare module 'whatwg-url' {
  export const URL: typeof globalThis.URL;
}
