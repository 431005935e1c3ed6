package io.rxon.orchestrator.blob;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A client's upload made before its job exists: the id names the directory
 * {@code jobs/<id>/} the client may write to through presigned URLs and refer to in its jobs.
 */
@Entity
@Table(name = "blob_uploads")
public class BlobUploadEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    /** Epoch milliseconds. */
    @Column(name = "created_at")
    public long createdAt;

    /** When the upload's blobs were deleted. */
    @Column(name = "cleaned_at")
    public Long cleanedAt;
}
