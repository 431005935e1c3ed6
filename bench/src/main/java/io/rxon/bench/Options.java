package io.rxon.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --key=value} options after the scenario name; every scenario documents its keys and defaults. */
public final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    public Options(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                if (eq < 0) {
                    values.put(arg.substring(2), "true");
                } else {
                    values.put(arg.substring(2, eq), arg.substring(eq + 1));
                }
            } else {
                positional.add(arg);
            }
        }
    }

    public List<String> positional() {
        return positional;
    }

    public String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public int integer(String key, int fallback) {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
    }

    public double decimal(String key, double fallback) {
        return values.containsKey(key) ? Double.parseDouble(values.get(key)) : fallback;
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(values.getOrDefault(key, "false"));
    }

    public Duration seconds(String key, double fallback) {
        return Duration.ofMillis(Math.round(decimal(key, fallback) * 1000));
    }

    public List<Integer> integers(String key, String fallback) {
        List<Integer> list = new ArrayList<>();
        for (String part : string(key, fallback).split(",")) {
            if (!part.isBlank()) {
                list.add(Integer.parseInt(part.trim()));
            }
        }
        return list;
    }

    public List<String> strings(String key, String fallback) {
        List<String> list = new ArrayList<>();
        for (String part : string(key, fallback).split(",")) {
            if (!part.isBlank()) {
                list.add(part.trim());
            }
        }
        return list;
    }

    public Map<String, String> asMap() {
        return values;
    }
}
