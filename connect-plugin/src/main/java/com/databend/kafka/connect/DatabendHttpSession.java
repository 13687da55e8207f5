package com.databend.kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.graalvm.polyglot.HostAccess;

/**
 * The Databend session of the plugin (the port src/databend/databend-session.ts, reached through
 * src/connect/host-session.ts): Databend's HTTP protocol on both load paths databend-driver 0.33
 * speaks. Statements go to {@code POST /v1/query} (pages followed through {@code next_uri}), with the
 * session state the server returns sent back on the next call. A CSV batch is uploaded from memory
 * (no local file is used) to a stage file of its own under {@code @~/client/load/}, then loaded as the
 * script says (it picks the path from the server's version, as the driver does):
 * <ul>
 *   <li>{@code load-statement} (servers above 1.2.781): uploaded through a {@code PRESIGN UPLOAD} URL,
 *       then {@code <sql> FROM @~/… FILE_FORMAT = (type = csv)}, which the server binds as a COPY of
 *       the upload with PURGE;</li>
 *   <li>{@code load-attachment} (servers up to 1.2.781, which have no such statement): uploaded with
 *       {@code PUT /v1/upload_to_stage} (multipart, stage in {@code X-DATABEND-STAGE-NAME}), then
 *       {@code <sql>} sent with a {@code stage_attachment} naming the file, its CSV format and
 *       {@code purge}, as the driver sends it to a self-hosted server.</li>
 * </ul>
 *
 * Answers are JSON texts: {@code {"ok":true,"affected":n,"rows":[…]}} or
 * {@code {"ok":false,"unavailable":…,"refusedLogin":…,"code":…,"message":…}}. Messages name the
 * request, never the password.
 */
public final class DatabendHttpSession {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String authorization;
    private final Duration timeout;
    private final String database;
    /** What the session runs at login, as the script rendered it (src/dialect/session-settings.ts). */
    private final List<String> loginStatements = new ArrayList<>();
    private HttpClient http;
    private JsonNode sessionState;
    private String version = "";
    /** Set by {@link #abandon()}: the next call starts a new server session. */
    private boolean abandoned;

    DatabendHttpSession(Map<String, Object> connection) {
        boolean ssl = Boolean.TRUE.equals(connection.get("ssl"));
        baseUrl = (ssl ? "https://" : "http://") + connection.get("host") + ":" + connection.get("port");
        String user = String.valueOf(connection.get("user"));
        String password = String.valueOf(connection.get("password"));
        authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        timeout = Duration.ofMillis(((Number) connection.get("requestTimeoutMs")).longValue());
        database = String.valueOf(connection.get("database"));
        Object given = connection.get("loginStatements");
        if (given instanceof List) for (Object sql : (List<?>) given) loginStatements.add(String.valueOf(sql));
        newServerSession();
    }

    private void newServerSession() {
        http = HttpClient.newBuilder().connectTimeout(timeout).cookieHandler(new CookieManager()).build();
        sessionState = JSON.createObjectNode().put("database", database);
    }

    /** Asks the server's version (the load path depends on it); throws SessionException when that fails. */
    void connect() throws SessionException {
        JsonNode rows = run("SELECT version()").path("data");
        version = rows.path(0).path(0).asText("");
        // Kept in the session state the server returns, sent back with every statement.
        for (String sql : loginStatements) run(sql);
    }

    @HostAccess.Export
    public String serverVersion() {
        return version;
    }

    /**
     * Leaves the server session (and a transaction open in it) behind: the next call logs in anew.
     * Used after a statement of a transaction timed out (it may still run on the server).
     */
    @HostAccess.Export
    public void abandon() {
        abandoned = true;
    }

