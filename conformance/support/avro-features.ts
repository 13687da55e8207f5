import type { AvroFeature, AvroLimits } from '../sink-under-test/capabilities';
import type { AvroSchema } from './avro-fixture-encoder';

type Complex = Exclude<AvroSchema, string | AvroSchema[]>;
interface Field {
  name: string;
  type: AvroSchema;
  default?: unknown;
}

const LOGICAL_FEATURES: Record<string, AvroFeature> = {
  'timestamp-micros': 'timestamp-micros',
  'time-micros': 'time-micros',
  'local-timestamp-millis': 'local-timestamp',
  'local-timestamp-micros': 'local-timestamp',
};

/**
 * The Avro features (`AVRO_FEATURES`) each top-level field of a record schema uses, nested types
 * included: what a check of that field's column needs of the run's converter. Fields that use none
 * are left out.
 */
export function avroFieldFeatures(record: AvroSchema): Record<string, AvroFeature[]> {
  if (typeof record !== 'object' || Array.isArray(record) || record.type !== 'record') throw new Error('avroFieldFeatures: expected a record schema');
  const named = new Map<string, Set<AvroFeature>>();
  const result: Record<string, AvroFeature[]> = {};
  for (const field of record.fields as Field[]) {
    const features = fieldFeatures(field, named);
    if (features.size > 0) result[field.name] = [...features].sort();
  }
  return result;
}

/**
 * The fields (of `avroFieldFeatures`) whose records the run's converter would refuse: left out of
 * what a scenario produces in that run, so that the records carrying the other fields still arrive.
 */
export function fieldsRefused(featured: Record<string, AvroFeature[]>, limits: AvroLimits): string[] {
  return Object.keys(featured).filter((field) => featured[field].some((f) => limits[f]?.effect === 'refused'));
}

function fieldFeatures(field: Field, named: Map<string, Set<AvroFeature>>): Set<AvroFeature> {
  const features = typeFeatures(field.type, named);
  if (Array.isArray(field.type) && field.type.includes('null') && field.default !== undefined && field.default !== null) features.add('optional-default');
  return features;
}

function typeFeatures(schema: AvroSchema, named: Map<string, Set<AvroFeature>>): Set<AvroFeature> {
  // A reference by full name or by name (names are unique in the fixtures' schemas).
  if (typeof schema === 'string') return new Set(named.get(schema.slice(schema.lastIndexOf('.') + 1)) ?? []);
  if (Array.isArray(schema)) return new Set(schema.flatMap((branch) => [...typeFeatures(branch, named)]));
  const complex: Complex = schema;
  const features = new Set<AvroFeature>();
  const logical = complex.logicalType as string | undefined;
  if (logical !== undefined && LOGICAL_FEATURES[logical]) features.add(LOGICAL_FEATURES[logical]);
  if (complex.type === 'fixed' && logical === 'decimal') features.add('fixed-decimal');
  if (complex.type === 'record') for (const field of complex.fields as Field[]) for (const f of fieldFeatures(field, named)) features.add(f);
  if (complex.type === 'array') for (const f of typeFeatures(complex.items as AvroSchema, named)) features.add(f);
  if (complex.type === 'map') for (const f of typeFeatures(complex.values as AvroSchema, named)) features.add(f);
  if (typeof complex.type !== 'string' || !['record', 'array', 'map', 'fixed', 'enum'].includes(complex.type)) for (const f of typeFeatures(complex.type, named)) features.add(f);
  // A later field may name this type instead of repeating it.
  if (typeof complex.name === 'string') named.set(complex.name.slice(complex.name.lastIndexOf('.') + 1), features);
  return features;
}
