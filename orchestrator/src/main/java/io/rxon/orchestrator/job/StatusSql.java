package io.rxon.orchestrator.job;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes the status literals of the job SQL from the states, so that no statement spells a status
 * by hand: {@code {task:pending}} becomes {@code 'pending'}, {@code {job:ended}} the list of every
 * ended job status, {@code {task:ended}} that of every ended task status. An unknown name fails
 * when the statement is built (at class initialisation), not when it runs.
 *
 * <p>{@code {task:pending:checked}} is a status that a row found by its key is checked against, never
 * a way to find rows: {@code 'pending' COLLATE "C"}. A plain literal lets the planner read the check
 * as the predicate of a partial index ({@code tasks_pending}, {@code tasks_leased}), and statistics
 * that say the queue is empty (taken before a burst, until the next ANALYZE) then make a scan of the
 * whole index look cheaper than the key: 25 ms per claim with 50,000 pending (bench/README.md,
 * session 9). The collation keeps the planner from proving the predicate; equality of text is the
 * same under either collation.
 */
final class StatusSql {

    private static final Pattern TOKEN = Pattern.compile("\\{(task|job):(\\w+)(:checked)?}");

    private StatusSql() {}

    static String of(String sql) {
        Matcher matcher = TOKEN.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String literal = literal(matcher.group(1), matcher.group(2));
            matcher.appendReplacement(out, Matcher.quoteReplacement(
                    matcher.group(3) == null ? literal : literal + " COLLATE \"C\""));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String literal(String entity, String name) {
        if (entity.equals("task")) {
            return name.equals("ended") ? list(TaskState.ENDED.stream().map(TaskStatus::column).toList())
                    : quote(TaskStatus.valueOf(name.toUpperCase(Locale.ROOT)).column());
        }
        return name.equals("ended") ? list(JobState.ENDED.stream().map(JobStatus::wire).toList())
                : quote(JobStatus.fromWire(name).wire());
    }

    private static String list(List<String> columns) {
        return columns.stream().map(StatusSql::quote).collect(Collectors.joining(", "));
    }

    private static String quote(String column) {
        return "'" + column + "'";
    }
}
