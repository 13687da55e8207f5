import { scenario } from '../harness/scenario';
import { typeFixtureTests } from '../support/type-fixture';

/**
 * The type matrix of `fixtures/avro/types.matrix/`: decimals at every scale up to Databend's
 * largest precision, timestamps and dates at both ends of Databend's range, text that is empty,
 * exotic or looks like NULL, bytes that are not text, integer and float extremes, and nested
 * values. Each record lands as one row whose every column has the exact expected text.
 */
scenario('types.matrix', (s) => {
  typeFixtureTests(s, 'types.matrix');
});
