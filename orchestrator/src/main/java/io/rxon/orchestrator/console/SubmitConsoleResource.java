package io.rxon.orchestrator.console;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.rxon.common.json.Json;
import io.rxon.common.protocol.SkillInfo;
import io.rxon.common.protocol.WorkerRegistration;
import io.rxon.orchestrator.api.JsonBodies;
import io.rxon.orchestrator.error.InvalidRequestException;
import io.rxon.orchestrator.job.JobRequest;
import io.rxon.orchestrator.job.JobService;
import io.rxon.orchestrator.worker.WorkerEntity;
import io.rxon.orchestrator.worker.WorkerService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Submits a job from a form built from a skill's {@code input_schema}, as registered workers
 * declared it. The form becomes the same JSON body {@code POST /api/v1/jobs} takes and passes the
 * same checks, then the job is offered to workers exactly as the API does.
 */
@Path("/console/submit")
public class SubmitConsoleResource {

    private final Template submitPage;
    private final ConsoleSessions sessions;
    private final WorkerService workers;
    private final JobService jobs;

    public SubmitConsoleResource(@Location("console/submit.html") Template submitPage, ConsoleSessions sessions,
            WorkerService workers, JobService jobs) {
        this.submitPage = submitPage;
        this.sessions = sessions;
        this.workers = workers;
        this.jobs = jobs;
    }

    @GET
    public Uni<Response> form(@RestQuery String skill, HttpHeaders headers) {
        Optional<ConsoleSession> session = sessions.of(headers);
        if (session.isEmpty()) {
            return Uni.createFrom().item(ConsoleResponses.toLogin());
        }
        return skills().map(skills -> render(Response.Status.OK, session.get(), skills,
                JobsConsoleResource.present(skill).orElse(null), null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> submit(MultivaluedMap<String, String> form, HttpHeaders headers) {
        ConsoleSession session = ConsoleForms.requireSession(sessions, headers, form.getFirst("csrf"));
        String skill = JobsConsoleResource.present(form.getFirst("skill")).orElse("");
        return skills().chain(skills -> {
            JobRequest request;
            try {
                request = request(skill, skills.get(skill), form);
            } catch (InvalidRequestException e) {
                return Uni.createFrom().item(render(Response.Status.BAD_REQUEST, session, skills, skill,
                        e.getMessage()));
            }
            return jobs.submit(session.identity(), request)
                    .map(jobId -> ConsoleResponses.seeOther(JobConsoleResource.pagePath(jobId)))
                    .onFailure(InvalidRequestException.class).recoverWithItem(error ->
                            render(Response.Status.BAD_REQUEST, session, skills, skill, error.getMessage()));
        });
    }

    /** The API body the form describes, checked exactly like one posted to the API. */
    private static JobRequest request(String skill, SkillInfo info, MultivaluedMap<String, String> form) {
        Map<String, Object> params = new LinkedHashMap<>();
        String raw = form.getFirst("params_json");
        if (raw != null && !raw.isBlank()) {
            try {
                params.putAll(Json.read(raw, Map.class));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("params (JSON) must be a JSON object", e);
            }
        }
        if (info != null) {
            params.putAll(SchemaForm.params(SchemaForm.fields(info.inputSchema()), form::getFirst));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", skill);
        body.put("params", params);
        number(form, "priority", Double::parseDouble).ifPresent(value -> body.put("priority", value));
        number(form, "max_attempts", Integer::parseInt).ifPresent(value -> body.put("max_attempts", value));
        number(form, "timeout_seconds", Integer::parseInt).ifPresent(value -> body.put("timeout_seconds", value));
        return JsonBodies.decodeStrict(JsonBodies.storableObject(Json.write(body), MediaType.APPLICATION_JSON),
                JobRequest.class);
    }

    private static <T> Optional<T> number(MultivaluedMap<String, String> form, String name,
            Function<String, T> parse) {
        Optional<String> text = JobsConsoleResource.present(form.getFirst(name));
        try {
            return text.map(parse);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a number", e);
        }
    }

    /** Every skill registered workers offer, by name; the declaration with an input schema wins. */
    private Uni<Map<String, SkillInfo>> skills() {
        return workers.list().map(all -> {
            Map<String, SkillInfo> skills = new TreeMap<>();
            for (WorkerEntity worker : all) {
                List<SkillInfo> offered = Json.convert(worker.registration, WorkerRegistration.class).supportedSkills();
                for (SkillInfo skill : offered == null ? List.<SkillInfo>of() : offered) {
                    skills.merge(skill.name(), skill, (kept, other) -> kept.inputSchema() == null
                            || kept.inputSchema().isEmpty() ? other : kept);
                }
            }
            return skills;
        });
    }

    private Response render(Response.Status status, ConsoleSession session, Map<String, SkillInfo> skills,
            String selected, String error) {
        SkillInfo info = selected == null ? null : skills.get(selected);
        return ConsoleResponses.page(status, submitPage.data("session", session)
                .data("skills", List.copyOf(skills.keySet()))
                .data("selected", selected)
                .data("description", info == null || info.description() == null ? "" : info.description())
                .data("fields", info == null ? List.of() : SchemaForm.fields(info.inputSchema()))
                .data("error", error));
    }
}
