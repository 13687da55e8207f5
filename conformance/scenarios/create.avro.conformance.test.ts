import { scenario } from '../harness/scenario';
import { typeFixtureTests } from '../support/type-fixture';

/**
 * One Avro record type with every primitive (an optional one among them) and every logical type,
 * auto-created: each field becomes the column type sink.md §2 maps it to, and two records land
 * with their exact values (local timestamps read in the default `db.timezone`, UTC).
 */
scenario('create.avro', (s) => {
  typeFixtureTests(s, 'create.avro');
});
