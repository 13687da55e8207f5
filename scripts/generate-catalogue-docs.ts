/**
 * Writes docs/catalogue.md from the scenario catalogue (conformance/catalogue/scenario-catalogue.ts).
 * Run with `npm run docs:catalogue`; conformance/catalogue/catalogue-docs.unit.test.ts fails when the file is stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogueMarkdown } from '../conformance/catalogue/catalogue-markdown';

const target = path.join(__dirname, '..', 'docs', 'catalogue.md');
fs.writeFileSync(target, catalogueMarkdown());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
