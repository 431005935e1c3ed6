package io.rxon.orchestrator.job;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores job statuses by their wire names, so SQL and API speak the same words. */
@Converter
public class JobStatusConverter implements AttributeConverter<JobStatus, String> {

    @Override
    public String convertToDatabaseColumn(JobStatus status) {
        return status == null ? null : status.wire();
    }

    @Override
    public JobStatus convertToEntityAttribute(String column) {
        return column == null ? null : JobStatus.fromWire(column);
    }
}
