import * as fs from 'node:fs';
import * as path from 'node:path';

const AVRO_FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'avro');

/** The Avro schema `fixtures/avro/<scenario>/<name>.avsc`. */
export function avroFixture(scenario: string, name: string): object {
  return JSON.parse(fs.readFileSync(path.join(AVRO_FIXTURES, scenario, `${name}.avsc`), 'utf8')) as object;
}
