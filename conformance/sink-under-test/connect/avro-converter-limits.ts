import type { AvroLimits } from '../capabilities';
import type { ConnectSpec } from './connect-sink';

/**
 * What Apicurio's AvroConverter (2.6, Confluent-compatible mode; its AvroData is a fork of
 * Confluent's) does with the Avro features Kafka Connect's data model has no place for. Kafka Connect
 * decides these outcomes before any sink task sees a record, so the checks that need a feature are
 * not applicable to a sink run in this setup (its own findings are in the README's "Converters in
 * the `connect` setup" and docs/connect-plugin.md).
 */
export const APICURIO_AVRO_LIMITS: AvroLimits = {
  'fixed-decimal': {
    effect: 'refused',
    reason:
      "Kafka Connect decides: Apicurio's AvroConverter (like Confluent's AvroData of the 7.x releases) cannot turn a named Avro `fixed` with logical type decimal into Connect data (\"Mismatched names … Decimal\"), so a record holding one fails in the converter and never reaches the task",
  },
  'timestamp-micros': {
    effect: 'altered',
    reason: "Kafka Connect decides: its data model has no microsecond timestamp (its Timestamp is milliseconds), and Apicurio's AvroConverter hands the task a plain INT64 of microseconds",
  },
  'time-micros': {
    effect: 'altered',
    reason: "Kafka Connect decides: its data model has no microsecond time of day (its Time is milliseconds), and Apicurio's AvroConverter hands the task a plain INT64 of microseconds",
  },
  'local-timestamp': {
    effect: 'altered',
    reason: "Kafka Connect decides: its data model has no local (zone-less) timestamp, and Apicurio's AvroConverter hands the task a plain INT64 (millis or micros since 1970-01-01T00:00 local)",
  },
  'optional-default': {
    effect: 'altered',
    reason: "Kafka Connect decides: Apicurio's AvroConverter turns an optional (null-union) Avro field into an optional Connect field without its default, so the task never learns the default",
  },
};

/** The Avro limits of the converter a `connect` run gives its sink: Apicurio's where Avro is offered, none otherwise. */
export function connectAvroLimits(spec: Pick<ConnectSpec, 'apicurioRegistryUrl'>): AvroLimits {
  return spec.apicurioRegistryUrl === undefined ? {} : APICURIO_AVRO_LIMITS;
}
