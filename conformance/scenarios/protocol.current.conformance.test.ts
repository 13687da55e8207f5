import { scenario } from '../harness/scenario';
import { protocolPathTests } from '../support/protocol-path';

/**
 * A current Databend server (above 1.2.781, as every server released since mid-2025 and Databend
 * Cloud): databend-driver uploads each batch and runs `INSERT … FROM @~/…`, a path where servers
 * refuse `REPLACE`. Upsert, deletes, update and the type matrix must still land exactly, with the
 * file uploaded directly and through a presigned URL (Databend Cloud's way).
 */
scenario('protocol.current', (s) => {
  protocolPathTests(s, 'current');
});
