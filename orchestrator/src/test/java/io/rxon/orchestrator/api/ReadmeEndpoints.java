package io.rxon.orchestrator.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoints the repository's README.md promises, read from its tables at test time so that
 * the README and the OpenAPI document cannot drift apart: the {@code | method + path | … |} rows
 * with the statuses their answer names, and the worker protocol's {@code | status | when | body |}
 * table.
 */
final class ReadmeEndpoints {

    /** One promised endpoint: {@code path} with its parameters written {@code {}}. */
    record Endpoint(String method, String path, Set<String> statuses) {}

    private static final Pattern CALL = Pattern.compile("`(GET|POST|PUT|PATCH|DELETE) (/[^`?\\s]*)[^`]*`");
    private static final Pattern STATUS = Pattern.compile("(?<![\\w.,])([1-5]\\d\\d)(?![\\w.,])");
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]+}");

    private final List<String> lines;

    private ReadmeEndpoints(List<String> lines) {
        this.lines = lines;
    }

    /** The README of the repository the tests run in (the module's parent directory). */
    static ReadmeEndpoints read() throws IOException {
        Path readme = Path.of("..", "README.md");
        if (!Files.exists(readme)) {
            readme = Path.of("README.md");
        }
        return new ReadmeEndpoints(Files.readAllLines(readme));
    }

    static String template(String path) {
        return PARAMETER.matcher(path).replaceAll("{}");
    }

    /**
     * Every row of every {@code method + path} table of the two APIs ({@code /api}, {@code /_worker}:
     * pages such as a console are no API); a row naming no success status promises 200.
     */
    List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (List<String> row : rowsOfTablesHeaded("method + path")) {
            Matcher call = CALL.matcher(row.get(0));
            if (!call.find() || !(call.group(2).startsWith("/api/") || call.group(2).startsWith("/_worker/"))) {
                continue;
            }
            String answer = String.join(" ", row.subList(1, row.size()));
            Set<String> statuses = new LinkedHashSet<>();
            Matcher status = STATUS.matcher(answer);
            while (status.find()) {
                statuses.add(status.group(1));
            }
            if (answer.contains("WebSocket")) {
                statuses.add("101");
            } else if (statuses.stream().noneMatch(code -> code.startsWith("2"))) {
                statuses.add("200");
            }
            endpoints.add(new Endpoint(call.group(1), template(call.group(2)), statuses));
        }
        return endpoints;
    }

    /** The HTTP statuses of the worker protocol's error table (socket close codes left out). */
    Set<String> workerErrorStatuses() {
        Set<String> statuses = new LinkedHashSet<>();
        for (List<String> row : rowsOfTablesHeaded("status")) {
            if (row.get(0).matches("\\d{3}")) {
                statuses.add(row.get(0));
            }
        }
        return statuses;
    }

    private List<List<String>> rowsOfTablesHeaded(String firstHeader) {
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines) {
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            if (!inTable && cells.get(0).equals(firstHeader)) {
                inTable = true;
            } else if (inTable && !cells.get(0).startsWith("---")) {
                rows.add(cells);
            }
        }
        return rows;
    }

    /** A row's cells; {@code \|} inside a cell is text, not a border. */
    private static List<String> cells(String line) {
        String body = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
        List<String> cells = new ArrayList<>();
        for (String cell : body.split("(?<!\\\\)\\|")) {
            cells.add(cell.trim());
        }
        return cells;
    }
}
