import type { Requirement } from '../sink-under-test/capabilities';

/**
 * Every scenario the suite knows (docs/catalogue.md is generated from this list). The report shows each id with its
 * result, so a scenario that was never written shows up as "not implemented" rather than vanishing.
 */
export interface ScenarioEntry {
  id: string;
  priority: 0 | 1;
  expectation: string;
  /** What the sink (or the environment) must offer for the scenario to apply. */
  requires: Requirement[];
}

export const SCENARIO_CATALOGUE: readonly ScenarioEntry[] = [
  {
    id: 'create.avro',
    priority: 0,
    expectation: 'Avro record with every primitive and logical type, auto.create → table with the mapped column types and exact values',
    requires: ['auto-create', 'converter:avro', 'mode:insert'],
  },
  {
    id: 'create.disabled',
    priority: 0,
    expectation: 'auto.create=false, table missing → clear error naming the table; no offsets committed',
    requires: ['converter:json-schemaless', 'mode:insert'],
  },
  {
    id: 'append.basic',
    priority: 0,
    expectation: 'N ≥ 10,000 records over several partitions → exactly N rows, values exact',
    requires: ['auto-create', 'converter:avro', 'mode:insert'],
  },
  {
    id: 'upsert.value-key',
    priority: 0,
    expectation: 'repeated keys across and within one batch → one row per key, last value wins',
    requires: ['auto-create', 'converter:avro', 'mode:upsert', 'pk:record_value'],
  },
  {
    id: 'upsert.record-key',
    priority: 0,
    expectation: 'struct key and primitive key (pk.mode=record_key), and pk.mode=kafka',
    requires: ['auto-create', 'converter:avro', 'mode:upsert', 'pk:record_key', 'pk:kafka'],
  },
  {
    id: 'delete.tombstone',
    priority: 0,
    expectation: 'tombstones with delete.enabled → rows gone; tombstone first in a batch; delete-then-upsert and upsert-then-delete in one batch follow offset order',
    requires: ['auto-create', 'converter:avro', 'mode:upsert', 'pk:record_key', 'deletes'],
  },
  {
    id: 'evolve.add',
    priority: 0,
    expectation: 'v1 and v2 (added optional field with default) interleaved → column added, old rows NULL/default, new rows filled',
    requires: ['auto-create', 'converter:avro', 'mode:insert', 'evolve:add'],
  },
  {
    id: 'evolve.add-many',
    priority: 0,
    expectation: 'three fields added at once → all columns added',
    requires: ['auto-create', 'converter:avro', 'mode:insert', 'evolve:add'],
  },
  {
    id: 'evolve.drop',
    priority: 0,
    expectation: 'field removed in v3 → column kept, new rows NULL',
    requires: ['auto-create', 'converter:avro', 'mode:insert', 'evolve:drop'],
  },
  {
    id: 'evolve.widen',
    priority: 0,
    expectation: 'int→long, float→double, decimal precision up → type widened, values exact',
    requires: ['auto-create', 'converter:avro', 'mode:insert', 'evolve:widen'],
  },
  {
    id: 'evolve.incompatible',
    priority: 0,
    expectation: 'string→int on an existing column → DLQ (tolerance all) or stop (none); table unchanged',
    requires: ['auto-create', 'converter:json-envelope', 'mode:insert', 'dlq'],
  },
  {
    id: 'evolve.disabled',
    priority: 0,
    expectation: 'new field with auto.evolve=false → clear error naming table and column',
    requires: ['auto-create', 'converter:avro', 'mode:insert'],
  },
  {
    id: 'json.envelope',
    priority: 0,
    expectation: 'JsonConverter with schemas.enable=true → typed columns',
    requires: ['auto-create', 'converter:json-envelope', 'mode:insert'],
  },
  {
    id: 'json.schemaless',
    priority: 0,
    expectation: 'schemas.enable=false → inferred columns, nested → VARIANT, int64 beyond 2^53 exact, nulls kept',
    requires: ['auto-create', 'converter:json-schemaless', 'mode:insert'],
  },
  {
    id: 'types.matrix',
    priority: 0,
    expectation:
      'decimals (scale 0…18, negative, max precision), timestamps (ms/µs, pre-1970, far future), dates, unicode and emoji, empty string vs NULL, bytes, nested struct/array/map, int64 min/max',
    requires: ['auto-create', 'converter:avro', 'mode:insert'],
  },
  {
    id: 'protocol.current',
    priority: 0,
    expectation:
      "a current Databend server (each batch uploaded to the user stage, then INSERT … FROM @~; REPLACE refused there): upsert, tombstone deletes, update and the type matrix exact, proven by the server's record of the requests — no stage attachment, every load names a file its session uploaded before it (directly or through a URL it presigned), no REPLACE from a stage file; databend-driver both directly and by presigned URL, any other client its own way",
    requires: ['speaks-path:current', 'auto-create', 'converter:avro', 'converter:json-schemaless', 'mode:upsert', 'mode:update', 'pk:record_value', 'pk:record_key', 'deletes', 'databend-path:current', 'environment-request-log'],
  },
  {
    id: 'protocol.legacy',
    priority: 0,
    expectation: "an old Databend server (≤ 1.2.781: each batch uploaded to the user stage, then the statement sent with it as a stage attachment): upsert, tombstone deletes, update and the type matrix exact, proven by the server's record of the requests — every load a stage attachment, upserts as REPLACE … VALUES with one, no statement naming a stage",
    requires: ['speaks-path:legacy', 'auto-create', 'converter:avro', 'converter:json-schemaless', 'mode:upsert', 'mode:update', 'pk:record_value', 'pk:record_key', 'deletes', 'databend-path:legacy', 'environment-request-log'],
  },
  {
    id: 'errors.poison-stop',
    priority: 0,
    expectation: 'undecodable record, errors.tolerance=none → sink fails naming topic/partition/offset; committed offset stays before it',
    requires: ['auto-create', 'converter:avro', 'mode:insert'],
  },
  {
    id: 'errors.poison-dlq',
    priority: 0,
    expectation: 'undecodable record, errors.tolerance=all + DLQ → record in DLQ with __connect.errors.* headers; all other records written once',
    requires: ['converter:avro', 'mode:insert', 'dlq'],
  },
  {
    id: 'delivery.crash',
    priority: 0,
    expectation: 'SIGKILL mid-stream, restart → no record lost; upsert: no duplicate keys; insert: duplicates only of records uncommitted at the kill (reported as a number)',
    requires: ['auto-create', 'converter:avro', 'mode:insert', 'mode:upsert', 'pk:record_value', 'hard-kill'],
  },
  {
    id: 'config.invalid',
    priority: 0,
    expectation: 'a matrix of bad configs → each rejected before consuming, every problem named, secrets masked',
    requires: [],
  },
  {
    id: 'config.confluent-cloud',
    priority: 0,
    expectation:
      "the Java connector's documented Confluent Cloud config (endpoints and credentials changed only, kafka.api.key/kafka.api.secret included) validates and runs → rows exact",
    requires: ['environment-auth', 'auto-create', 'converter:avro', 'mode:upsert', 'pk:record_value', 'evolve:add'],
  },
  {
    id: 'package.archive',
    priority: 0,
    expectation: 'unpack: manifest valid, every path it names exists, launcher runs, version matches',
    requires: ['archive'],
  },
  {
    id: 'multi.topic',
    priority: 1,
    expectation: 'several topics, topics.regex, table.name.format=db.${topic} → each to its own table',
    requires: ['converter:json-schemaless', 'mode:insert'],
  },
  {
    id: 'scale.group',
    priority: 1,
    expectation: 'two sink processes in one group, rebalance mid-stream → no loss; upsert: no duplicates',
    requires: ['converter:json-schemaless', 'mode:upsert', 'pk:record_value'],
  },
  {
    id: 'outage.databend',
    priority: 1,
    expectation: 'Databend unavailable for 20 s → retries, resumes, nothing lost',
    requires: ['environment-faults', 'converter:json-schemaless', 'mode:upsert', 'pk:record_value'],
  },
  {
    id: 'outage.kafka',
    priority: 1,
    expectation: 'broker restart → resumes, nothing lost',
    requires: ['environment-faults', 'converter:json-schemaless', 'mode:upsert', 'pk:record_value'],
  },
  {
    id: 'delivery.exactly-once',
    priority: 1,
    expectation: 'insert mode with exactly-once enabled, crash + restart + zombie writer (frozen mid-batch while another member takes its partitions over, then resumed) → exactly N rows',
    requires: ['exactly-once', 'auto-create', 'converter:json-schemaless', 'mode:insert', 'hard-kill'],
  },
  {
    id: 'security.auth',
    priority: 1,
    expectation: 'SASL/PLAIN to Kafka, basic auth to Schema Registry, password to Databend; wrong secret → clear auth error',
    requires: ['environment-auth'],
  },
  {
    id: 'create.protobuf',
    priority: 1,
    expectation:
      "Protobuf as Confluent's serializer writes it (message indexes [1]) with every scalar width, enum, optional, nested, repeated, map, oneof and well-known types → exact columns and values; undecodable records → DLQ with topic/partition/offset",
    requires: ['auto-create', 'converter:protobuf', 'mode:insert', 'dlq'],
  },
  {
    id: 'evolve.protobuf',
    priority: 1,
    expectation: 'Protobuf field added, message nested, field removed (records through the registry client) → columns added or kept, values exact',
    requires: ['auto-create', 'converter:protobuf', 'mode:insert', 'evolve:add', 'evolve:drop'],
  },
  {
    id: 'kafka.compression',
    priority: 1,
    expectation:
      "topics written by Kafka's own Java producer with gzip, snappy, lz4 and zstd → all rows exact; dead-letter records written with each codec (producer.override.compression.type) are read back by Kafka's own consumer",
    requires: ['kafka-tools', 'converter:json-schemaless', 'mode:insert', 'dlq'],
  },
  {
    id: 'group.rejoin',
    priority: 1,
    expectation: 'a write slower than session.timeout.ms, and a rebalance in the middle of it → the sink keeps or regains its membership, nothing lost, no exit',
    requires: ['environment-faults', 'converter:json-schemaless', 'mode:upsert', 'pk:record_value'],
  },
  {
    id: 'shutdown.prompt',
    priority: 1,
    expectation: 'SIGTERM during a Databend outage → exit 0 within task.shutdown.graceful.timeout.ms, nothing committed past what is durable, nothing lost after a restart',
    requires: ['environment-faults', 'converter:json-schemaless', 'mode:upsert', 'pk:record_value'],
  },
  {
    id: 'registry.misconfigured',
    priority: 1,
    expectation: 'schema registry URL with a wrong path, wrong credentials, a refused port → the sink refuses to start (stops by itself with a failure) naming the key, secrets hidden, nothing consumed',
    requires: ['converter:avro', 'mode:insert', 'registry-client-config'],
  },
  {
    id: 'ops.observability',
    priority: 1,
    expectation: 'metrics.port set: /healthz, /readyz, /metrics (Prometheus) and /status answer during a real run; counters equal what was produced, lag reaches 0, offsets as committed',
    requires: ['auto-create', 'converter:json-schemaless', 'mode:insert', 'observability'],
  },
  {
    id: 'load.sustained',
    priority: 1,
    expectation: '1,000,000 Avro records as a backlog → all written exactly once, values exact, committed to the end; peak RSS of the sink process under the documented bound (300 MB), reported',
    requires: ['auto-create', 'converter:avro', 'mode:insert', 'hard-kill'],
  },
];

export function catalogueEntry(id: string): ScenarioEntry {
  const entry = SCENARIO_CATALOGUE.find((e) => e.id === id);
  if (!entry) throw new Error(`scenario "${id}" is not in the catalogue (conformance/catalogue/scenario-catalogue.ts)`);
  return entry;
}
