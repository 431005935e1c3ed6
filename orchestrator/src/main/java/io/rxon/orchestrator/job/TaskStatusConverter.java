package io.rxon.orchestrator.job;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/** Stores task statuses in lower case, the form the dispatch SQL uses. */
@Converter
public class TaskStatusConverter implements AttributeConverter<TaskStatus, String> {

    @Override
    public String convertToDatabaseColumn(TaskStatus status) {
        return status == null ? null : status.column();
    }

    @Override
    public TaskStatus convertToEntityAttribute(String column) {
        return column == null ? null : TaskStatus.valueOf(column.toUpperCase(Locale.ROOT));
    }
}
