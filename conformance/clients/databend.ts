import type { DatabendEndpoint } from '../environments/environment';
import { databendDsn } from '../environments/environment';

// databend-driver logs to stdout unless told not to; this must be set before it is loaded.
process.env.RUST_LOG = 'off';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const driver = require('databend-driver') as typeof import('databend-driver');

export type DatabendConnection = Awaited<ReturnType<InstanceType<typeof driver.Client>['getConn']>>;

/** A connection for assertions: every scenario reads Databend through the real driver. */
export async function databendConnection(endpoint: DatabendEndpoint, database = 'default'): Promise<DatabendConnection> {
  return new driver.Client(databendDsn(endpoint, database)).getConn();
}

/** All rows of a query as arrays of Databend's own string forms (null for NULL). */
export async function queryStrings(conn: DatabendConnection, sql: string): Promise<(string | null)[][]> {
  const rows = await conn.queryAll(sql);
  return rows.map((row) => row.values().map((v) => (v === null || v === undefined ? null : String(v))));
}
