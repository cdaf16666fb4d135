package dev.nnet.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.NormalizedSoftmax;
import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.train.TrainingConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged model files, in bulk: every truncation and every header bit flip of several reference
 * files, and thousands of random bit flips anywhere, are all refused with a
 * {@link ModelFileException} that gives the byte offset, and never change the network. One crafted
 * file per structural rule shows each rule is enforced on its own.
 */
class ModelFileCorruptionTest {
  /** Random single-bit flips per build; {@code -Pextended} runs more. */
  static final int RANDOM_FLIPS = Integer.getInteger("nnet.reliability.flips", 10_000);

  private static final TrainingConfig CONFIG = new TrainingConfig(new Sgd(), 4, 1);
  private static final String FINGERPRINT = "3fa1c0de9b77e2aa41";

  @TempDir Path dir;

  /** A reference network kind and how to make a fresh one of it. */
  record Reference(String name, Supplier<Network> fresh) {}

  static List<Reference> references() {
    return List.of(
        new Reference("iris", () -> new SoftmaxRegression("Iris", FINGERPRINT, 4, 3, 8, CONFIG)),
        new Reference("stateful", () -> new NormalizedSoftmax("Iris", FINGERPRINT, 4, 3, 8, CONFIG, "norm")),
        new Reference("wide", () -> new SoftmaxRegression("Wide", "77aa01", 24, 8, 8, CONFIG)));
  }

  /** Saves a reference network with seeded values; returns the file's bytes. */
  private byte[] save(Reference reference, Path file) throws IOException {
    Network net = reference.fresh().get();
    SplittableRandom random = new SplittableRandom(reference.name().hashCode());
    for (int i = 0; i < net.parameters().length; i++) {
      net.parameters()[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < net.state().length; i++) {
      net.state()[i] = 1 + (float) random.nextDouble();
    }
    ModelFile.save(net, file);
    return Files.readAllBytes(file);
  }

  /** Loads {@code bytes}; fails unless refused with an offset inside the file, network unchanged. */
  private ModelFileException assertRefused(Reference reference, byte[] bytes, String what)
      throws IOException {
    Path file = dir.resolve("damaged.safetensors");
    Files.write(file, bytes);
    Network net = reference.fresh().get();
    net.parameters()[0] = 42f;
    float[] parameters = net.parameters().clone();
    float[] state = net.state().clone();
    try {
      ModelFile.load(net, file);
    } catch (ModelFileException e) {
      assertTrue(e.offset() >= 0 && e.offset() <= bytes.length, what + ": offset of " + e.getMessage());
      assertTrue(e.getMessage().startsWith(file + " (byte " + e.offset() + "): "), e.getMessage());
      assertArrayEquals(parameters, net.parameters(), what + ": parameters changed");
      assertArrayEquals(state, net.state(), what + ": state changed");
      return e;
    } catch (Throwable t) {
      throw new AssertionError(what + ": expected a ModelFileException, got " + t, t);
    }
    return fail(what + ": the damaged file loaded");
  }

  private static int headerEnd(byte[] bytes) {
    return 8 + (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  @Test
  void everyTruncationOfEveryReferenceIsRefused() throws IOException {
    int refused = 0;
    for (Reference reference : references()) {
      byte[] bytes = save(reference, dir.resolve(reference.name() + ".safetensors"));
      for (int length = 0; length < bytes.length; length++) {
        ModelFileException e = assertRefused(reference, java.util.Arrays.copyOf(bytes, length),
            reference.name() + " cut at " + length);
        assertTrue(e.offset() <= length, e.getMessage());
        refused++;
      }
    }
    assertTrue(refused >= 1_500, refused + " truncations");
    System.out.println("[reliability] model-file truncations refused: " + refused);
  }

  @Test
  void everySingleBitFlipInEveryHeaderIsRefused() throws IOException {
    int refused = 0;
    for (Reference reference : references()) {
      byte[] bytes = save(reference, dir.resolve(reference.name() + ".safetensors"));
      int headerEnd = headerEnd(bytes);
      for (int position = 0; position < headerEnd; position++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] copy = bytes.clone();
          copy[position] ^= (byte) (1 << bit);
          assertRefused(reference, copy, reference.name() + " byte " + position + " bit " + bit);
          refused++;
        }
      }
    }
    assertTrue(refused > 5_000, refused + " header bit flips");
    System.out.println("[reliability] model-file header bit flips refused: " + refused);
  }

  @Test
  void randomBitFlipsAnywhereAreAllRefused() throws IOException {
    List<Reference> references = references();
    byte[][] files = new byte[references.size()][];
    for (int r = 0; r < files.length; r++) {
      files[r] = save(references.get(r), dir.resolve(references.get(r).name() + ".safetensors"));
    }
    SplittableRandom random = new SplittableRandom(20261129);
    int inData = 0;
    for (int i = 0; i < RANDOM_FLIPS; i++) {
      int r = random.nextInt(files.length);
      byte[] copy = files[r].clone();
      // Mostly one bit, sometimes a burst of several, anywhere in the file.
      int flips = random.nextInt(4) == 0 ? 2 + random.nextInt(7) : 1;
      int first = random.nextInt(copy.length);
      for (int f = 0; f < flips; f++) {
        int position = f == 0 ? first : Math.min(copy.length - 1, first + random.nextInt(16));
        copy[position] ^= (byte) (1 << random.nextInt(8));
      }
      if (java.util.Arrays.equals(copy, files[r])) {
        continue; // two flips of the same bit cancelled out
      }
      ModelFileException e = assertRefused(references.get(r), copy, "flip " + i + " at " + first);
      if (first >= headerEnd(files[r])) {
        inData++;
        assertTrue(e.problem().contains("CRC32C"), e.getMessage());
      }
    }
    assertTrue(inData > RANDOM_FLIPS / 4, inData + " flips in the data");
    System.out.println("[reliability] model-file random bit flips refused: " + RANDOM_FLIPS + " (" + inData
        + " in the data)");
  }

  // ---- One crafted file per structural rule ----

  private static final String META = "\"__metadata__\":{\"format\":\"nnet\",\"network\":\"Iris\","
      + "\"fingerprint\":\"" + FINGERPRINT + "\",\"crc32c\":\"CRCCRCCR\"}";
  private static final String WEIGHT =
      "\"dense.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]}";
  private static final String BIAS =
      "\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]}";

  /** A file with this header (CRC filled in for the data) and {@code floats} as its data. */
  private static byte[] crafted(String header, float... floats) {
    ByteBuffer data = ByteBuffer.allocate(floats.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : floats) {
      data.putFloat(f);
    }
    CRC32C crc = new CRC32C();
    crc.update(data.array());
    byte[] json = header.replace("CRCCRCCR", String.format("%08x", crc.getValue()))
        .getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + json.length + data.capacity()).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(json.length).put(json).put(data.array()).array();
  }

