/**
 * `node:fs` in the Kafka Connect plugin's bundle: the plugin writes and reads no local file
 * (Confluent Cloud forbids them). Only code the plugin never runs imports it (the standalone sink's
 * Kafka TLS files); a call says so instead of failing obscurely.
 */
function noFiles(): never {
  throw new Error('the Kafka Connect plugin reads and writes no local files');
}

export const readFileSync = noFiles;
export const existsSync = noFiles;

export default { readFileSync, existsSync };
