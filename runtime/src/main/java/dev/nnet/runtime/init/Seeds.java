package dev.nnet.runtime.init;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Derives independent 64-bit seeds from one network seed, so that each tensor (and each training
 * epoch) gets its own random stream: adding a layer does not change the values of the others.
 *
 * <p>Names are hashed with 64-bit FNV-1a over their UTF-8 bytes (deterministic on every JVM,
 * unlike relying on {@code String.hashCode}'s 32 bits alone), and combined with the seed through
 * the SplitMix64 finaliser (Steele, Lea &amp; Flood 2014, "Fast splittable pseudorandom number
 * generators"; the variant-13 constants of Stafford's "Better Bit Mixing"), which makes every
 * output bit depend on every input bit.
 */
public final class Seeds {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private Seeds() {}

  /** The seed for the tensor called {@code tensorName} of a network initialised with {@code seed}. */
  public static long derive(long seed, String tensorName) {
    Objects.requireNonNull(tensorName, "tensorName");
    long hash = FNV_OFFSET;
    for (byte b : tensorName.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xFF)) * FNV_PRIME;
    }
    return derive(seed, hash);
  }

  /** The seed for stream number {@code stream} (for example an epoch) derived from {@code seed}. */
  public static long derive(long seed, long stream) {
    // Mix the seed first, so nearby seeds and nearby streams cannot cancel out in the XOR.
    return mix64(mix64(seed + GOLDEN_GAMMA) ^ (stream * GOLDEN_GAMMA + GOLDEN_GAMMA));
  }

  /** The SplitMix64 finaliser: a bijection on 64-bit values with good avalanche. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
