/**
 * Writes docs/CONFIG.md from the config declaration (src/config/config-definitions.ts).
 * Run with `npm run docs:config`; src/config/config-docs.test.ts fails when the file is stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configMarkdown } from '../src/config/config-projections';

const target = path.join(__dirname, '..', 'docs', 'CONFIG.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, configMarkdown());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
