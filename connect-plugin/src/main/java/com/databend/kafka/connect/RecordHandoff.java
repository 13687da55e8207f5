package com.databend.kafka.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.graalvm.polyglot.Value;

/**
 * The text a batch crosses into the script as (src/connect/record-handoff.ts), three lines per
 * record: the row itself for a record whose schemas have a row program and whose values it can write
 * ({@link RowProgram}), else the key and value as Kafka Connect's own JsonConverter (schemas enabled)
 * writes them.
 */
final class RecordHandoff {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonConverter keys = new JsonConverter();
    private final JsonConverter values = new JsonConverter();
    private final RowProgram.Programs programs;

    /** {@code writer}: the script's writer, asked for row programs; null: every record as Connect JSON. */
    RecordHandoff(Value writer) {
        keys.configure(Map.of("schemas.enable", "true", "converter.type", "key"));
        values.configure(Map.of("schemas.enable", "true", "converter.type", "value"));
        programs = writer == null ? null : new RowProgram.Programs(new RowProgram.Programs.Definer() {
            @Override
            public String define(Schema key, Schema value) {
                return writer.invokeMember("rowProgram", key == null ? "" : keys.asJsonSchema(key).toString(), values.asJsonSchema(value).toString()).asString();
            }

            @Override
            public void reset() {
                writer.invokeMember("resetRowPrograms");
            }
        });
    }

    /** A batch's text, which record of the batch each of its records is, and the records it could not carry. */
    static final class Batch {
        final String text;
        final int[] positions;
        final List<Refusal> refused;

        private Batch(String text, int[] positions, List<Refusal> refused) {
            this.text = text;
            this.positions = positions;
            this.refused = refused;
        }
    }

    /** A record refused before the script saw it. */
    static final class Refusal {
        final int index;
        final String message;

        private Refusal(int index, String message) {
            this.index = index;
            this.message = message;
        }
    }

    /**
     * The batch as text. A record Connect's JsonConverter cannot write (a value that does not match
     * its own schema, e.g. a union whose default is not a union struct) is left out and refused,
     * named by its position.
     */
    Batch of(List<SinkRecord> batch) {
        StringBuilder out = new StringBuilder(batch.size() * 256);
        int[] positions = new int[batch.size()];
        int n = 0;
        List<Refusal> refused = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            SinkRecord r = batch.get(i);
            int start = out.length();
            try {
                append(out, r);
                positions[n++] = i;
            } catch (DataException e) {
                out.setLength(start);
                refused.add(new Refusal(i, "RECORD_UNDECODABLE: Kafka Connect's JsonConverter cannot write the record as its schema says: " + e.getMessage()
                        + " (topic " + r.topic() + ", partition " + r.kafkaPartition() + ", offset " + r.kafkaOffset() + ")"));
            }
        }
        return new Batch(out.toString(), java.util.Arrays.copyOf(positions, n), refused);
    }

    private void append(StringBuilder out, SinkRecord r) {
        int start = out.length();
        RowProgram program = programOf(r);
        if (program != null) {
            appendPosition(out, r).append('\t').append(program.id).append("\n\n");
            if (program.encode(r, out)) {
                out.append('\n');
                return;
            }
            out.setLength(start);
        }
        appendPosition(out, r).append('\n');
        appendJson(out, keys.fromConnectData(r.topic(), r.keySchema(), r.key()));
        appendJson(out, values.fromConnectData(r.topic(), r.valueSchema(), r.value()));
    }

    private RowProgram programOf(SinkRecord r) {
        if (programs == null) return null;
        try {
            return programs.of(r, JSON);
        } catch (IOException e) {
            throw new ConnectException("reading a row program: " + e.getMessage(), e);
        }
    }

    private static StringBuilder appendPosition(StringBuilder out, SinkRecord r) {
        out.append(r.topic()).append('\t').append(r.kafkaPartition()).append('\t').append(r.kafkaOffset()).append('\t');
        if (r.timestamp() != null) out.append(r.timestamp());
        return out;
    }

    private static void appendJson(StringBuilder out, byte[] json) {
        if (json != null) out.append(new String(json, StandardCharsets.UTF_8));
        out.append('\n');
    }
}
