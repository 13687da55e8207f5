/**
 * The batch hand-off from the plugin's Java task: Connect records, after the user's converter,
 * written by Kafka Connect's own JsonConverter (schemas enabled) into one text per `put`, three
 * lines per record:
 *
 *   <topic> TAB <partition> TAB <offset> TAB <timestamp ms, or empty>
 *   <key as {"schema":…,"payload":…}, or empty when the record has no key>
 *   <value as {"schema":…,"payload":…}, or empty for a tombstone>
 *
 * or, for a record whose row the Java side encoded with a row program (row-programs.ts):
 *
 *   <topic> TAB <partition> TAB <offset> TAB <timestamp ms, or empty> TAB <program id>
 *   <empty>
 *   <the row's field texts, separated by U+001F; a null field is U+001E alone; a newline is U+001D>
 *
 * (the Java side writes no such row when a text holds U+001D, U+001E or U+001F).
 *
 * JsonConverter escapes every control character, so a JSON line never holds a newline, and topic
 * names hold no tab. One text per batch keeps the per-record work in the interpreter's compiled
 * built-ins (split, JSON.parse) and our own Connect JSON converter, which reads the schemas once
 * per distinct schema text: the record model the planner gets is the one our standalone sink builds
 * from the same Connect JSON.
 */
import { ConnectJsonConverter } from '../converters/connect-json-converter';
import { SinkError } from '../errors';
import type { ErrorStage } from '../ports/dead-letter-queue';
import type { SinkRecord } from '../record/sink-record';
import type { RowPrograms } from './row-programs';

const FIELD_SEPARATOR = '\u001f';
const NULL_FIELD = '\u001e';
const NEWLINE = '\u001d';

/** A record the hand-off could not convert, by its index in the batch, and where it was consumed. */
export interface HandoffFailure {
  index: number;
  topic: string;
  partition: number;
  offset: string;
  stage: ErrorStage;
  error: SinkError;
}

export class RecordHandoff {
  // RecordHandoff.java's JsonConverter writes Decimals as base64 (decimal.format's default): never as numbers.
  private readonly keys = new ConnectJsonConverter(true, false);
  private readonly values = new ConnectJsonConverter(true, false);

  constructor(private readonly programs?: RowPrograms) {}

  /** The batch's records, each with its index in the batch (`offset` stays the Kafka offset). */
  read(text: string): { records: SinkRecord[]; indexes: number[]; failures: HandoffFailure[] } {
    const lines = text.split('\n');
    const records: SinkRecord[] = [];
    const indexes: number[] = [];
    const failures: HandoffFailure[] = [];
    const count = Math.floor(lines.length / 3);
    for (let i = 0; i < count; i++) {
      const meta = lines[3 * i];
      // Three tabs; the parts are taken by position (a split and an object spread per record cost more in GraalJS's interpreter).
      const t1 = meta.indexOf('\t');
      const t2 = meta.indexOf('\t', t1 + 1);
      const t3 = meta.indexOf('\t', t2 + 1);
      const t4 = t3 < 0 ? -1 : meta.indexOf('\t', t3 + 1);
      if (t1 < 0 || t2 < 0 || t3 < 0 || (t4 >= 0 && meta.indexOf('\t', t4 + 1) >= 0)) {
        throw new SinkError('INTERNAL', `record hand-off: line ${3 * i + 1} is not <topic> <partition> <offset> <timestamp> [<row program>]`);
      }
      const topic = meta.slice(0, t1);
      const partition = Number(meta.slice(t1 + 1, t2));
      const offset = meta.slice(t2 + 1, t3);
      const end = t4 < 0 ? meta.length : t4;
      const timestamp = t3 + 1 === end ? '0' : meta.slice(t3 + 1, end);
      let stage: ErrorStage = 'KEY_CONVERTER';
      try {
        if (t4 >= 0) {
          records.push(this.encoded(Number(meta.slice(t4 + 1)), topic, partition, offset, timestamp, lines[3 * i + 2]));
          indexes.push(i);
          continue;
        }
        const keyText = lines[3 * i + 1];
        const key = keyText === '' ? null : this.keys.convertText(keyText);
        stage = 'VALUE_CONVERTER';
        const valueText = lines[3 * i + 2];
        const value = valueText === '' ? null : this.values.convertText(valueText);
        records.push({ topic, partition, offset, timestamp, key, value });
        indexes.push(i);
      } catch (err) {
        if (!(err instanceof SinkError) || !err.isRecordError) throw err;
        failures.push({ index: i, topic, partition, offset, stage, error: err.at({ topic, partition, offset }) });
      }
    }
    return { records, indexes, failures };
  }

  /** A record whose row the Java side encoded (row-programs.ts). */
  private encoded(id: number, topic: string, partition: number, offset: string, timestamp: string, rowText: string): SinkRecord {
    if (this.programs === undefined) throw new SinkError('INTERNAL', 'record hand-off: a row program without programs');
    const program = this.programs.get(id);
    const fields: (string | null)[] = (rowText.indexOf(NEWLINE) < 0 ? rowText : rowText.replaceAll(NEWLINE, '\n')).split(FIELD_SEPARATOR);
    if (fields.length !== program.shape.columns.length) {
      throw new SinkError('INTERNAL', `record hand-off: a row of ${fields.length} fields for ${program.shape.columns.length} columns (topic ${topic}, partition ${partition}, offset ${offset})`);
    }
    if (rowText.indexOf(NULL_FIELD) >= 0) for (let f = 0; f < fields.length; f++) if (fields[f] === NULL_FIELD) fields[f] = null;
    return { topic, partition, offset, timestamp, key: program.key, value: program.value, encoded: { shape: program.shape, fields } };
  }
}
