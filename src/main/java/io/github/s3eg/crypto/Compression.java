package io.github.s3eg.crypto;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a compressed object (format version 2) is compressed: the {@link Codec} of its frames and its
 * {@link FrameLayout}. Stored as the {@code s3eg-cmp} metadata entry, {@code <codec>.<frame size>}
 * (e.g. {@code zstd.262144}), and bound into the data key's wrap, so it cannot be changed or
 * removed without the unwrap failing. The compression level is not stored: readers do not need it.
 *
 * @param codec the frames' codec
 * @param frames the frame size
 */
public record Compression(Codec codec, FrameLayout frames) {

  private static final Pattern FORMAT = Pattern.compile("([a-z0-9]{1,16})\\.([1-9][0-9]{1,7})");

  public Compression {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(frames, "frames");
  }

  /** The gateway's choice: {@code codec} with 256 KiB frames. */
  public static Compression of(Codec codec) {
    return new Compression(codec, FrameLayout.of(FrameLayout.DEFAULT_FRAME_SIZE));
  }

  /** The {@code s3eg-cmp} value. */
  public String encode() {
    return codec.configName() + "." + frames.frameSize();
  }

  /** Parses an {@code s3eg-cmp} value; only the canonical form is accepted. */
  static Compression parse(String value) throws CryptoException {
    Matcher m = value == null ? null : FORMAT.matcher(value);
    if (m == null || !m.matches()) {
      throw new CryptoException.MalformedMetadata(
          ObjectMetadata.COMPRESSION + " must be <codec>.<frame size>");
    }
    Codec codec =
        Codec.byConfigName(m.group(1))
            .orElseThrow(
                () ->
                    new CryptoException.UnsupportedCompression(
                        "unknown compression '"
                            + m.group(1)
                            + "' in "
                            + ObjectMetadata.COMPRESSION));
    try {
      return new Compression(codec, FrameLayout.of(Integer.parseInt(m.group(2))));
    } catch (IllegalArgumentException e) {
      throw new CryptoException.MalformedMetadata(
          ObjectMetadata.COMPRESSION + " has a frame size outside the format's range");
    }
  }
}