    @HostAccess.Export
    public String call(String kind, String sql, String csv) {
        try {
            if (abandoned) {
                newServerSession();
                connect();
                abandoned = false;
            }
            ObjectNode answer = JSON.createObjectNode().put("ok", true);
            switch (kind) {
                case "query": {
                    JsonNode result = run(sql);
                    ArrayNode rows = answer.putArray("rows");
                    for (JsonNode row : result.path("data")) {
                        ArrayNode out = rows.addArray();
                        for (JsonNode v : row) {
                            if (v.isNull()) out.addNull();
                            else out.add(v.asText());
                        }
                    }
                    break;
                }
                case "exec":
                    answer.put("affected", affected(run(sql)));
                    break;
                case "load-statement":
                    answer.put("affected", loadByStatement(sql, csv));
                    break;
                case "load-attachment":
                    answer.put("affected", loadByAttachment(sql, csv));
                    break;
                default:
                    throw new IllegalArgumentException("unknown call " + kind);
            }
            return answer.toString();
        } catch (SessionException e) {
            ObjectNode answer = JSON.createObjectNode().put("ok", false).put("unavailable", e.unavailable).put("refusedLogin", e.refusedLogin);
            if (e.code == null) answer.putNull("code");
            else answer.put("code", e.code);
            answer.put("message", e.getMessage());
            return answer.toString();
        }
    }

    @HostAccess.Export
    public void close() {
        // The HTTP client has nothing to release before Java 21; the server expires the session.
    }

