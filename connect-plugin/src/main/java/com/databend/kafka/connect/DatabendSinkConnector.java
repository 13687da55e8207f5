package com.databend.kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Databend's sink for Kafka Connect, with the behaviour of the TypeScript sink: its planning,
 * encoding and validation run in GraalJS ({@link SinkScript}); this class only hands Connect the
 * ConfigDef and the task configs. The class name is the Java connector's, so its configs run unchanged.
 */
public class DatabendSinkConnector extends SinkConnector {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Map<String, String> props;

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        List<String> problems = problems(props);
        if (!problems.isEmpty()) throw new ConnectException("invalid connector config: " + String.join("; ", problems));
        this.props = new HashMap<>(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DatabendSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) configs.add(new HashMap<>(props));
        return configs;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return ConfigDefinitions.configDef();
    }

    /** Connect's checks of the ConfigDef, then the sink's own rules (each problem under its key). */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = new HashMap<>();
        for (ConfigValue v : config.configValues()) byName.put(v.name(), v);
        for (JsonNode p : problemList(connectorConfigs)) {
            String key = p.get("key").asText();
            ConfigValue value = byName.get(key);
            if (value == null) {
                value = new ConfigValue(key);
                config.configValues().add(value);
                byName.put(key, value);
            }
            if (!value.errorMessages().contains(p.get("message").asText())) value.addErrorMessage(p.get("message").asText());
        }
        return config;
    }

    private static List<String> problems(Map<String, String> props) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : problemList(props)) out.add(p.get("key").asText() + ": " + p.get("message").asText());
        return out;
    }

    private static JsonNode problemList(Map<String, String> props) {
        try (SinkScript script = new SinkScript()) {
            return JSON.readTree(script.api().invokeMember("validate", JSON.writeValueAsString(props)).asString());
        } catch (IOException e) {
            throw new ConnectException("validating the config: " + e.getMessage(), e);
        }
    }
}
