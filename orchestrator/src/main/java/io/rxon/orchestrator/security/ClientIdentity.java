package io.rxon.orchestrator.security;

/** An authenticated API client; jobs belong to the client that submitted them. */
public record ClientIdentity(String clientId) {}
