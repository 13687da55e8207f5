package com.databend.kafka.connect;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task. Records are gathered across {@code put}s as the standalone sink gathers them: a batch is
 * written once {@code batch.size} records wait (at most that many per batch), or once the oldest
 * has waited {@code linger.ms} (checked at each {@code put}, which Connect calls after every poll),
 * and whatever waits is written before offsets are committed ({@code preCommit}). Connect's consumer
 * hands a task at most {@code max.poll.records} (500 by default) per {@code put}: without this, each
 * load would hold 500 rows whatever {@code batch.size} says. A batch goes to the sink's writer in GraalJS as one text
 * ({@link RecordHandoff}: rows the task encoded itself, or records as Connect's JsonConverter writes
 * them), and the writer
 * plans, encodes and loads it through {@link DatabendHttpSession}. Offsets go back to Connect from
 * {@code preCommit} only once their rows are in Databend and their refused records are with the
 * ErrantRecordReporter; under errors.tolerance=none a refused record fails the task with nothing
 * committed past it. Databend unreachable: the batch is retried ({@code RetriableException}) every
 * retry.backoff.ms, max.retries times.
 *
 * <p>Under exactly.once.enabled the script writes each partition's rows and its next offset in one
 * Databend transaction (src/connect/connect-writer.ts), handing refused records to the
 * ErrantRecordReporter before COMMIT ({@link InTransactionReporter}); a partition that opens seeks
 * to the offset Databend holds for it, and {@code preCommit} returns the offsets Databend holds.
 */
