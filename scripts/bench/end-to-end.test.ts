import { fewestLoads, writesInto } from './end-to-end';

describe('writesInto (loads counted from the Databend front’s request log)', () => {
  it('counts the INSERT, REPLACE and COPY statements into the table, quoted or with its database', () => {
    expect(writesInto('INSERT INTO "bench_t_1" ("id") VALUES from @~/client/load/1 file_format=(type=csv)', 'bench_t_1')).toBe(true);
    expect(writesInto('REPLACE INTO "db"."bench_t_1" ("id") ON ("id") SELECT "id" FROM "db"."scratch"', 'bench_t_1')).toBe(true);
    expect(writesInto("COPY INTO default.bench_t_1 FROM @~/batch/ FILES = ('x.ndjson.zst') FILE_FORMAT = (type = NDJSON)", 'bench_t_1')).toBe(true);
  });

  it('leaves out other tables, scratch tables and statements that write nothing', () => {
    expect(writesInto('INSERT INTO "bench_t_10" ("id") VALUES (1)', 'bench_t_1')).toBe(false);
    expect(writesInto('INSERT INTO "db"."__databend_sink_upsert_1_2_3" ("id") VALUES from @~/x', 'bench_t_1')).toBe(false);
    expect(writesInto('SELECT count(*) FROM "bench_t_1"', 'bench_t_1')).toBe(false);
    expect(writesInto(undefined, 'bench_t_1')).toBe(false);
  });
});

describe('fewestLoads (the floor of the load count)', () => {
  it('is one load per batch.size records of each partition, a partial batch counting as one', () => {
    expect(fewestLoads([50_000, 50_000, 49_999, 50_001], 10_000)).toBe(5 + 5 + 5 + 6);
    expect(fewestLoads([0, 1], 10_000)).toBe(1);
  });
});
