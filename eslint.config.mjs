import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The conformance suite stands on its own: a sink and its judge must not share the code that could
 * be wrong in both. Nothing under conformance/ imports the product (src/) or the project's scripts
 * (which import src/), except the adapters that launch our own sink.
 */
const OUR_SINK_ADAPTERS = ['conformance/sink-under-test/archive-sink.ts', 'conformance/sink-under-test/inprocess-sink.ts', 'conformance/sink-under-test/select-sink.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'dist/', 'reports/', '.runtimes/', 'connect-plugin/target/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  {
    files: ['conformance/**/*.ts', 'conformance/**/*.cjs', 'conformance/**/*.mjs'],
    ignores: OUR_SINK_ADAPTERS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(src|scripts)(/|$)',
              message: 'The conformance suite stands on its own: only the adapters that launch our sink (conformance/sink-under-test/{archive-sink,inprocess-sink,select-sink}.ts) may import src/ or scripts/.',
            },
          ],
        },
      ],
    },
  },
);
