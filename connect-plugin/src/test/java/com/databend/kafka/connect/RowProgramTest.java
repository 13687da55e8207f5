package com.databend.kafka.connect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;
import org.junit.Test;

/**
 * The rows the task encodes itself (RowProgram) against the script's own encoding of the same
 * records sent as Connect JSON: one batch of awkward values, planned by the script both ways under
 * each write mode, must give the same CSV, the same refusals and the same superseded records. The
 * script (src/) stays the one definition of how a value is written; this holds the Java side to it.
 */
public class RowProgramTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema KEY = SchemaBuilder.struct().name("OrderKey").field("id", Schema.INT64_SCHEMA).build();
    private static final Schema ORDER = SchemaBuilder.struct().name("Order")
            .field("id", Schema.INT64_SCHEMA)
            .field("i8", Schema.INT8_SCHEMA)
            .field("i16", Schema.INT16_SCHEMA)
            .field("i32", Schema.OPTIONAL_INT32_SCHEMA)
            .field("f32", Schema.FLOAT32_SCHEMA)
            .field("f64", Schema.FLOAT64_SCHEMA)
            .field("flag", Schema.BOOLEAN_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("at", Timestamp.SCHEMA)
            .field("unit", SchemaBuilder.string().optional().defaultValue("pcs").build())
            .field("price", Decimal.builder(2).parameter("connect.decimal.precision", "6").build())
            .field("big", Decimal.builder(0).optional().build())
            .field("day", org.apache.kafka.connect.data.Date.builder().optional().build())
            .field("tod", Time.SCHEMA)
            .build();
    /** A schema with a column no program covers (bytes): all of its records go as Connect JSON. */
    private static final Schema WITH_BYTES = SchemaBuilder.struct().name("Blob").field("id", Schema.INT64_SCHEMA).field("data", Schema.BYTES_SCHEMA).build();

    private static final String[] STRINGS = {"plain", "", "say \"hi\", ok", "Zoë 李雷 𝄞", "tab\there", "line\nbreak", "two\n\nlines\n", "group\u001dsep", "unit\u001fsep", "rec\u001esep", "lone \uD800 surrogate", "\\N", "\"", "a,b"};
    private static final double[] DOUBLES = {0.0, -0.0, 0.001, 0.1, 2.5, 1234567.125, 9999999.0, 1e7, 1e-4, 1e21, 9007199254740993.0, -3.75, Double.NaN, Double.POSITIVE_INFINITY, 0.30000000000000004,
        12345678.25, -1.5e300, 1e-7, 9.999999999999999e20, 1.2345e-5, 2e23, Double.MIN_VALUE, Double.MAX_VALUE};
    private static final float[] FLOATS = {0.1f, 1.5f, -0.0f, 16777216f, 3.4e38f, 1e-3f, 123.456f, 1e-4f, 1.17549435e-38f, Float.MIN_VALUE, 33554436f};
    private static final long[] LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 9007199254740993L, 42};
    private static final BigDecimal[] PRICES = {new BigDecimal("0.05"), new BigDecimal("-0.05"), new BigDecimal("1234.50"), new BigDecimal("9999.99"), new BigDecimal("10000.00"), new BigDecimal("0.00"), new BigDecimal("-9999.99")};
    private static final BigDecimal[] BIGS = {new BigDecimal("123456789012345678901234567890"), BigDecimal.ZERO, new BigDecimal("-7"), new BigDecimal("1" + "0".repeat(40))};
    private static final long[] DAYS = {0, -1, 10_957, -719_528, 2_932_896, 2_932_897, -719_529};
    private static final long[] TIMES_OF_DAY = {0, 1, 45_296_789, 86_399_999};
    private static final long[] TIMES = {0, -1, 1_700_000_000_123L, -62_135_596_800_000L, 253_402_207_200_999L, 253_402_207_201_000L, -62_135_596_800_001L, 951_782_400_000L};

    private static List<SinkRecord> batch() {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 720; i++) {
            Struct v = new Struct(ORDER)
                    .put("id", LONGS[i % LONGS.length] + i % 5)
                    .put("i8", (byte) (i % 2 == 0 ? -128 : 127))
                    .put("i16", (short) (i * 137))
                    .put("i32", i % 6 == 0 ? null : i * 1_000_003)
                    .put("f32", FLOATS[i % FLOATS.length])
                    .put("f64", DOUBLES[i % DOUBLES.length])
                    .put("flag", i % 3 == 0)
                    .put("name", STRINGS[i % STRINGS.length])
                    .put("note", i % 4 == 0 ? null : STRINGS[(i * 7) % STRINGS.length])
                    .put("at", new Date(TIMES[i % TIMES.length]))
                    .put("unit", i % 5 == 0 ? null : "kg")
                    .put("price", PRICES[i % PRICES.length])
                    .put("big", i % 9 == 0 ? null : BIGS[i % BIGS.length])
                    .put("day", i % 11 == 0 ? null : new Date(DAYS[i % DAYS.length] * 86_400_000L))
                    .put("tod", new Date(TIMES_OF_DAY[i % TIMES_OF_DAY.length]));
            Struct key = new Struct(KEY).put("id", v.getInt64("id"));
            records.add(new SinkRecord("orders", i % 3, KEY, key, ORDER, v, 1000 + i, 1_700_000_000_000L + i, org.apache.kafka.common.record.TimestampType.CREATE_TIME));
            if (i % 40 == 7) records.add(new SinkRecord("orders", i % 3, KEY, key, null, null, 5000 + i));
            if (i % 30 == 11) records.add(new SinkRecord("blobs", 0, null, null, WITH_BYTES, new Struct(WITH_BYTES).put("id", (long) i).put("data", new byte[] {1, 2}), 9000 + i));
        }
        return records;
    }

    private static Map<String, String> props(String mode, String pkMode, boolean deletes) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "row-program-test");
        props.put("connector.class", "com.databend.kafka.connect.DatabendSinkConnector");
        props.put("topics", "orders,blobs");
        props.put("connection.url", "jdbc:databend://127.0.0.1:8000");
        props.put("connection.user", "databend");
        props.put("connection.password", "databend");
        props.put("connection.database", "default");
        props.put("auto.create", "true");
        props.put("insert.mode", mode);
        props.put("pk.mode", pkMode);
        if (pkMode.equals("record_value")) props.put("pk.fields", "id");
        props.put("delete.enabled", String.valueOf(deletes));
        return props;
    }

    @Test
    public void rowsEncodedInJavaEqualTheScriptsUnderEveryMode() throws Exception {
        List<SinkRecord> records = batch();
        List<Map<String, String>> configs = List.of(
                props("insert", "none", false),
                props("insert", "kafka", false),
                props("upsert", "record_value", false),
                props("upsert", "record_key", true),
                props("update", "record_key", false),
                props("insert", "record_key", true));
        for (Map<String, String> config : configs) {
            try (SinkScript script = new SinkScript()) {
                Value writer = script.api().invokeMember("createWriter", JSON.writeValueAsString(config), new NoDatabend(), "info", new DatabendSinkTask.ScriptLog());
                String encoded = new RecordHandoff(writer).of(records).text;
                String asJson = new RecordHandoff(null).of(records).text;
                long programmed = encoded.lines().filter(l -> l.split("\t", -1).length == 5).count();
                // Both paths taken: a record with any value its program cannot write goes as Connect JSON.
                assertTrue(config + ": records encoded by their program: " + programmed, programmed >= 30);
                assertTrue(config + ": records sent as Connect JSON: " + (records.size() - programmed), records.size() - programmed >= 30);
                String expected = writer.invokeMember("plannedCsv", asJson).asString();
                assertTrue(config + ": the batch plans rows: " + expected, expected.contains("\"csv\":\"") && expected.contains("\"refused\":[{"));
                assertEquals(config.toString(), expected, writer.invokeMember("plannedCsv", encoded).asString());
            }
        }
    }

    /**
     * Doubles and floats of every magnitude (random bit patterns, the edges of JavaScript's plain and
     * exponent forms, subnormals): the text RowProgram writes is the script's for the same JSON.
     */
    @Test
    public void floatsOfEveryMagnitudeAreWrittenAsTheScriptWritesThem() throws Exception {
        Schema schema = SchemaBuilder.struct().name("Floats").field("d", Schema.FLOAT64_SCHEMA).field("f", Schema.FLOAT32_SCHEMA).build();
        java.util.Random random = new java.util.Random(19);
        List<Double> doubles = new ArrayList<>();
        for (double d : DOUBLES) if (Double.isFinite(d)) doubles.add(d);
        for (int e = -325; e <= 308; e++) {
            doubles.add(Double.parseDouble("1e" + e));
            doubles.add(Math.nextDown(Double.parseDouble("1e" + e)));
            doubles.add(Math.nextUp(Double.parseDouble("1e" + e)));
        }
        for (int e = -1074; e <= 1023; e += 7) doubles.add(Math.scalb(1.0, e));
        while (doubles.size() < 6000) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) doubles.add(d);
        }
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < doubles.size(); i++) {
            float f = i < FLOATS.length ? FLOATS[i] : Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(f)) f = 1.0f;
            records.add(new SinkRecord("floats", 0, null, null, schema, new Struct(schema).put("d", doubles.get(i)).put("f", f), i));
        }
        Map<String, String> config = props("insert", "none", false);
        config.put("topics", "floats");
        try (SinkScript script = new SinkScript()) {
            Value writer = script.api().invokeMember("createWriter", JSON.writeValueAsString(config), new NoDatabend(), "info", new DatabendSinkTask.ScriptLog());
            String encoded = new RecordHandoff(writer).of(records).text;
            long programmed = encoded.lines().filter(l -> l.split("\t", -1).length == 5).count();
            assertEquals("every finite value is encoded by the program", records.size(), programmed);
            assertEquals(writer.invokeMember("plannedCsv", new RecordHandoff(null).of(records).text).asString(), writer.invokeMember("plannedCsv", encoded).asString());
        }
    }

    @Test
    public void aRecordJsonConverterCannotWriteIsRefusedByPositionAndLeftOut() {
        SinkRecord good = new SinkRecord("t", 0, null, null, Schema.STRING_SCHEMA, "a", 1);
        SinkRecord bad = new SinkRecord("t", 2, null, null, Schema.STRING_SCHEMA, 42, 7);
        RecordHandoff.Batch batch = new RecordHandoff(null).of(List.of(good, bad, good));
        assertEquals(1, batch.refused.size());
        assertEquals(1, batch.refused.get(0).index);
        assertTrue(batch.refused.get(0).message, batch.refused.get(0).message.startsWith("RECORD_UNDECODABLE: Kafka Connect's JsonConverter cannot write the record"));
        assertTrue(batch.refused.get(0).message, batch.refused.get(0).message.endsWith("(topic t, partition 2, offset 7)"));
        assertEquals(List.of(0, 2), java.util.Arrays.stream(batch.positions).boxed().collect(java.util.stream.Collectors.toList()));
        assertEquals(6, batch.text.split("\n", -1).length - 1);
    }

    /** The writer is only planned with here: a server version, and no statement ever sent. */
    public static final class NoDatabend {
        @HostAccess.Export
        public String serverVersion() {
            return "1.2.895";
        }

        @HostAccess.Export
        public String call(String kind, String sql, String csv) {
            throw new AssertionError("planning sent a statement: " + sql);
        }

        @HostAccess.Export
        public void abandon() {}

        @HostAccess.Export
        public void close() {}
    }
}
