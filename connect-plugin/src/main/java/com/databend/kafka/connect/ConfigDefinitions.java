package com.databend.kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The connector's ConfigDef, read from {@code databend-sink-config.json}: the keys of the sink's one
 * config declaration (src/config/config-definitions.ts) that a Connect worker does not own, written
 * by {@code npm run package-plugin} from src/connect/connect-config.ts. Nothing is declared here by
 * hand; the values are validated by the sink's own rules (DatabendSinkConnector#validate).
 */
final class ConfigDefinitions {
    static final String RESOURCE = "/databend-sink-config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigDefinitions() {}

    static JsonNode read() {
        try (InputStream in = ConfigDefinitions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the plugin's jar (build it with npm run package-plugin)");
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("reading " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** An enum key's values, offered by Connect's validate. */
    private static final class Recommended implements ConfigDef.Recommender {
        private final List<Object> values;

        Recommended(List<Object> values) {
            this.values = values;
        }

        @Override
        public List<Object> validValues(String name, java.util.Map<String, Object> parsedConfig) {
            return values;
        }

        @Override
        public boolean visible(String name, java.util.Map<String, Object> parsedConfig) {
            return true;
        }
    }

    static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        for (JsonNode key : read()) {
            String name = key.get("name").asText();
            ConfigDef.Type type = ConfigDef.Type.valueOf(key.get("type").asText());
            // Required keys have no default; the sink's validation names what is missing.
            Object defaultValue = key.get("default_value").isNull() ? (key.get("required").asBoolean() ? ConfigDef.NO_DEFAULT_VALUE : null) : key.get("default_value").asText();
            List<String> dependents = new ArrayList<>();
            key.get("dependents").forEach(d -> dependents.add(d.asText()));
            List<Object> recommended = new ArrayList<>();
            key.get("recommended_values").forEach(v -> recommended.add(v.asText()));
            def.define(
                    name,
                    type,
                    defaultValue,
                    null,
                    ConfigDef.Importance.valueOf(key.get("importance").asText().toUpperCase(Locale.ROOT)),
                    key.get("documentation").asText(),
                    key.get("group").asText(),
                    key.get("order").asInt(),
                    ConfigDef.Width.valueOf(key.get("width").asText().toUpperCase(Locale.ROOT)),
                    key.get("display_name").asText(),
                    dependents,
                    recommended.isEmpty() ? null : new Recommended(recommended));
        }
        return def;
    }
}