  private static float[] values(int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = 0.5f * i - 3;
    }
    return values;
  }

  private void expect(String rule, byte[] bytes, String problemPart, long offset) throws IOException {
    ModelFileException e = assertRefused(references().get(0), bytes, rule);
    assertTrue(e.problem().contains(problemPart), rule + ": " + e.getMessage());
    assertEquals(offset, e.offset(), rule + ": " + e.getMessage());
  }

  @Test
  void aWellFormedCraftedFileLoads() throws IOException {
    Path file = dir.resolve("good.safetensors");
    Files.write(file, crafted("{" + META + "," + WEIGHT + "," + BIAS + "}", values(15)));
    Network net = references().get(0).fresh().get();
    ModelFile.load(net, file);
    assertArrayEquals(values(15), net.parameters());
  }

  @Test
  void eachStructuralRuleIsEnforced() throws IOException {
    String good = "{" + META + "," + WEIGHT + "," + BIAS + "}";
    int dataStart = crafted(good, values(15)).length - 60;
    long biasKey = 8 + good.indexOf("\"dense.bias\"");

    expect("overlapping offsets", crafted(good.replace("[48,60]", "[44,56]"), values(15)),
        "must not overlap", biasKey);
    expect("gapped offsets", crafted(good.replace("[48,60]", "[52,64]"), values(16)),
        "must be contiguous", biasKey);
    expect("offsets past the end", crafted(good, values(14)), "truncated: header says 60 bytes",
        dataStart + 56);
    expect("offsets far out of bounds", crafted(good.replace("[48,60]", "[9007199254740980,9007199254740992]"),
        values(15)), "must be contiguous", biasKey);
    expect("trailing bytes", crafted(good, values(16)), "4 unexpected trailing bytes", dataStart + 60);
    String duplicate = "{" + META + "," + WEIGHT + "," + WEIGHT + "," + BIAS + "}";
    expect("duplicate tensor", crafted(duplicate, values(15)), "duplicate key \"dense.weight\"",
        8 + duplicate.lastIndexOf("\"dense.weight\""));
    expect("missing tensor", crafted("{" + META + "," + WEIGHT + "}", values(12)),
        "the file has no tensor 'dense.bias'", 9);
    expect("unknown tensor", crafted("{" + META + "," + WEIGHT + "," + BIAS
        + ",\"dense.extra\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[60,64]}}", values(16)),
        "a tensor 'dense.extra' that network 'Iris' does not have", biasKey + BIAS.length() + 1);
    expect("unknown dtype", crafted(good.replace("\"F32\",\"shape\":[3]", "\"Q4_K\",\"shape\":[3]"),
        values(15)), "dtype Q4_K but the network expects F32", biasKey);
    expect("wrong shape", crafted(good.replace("[4,3]", "[3,4]"), values(15)),
        "has shape [3, 4] but the network expects [4, 3]", 8 + good.indexOf("\"dense.weight\""));
    float[] nan = values(15);
    nan[5] = Float.NaN;
    expect("NaN weight", crafted(good, nan), "'dense.weight' element 5 is NaN", dataStart + 20);
    float[] inf = values(15);
    inf[13] = Float.NEGATIVE_INFINITY;
    expect("infinite bias", crafted(good, inf), "'dense.bias' element 1 is -Infinity", dataStart + 52);
    byte[] badCrc = crafted(good, values(15));
    badCrc[badCrc.length - 1] ^= 1;
    expect("data not matching the checksum", badCrc, "does not match its CRC32C checksum", dataStart);
    expect("no checksum", crafted(good.replace(",\"crc32c\":\"CRCCRCCR\"", ""), values(15)),
        "the metadata has no crc32c checksum", 9);
    expect("malformed checksum", crafted(good.replace("\"CRCCRCCR\"", "\"xyz\""), values(15)),
        "the metadata's crc32c is 'xyz'", 9);
  }
}
