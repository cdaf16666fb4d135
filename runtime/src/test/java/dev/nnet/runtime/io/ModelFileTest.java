package dev.nnet.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.NormalizedSoftmax;
import dev.nnet.runtime.ParameterTensor;
import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.train.TrainingConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
  @TempDir Path dir;

  private static final TrainingConfig CONFIG = new TrainingConfig(new Sgd(), 4, 1);

  private static SoftmaxRegression network(long seed) {
    SoftmaxRegression net = new SoftmaxRegression("Iris", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG);
    net.initialize(seed);
    float[] p = net.parameters();
    p[p.length - 1] = 0.125f; // a non-zero bias, so the zeros initializer is not all we check
    return net;
  }

  /** The network of {@link #network} with batch-normalisation state: running mean and variance. */
  private static NormalizedSoftmax stateful(long seed) {
    NormalizedSoftmax net =
        new NormalizedSoftmax("Iris", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG, "norm");
    net.initialize(seed);
    float[] p = net.parameters();
    p[p.length - 1] = 0.125f;
    float[] state = net.state();
    for (int i = 0; i < state.length; i++) {
      state[i] = (seed + 1) * 0.25f + i;
    }
    return net;
  }

  private static final String STATEFUL_HEADER = "{\"__metadata__\":{\"format\":\"nnet\","
      + "\"network\":\"Iris\",\"fingerprint\":\"3fa1c0de9b77e2aa41\",\"crc32c\":\"CRC\"},"
      + "\"dense.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"
      + "\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
      + "\"norm.running_mean\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[60,76]},"
      + "\"norm.running_var\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[76,92]}}";

  @Test
  void roundTripIsBitExact() throws IOException {
    SoftmaxRegression saved = network(1);
    saved.parameters()[0] = Float.intBitsToFloat(0x80000001); // the negative subnormal nearest 0
    saved.parameters()[1] = -0f;
    saved.parameters()[2] = Float.MIN_VALUE;
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(saved, file);
    SoftmaxRegression loaded = network(2);
    ModelFile.load(loaded, file);
    assertEquals(bits(saved.parameters()), bits(loaded.parameters()));
  }

  @Test
  void writesTheSafetensorsLayout() throws IOException {
    SoftmaxRegression net = network(1);
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(net, file);
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buffer.getLong();
    assertEquals(0, headerLength % 8);
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertEquals("{\"__metadata__\":{\"format\":\"nnet\",\"network\":\"Iris\","
        + "\"fingerprint\":\"3fa1c0de9b77e2aa41\",\"crc32c\":\""
        + crc32c(bytes, 8 + (int) headerLength) + "\"},"
        + "\"dense.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"
        + "\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]}}",
        header.stripTrailing());
    assertEquals(8 + headerLength + 60, bytes.length);
    buffer.position(8 + (int) headerLength);
    for (float expected : net.parameters()) {
      assertEquals(Float.floatToRawIntBits(expected), buffer.getInt());
    }
  }

  @Test
  void stateRoundTripIsBitExactAndFollowsTheParameters() throws IOException {
    NormalizedSoftmax saved = stateful(1);
    saved.state()[0] = Float.intBitsToFloat(0x80000001); // the negative subnormal nearest 0
    saved.state()[1] = -0f;
    saved.state()[7] = Float.MIN_VALUE;
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(saved, file);

    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buffer.getLong();
    assertEquals(0, headerLength % 8);
    assertEquals(STATEFUL_HEADER.replace("CRC", crc32c(bytes, 8 + (int) headerLength)),
        new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).stripTrailing());
    assertEquals(8 + headerLength + 92, bytes.length);
    buffer.position(8 + (int) headerLength);
    for (float expected : saved.parameters()) {
      assertEquals(Float.floatToRawIntBits(expected), buffer.getInt());
    }
    for (float expected : saved.state()) {
      assertEquals(Float.floatToRawIntBits(expected), buffer.getInt());
    }

    NormalizedSoftmax loaded = stateful(2);
    ModelFile.load(loaded, file);
    assertEquals(bits(saved.parameters()), bits(loaded.parameters()));
    assertEquals(bits(saved.state()), bits(loaded.state()));

    // And the loaded network predicts as the saved one does: inference reads the state.
    saved.state()[0] = 0.5f;
    loaded.state()[0] = 0.5f;
    float[] input = {0.3f, -1.2f, 2.5f, 0.7f};
    float[] expected = new float[3];
    float[] actual = new float[3];
    saved.predict(input, 0, expected, 0);
    loaded.predict(input, 0, actual, 0);
    assertArrayEquals(expected, actual);
  }

  @Test
  void filesOfNetworksWithoutStateAreUnchanged() throws IOException {
    // A stateless network writes exactly the parameter-only layout: same header, same bytes.
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(network(1), file);
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = "{\"__metadata__\":{\"format\":\"nnet\",\"network\":\"Iris\","
        + "\"fingerprint\":\"3fa1c0de9b77e2aa41\",\"crc32c\":\""
        + crc32c(bytes, bytes.length - 60) + "\"},"
        + "\"dense.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"
        + "\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]}}";
    byte[] json = (header + " ".repeat((8 - header.length() % 8) % 8))
        .getBytes(StandardCharsets.UTF_8);
    ByteBuffer expected = ByteBuffer.allocate(8 + json.length + 60).order(ByteOrder.LITTLE_ENDIAN);
    expected.putLong(json.length).put(json);
    for (float value : network(1).parameters()) {
      expected.putInt(Float.floatToRawIntBits(value));
    }
    assertEquals(json.length, headerLength);
    assertArrayEquals(expected.array(), bytes);
  }

  @Test
  void aFileWithoutTheStateIsRejectedAndChangesNothing() throws IOException {
    // Saved from the same declaration before it had a normalisation layer's state.
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(network(1), file);
    NormalizedSoftmax net = stateful(3);
    float[] parameters = net.parameters().clone();
    float[] state = net.state().clone();
    assertEquals(file + ": the file has no state tensor 'norm.running_mean' (expected dtype F32,"
        + " shape [4])", withoutOffset(assertLoadFails(net, file)));
    assertArrayEquals(parameters, net.parameters());
    assertArrayEquals(state, net.state());
  }

  @Test
  void aFileWithStateTheNetworkLacksIsRejected() throws IOException {
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(stateful(1), file);
    SoftmaxRegression net = network(3);
    float[] parameters = net.parameters().clone();
    assertEquals(file + ": the file has a tensor 'norm.running_mean' that network 'Iris' does"
        + " not have", withoutOffset(assertLoadFails(net, file)));
    assertArrayEquals(parameters, net.parameters());

    // State saved under another layer name is unknown too.
    NormalizedSoftmax renamed =
        new NormalizedSoftmax("Iris", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG, "bn");
    assertEquals(file + ": the file has a tensor 'norm.running_mean' that network 'Iris' does"
        + " not have", withoutOffset(assertLoadFails(renamed, file)));
  }

  @Test
  void badStateEntriesAreRejectedNamingTheTensor() throws IOException {
    String mean = "\"norm.running_mean\":{\"dtype\":\"F32\",\"shape\":[4],"
        + "\"data_offsets\":[60,76]}";
    expectStatefulHeaderError(STATEFUL_HEADER.replace(mean + ",", ""), 92,
        "the file has no state tensor 'norm.running_mean' (expected dtype F32, shape [4])");
    expectStatefulHeaderError(STATEFUL_HEADER.replace("\"shape\":[4],\"data_offsets\":[76,92]",
        "\"shape\":[5],\"data_offsets\":[76,96]"), 96,
        "tensor 'norm.running_var' has shape [5] but the network expects [4]");
    expectStatefulHeaderError(STATEFUL_HEADER.replace("\"shape\":[4],\"data_offsets\":[60,76]",
        "\"shape\":[2,2],\"data_offsets\":[60,76]"), 92,
        "tensor 'norm.running_mean' has shape [2, 2] but the network expects [4]");
    expectStatefulHeaderError(STATEFUL_HEADER.replace("F32\",\"shape\":[4],\"data_offsets\":[76",
        "F64\",\"shape\":[4],\"data_offsets\":[76"), 92,
        "tensor 'norm.running_var' has dtype F64 but the network expects F32");
    expectStatefulHeaderError(STATEFUL_HEADER.replace("}}", "},\"norm.running_max\":{\"dtype\":"
        + "\"F32\",\"shape\":[4],\"data_offsets\":[92,108]}}"), 108,
        "the file has a tensor 'norm.running_max' that network 'Iris' does not have");
    expectStatefulHeaderError(STATEFUL_HEADER.replace("[76,92]", "[76,96]"), 96,
        "tensor 'norm.running_var' has data_offsets [76, 96] but its shape [4] of F32 needs 16"
            + " bytes");
    expectStatefulHeaderError(STATEFUL_HEADER, 88,
        "truncated: header says 92 bytes of tensor data but the file holds 88");
    expectStatefulHeaderError(STATEFUL_HEADER, 96,
        "the file holds 96 bytes of tensor data but the header accounts for 92 (4 unexpected"
            + " trailing bytes)");
    // The state may come first in the file: only the tiling matters.
    String reordered = STATEFUL_HEADER
        .replace("[0,48]", "[32,80]").replace("[48,60]", "[80,92]")
        .replace("[60,76]", "[0,16]").replace("[76,92]", "[16,32]");
    ByteBuffer data = ByteBuffer.allocate(92).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      data.putFloat(100 + i);
    }
    for (int i = 0; i < 15; i++) {
      data.putFloat(i);
    }
    byte[] json = reordered.replace("CRC", crc32c(data.array(), 0)).getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + 92).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(json.length).put(json).put(data.array());
    Path file = dir.resolve("reordered.safetensors");
    Files.write(file, buffer.array());
    NormalizedSoftmax net = stateful(4);
    ModelFile.load(net, file);
    assertArrayEquals(new float[] {100, 101, 102, 103, 104, 105, 106, 107}, net.state());
    assertEquals(14f, net.parameters()[14]);
  }

  @Test
  void everyTruncationOfAStatefulFileLeavesParametersAndStateUnchanged() throws IOException {
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(stateful(1), file);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.safetensors");
    for (int length = 0; length < bytes.length; length++) {
      Files.write(cut, Arrays.copyOf(bytes, length));
      NormalizedSoftmax net = stateful(7);
      float[] parameters = net.parameters().clone();
      float[] state = net.state().clone();
      assertLoadFails(net, cut);
      assertArrayEquals(parameters, net.parameters(), "parameters changed by a failed load");
      assertArrayEquals(state, net.state(), "state changed by a failed load");
    }
  }

  @Test
  void everyHeaderBitFlipOfAStatefulFileLoadsTheSameValuesOrChangesNothing() throws IOException {
    NormalizedSoftmax original = stateful(1);
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(original, file);
    byte[] bytes = Files.readAllBytes(file);
    int headerEnd = 8 + (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Path flipped = dir.resolve("flipped.safetensors");
    for (int position = 0; position < headerEnd; position++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = bytes.clone();
        copy[position] ^= (byte) (1 << bit);
        Files.write(flipped, copy);
        NormalizedSoftmax net = stateful(7);
        float[] parameters = net.parameters().clone();
        float[] state = net.state().clone();
        try {
          ModelFile.load(net, flipped);
          assertArrayEquals(original.parameters(), net.parameters());
          assertArrayEquals(original.state(), net.state(),
              "byte " + position + " bit " + bit + " loaded different state");
        } catch (ModelFileException e) {
          assertArrayEquals(parameters, net.parameters(), "parameters changed by a failed load");
          assertArrayEquals(state, net.state(), "state changed by a failed load");
        }
      }
    }
  }

  @Test
  void aNetworkReportingClashingOrMisplacedStateTensorsIsAProgrammingError() throws IOException {
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(stateful(1), file);
    byte[] before = Files.readAllBytes(file);
    Network clash = withStateTensors(
        new ParameterTensor("dense.bias", 0, List.of(4)),
        new ParameterTensor("norm.running_var", 4, List.of(4)));
    String expected = "network 'Iris' uses the name 'dense.bias' for both a parameter tensor and"
        + " a state tensor";
    assertEquals(expected, assertThrows(IllegalArgumentException.class,
        () -> ModelFile.save(clash, file)).getMessage());
    assertEquals(expected, assertThrows(IllegalArgumentException.class,
        () -> ModelFile.load(clash, file)).getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));

    Network twice = withStateTensors(
        new ParameterTensor("norm.running_mean", 0, List.of(4)),
        new ParameterTensor("norm.running_mean", 4, List.of(4)));
    assertEquals("network 'Iris' has a duplicate or reserved state tensor name"
        + " 'norm.running_mean'", assertThrows(IllegalArgumentException.class,
            () -> ModelFile.save(twice, file)).getMessage());
    Network reserved = withStateTensors(
        new ParameterTensor("__metadata__", 0, List.of(4)),
        new ParameterTensor("norm.running_var", 4, List.of(4)));
    assertEquals("network 'Iris' has a duplicate or reserved state tensor name '__metadata__'",
        assertThrows(IllegalArgumentException.class, () -> ModelFile.load(reserved, file))
            .getMessage());
    Network outside = withStateTensors(
        new ParameterTensor("norm.running_mean", 0, List.of(4)),
        new ParameterTensor("norm.running_var", 6, List.of(4)));
    assertEquals("state tensor 'norm.running_var' of network 'Iris' lies outside its 8 state"
        + " values", assertThrows(IllegalArgumentException.class,
            () -> ModelFile.save(outside, file)).getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  private static Network withStateTensors(ParameterTensor... tensors) {
    return new NormalizedSoftmax("Iris", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG, "norm") {
      @Override
      public List<ParameterTensor> stateTensors() {
        return List.of(tensors);
      }
    };
  }

  private void expectStatefulHeaderError(String header, int dataBytes, String expected)
      throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(json.length).put(json);
    Path file = dir.resolve("crafted.safetensors");
    Files.write(file, buffer.array());
    NormalizedSoftmax net = stateful(1);
    float[] parameters = net.parameters().clone();
    float[] state = net.state().clone();
    assertEquals(file + ": " + expected, withoutOffset(assertLoadFails(net, file)));
    assertArrayEquals(parameters, net.parameters());
    assertArrayEquals(state, net.state());
  }

  @Test
  void savingReplacesAtomicallyAndLeavesNoTempFiles() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Files.writeString(file, "an older model");
    SoftmaxRegression net = network(1);
    ModelFile.save(net, file);
    ModelFile.save(network(5), file);
    SoftmaxRegression loaded = network(9);
    ModelFile.load(loaded, file);
    assertArrayEquals(network(5).parameters(), loaded.parameters());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void failedSaveLeavesTheOldFileAndNoTempFiles() throws IOException {
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(network(1), file);
    byte[] before = Files.readAllBytes(file);
    // A network that fails while its tensors are being written, after the temp file exists.
    Network broken = new SoftmaxRegression("Iris", "fp", 4, 3, 8, CONFIG) {
      private int reads;

      @Override
      public List<ParameterTensor> parameterTensors() {
        List<ParameterTensor> tensors = super.parameterTensors();
        return new AbstractList<>() {
          @Override
          public ParameterTensor get(int index) {
            // Two passes of checks and header succeed; the data pass fails.
            if (++reads > 2 * tensors.size()) {
              throw new IllegalStateException("disk on fire");
            }
            return tensors.get(index);
          }

          @Override
          public int size() {
            return tensors.size();
          }
        };
      }
    };
    assertThrows(IllegalStateException.class, () -> ModelFile.save(broken, file));
    assertArrayEquals(before, Files.readAllBytes(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void rejectsEveryTruncation() throws IOException {
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(network(1), file);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.safetensors");
    for (int length = 0; length < bytes.length; length++) {
      Files.write(cut, Arrays.copyOf(bytes, length));
      SoftmaxRegression net = network(7);
      float[] before = net.parameters().clone();
      ModelFileException e = assertLoadFails(net, cut);
      assertTrue(e.getMessage().startsWith(cut + " (byte "), e.getMessage());
      assertArrayEquals(before, net.parameters(), "network changed by a failed load");
    }
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 4));
    assertEquals(cut + ": truncated: header says 60 bytes of tensor data but the file holds 56",
        withoutOffset(assertLoadFails(network(7), cut)));
  }

  @Test
  void everyHeaderBitFlipLoadsTheSameValuesOrFailsCleanly() throws IOException {
    SoftmaxRegression original = network(1);
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(original, file);
    byte[] bytes = Files.readAllBytes(file);
    int headerEnd = 8 + (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    Path flipped = dir.resolve("flipped.safetensors");
    int failures = 0;
    for (int position = 0; position < headerEnd; position++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = bytes.clone();
        copy[position] ^= (byte) (1 << bit);
        Files.write(flipped, copy);
        SoftmaxRegression net = network(7);
        float[] before = net.parameters().clone();
        try {
          ModelFile.load(net, flipped);
          assertArrayEquals(original.parameters(), net.parameters(),
              "byte " + position + " bit " + bit + " loaded different values");
        } catch (ModelFileException e) {
          failures++;
          assertArrayEquals(before, net.parameters(), "network changed by a failed load");
        } catch (Throwable t) {
          throw new AssertionError("byte " + position + " bit " + bit + ": " + t, t);
        }
      }
    }
    assertTrue(failures > 0.9 * headerEnd * 8, failures + " of " + headerEnd * 8 + " failed");
  }

  @Test
  void rejectsAnotherNetworkName() throws IOException {
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(new SoftmaxRegression("Other", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG), file);
    assertEquals(file + ": file is for network 'Other' but this is 'Iris'",
        withoutOffset(assertLoadFails(network(1), file)));
  }

  @Test
  void rejectsAnotherArchitecture() throws IOException {
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(new SoftmaxRegression("Iris", "9c2e77aa0b1d55", 5, 3, 8, CONFIG), file);
    assertEquals(file + ": architecture fingerprint differs (file 9c2e77aa0b1d…, network "
            + "3fa1c0de9b77…): the file was saved from a different declaration of 'Iris'",
        withoutOffset(assertLoadFails(network(1), file)));
  }

  @Test
  void rejectsWrongShape() throws IOException {
    // Same name and fingerprint but 5 inputs: as if the fingerprint had not caught it.
    Path file = dir.resolve("model.safetensors");
    ModelFile.save(new SoftmaxRegression("Iris", "3fa1c0de9b77e2aa41", 5, 3, 8, CONFIG), file);
    assertEquals(file + ": tensor 'dense.weight' has shape [5, 3] but the network expects [4, 3]",
        withoutOffset(assertLoadFails(network(1), file)));
  }

  @Test
  void rejectsBadHeaders() throws IOException {
    String meta = "\"__metadata__\":{\"format\":\"nnet\",\"network\":\"Iris\","
        + "\"fingerprint\":\"3fa1c0de9b77e2aa41\"}";
    String weight = "\"dense.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]}";
    String bias = "\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]}";
    expectHeaderError("{" + meta + "," + weight + "}", 60,
        "the file has no tensor 'dense.bias' (expected dtype F32, shape [3])");
    expectHeaderError("{" + meta + "," + weight + "," + bias + ",\"extra\":{}}", 60,
        "the file has a tensor 'extra' that network 'Iris' does not have");
    expectHeaderError("{" + meta + "," + weight.replace("F32", "F16") + "," + bias + "}", 60,
        "tensor 'dense.weight' has dtype F16 but the network expects F32");
    expectHeaderError("{" + meta + "," + weight + "," + bias.replace("48,60", "44,56") + "}", 60,
        "tensor 'dense.weight' ends at byte 48 of the data but the next one, 'dense.bias', "
            + "begins at 44: tensors must be contiguous and must not overlap");
    expectHeaderError("{" + meta + "," + weight + "," + bias + "}", 64,
        "the file holds 64 bytes of tensor data but the header accounts for 60 "
            + "(4 unexpected trailing bytes)");
    String duplicate = "{" + meta + "," + weight + "," + weight + "," + bias + "}";
    expectHeaderError(duplicate, 60, "the header is not valid JSON: duplicate key "
        + "\"dense.weight\" at character " + duplicate.lastIndexOf("\"dense.weight\""));
    String trailing = "{" + meta + "," + weight + "," + bias + "}x";
    expectHeaderError(trailing, 60, "the header is not valid JSON: unexpected 'x' after the "
        + "JSON value at character " + (trailing.length() - 1));
    expectHeaderError("{" + weight + "," + bias + "}", 60,
        "the header has no __metadata__ entry: expected format 'nnet'; the file was not saved "
            + "by nnet");
    expectHeaderError("[]", 0, "the header is an array, expected a JSON object");
    expectHeaderError("{" + meta + "," + weight.replace("[0,48]", "[0,4.8e1]") + "," + bias
        + "}", 60, "tensor 'dense.weight''s data_offsets element 1 is 4.8e1; expected an array "
            + "of 2 non-negative integers");
    expectHeaderError("[".repeat(100) + "]".repeat(100), 0,
        "the header is not valid JSON: nesting deeper than 64 levels at character 64");
  }

  @Test
  void rejectsHostileHeaderLength() throws IOException {
    Path file = dir.resolve("hostile.safetensors");
    ByteBuffer buffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(-1L).putLong(0);
    Files.write(file, buffer.array());
    assertEquals(file + ": header length 18446744073709551615 exceeds the limit of 100,000,000 "
        + "bytes: not a model file, or corrupt", withoutOffset(assertLoadFails(network(1), file)));
    buffer.clear();
    buffer.putLong(50_000_000L).putLong(0);
    Files.write(file, buffer.array());
    assertEquals(file + ": truncated: the header length says 50,000,000 bytes of header but the "
        + "file holds 8 after the 8-byte length", withoutOffset(assertLoadFails(network(1), file)));
  }

  @Test
  void missingFileIsAModelFileException() {
    Path file = dir.resolve("absent.safetensors");
    assertEquals(file + ": no such file", withoutOffset(assertLoadFails(network(1), file)));
  }

  private void expectHeaderError(String header, int dataBytes, String expected)
      throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(json.length).put(json);
    Path file = dir.resolve("crafted.safetensors");
    Files.write(file, buffer.array());
    SoftmaxRegression net = network(1);
    float[] before = net.parameters().clone();
    assertEquals(file + ": " + expected, withoutOffset(assertLoadFails(net, file)));
    assertArrayEquals(before, net.parameters());
  }

  /** The CRC32C of {@code bytes} from {@code start}, as the metadata holds it. */
  static String crc32c(byte[] bytes, int start) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes, start, bytes.length - start);
    return String.format("%08x", crc.getValue());
  }

  /** The message as it reads without the byte offset, which every failure on a file's bytes has. */
  static String withoutOffset(ModelFileException e) {
    return e.file() + ": " + e.problem();
  }

  private static ModelFileException assertLoadFails(Network net, Path file) {
    try {
      ModelFile.load(net, file);
    } catch (ModelFileException e) {
      assertTrue(e.offset() >= 0 || e.problem().equals("no such file"), e.getMessage());
      assertTrue(e.getMessage().equals(e.file() + " (byte " + e.offset() + "): " + e.problem())
          || e.offset() < 0, e.getMessage());
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a ModelFileException but got " + t, t);
    }
    return fail("expected a ModelFileException, but the load succeeded");
  }

  private static List<Integer> bits(float[] values) {
    Integer[] bits = new Integer[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return Arrays.asList(bits);
  }
}