    /** Uploads the CSV through a presigned URL, then runs {@code <sql> FROM @~/… FILE_FORMAT = (type = csv)}. */
    private long loadByStatement(String sql, String csv) throws SessionException {
        String location = "@~/" + newLoadFile();
        JsonNode presigned = run("PRESIGN UPLOAD " + location).path("data").path(0);
        if (presigned.size() < 3) throw new SessionException("PRESIGN UPLOAD answered no URL", false, false, null);
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(presigned.get(2).asText())).timeout(timeout)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(csv.getBytes(StandardCharsets.UTF_8)));
        JsonNode headers = parse(presigned.get(1).asText("{}"));
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            // The HTTP client sets Host itself (and refuses to be told).
            if (!h.getKey().equalsIgnoreCase("host")) put.header(h.getKey(), h.getValue().asText());
        }
        HttpResponse<String> uploaded = send(put.build(), "uploading the batch to the stage");
        if (uploaded.statusCode() / 100 != 2) {
            throw new SessionException("uploading the batch to the stage: HTTP " + uploaded.statusCode(), uploaded.statusCode() >= 500, false, null);
        }
        return affected(run(sql + " FROM " + location + " FILE_FORMAT = (type = csv)"));
    }

    /**
     * Uploads the CSV with {@code PUT /v1/upload_to_stage}, then runs {@code <sql>} (ending in
     * {@code VALUES}) with the file as its stage attachment: databend-driver's requests to a server up
     * to 1.2.781, with its default options.
     */
    private long loadByAttachment(String sql, String csv) throws SessionException {
        String file = newLoadFile();
        uploadToUserStage(file, csv.getBytes(StandardCharsets.UTF_8));
        ObjectNode attachment = JSON.createObjectNode().put("location", "@~/" + file);
        attachment.putObject("file_format_options").put("field_delimiter", ",").put("record_delimiter", "\n").put("skip_header", "0").put("type", "CSV");
        // The server removes the file once loaded, as it does on the statement path.
        attachment.putObject("copy_options").put("purge", "true");
        return affected(run(sql, attachment));
    }

    /** A stage path of its own for one batch (a UUID: tasks of many workers share the user stage). */
    private static String newLoadFile() {
        return "client/load/" + UUID.randomUUID() + ".csv";
    }

    /** {@code PUT /v1/upload_to_stage}: one multipart part named {@code upload}, its file name the path in the stage. */
    private void uploadToUserStage(String path, byte[] content) throws SessionException {
        String boundary = "databend-sink-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"" + path + "\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest put = request("/v1/upload_to_stage")
                .header("X-DATABEND-STAGE-NAME", "~")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head), HttpRequest.BodyPublishers.ofByteArray(content), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        HttpResponse<String> uploaded = send(put, "PUT /v1/upload_to_stage");
        int status = uploaded.statusCode();
        if (status / 100 == 2) return;
        JsonNode error = parseOrMissing(uploaded.body()).path("error");
        String message = "PUT /v1/upload_to_stage: HTTP " + status + (error.hasNonNull("message") ? ": " + error.get("message").asText() : "");
        throw new SessionException(message, status >= 500 || status == 429, status == 401, error.hasNonNull("code") ? error.get("code").asInt() : null);
    }

    private static long affected(JsonNode result) {
        return result.path("stats").path("write_progress").path("rows").asLong(0);
    }

    private JsonNode run(String sql) throws SessionException {
        return run(sql, null);
    }

    /** One statement (with its stage attachment, or null) to its end: every page of data, the session state kept. */
    private JsonNode run(String sql, ObjectNode stageAttachment) throws SessionException {
        ObjectNode body = JSON.createObjectNode();
        body.put("sql", sql);
        body.set("session", sessionState);
        body.putObject("pagination").put("wait_time_secs", 10);
        if (stageAttachment != null) body.set("stage_attachment", stageAttachment);
        HttpRequest request = request("/v1/query").POST(HttpRequest.BodyPublishers.ofString(body.toString())).header("Content-Type", "application/json").build();
        JsonNode first = answer(send(request, "POST /v1/query"), sql);
        ArrayNode data = first.path("data").isArray() ? (ArrayNode) first.get("data") : JSON.createArrayNode();
        JsonNode page = first;
        while (page.hasNonNull("next_uri") && !page.get("next_uri").asText().isEmpty()) {
            page = answer(send(request(page.get("next_uri").asText()).GET().build(), "GET the next page"), sql);
            if (page.path("data").isArray()) data.addAll((ArrayNode) page.get("data"));
        }
        ObjectNode result = page.deepCopy();
        result.set("data", data);
        return result;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout).header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest request, String what) throws SessionException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SessionException(what + ": " + e.getClass().getSimpleName() + (e.getMessage() != null ? " " + e.getMessage() : ""), true, false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(what + ": interrupted", true, false, null);
        }
    }

    /** The response's JSON, or the server's error: 5xx and gateway answers are "unreachable", 401 a refused login. */
    private JsonNode answer(HttpResponse<String> response, String sql) throws SessionException {
        int status = response.statusCode();
        if (status >= 500 || status == 429) throw new SessionException("Databend answered HTTP " + status, true, false, null);
        JsonNode body = parse(response.body());
        JsonNode error = body.path("error");
        if (status == 401) throw new SessionException(error.path("message").asText("HTTP 401"), false, true, error.hasNonNull("code") ? error.get("code").asInt() : null);
        if (body.hasNonNull("session")) sessionState = body.get("session");
        if (!error.isMissingNode() && !error.isNull()) {
            throw new SessionException(error.path("message").asText("Databend refused the statement"), false, false, error.hasNonNull("code") ? error.get("code").asInt() : null);
        }
        if (status / 100 != 2) throw new SessionException("Databend answered HTTP " + status, false, false, null);
        return body;
    }

    /** An error answer's JSON, or a missing node when it is not JSON (a proxy's page). */
    private static JsonNode parseOrMissing(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null ? node : MissingNode.getInstance();
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static JsonNode parse(String text) throws SessionException {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new SessionException("Databend answered something that is not JSON", true, false, null);
        }
    }

    /** A failed call: unreachable (retriable), a refused login, or a statement Databend refused (its code). */
    static final class SessionException extends Exception {
        final boolean unavailable;
        final boolean refusedLogin;
        final Integer code;

        SessionException(String message, boolean unavailable, boolean refusedLogin, Integer code) {
            super(message);
            this.unavailable = unavailable;
            this.refusedLogin = refusedLogin;
            this.code = code;
        }
    }
}
