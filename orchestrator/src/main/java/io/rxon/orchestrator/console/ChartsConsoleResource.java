package io.rxon.orchestrator.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.RawString;
import io.quarkus.qute.Template;
import io.rxon.orchestrator.config.OrchestratorConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Queue depth and dispatch latency over the last hour, as two inline SVG charts that refresh themselves. */
@Path("/console/charts")
public class ChartsConsoleResource {

    private final Template chartsPage;
    private final ConsoleSessions sessions;
    private final MetricSamples samples;
    private final Clock clock;
    private final long refreshSeconds;

    public ChartsConsoleResource(@Location("console/charts.html") Template chartsPage, ConsoleSessions sessions,
            MetricSamples samples, Clock clock, OrchestratorConfig config) {
        this.chartsPage = chartsPage;
        this.sessions = sessions;
        this.samples = samples;
        this.clock = clock;
        this.refreshSeconds = Math.max(1, config.console().sampleInterval().toSeconds());
    }

    @GET
    public Response page(HttpHeaders headers) {
        Optional<ConsoleSession> session = sessions.of(headers);
        if (session.isEmpty()) {
            return ConsoleResponses.toLogin();
        }
        List<MetricSamples.Sample> hour = samples.lastHour();
        long now = clock.millis();
        MetricSamples.Sample last = hour.isEmpty() ? null : hour.get(hour.size() - 1);
        return ConsoleResponses.page(chartsPage.data("session", session.get())
                .data("refresh", refreshSeconds)
                .data("sampleCount", hour.size())
                .data("queuedNow", last == null ? "" : String.valueOf(Math.round(last.queued())))
                .data("queueChart", new RawString(SvgChart.render(hour, now, MetricSamples.Sample::queued, "tasks")))
                .data("latencyChart", new RawString(SvgChart.render(hour, now, MetricSamples.Sample::latencyMillis,
                        "ms"))));
    }
}
