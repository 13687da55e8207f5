import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogueMarkdown } from './catalogue-markdown';
import { SCENARIO_CATALOGUE } from './scenario-catalogue';

describe('docs/catalogue.md', () => {
  it('is what `npm run docs:catalogue` writes from the catalogue (regenerate it after changing the catalogue)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'catalogue.md'), 'utf8');
    expect(committed).toBe(catalogueMarkdown());
  });

  it('lists every scenario id once', () => {
    const rows = catalogueMarkdown()
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(rows.map((row) => /^\| `([^`]+)`/.exec(row)?.[1])).toEqual(SCENARIO_CATALOGUE.map((e) => e.id));
  });
});
