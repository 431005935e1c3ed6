package io.rxon.common.blob;

/**
 * A parsed blob reference (PROTOCOL.md §8): {@code s3://bucket/key}, where a trailing {@code /}
 * names a directory (prefix). A string without the scheme is a key relative to a default bucket.
 */
public record BlobUri(String bucket, String key, boolean directory) {

    public static final String SCHEME = "s3://";

    public BlobUri {
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("blob URI needs a bucket");
        }
        key = key == null ? "" : key;
    }

    /** Whether a params/data value is a blob reference. */
    public static boolean isBlobUri(Object value) {
        return value instanceof String text && text.startsWith(SCHEME) && text.length() > SCHEME.length();
    }

    public static BlobUri parse(String uri) {
        return parse(uri, null, null);
    }

    /**
     * The reference's {@code parse_uri(uri, default_bucket, prefix)}.
     *
     * @param defaultBucket bucket for relative keys; without it a relative key is an error
     * @param prefix prepended to relative keys (after their leading {@code /} is stripped)
     * @throws IllegalArgumentException for empty input, {@code s3://} without bucket, or a relative
     *     key without default bucket
     */
    public static BlobUri parse(String uri, String defaultBucket, String prefix) {
        if (uri == null || uri.isEmpty()) {
            throw new IllegalArgumentException("empty blob URI");
        }
        if (uri.startsWith(SCHEME)) {
            String rest = uri.substring(SCHEME.length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            return new BlobUri(bucket, key, key.isEmpty() || key.endsWith("/"));
        }
        if (defaultBucket == null || defaultBucket.isEmpty()) {
            throw new IllegalArgumentException("'" + uri + "' is not an s3:// URI and no default bucket is configured");
        }
        String relative = uri.replaceFirst("^/+", "");
        String key = prefix == null || prefix.isEmpty() ? relative : joinPrefix(prefix, relative);
        return new BlobUri(defaultBucket, key, key.endsWith("/"));
    }

    private static String joinPrefix(String prefix, String relative) {
        return prefix.endsWith("/") ? prefix + relative : prefix + "/" + relative;
    }

    /** A child of this directory, e.g. {@code s3://b/jobs/j1/} + {@code out.bin}. */
    public BlobUri resolve(String name) {
        String base = key.isEmpty() || key.endsWith("/") ? key : key + "/";
        String child = base + name.replaceFirst("^/+", "");
        return new BlobUri(bucket, child, child.endsWith("/"));
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
