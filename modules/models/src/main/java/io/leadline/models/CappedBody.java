package io.leadline.models;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body handler that keeps at most {@code cap} bytes: a longer body (or a longer declared {@code
 * Content-Length}) fails with {@link TooLarge} and its connection is dropped, and {@link
 * #abort(Throwable)} drops it at any moment, so neither an endless nor a dripping body can hold
 * memory or a thread.
 *
 * <p>One handler per HTTP attempt. Thread-safe.
 */
final class CappedBody implements HttpResponse.BodyHandler<byte[]> {
  /** The body passed the cap. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long cap) {
      super("response too large (over " + cap + " bytes; max_response_bytes)");
    }
  }

  private final long cap;
  private volatile Subscriber current;
  private volatile Throwable aborted;

  CappedBody(long cap) {
    this.cap = cap;
  }

  @Override
  public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
    Subscriber subscriber =
        new Subscriber(info.headers().firstValueAsLong("content-length").orElse(-1));
    current = subscriber;
    Throwable why = aborted;
    if (why != null) {
      subscriber.fail(why);
    }
    return subscriber;
  }

  /** Fails the body being read (or the one to come) with {@code why}, dropping its connection. */
  void abort(Throwable why) {
    aborted = why;
    Subscriber subscriber = current;
    if (subscriber != null) {
      subscriber.fail(why);
    }
  }

  private final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final long declared;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;
    private long received;

    Subscriber(long declared) {
      this.declared = declared;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (result.isDone()) {
        subscription.cancel();
      } else if (declared > cap) {
        fail(new TooLarge(cap));
      } else {
        subscription.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        received += item.remaining();
        if (received > cap) {
          fail(new TooLarge(cap));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        synchronized (bytes) {
          bytes.write(chunk, 0, chunk.length);
        }
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      synchronized (bytes) {
        result.complete(bytes.toByteArray());
      }
    }

    void fail(Throwable why) {
      if (result.completeExceptionally(why)) {
        Flow.Subscription held = subscription;
        if (held != null) {
          held.cancel();
        }
      }
    }
  }
}
