import { scenario } from '../harness/scenario';
import { protocolPathTests } from '../support/protocol-path';

/**
 * An old Databend server (up to 1.2.781): databend-driver sends each load as the statement with a
 * stage attachment. Run by `npm test` against the local front in its legacy mode.
 */
scenario('protocol.legacy', (s) => {
  protocolPathTests(s, 'legacy');
});
