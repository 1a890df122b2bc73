package io.github.s3eg.backend;

import io.github.s3eg.config.SecondBackend;
import io.github.s3eg.s3.S3ErrorCode;
import io.github.s3eg.s3.S3Exception;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.ListBucketsRequest;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;

/**
 * One {@link S3Client} in front of two ({@code BACKEND2_*}): each request goes to the client of its
 * bucket, the second's for the buckets {@link SecondBackend#holds} names, the first's for the rest.
 * Every backend request of the gateway goes through it, the route steps' and those still made
 * inside a step (listings, a copy's reads, the multipart bookkeeping), so a bucket's objects,
 * uploads and records all live on one backend.
 *
 * <p>A copy's source must be on its destination's backend (S3's CopyObject cannot cross backends):
 * otherwise {@code 501 NotImplemented}. ListBuckets asks both and answers their buckets together,
 * by name.
 */
final class BucketRouting implements InvocationHandler {

  private final S3Client first;
  private final S3Client second;
  private final SecondBackend routing;

  private BucketRouting(S3Client first, S3Client second, SecondBackend routing) {
    this.first = first;
    this.second = second;
    this.routing = routing;
  }

  /** A client that sends each request to {@code first} or {@code second} by its bucket. */
  static S3Client between(S3Client first, S3Client second, SecondBackend routing) {
    return (S3Client)
        Proxy.newProxyInstance(
            S3Client.class.getClassLoader(),
            new Class<?>[] {S3Client.class},
            new BucketRouting(first, second, routing));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(this, args);
    }
    if (method.getName().equals("close")) {
      return null; // the two clients are closed by their owner
    }
    if (args != null && args.length > 0 && args[0] instanceof Consumer<?>) {
      // The builder form: the interface builds the request and calls this proxy again.
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    SdkRequest request =
        args != null && args.length > 0 && args[0] instanceof SdkRequest r ? r : null;
    if (request instanceof ListBucketsRequest list && method.getName().equals("listBuckets")) {
      return listBoth(list);
    }
    if (request == null && method.getName().equals("listBuckets")) {
      return listBoth(ListBucketsRequest.builder().build());
    }
    return call(clientFor(request), method, args);
  }

  private S3Client clientFor(SdkRequest request) {
    if (request == null) {
      return first;
    }
    Optional<String> destination = request.getValueForField("DestinationBucket", String.class);
    if (destination.isPresent()) {
      boolean toSecond = routing.holds(destination.get());
      boolean fromSecond =
          routing.holds(request.getValueForField("SourceBucket", String.class).orElse(null));
      if (toSecond != fromSecond) {
        throw new S3Exception(
            S3ErrorCode.NOT_IMPLEMENTED,
            "A copy between buckets of the gateway's two backends is not supported.");
      }
      return toSecond ? second : first;
    }
    return routing.holds(request.getValueForField("Bucket", String.class).orElse(null))
        ? second
        : first;
  }

  private ListBucketsResponse listBoth(ListBucketsRequest request) {
    ListBucketsResponse a = first.listBuckets(request);
    ListBucketsResponse b = second.listBuckets(request);
    List<Bucket> buckets = new ArrayList<>();
    a.buckets().stream().filter(x -> !routing.holds(x.name())).forEach(buckets::add);
    b.buckets().stream().filter(x -> routing.holds(x.name())).forEach(buckets::add);
    buckets.sort(Comparator.comparing(Bucket::name));
    return a.toBuilder().buckets(buckets).build();
  }

  private static Object call(S3Client client, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(client, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
