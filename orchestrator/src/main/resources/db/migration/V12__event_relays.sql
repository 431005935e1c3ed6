-- The Kafka relay (RXON_KAFKA_BOOTSTRAP_SERVERS): per topic, which replica relays stored job events
-- now (a lease on the database's clock) and up to which job_events.seq everything has been relayed,
-- so a relay resumes there after an outage or on another replica. Empty and unused without Kafka.
CREATE TABLE event_relays (
    topic        TEXT        PRIMARY KEY,
    owner        TEXT        NOT NULL,
    lease_until  TIMESTAMPTZ NOT NULL,
    position     BIGINT      NOT NULL
);
