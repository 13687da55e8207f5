/**
 * The Kafka Connect plugin's JavaScript side: bundled into the plugin's jar and run by the Java
 * task in GraalJS (connect-plugin/). It exposes `globalThis.databendSink`:
 *
 * - `configDefinitions()`: the ConfigDef's keys (connect-config.ts), read at build time into a JSON
 *   resource, so that the Java side declares exactly what config-definitions.ts declares;
 * - `validate(props)`: the sink's validation of the connector's properties;
 * - `createWriter(props, host, log)`: our Databend writer over the host's session; `write(batch)`
 *   takes one hand-off text (record-handoff.ts) and answers the records refused, by index;
 *   `rowProgram(keySchema, valueSchema)` tells the Java side how to encode rows itself (row-programs.ts).
 *
 * Everything crosses the boundary as strings (JSON): one call per batch, not per record.
 */
import './graal-shims';
import './graal-url-shim';
import { databendWriterOptions, type SinkConfig } from '../config/sink-config';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../databend/connection-options';
import { DatabendWriter } from '../databend/write/databend-writer';
import { SinkError } from '../errors';
import { encodeCsv } from '../dialect/encode-rows';
import { createForwardingLogger } from '../logging/logger';
import type { ErrorStage } from '../ports/dead-letter-queue';
import { connectConfigDefinitions, validateTaskConfig } from './connect-config';
import { type DatabendHost, HostSession } from './host-session';
import { RecordHandoff } from './record-handoff';
import { RowPrograms } from './row-programs';

/** A refused record as the Java task reports it to Connect's ErrantRecordReporter (or stops on it). */
interface Refusal {
  index: number;
  stage: ErrorStage;
  code: string;
  message: string;
}

/** The validated config of a task; throws the problems, each naming its key. */
function taskConfig(propsJson: string): SinkConfig {
  const { config, problems } = validateTaskConfig(JSON.parse(propsJson) as Record<string, string>);
  if (!config) throw new Error(problems.map((p) => `${p.key}: ${p.message}`).join('; '));
  return config;
}

class ConnectWriter {
  private readonly programs: RowPrograms;
  private readonly handoff: RecordHandoff;

  constructor(private readonly writer: DatabendWriter) {
    this.programs = new RowPrograms((key, value) => writer.shapeFor(key, value));
    this.handoff = new RecordHandoff(this.programs);
  }

  /** The row program for records with these Connect schemas (row-programs.ts), JSON or `null`. */
  rowProgram(keySchemaText: string, valueSchemaText: string): string {
    return this.programs.define(keySchemaText, valueSchemaText);
  }

  resetRowPrograms(): void {
    this.programs.reset();
  }

  /**
   * A batch planned and encoded without Databend: per operation its kind, table and the CSV it would
   * load (or its delete keys), and the records refused, by index. The plugin's tests hold the rows
   * the Java side encodes to the script's own encoding with it (RowProgramTest).
   */
  plannedCsv(batch: string): string {
    const { records, indexes, failures } = this.handoff.read(batch);
    const plan = this.writer.plan(records);
    const indexOf = new Map(records.map((r, i) => [r, indexes[i]]));
    return JSON.stringify({
      operations: plan.operations.map((op) => (op.kind === 'delete' ? { kind: op.kind, table: op.table, keys: op.keys } : { kind: op.kind, table: op.table, form: op.form, csv: op.form === 'csv' ? encodeCsv(op.rows) : op.rows })),
      refused: [...failures.map((f) => ({ index: f.index, message: f.error.message })), ...plan.failed.map((f) => ({ index: indexOf.get(f.record), message: f.error.message }))].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)),
      superseded: plan.superseded.map((r) => indexOf.get(r)),
    });
  }

  /**
   * Writes one hand-off batch; resolves with the refused records (JSON) or rejects with
   * `{code, message, retriable}` (JSON) when the task must retry the batch or stop.
   */
  /** `write`, its outcome handed to the Java task's `done` / `failed` (host objects cannot await). */
  writeNow(batch: string, stopAtFirstFailure: boolean, settled: { done(result: string): void; failed(error: string): void }): void {
    this.write(batch, stopAtFirstFailure).then(
      (result) => settled.done(result),
      (err: unknown) => settled.failed(err instanceof Error ? err.message : String(err)),
    );
  }

  async write(batch: string, stopAtFirstFailure: boolean): Promise<string> {
    const refused: Refusal[] = [];
    try {
      const { records, indexes, failures } = this.handoff.read(batch);
      for (const f of failures) refused.push({ index: f.index, stage: f.stage, code: f.error.code, message: f.error.message });
      // Records keep the batch's order, so those before the first refused one are a prefix; the
      // index of a record the writer refused is looked up only when there is one (a per-record
      // callback is a cost of its own in the interpreter).
      const cut = stopAtFirstFailure && failures.length > 0 ? indexes.findIndex((i) => i >= failures[0].index) : -1;
      const toWrite = cut < 0 ? records : records.slice(0, cut);
      const writeFailures = await this.writer.write(toWrite, { stopAtFirstFailure });
      if (writeFailures.length > 0) {
        const indexOf = new Map(toWrite.map((r, i) => [r, indexes[i]]));
        for (const { record, error } of writeFailures) refused.push({ index: indexOf.get(record) as number, stage: 'TASK_PUT', code: error.code, message: error.at(record).message });
      }
    } catch (err) {
      const e = err instanceof SinkError ? err : new SinkError('INTERNAL', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      throw new Error(JSON.stringify({ code: e.code, message: e.message, retriable: e.isRetriable }), { cause: err });
    }
    refused.sort((a, b) => a.index - b.index);
    return JSON.stringify(refused);
  }
}

const api = {
  configDefinitions: (): string => JSON.stringify(connectConfigDefinitions()),
  validate: (propsJson: string): string => JSON.stringify(validateTaskConfig(JSON.parse(propsJson) as Record<string, string>).problems),
  /** What the Java task needs before the writer: the Databend connection, the retry policy and how records are batched. */
  taskSettings(propsJson: string): string {
    const { connection, maxRetries, retryBackoffMs, batchSize, lingerMs } = taskConfig(propsJson);
    const { host, port, user, password, database, ssl, requestTimeoutMs } = connection;
    return JSON.stringify({ connection: { host, port, user, password, database, ssl, requestTimeoutMs: requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS }, maxRetries, retryBackoffMs, batchSize, lingerMs });
  },
  createWriter(propsJson: string, host: DatabendHost, logLevel: string, log: { write(line: string): void }): ConnectWriter {
    const config = taskConfig(propsJson);
    const logger = createForwardingLogger(config.name, logLevel, (record) => log.write(JSON.stringify(record)));
    return new ConnectWriter(new DatabendWriter([new HostSession(host)], databendWriterOptions(config), logger));
  },
};

(globalThis as unknown as { databendSink: typeof api }).databendSink = api;
