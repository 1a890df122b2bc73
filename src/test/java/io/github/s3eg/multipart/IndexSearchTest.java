package io.github.s3eg.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.s3eg.backend.ReservedKeys;
import io.github.s3eg.it.TestBackend;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The walk that finds the index names of many keys at once (DeleteObjects), on a real S3 server
 * with small pages: every name of every asked key (version 3 names and several version 4 names per
 * key), none of other keys, and no more LISTs than keys.
 */
class IndexSearchTest {

  private static TestBackend backend;
  private static S3Client s3;
  private static final AtomicInteger lists = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    backend = TestBackend.start();
    s3 =
        S3Client.builder()
            .endpointOverride(backend.endpoint())
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        TestBackend.ACCESS_KEY, TestBackend.SECRET_KEY)))
            .forcePathStyle(true)
            .requestChecksumCalculation(
                software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
            .overrideConfiguration(
                c ->
                    c.addExecutionInterceptor(
                        new ExecutionInterceptor() {
                          @Override
                          public void beforeExecution(
                              Context.BeforeExecution context, ExecutionAttributes attributes) {
                            if (context.request()
                                instanceof
                                software.amazon.awssdk.services.s3.model.ListObjectsV2Request) {
                              lists.incrementAndGet();
                            }
                          }
                        }))
            .build();
    s3.createBucket(b -> b.bucket("walk"));
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    backend.close();
  }

  private static void put(String name) {
    s3.putObject(b -> b.bucket("walk").key(name), RequestBody.fromBytes(new byte[] {1}));
  }

  @Test
  void findsEveryNameOfTheAskedKeysAndNoOther() {
    Set<String> expected = new HashSet<>();
    List<String> asked = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String key = "key-" + i;
      List<String> names = new ArrayList<>();
      if (i % 3 == 0) {
        names.add(ReservedKeys.index(key)); // version 3
      }
      for (int u = 0; u < i % 4; u++) {
        names.add(ReservedKeys.index(key, new byte[] {(byte) i, (byte) u})); // version 4
      }
      names.forEach(IndexSearchTest::put);
      if (i % 2 == 0) {
        asked.add(key);
        expected.addAll(names);
      }
    }
    asked.add("never-stored");
    put(".s3eg/uploads/not-an-index");

    for (int pageSize : new int[] {1, 3, 7, 1000}) {
      lists.set(0);
      assertThat(IndexSearch.find(s3, "walk", asked, pageSize))
          .as("page size %d", pageSize)
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(lists.get())
          .as("LISTs with page size %d", pageSize)
          .isLessThanOrEqualTo(pageSize == 1 ? asked.size() + expected.size() : asked.size());
    }
    lists.set(0);
    assertThat(IndexSearch.find(s3, "walk", List.of("key-3"), 1000))
        .containsExactlyInAnyOrder(
            ReservedKeys.index("key-3"),
            ReservedKeys.index("key-3", new byte[] {3, 0}),
            ReservedKeys.index("key-3", new byte[] {3, 1}),
            ReservedKeys.index("key-3", new byte[] {3, 2}));
    assertThat(lists.get()).isEqualTo(1);
    assertThat(IndexSearch.find(s3, "walk", List.of(), 1000)).isEmpty();
  }

  @Test
  void ownerOfAName() {
    String owner = ReservedKeys.index("k");
    assertThat(ReservedKeys.indexOwner(owner)).isEqualTo(owner);
    assertThat(ReservedKeys.indexOwner(ReservedKeys.index("k", new byte[40]))).isEqualTo(owner);
    assertThat(ReservedKeys.indexOwner(owner + "x")).isNull();
    assertThat(ReservedKeys.indexOwner(".s3eg/uploads/" + owner.substring(12))).isNull();
    assertThat(IndexSearch.justBefore(owner)).isLessThan(owner);
  }
}