public class DatabendSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(DatabendSinkTask.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SinkScript script;
    private Value writer;
    private DatabendHttpSession session;
    private RecordHandoff handoff;
    private ErrantRecordReporter reporter;
    private boolean tolerateAll;
    /** exactly.once.enabled: offsets are kept in Databend, in the transaction of their rows. */
    private boolean exactlyOnce;
    private int maxRetries;
    private long retryBackoffMs;
    private int retries;
    private int batchSize;
    private long lingerMs;
    /** Per partition, the next offset whose predecessors are durable: what preCommit may return. */
    private final Map<TopicPartition, Long> durable = new HashMap<>();
    /** Records handed to the task and not yet written, in the order they came. */
    private final List<SinkRecord> pending = new ArrayList<>();
    /** When the oldest pending record came (ms). */
    private long pendingSince;
    /**
     * Per partition, the offset after the last record taken into {@code pending}: a record below it
     * is pending or written already, and comes again only because Connect redelivers a put it was
     * told to retry (RetriableException) or rewound after a failed commit.
     */
    private final Map<TopicPartition, Long> taken = new HashMap<>();
    /**
     * A write that failed for good (not retriable): every later call fails with it, so that nothing
     * is written again after it (its partitions' records before the failure are written already).
     */
    private ConnectException failed;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        tolerateAll = "all".equalsIgnoreCase(props.getOrDefault("errors.tolerance", "none").trim());
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            // Workers before Kafka 2.6 have no reporter: refused records are logged and skipped under tolerance=all.
            reporter = null;
        }
        script = new SinkScript();
        String propsJson;
        Map<String, Object> settings;
        try {
            propsJson = JSON.writeValueAsString(props);
            settings = JSON.readValue(script.api().invokeMember("taskSettings", propsJson).asString(), new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw new ConnectException("reading the task config: " + e.getMessage(), e);
        } catch (PolyglotException e) {
            throw new ConnectException("invalid connector config: " + e.getMessage());
        }
        maxRetries = ((Number) settings.get("maxRetries")).intValue();
        retryBackoffMs = ((Number) settings.get("retryBackoffMs")).longValue();
        batchSize = Math.max(1, ((Number) settings.get("batchSize")).intValue());
        lingerMs = ((Number) settings.get("lingerMs")).longValue();
        exactlyOnce = Boolean.TRUE.equals(settings.get("exactlyOnce"));
        @SuppressWarnings("unchecked")
        Map<String, Object> connection = (Map<String, Object>) settings.get("connection");
        session = new DatabendHttpSession(connection);
        try {
            session.connect();
        } catch (DatabendHttpSession.SessionException e) {
            if (e.unavailable) throw new RetriableException("connecting to Databend at " + connection.get("host") + ":" + connection.get("port") + ": " + e.getMessage());
            throw new ConnectException("connecting to Databend at " + connection.get("host") + ":" + connection.get("port") + ": " + e.getMessage());
        }
        writer = script.api().invokeMember("createWriter", propsJson, session, LOG.isDebugEnabled() ? "debug" : "info", new ScriptLog());
        handoff = new RecordHandoff(writer);
        LOG.info("Databend sink task started: Databend {} at {}:{}", session.serverVersion(), connection.get("host"), connection.get("port"));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (failed != null) throw failed;
        for (SinkRecord r : records) {
            TopicPartition tp = tp(r);
            Long next = taken.get(tp);
            if (next != null && r.kafkaOffset() < next) continue;
            if (pending.isEmpty()) pendingSince = System.currentTimeMillis();
            pending.add(r);
            taken.put(tp, r.kafkaOffset() + 1);
        }
        writeDue(false);
    }

    /**
     * Writes full batches of what is pending, and with {@code all} (or once the oldest has waited
     * linger.ms) the rest too. A failed write leaves the batch pending, to be written again.
     */
    private void writeDue(boolean all) {
        while (pending.size() >= batchSize || (!pending.isEmpty() && (all || System.currentTimeMillis() - pendingSince >= lingerMs))) {
            List<SinkRecord> batch = pending.subList(0, Math.min(batchSize, pending.size()));
            try {
                write(new ArrayList<>(batch));
            } catch (RetriableException e) {
                throw e;
            } catch (ConnectException e) {
                failed = e;
                throw e;
            }
            batch.clear();
            pendingSince = System.currentTimeMillis();
        }
    }

    /** One batch to Databend; throws as {@code put} may when it cannot be written. */
    private void write(List<SinkRecord> batch) {
        RecordHandoff.Batch handed = handoff.of(batch);
        if (!tolerateAll && !handed.refused.isEmpty()) {
            // Nothing of the batch is written: nothing past the refused record becomes durable.
            throw new ConnectException(handed.refused.get(0).message);
        }
        List<Future<Void>> reported = new ArrayList<>();
        if (exactlyOnce) {
            // Refused before the script saw them: with the reporter before any offset of the batch moves.
            for (RecordHandoff.Refusal r : handed.refused) report(batch.get(r.index), r.message, reported);
            awaitReported(reported);
            reported.clear();
        }
        String answerJson = writeText(handed.text, new InTransactionReporter(reporter, batch, handed.positions));
        retries = 0;
        JsonNode answer;
        try {
            answer = JSON.readTree(answerJson);
        } catch (IOException e) {
            throw new ConnectException("reading the writer's answer: " + e.getMessage(), e);
        }
        JsonNode refused = answer.path("refused");
        if (exactlyOnce) {
            markStored(batch, answer.path("stored"));
            // Under tolerance=all the refused records went to the reporter inside their transaction.
            if (!tolerateAll && refused.size() > 0) throw new ConnectException(refusal(refused.get(0)));
            return;
        }
        Map<TopicPartition, Long> firstRefused = new HashMap<>();
        for (JsonNode r : refused) {
            SinkRecord record = batch.get(handed.positions[r.get("index").asInt()]);
            firstRefused.putIfAbsent(tp(record), record.kafkaOffset());
        }
        if (!tolerateAll && refused.size() > 0) {
            // The records before each partition's first refused one are written: durable, nothing past it.
            markDurable(batch, firstRefused);
            throw new ConnectException(refusal(refused.get(0)));
        }
        for (RecordHandoff.Refusal r : handed.refused) report(batch.get(r.index), r.message, reported);
        for (JsonNode r : refused) {
            report(batch.get(handed.positions[r.get("index").asInt()]), refusal(r), reported);
        }
        awaitReported(reported);
        markDurable(batch, Map.of());
    }

    /** A refused record of the writer's answer as the task states it: its code and message. */
    private static String refusal(JsonNode r) {
        return r.get("code").asText() + ": " + r.get("message").asText();
    }

    private static void awaitReported(List<Future<Void>> reported) {
        for (Future<Void> f : reported) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while the refused records were reported", e);
            } catch (ExecutionException e) {
                throw new ConnectException("reporting a refused record failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /**
     * Exactly-once: each written partition is durable up to the offset Databend now holds, but not
     * past this batch (Connect ignores an offset the task has not consumed: one stored by another
     * member that wrote further).
     */
    private void markStored(List<SinkRecord> batch, JsonNode stored) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (SinkRecord r : batch) ends.merge(tp(r), r.kafkaOffset() + 1, Math::max);
        for (JsonNode s : stored) {
            TopicPartition tp = new TopicPartition(s.get("topic").asText(), s.get("partition").asInt());
            Long end = ends.get(tp);
            if (end != null) durable.merge(tp, Math.min(Long.parseLong(s.get("next").asText()), end), Math::max);
        }
    }

    /** A refused record to Connect's ErrantRecordReporter (errors.tolerance=all), or the log on workers without one. */
    private void report(SinkRecord record, String message, List<Future<Void>> reported) {
        if (reporter != null) reported.add(reporter.report(record, new DataException(message)));
        else LOG.warn("record skipped (errors.tolerance=all): {}", message);
    }

    /** Runs the writer; its promise settles within the call, as the session answers synchronously. */
    private String writeText(String handoff, InTransactionReporter inTransaction) {
        Settled settled = new Settled();
        writer.invokeMember("writeNow", handoff, !tolerateAll, inTransaction, settled);
        return settledOrThrow(settled);
    }

    /** The settled call's result, or its failure as Connect takes it: retriable (up to max.retries) or fatal. */
    private String settledOrThrow(Settled settled) {
        if (settled.failure == null && settled.result == null) throw new ConnectException("the sink's writer did not finish within its call");
        if (settled.failure == null) return settled.result;
        JsonNode failure;
        try {
            failure = JSON.readTree(settled.failure);
        } catch (IOException e) {
            throw new ConnectException(settled.failure);
        }
        String message = failure.path("code").asText() + ": " + failure.path("message").asText();
        if (failure.path("retriable").asBoolean() && retries < maxRetries) {
            retries++;
            LOG.warn("Databend unavailable, retrying the batch in {} ms (attempt {} of {}): {}", retryBackoffMs, retries, maxRetries, message);
            context.timeout(retryBackoffMs);
            throw new RetriableException(message);
        }
        throw new ConnectException(message);
    }

    /** Every record of the batch durable, except in partitions cut at a refused offset (that offset is the next). */
    private void markDurable(List<SinkRecord> batch, Map<TopicPartition, Long> cut) {
        for (SinkRecord r : batch) {
            TopicPartition tp = tp(r);
            Long limit = cut.get(tp);
            if (limit != null && r.kafkaOffset() >= limit) continue;
            durable.merge(tp, r.kafkaOffset() + 1, Math::max);
        }
        cut.forEach((tp, offset) -> durable.merge(tp, offset, Math::max));
    }

    private static TopicPartition tp(SinkRecord r) {
        return new TopicPartition(r.topic(), r.kafkaPartition());
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // What waits is written first; if that fails, Connect logs it, commits nothing and rewinds
        // to its last commit (what is pending stays, and put takes no record twice).
        if (failed == null) writeDue(true);
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : currentOffsets.keySet()) {
            Long next = durable.get(tp);
            if (next != null) commit.put(tp, new OffsetAndMetadata(next));
        }
        return commit;
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        // A partition (re)assigned starts from its committed offset: nothing of an earlier ownership is durable here.
        forget(partitions);
        if (exactlyOnce && !partitions.isEmpty()) seekToStored(partitions);
    }

    /**
     * Exactly-once: partitions that open start at the offsets Databend holds for them (Kafka's
     * committed offsets may lag behind: a kill between a COMMIT in Databend and Connect's offset
     * commit). Seeking only saves reading again what was written: the writer leaves out records
     * below the stored offset anyway. So when Databend cannot be read here, the partitions start
     * from Kafka's committed offsets.
     */
    private void seekToStored(Collection<TopicPartition> partitions) {
        ArrayNode asked = JSON.createArrayNode();
        for (TopicPartition tp : partitions) asked.addObject().put("topic", tp.topic()).put("partition", tp.partition());
        Map<TopicPartition, Long> seek = new HashMap<>();
        Settled settled = new Settled();
        writer.invokeMember("storedOffsetsNow", asked.toString(), settled);
        try {
            if (settled.result == null) throw new IOException(settled.failure == null ? "no answer within the call" : settled.failure);
            for (JsonNode s : JSON.readTree(settled.result)) {
                seek.put(new TopicPartition(s.get("topic").asText(), s.get("partition").asInt()), Long.parseLong(s.get("next").asText()));
            }
        } catch (IOException e) {
            LOG.warn("exactly-once: the offsets kept in Databend for {} were not read ({}); they start from Kafka's committed offsets, and the writer leaves out records written before", partitions, e.getMessage());
            return;
        }
        if (seek.isEmpty()) return;
        LOG.info("exactly-once: partitions start at the offsets kept in Databend: {}", seek);
        context.offset(seek);
        // What Databend holds is durable: Kafka's committed offset may follow it.
        durable.putAll(seek);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        // Connect committed (preCommit, which wrote what was pending) before it closes; a record still
        // pending here is not durable, and the partition's next owner reads it again.
        forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            durable.remove(tp);
            taken.remove(tp);
        }
        pending.removeIf(r -> partitions.contains(tp(r)));
    }

    @Override
    public void stop() {
        if (script != null) script.close();
        script = null;
        writer = null;
    }

    /**
     * The script's reporter under exactly-once (exported): a refused record to Connect's
     * ErrantRecordReporter, its future awaited, inside the Databend transaction that moves the
     * offset past it; '' when the reporter took it, else why not (the transaction is rolled back).
     */
    public static final class InTransactionReporter {
        private final ErrantRecordReporter reporter;
        private final List<SinkRecord> batch;
        private final int[] positions;

        InTransactionReporter(ErrantRecordReporter reporter, List<SinkRecord> batch, int[] positions) {
            this.reporter = reporter;
            this.batch = batch;
            this.positions = positions;
        }

        @HostAccess.Export
        public String report(int index, String message) {
            if (reporter == null) {
                LOG.warn("record skipped (errors.tolerance=all): {}", message);
                return "";
            }
            try {
                reporter.report(batch.get(positions[index]), new DataException(message)).get();
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            } catch (ExecutionException e) {
                return String.valueOf(e.getCause().getMessage());
            }
        }
    }

    /** Where the writer's promise lands (exported to the script). */
    public static final class Settled {
        String result;
        String failure;

        @HostAccess.Export
        public void done(String value) {
            result = value;
        }

        @HostAccess.Export
        public void failed(String value) {
            failure = value;
        }
    }

    /** The script's log records (pino objects as JSON) into the worker's log, at their level. */
    public static final class ScriptLog {
        @HostAccess.Export
        public void write(String record) {
            int level;
            try {
                level = JSON.readTree(record).path("level").asInt(30);
            } catch (IOException e) {
                level = 30;
            }
            if (level >= 50) LOG.error(record);
            else if (level >= 40) LOG.warn(record);
            else if (level >= 30) LOG.info(record);
            else LOG.debug(record);
        }
    }
}
