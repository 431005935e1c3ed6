package io.rxon.blob.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A blocking {@link InputStream} over a reactive-streams publisher of byte buffers that never has
 * more than {@code prefetch} buffers outstanding. The SDK's own blocking stream let a fast store run
 * 100 MB ahead of a slow reader (measured with a 200 MB object under a 64 MB heap), so memory grew
 * with blob size; this one keeps it at {@code prefetch} network chunks.
 *
 * <p>Demand is replenished in batches: once the reader has taken half of {@code prefetch} buffers,
 * that many are requested at once. The SDK delivers a response in chunks of 8 KB, and every
 * {@code request} from the reader's thread is a task handed to the SDK's event loop, so asking for
 * one chunk at a time cost a thread hand-off per 8 KB (32,768 per 256 MB).
 */
final class BoundedSubscriberStream extends InputStream implements Subscriber<ByteBuffer> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final int prefetch;
    private final int batch;
    private volatile Subscription subscription;
    private ByteBuffer current;
    /** Buffers taken by the reader since demand was last replenished. */
    private int taken;
    private boolean finished;

    BoundedSubscriberStream(int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be positive: " + prefetch);
        }
        this.prefetch = prefetch;
        this.batch = Math.max(1, prefetch / 2);
    }

    @Override
    public void onSubscribe(Subscription newSubscription) {
        subscription = newSubscription;
        newSubscription.request(prefetch);
    }

    @Override
    public void onNext(ByteBuffer buffer) {
        queue.add(buffer);
    }

    @Override
    public void onError(Throwable error) {
        queue.add(error);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (finished) {
                return -1;
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new InterruptedIOException("interrupted while waiting for blob bytes");
            }
            if (item == END) {
                finished = true;
                return -1;
            }
            if (item instanceof Throwable error) {
                finished = true;
                throw error instanceof IOException io ? io : new IOException(error.getMessage(), error);
            }
            current = (ByteBuffer) item;
            if (++taken == batch) {
                taken = 0;
                subscription.request(batch);
            }
        }
        int count = Math.min(length, current.remaining());
        current.get(buffer, offset, count);
        return count;
    }

    @Override
    public void close() {
        if (!finished) {
            finished = true;
            Subscription active = subscription;
            if (active != null) {
                active.cancel();
            }
            queue.clear();
        }
    }
}
