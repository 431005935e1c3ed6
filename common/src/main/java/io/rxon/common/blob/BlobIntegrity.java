package io.rxon.common.blob;

import io.rxon.common.error.RxonIntegrityException;
import io.rxon.common.protocol.FileMetadata;

/**
 * Compares what was received with the {@link FileMetadata} that travelled beside a blob
 * reference. Only the facts the metadata states are checked (size 0 means unknown, as the
 * reference's default). ETags are compared only when both are of one kind: a multipart ETag
 * ({@code <md5 of part md5s>-<parts>}) is not the MD5 of the content, so it is never compared with
 * an MD5 computed while reading; size and SHA-256 carry the guarantee then.
 */
public final class BlobIntegrity {

    private BlobIntegrity() {}

    /**
     * @throws RxonIntegrityException naming the first fact that differs
     */
    public static void verify(FileMetadata expected, long actualSize, String actualEtag, String actualSha256) {
        if (expected.size() > 0 && expected.size() != actualSize) {
            throw new RxonIntegrityException("size of " + expected.uri() + " is " + actualSize + " bytes, expected "
                    + expected.size());
        }
        if (expected.etag() != null && actualEtag != null && comparable(expected.etag(), actualEtag)
                && !unquote(expected.etag()).equals(unquote(actualEtag))) {
            throw new RxonIntegrityException("ETag of " + expected.uri() + " differs from its metadata");
        }
        if (expected.sha256() != null && !expected.sha256().equalsIgnoreCase(actualSha256)) {
            throw new RxonIntegrityException("SHA-256 of " + expected.uri() + " differs from its metadata");
        }
    }

    private static boolean comparable(String one, String other) {
        return isMultipart(one) == isMultipart(other);
    }

    /** Whether an ETag is that of a multipart upload rather than the MD5 of the content. */
    public static boolean isMultipart(String etag) {
        return etag != null && etag.contains("-");
    }

    private static String unquote(String etag) {
        return etag.replace("\"", "");
    }
}
