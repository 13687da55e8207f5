import { scenario } from '../harness/scenario';
import { protocolPathTests } from '../support/protocol-path';

/**
 * A current Databend server (above 1.2.781, as every server released since mid-2025 and Databend
 * Cloud): a client uploads each batch to the user stage and runs `INSERT … FROM @~/…`, a path where
 * servers refuse `REPLACE`. Upsert, deletes, update and the type matrix must still land exactly, and
 * the server's request log must show that path and only it, whichever client the sink uses:
 * databend-driver with the file uploaded directly and through a presigned URL (Databend Cloud's
 * way), any other client in its own way.
 */
scenario('protocol.current', (s) => {
  protocolPathTests(s, 'current');
});
