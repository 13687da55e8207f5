package com.databend.kafka.connect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The sink's TypeScript, bundled (src/connect/connect-entry.ts), in a GraalJS context of its own:
 * one per task, as a context runs on one thread at a time. The script sees only the methods this
 * plugin exports to it (HostAccess.EXPLICIT): no Java class, file, process or network of its own.
 */
final class SinkScript implements AutoCloseable {
    static final String BUNDLE = "/databend-sink-connect.js";
    /** One engine for every task of the worker: the bundle is parsed once. */
    private static final Engine ENGINE = Engine.newBuilder("js")
            // Without the optimizing runtime (JVM flags) GraalJS warns on every context; it is the measured setup.
            .option("engine.WarnInterpreterOnly", "false")
            .build();
    private static final Source SOURCE = loadSource();

    private final Context context;
    private final Value api;

    SinkScript() {
        context = Context.newBuilder("js")
                .engine(ENGINE)
                .allowHostAccess(HostAccess.EXPLICIT)
                .option("js.ecmascript-version", "2023")
                .build();
        context.eval(SOURCE);
        api = context.getBindings("js").getMember("databendSink");
    }

    Value api() {
        return api;
    }

    private static Source loadSource() {
        try (InputStream in = SinkScript.class.getResourceAsStream(BUNDLE)) {
            if (in == null) throw new IllegalStateException(BUNDLE + " is missing from the plugin's jar (build it with npm run package-plugin)");
            return Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8), "databend-sink-connect.js").build();
        } catch (IOException e) {
            throw new IllegalStateException("reading " + BUNDLE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        context.close(true);
    }
}
