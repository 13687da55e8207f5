package com.databend.kafka.connect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The requests of a load on the attachment path (servers up to 1.2.781), held to what
 * databend-driver 0.33 sends there with its default options: the file as the multipart
 * part {@code upload} of {@code PUT /v1/upload_to_stage} with the stage in
 * {@code X-DATABEND-STAGE-NAME}, then the statement as sent with a {@code stage_attachment} naming
 * that file. A small HTTP server answers as Databend does and records what it got; the
 * protocol.legacy scenario proves the same loads against the real engine.
 */
public class DatabendHttpSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "s3cret-pw";

    /** One request the server got: method, path, headers (lower-case names), body. */
    private static final class Got {
        final String method;
        final String path;
        final Map<String, String> headers = new HashMap<>();
        final byte[] body;

        Got(HttpExchange exchange) throws IOException {
            method = exchange.getRequestMethod();
            path = exchange.getRequestURI().getPath();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            body = exchange.getRequestBody().readAllBytes();
        }
    }

    private HttpServer server;
    private final List<Got> got = new ArrayList<>();
    /** What the next upload answers (status, body). */
    private int uploadStatus = 200;
    private String uploadAnswer = "{\"id\":\"u1\",\"stage_name\":\"~\",\"state\":\"SUCCESS\",\"files\":[]}";

    @Before
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Got request = new Got(exchange);
            synchronized (got) {
                got.add(request);
            }
            int status = 200;
            String answer;
            if (request.path.equals("/v1/upload_to_stage")) {
                status = uploadStatus;
                answer = uploadAnswer;
            } else {
                String sql = JSON.readTree(request.body).path("sql").asText();
                String data = sql.equals("SELECT version()") ? "[[\"Databend Query v1.2.780-nightly (rust-1.75)\"]]" : "[]";
                long rows = sql.endsWith("VALUES") ? 2 : 0;
                answer = "{\"id\":\"q\",\"session\":{\"database\":\"default\"},\"schema\":[],\"data\":" + data
                        + ",\"state\":\"Succeeded\",\"error\":null,\"stats\":{\"write_progress\":{\"rows\":" + rows + ",\"bytes\":0}},\"next_uri\":null}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @After
    public void stop() {
        server.stop(0);
    }

    private DatabendHttpSession session() throws DatabendHttpSession.SessionException {
        Map<String, Object> connection = new HashMap<>();
        connection.put("host", "127.0.0.1");
        connection.put("port", server.getAddress().getPort());
        connection.put("ssl", false);
        connection.put("user", "loader");
        connection.put("password", PASSWORD);
        connection.put("database", "default");
        connection.put("requestTimeoutMs", 10_000);
        DatabendHttpSession session = new DatabendHttpSession(connection);
        session.connect();
        got.clear();
        return session;
    }

    @Test
    public void loadsByStageAttachmentAsDatabendDriverDoes() throws Exception {
        String csv = "\"1\",\"a,b\"\n\"2\",\"ü\"\n";
        String sql = "REPLACE INTO \"default\".\"t\" (\"id\", \"s\") ON (\"id\") VALUES";
        JsonNode answer = JSON.readTree(session().call("load-attachment", sql, csv));
        assertEquals("{\"ok\":true,\"affected\":2}", answer.toString());
        assertEquals(2, got.size());

        Got upload = got.get(0);
        assertEquals("PUT", upload.method);
        assertEquals("/v1/upload_to_stage", upload.path);
        assertEquals("~", upload.headers.get("x-databend-stage-name"));
        assertTrue(upload.headers.get("authorization").startsWith("Basic "));
        Matcher boundary = Pattern.compile("^multipart/form-data; boundary=(.+)$").matcher(upload.headers.get("content-type"));
        assertTrue(boundary.matches());
        String multipart = new String(upload.body, StandardCharsets.UTF_8);
        Matcher part = Pattern.compile("^--" + Pattern.quote(boundary.group(1))
                + "\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"(client/load/[0-9a-f-]{36}\\.csv)\"\r\n\r\n(.*)\r\n--"
                + Pattern.quote(boundary.group(1)) + "--\r\n$", Pattern.DOTALL).matcher(multipart);
        assertTrue(multipart, part.matches());
        assertEquals(csv, part.group(2));

        Got load = got.get(1);
        assertEquals("/v1/query", load.path);
        JsonNode body = JSON.readTree(load.body);
        assertEquals(sql, body.get("sql").asText());
        assertEquals("{\"location\":\"@~/" + part.group(1) + "\","
                + "\"file_format_options\":{\"field_delimiter\":\",\",\"record_delimiter\":\"\\n\",\"skip_header\":\"0\",\"type\":\"CSV\"},"
                + "\"copy_options\":{\"purge\":\"true\"}}", body.get("stage_attachment").toString());
        assertEquals("default", body.path("session").path("database").asText());
    }

    @Test
    public void aRefusedUploadIsTheServersErrorWithoutTheStatement() throws Exception {
        uploadStatus = 400;
        uploadAnswer = "{\"error\":{\"code\":1006,\"message\":\"stage ~ is not writable\"}}";
        JsonNode answer = JSON.readTree(session().call("load-attachment", "INSERT INTO t (a) VALUES", "\"1\"\n"));
        assertFalse(answer.get("ok").asBoolean());
        assertFalse(answer.get("unavailable").asBoolean());
        assertEquals(1006, answer.get("code").asInt());
        assertEquals("PUT /v1/upload_to_stage: HTTP 400: stage ~ is not writable", answer.get("message").asText());
        assertEquals(1, got.size());
        assertFalse(answer.toString().contains(PASSWORD));

        uploadStatus = 503;
        uploadAnswer = "<html>busy</html>";
        answer = JSON.readTree(session().call("load-attachment", "INSERT INTO t (a) VALUES", "\"1\"\n"));
        assertTrue(answer.get("unavailable").asBoolean());
        assertEquals("PUT /v1/upload_to_stage: HTTP 503", answer.get("message").asText());
    }
}
