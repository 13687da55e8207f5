import * as fs from 'node:fs';
import type { ScenarioContext } from '../harness/scenario-context';
import type { DatabendClient, DatabendLoadPath } from '../sink-under-test/capabilities';
import { currentPathViolations, type UploadWay } from './current-path-record';
import { caughtUp } from './caught-up';
import { loadTypeFixture, typeFixtureTests } from './type-fixture';

/** One request the local Databend front served, as it records it (`--request-log`). */
export interface ServedRequest {
  t: string;
  method: string;
  path: string;
  status: number;
  /** The client session (cookie) it came in. */
  session?: string;
  /** Queries: the statement (first 500 characters), rows written, the Databend error code if it failed. */
  sql?: string;
  rows?: number;
  error?: number;
  /** Queries: whether the statement came with a stage attachment. */
  attachment?: boolean;
  /** `/v1/upload_to_stage`: where each file went. */
  files?: { location: string; bytes: number }[];
  /** A presigned PUT: where it went. */
  location?: string;
  bytes?: number;
}

export function servedRequests(file: string): ServedRequest[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ServedRequest);
}

interface Variant {
  name: string;
  /** Query parameters added to `connection.url`, which the sink passes to databend-driver's DSN. */
  urlParams: string;
  /** Current path: how this variant's files reach the stage. */
  uploads: readonly UploadWay[];
}

/**
 * The variants a client is run in. databend-driver has two ways to upload on the current path and
 * runs both; any other client (or none declared) runs in its own single way, whichever of the two
 * it takes. On the legacy path every client runs once: the record judges the attachments, however
 * the file reached the stage.
 */
export function protocolVariants(path: DatabendLoadPath, client: DatabendClient | undefined): Variant[] {
  if (path === 'legacy') return [{ name: 'stage attachments', urlParams: '', uploads: [] }];
  if (client !== 'databend-driver') return [{ name: "the client's own upload", urlParams: '', uploads: ['direct', 'presigned'] }];
  return [
    { name: 'upload through /v1/upload_to_stage', urlParams: '', uploads: ['direct'] },
    // Databend Cloud: databend-driver turns presign on for hosts under .databend.com; presign=on does it anywhere.
    { name: 'upload through a presigned URL (presign=on, as on Databend Cloud)', urlParams: 'presign=on', uploads: ['presigned'] },
  ];
}

interface Landed {
  tables: string[];
  from: number;
}

/**
 * What a sink does against a Databend server whose version makes databend-driver take `path`,
 * proven by the server's own record of the requests it served: upsert, tombstone deletes and update
 * mode, and the type matrix through upsert, each with exact rows. A sink that takes another path
 * (or writes nothing) fails on the record; one that takes the path and corrupts values fails on
 * the rows.
 */
export function protocolPathTests(s: ScenarioContext, path: DatabendLoadPath): void {
  const fixture = loadTypeFixture('types.matrix');
  for (const [index, variant] of protocolVariants(path, s.sink.capabilities.databendClient).entries()) {
    const landed: Landed = { tables: [], from: 0 };
    const url = () => {
      const { databend } = s.endpoints;
      const params = [databend.sslmode === 'enable' ? 'ssl=true' : '', variant.urlParams].filter(Boolean).join('&');
      return `jdbc:databend://${databend.host}:${databend.port}${params ? `?${params}` : ''}`;
    };

    // The type matrix through upsert, as types.matrix judges it (a field the run's converter cannot carry by its own check).
    typeFixtureTests(s, fixture, {
      label: `${variant.name}: the type matrix through upsert: `,
      overrides: () => ({ 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id', 'connection.url': url() }),
      topicPart: `matrix_${index}`,
      landing: () => {
        landed.from = servedRequests(s.endpoints.databend.requestLog!).length;
      },
      landed: (topic) => landed.tables.push(topic),
    });

    s.it(`${variant.name}: upsert with tombstones, then update mode: last value wins, deleted keys gone, update touches existing keys only`, async () => {
      const topic = await s.createTopic(`keyed_${index}`);
      landed.tables.push(topic);
      const json = (v: object) => JSON.stringify(v);
      await s.produce(topic, [
        { key: 'k1', value: json({ name: 'a1', n: 1 }) },
        { key: 'k2', value: json({ name: 'b1', n: 1 }) },
        { key: 'k3', value: json({ name: 'c1', n: 1 }) },
        { key: 'k4', value: json({ name: 'd1', n: 1 }) },
        { key: 'k1', value: json({ name: 'a2', n: 2 }) },
        { key: 'k2', value: null },
        { key: 'k3', value: null },
        { key: 'k3', value: json({ name: 'c3', n: 3 }) },
      ]);
      const keyed = (overrides: Record<string, string>) =>
        s.config({
          'connection.url': url(),
          'pk.mode': 'record_key',
          'pk.fields': 'id',
          'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter.schemas.enable': 'false',
          ...overrides,
        });
      const upsert = keyed({ topics: topic, 'insert.mode': 'upsert', 'delete.enabled': 'true' });
      await caughtUp(s, await s.start(upsert), upsert, topic);
      const sql = `SELECT id, name, n::String FROM "${topic}" ORDER BY id`;
      expect(await s.query(sql)).toEqual([
        ['k1', 'a2', '2'],
        ['k3', 'c3', '3'],
        ['k4', 'd1', '1'],
      ]);

      const updates = await s.createTopic(`updates_${index}`);
      await s.produce(updates, [
        { key: 'k1', value: json({ name: 'a4', n: 4 }) },
        { key: 'k9', value: json({ name: 'never', n: 9 }) },
      ]);
      const update = keyed({ topics: updates, 'table.name.format': topic, 'insert.mode': 'update' });
      await caughtUp(s, await s.start(update), update, updates);
      expect(await s.query(sql)).toEqual([
        ['k1', 'a4', '4'],
        ['k3', 'c3', '3'],
        ['k4', 'd1', '1'],
      ]);
    });

    s.it(`${variant.name}: the server's request log shows the ${path} path, and only it`, async () => {
      // Other scenarios run beside this one: only the sessions that wrote this variant's tables count.
      const all = servedRequests(s.endpoints.databend.requestLog!).slice(landed.from);
      expect(landed.tables).toHaveLength(2);
      if (path === 'current') {
        expect(currentPathViolations(all, landed.tables, variant.uploads)).toEqual([]);
        return;
      }
      const names = (r: ServedRequest) => r.sql !== undefined && landed.tables.some((t) => r.sql!.includes(`"${t}"`));
      for (const table of landed.tables) expect(all.filter((r) => r.sql?.includes(`"${table}"`)).length).toBeGreaterThan(0);
      const sessions = new Set(all.filter(names).map((r) => r.session));
      const statements = all.filter((r) => sessions.has(r.session) && r.path === '/v1/query' && r.sql !== undefined);
      // Legacy: every load is the statement with a stage attachment; nothing names a stage in SQL.
      const loads = statements.filter((r) => r.attachment);
      expect(loads.length).toBeGreaterThan(0);
      expect(loads.filter((r) => /^REPLACE INTO .* ON \(.*\) VALUES$/s.test(r.sql!)).length).toBeGreaterThan(0);
      expect(statements.filter((r) => /FROM @/i.test(r.sql!))).toEqual([]);
      expect(loads.every((r) => r.status === 200 && r.error === undefined)).toBe(true);
    });
  }
}
