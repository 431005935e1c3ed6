package io.rxon.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The blocking stream over the SDK's publisher: what it reads, how far the publisher may run ahead
 * of the reader, and how often it asks for more.
 */
class BoundedSubscriberStreamTest {

    private static final int CHUNK = 8192;

    /** Delivers numbered chunks as soon as they are requested, recording every request. */
    private static final class ChunkPublisher implements Subscription {

        private final int chunks;
        private final List<Long> requests = new ArrayList<>();
        private Subscriber<? super ByteBuffer> subscriber;
        private int delivered;
        private boolean cancelled;

        ChunkPublisher(int chunks) {
            this.chunks = chunks;
        }

        void subscribe(Subscriber<? super ByteBuffer> target) {
            subscriber = target;
            target.onSubscribe(this);
        }

        @Override
        public void request(long n) {
            requests.add(n);
            for (long i = 0; i < n && delivered < chunks && !cancelled; i++) {
                byte[] chunk = new byte[CHUNK];
                java.util.Arrays.fill(chunk, (byte) delivered);
                delivered++;
                subscriber.onNext(ByteBuffer.wrap(chunk));
            }
            if (delivered == chunks && !cancelled) {
                cancelled = true;
                subscriber.onComplete();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Test
    void shouldReadEveryChunkInOrderWithNoMoreThanPrefetchChunksAhead() throws IOException {
        // given
        int prefetch = 64;
        ChunkPublisher publisher = new ChunkPublisher(1000);
        BoundedSubscriberStream in = new BoundedSubscriberStream(prefetch);
        publisher.subscribe(in);

        // when: the reader takes one chunk at a time
        byte[] buffer = new byte[CHUNK];
        int read = 0;
        int maxAhead = 0;
        for (int chunk = 0; in.readNBytes(buffer, 0, CHUNK) == CHUNK; chunk++) {
            assertThat(buffer[0]).isEqualTo((byte) chunk);
            assertThat(buffer[CHUNK - 1]).isEqualTo((byte) chunk);
            read++;
            maxAhead = Math.max(maxAhead, publisher.delivered - read);
        }

        // then: everything arrived, the publisher never ran more than prefetch chunks ahead,
        // and demand came in batches of half the prefetch rather than chunk by chunk
        assertThat(read).isEqualTo(1000);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(maxAhead).isLessThanOrEqualTo(prefetch);
        assertThat(publisher.requests.get(0)).isEqualTo(prefetch);
        assertThat(publisher.requests.subList(1, publisher.requests.size())).containsOnly((long) prefetch / 2);
        assertThat(publisher.requests).hasSizeLessThanOrEqualTo(1 + 1000 / (prefetch / 2));
    }

    @Test
    void shouldKeepReadingWithAPrefetchOfOne() throws IOException {
        // given
        ChunkPublisher publisher = new ChunkPublisher(3);
        BoundedSubscriberStream in = new BoundedSubscriberStream(1);
        publisher.subscribe(in);

        // when
        byte[] all = in.readAllBytes();

        // then
        assertThat(all).hasSize(3 * CHUNK);
        assertThat(publisher.requests).containsOnly(1L);
    }

    @Test
    void shouldCancelThePublisherWhenClosedEarly() throws IOException {
        // given
        ChunkPublisher publisher = new ChunkPublisher(1000);
        BoundedSubscriberStream in = new BoundedSubscriberStream(64);
        publisher.subscribe(in);
        in.readNBytes(CHUNK);

        // when
        in.close();

        // then
        assertThat(publisher.cancelled).isTrue();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(publisher.delivered).isLessThanOrEqualTo(64);
    }
}
