package io.rxon.common.blob;

/** What a store knows about one object without reading it. */
public record BlobInfo(long size, String etag, String contentType) {}
