/** A converter's validated settings (`key.converter*` / `value.converter*`); config/ builds them, converter-factory.ts reads them. */
export type ConverterKind = 'avro' | 'json-schema' | 'protobuf' | 'json' | 'string' | 'bytearray';

export interface ConverterConfig {
  kind: ConverterKind;
  /** The class name as configured, for messages. */
  className: string;
  /** JsonConverter: `schemas.enable` (default true, as in Kafka Connect). */
  schemasEnable: boolean;
  /** Avro / JSON Schema / Protobuf: the registry. */
  schemaRegistryUrl?: string;
  /** `user:password` from `basic.auth.user.info` / `schema.registry.basic.auth.user.info` (source USER_INFO). */
  basicAuthUserInfo?: string;
}
