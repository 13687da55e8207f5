/**
 * The Kafka Connect plugin's JavaScript: `src/connect/connect-entry.ts` as one script for GraalJS
 * (no Node built-ins: Buffer comes from the buffer package, pino from its browser build), and the
 * ConfigDef's keys read from that very bundle, so that the jar declares what the bundle validates.
 */
import * as esbuild from 'esbuild';

export const CONNECT_BUNDLE_FILE = 'databend-sink-connect.js';

export async function bundleConnect(root: string, version: string): Promise<Uint8Array> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/connect/connect-entry.ts'],
    outfile: CONNECT_BUNDLE_FILE,
    bundle: true,
    platform: 'neutral',
    // GraalJS 23.1 implements ECMAScript 2023.
    target: 'es2022',
    format: 'iife',
    mainFields: ['module', 'main'],
    alias: {
      pino: 'pino/browser.js',
      'node:buffer': './src/connect/node-stubs/buffer.ts',
      'node:diagnostics_channel': './src/connect/node-stubs/diagnostics-channel.ts',
      'node:fs': './src/connect/node-stubs/fs.ts',
    },
    define: { BUNDLED_SINK_VERSION: JSON.stringify(version) },
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) {
    const text = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
    throw new Error(`esbuild warned while bundling the Connect plugin's script:\n${text.join('\n')}`);
  }
  return result.outputFiles[0].contents;
}
