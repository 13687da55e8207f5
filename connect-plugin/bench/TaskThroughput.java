import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Records per second (wall and task CPU) of one DatabendSinkTask, as a worker drives it: put() with
 * batches of Connect records (a struct as AvroConverter gives it), preCommit after each, against a
 * real Databend. Run by connect-plugin/bench/run.sh (docs/benchmarks.md), with no JVM flags.
 *
 * The same harness drives another connector's task on the same records (its class as the fifth
 * argument, its jars on the class path): Databend's Java connector, for the comparison.
 *
 * A fraction of the records (system property {@code fallback}, default 0) carry an amount of 10^7
 * or more, spread through each batch: a double the JDK writes with an exponent, which the plugin
 * once sent as Connect JSON instead of encoding it with the record's row program (docs/benchmarks.md).
 *
 * args: <databend host:port> <records> <batch size> <insert|upsert> [task class]
 */
public class TaskThroughput {
    static final Schema ORDER = SchemaBuilder.struct().name("bench.Order")
            .field("id", Schema.INT64_SCHEMA)
            .field("customer", Schema.STRING_SCHEMA)
            .field("amount", Schema.FLOAT64_SCHEMA)
            .field("quantity", Schema.INT32_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("created", org.apache.kafka.connect.data.Timestamp.SCHEMA)
            .build();

    public static void main(String[] args) throws Exception {
        String hostPort = args[0];
        int total = Integer.parseInt(args[1]);
        int batchSize = Integer.parseInt(args[2]);
        String mode = args[3];
        double fallback = Double.parseDouble(System.getProperty("fallback", "0"));
        java.util.Random large = new java.util.Random(42);
        String table = "connect_bench_" + mode + "_" + System.currentTimeMillis();
        Map<String, String> props = new HashMap<>();
        props.put("name", "connect-bench");
        props.put("connector.class", "com.databend.kafka.connect.DatabendSinkConnector");
        props.put("topics", table);
        props.put("connection.url", "jdbc:databend://" + hostPort);
        props.put("connection.user", "databend");
        props.put("connection.password", "databend");
        props.put("connection.database", "default");
        props.put("auto.create", "true");
        props.put("insert.mode", mode);
        props.put("pk.mode", mode.equals("upsert") ? "record_value" : "none");
        if (mode.equals("upsert")) props.put("pk.fields", "id");
        props.put("batch.size", String.valueOf(batchSize));
        props.put("value.converter", "io.confluent.connect.avro.AvroConverter");

        String taskClass = args.length > 4 ? args[4] : "com.databend.kafka.connect.DatabendSinkTask";
        SinkTask task = (SinkTask) Class.forName(taskClass).getDeclaredConstructor().newInstance();
        task.initialize(new Context());
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long startProcessCpu = os.getProcessCpuTime();
        long startCpu = cpu.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        task.start(props);
        TopicPartition tp = new TopicPartition(table, 0);
        task.open(List.of(tp));
        double startSeconds = (System.nanoTime() - started) / 1e9;
        long offset = 0;
        long window = System.nanoTime();
        long windowCpu = cpu.getCurrentThreadCpuTime();
        long windowRecords = 0;
        long windowProcessCpu = os.getProcessCpuTime();
        while (offset < total) {
            List<SinkRecord> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize && offset < total; i++, offset++) {
                Struct v = new Struct(ORDER)
                        .put("id", offset)
                        .put("customer", "customer-" + (offset % 997))
                        .put("amount", large.nextDouble() < fallback ? 12_345_678.25 + offset : (offset % 10000) / 100.0)
                        .put("quantity", (int) (offset % 50))
                        .put("status", offset % 3 == 0 ? "shipped" : "open")
                        .put("note", offset % 5 == 0 ? null : "note \"" + offset + "\", with, commas")
                        .put("created", new java.util.Date(1700000000000L + offset * 1000));
                batch.add(new SinkRecord(table, 0, Schema.STRING_SCHEMA, "k" + offset, ORDER, v, offset, 1700000000000L + offset, org.apache.kafka.common.record.TimestampType.CREATE_TIME));
            }
            task.put(batch);
            Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of(tp, new OffsetAndMetadata(offset)));
            if (committed.get(tp).offset() != offset) throw new IllegalStateException("preCommit returned " + committed + " after offset " + offset);
            windowRecords += batch.size();
            if (System.nanoTime() - window > 10_000_000_000L || offset >= total) {
                double secs = (System.nanoTime() - window) / 1e9;
                double cpuSecs = (cpu.getCurrentThreadCpuTime() - windowCpu) / 1e9;
                double processSecs = (os.getProcessCpuTime() - windowProcessCpu) / 1e9;
                System.out.printf("  %,d records: %.0f rec/s wall, %.0f rec/CPU-s (task thread), %.0f rec/CPU-s (whole JVM)%n", windowRecords, windowRecords / secs, windowRecords / cpuSecs, windowRecords / processSecs);
                window = System.nanoTime();
                windowCpu = cpu.getCurrentThreadCpuTime();
                windowProcessCpu = os.getProcessCpuTime();
                windowRecords = 0;
            }
        }
        double secs = (System.nanoTime() - started) / 1e9;
        double cpuSecs = (cpu.getCurrentThreadCpuTime() - startCpu) / 1e9;
        double processSecs = (os.getProcessCpuTime() - startProcessCpu) / 1e9;
        task.stop();
        System.out.printf("fallback %.2f: ", fallback);
        System.out.printf("%s %s: %,d records in %.1f s (start %.1f s): %.0f rec/s wall, %.0f rec/CPU-s task thread, %.0f rec/CPU-s whole JVM; JVM %s, flags %s%n",
                mode, table, total, secs, startSeconds, total / secs, total / cpuSecs, total / processSecs, System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    static final class Context implements SinkTaskContext {
        public Map<String, String> configs() { return Map.of(); }
        public void offset(Map<TopicPartition, Long> offsets) {}
        public void offset(TopicPartition tp, long offset) {}
        public void timeout(long timeoutMs) {}
        public Set<TopicPartition> assignment() { return Set.of(); }
        public void pause(TopicPartition... partitions) {}
        public void resume(TopicPartition... partitions) {}
        public void requestCommit() {}
        public ErrantRecordReporter errantRecordReporter() { return null; }
    }
}
