package dev.clickpipes.format.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An HTTP body kept to a size: a 200 answer over {@code limit} bytes fails with {@link TooLarge}
 * (from its Content-Length before a byte is read, or as soon as the limit is passed); any other
 * answer (an error, a redirect) is cut at {@code errorLimit} bytes, enough for its message. Either
 * way the rest is not read: the subscription is cancelled, which drops the connection.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The answer was larger than the limit. */
    static final class TooLarge extends IOException {
        final long declared;

        TooLarge(long declared) {
            super("body over the limit");
            this.declared = declared;
        }
    }

    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int limit;
    private final boolean strict;
    private final long declared;
    private Flow.Subscription subscription;

    private BoundedBody(int limit, boolean strict, long declared) {
        this.limit = limit;
        this.strict = strict;
        this.declared = declared;
    }

    /** A handler applying {@code limit} to 200 answers and cutting the others at {@code errorLimit}. */
    static HttpResponse.BodyHandler<byte[]> handler(int limit, int errorLimit) {
        return info -> info.statusCode() == 200
                ? new BoundedBody(limit, true, info.headers().firstValueAsLong("Content-Length").orElse(-1))
                : new BoundedBody(errorLimit, false, -1);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (strict && declared > limit) {
            s.cancel();
            result.completeExceptionally(new TooLarge(declared));
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = Math.min(b.remaining(), limit - out.size());
            byte[] chunk = new byte[n];
            b.get(chunk);
            out.write(chunk, 0, n);
            if (b.hasRemaining()) { // more than the limit
                subscription.cancel();
                if (strict) {
                    result.completeExceptionally(new TooLarge(declared));
                } else {
                    result.complete(out.toByteArray());
                }
                return;
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
