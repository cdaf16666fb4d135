package dev.nnet.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.NormalizedSoftmax;
import dev.nnet.runtime.ParameterTensor;
import dev.nnet.runtime.SoftmaxRegression;
import dev.nnet.runtime.optim.Adam;
import dev.nnet.runtime.optim.OptimizerState;
import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.train.TrainingConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  private static final TrainingConfig CONFIG = new TrainingConfig(new Sgd(), 4, 1);

  private static SoftmaxRegression network(long seed) {
    SoftmaxRegression net = new SoftmaxRegression("Iris", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG);
    net.initialize(seed);
    net.parameters()[net.parameterCount() - 1] = 0.125f;
    return net;
  }

  private static NormalizedSoftmax stateful(long seed) {
    NormalizedSoftmax net =
        new NormalizedSoftmax("Iris", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG, "bn");
    net.initialize(seed);
    net.parameters()[net.parameterCount() - 1] = 0.125f;
    float[] state = net.state();
    for (int i = 0; i < state.length; i++) {
      state[i] = seed * 0.5f - i;
    }
    return net;
  }

  private static OptimizerState adamState(SoftmaxRegression net, float fill, long iterations) {
    OptimizerState state = new Adam().newState(net.parameterCount());
    for (int i = 0; i < net.parameterCount(); i++) {
      state.slot(Adam.M)[i] = fill + i;
      state.slot(Adam.V)[i] = fill * i;
    }
    state.setIterations(iterations);
    return state;
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }

  @Test
  void roundTripRestoresParametersSlotsIterationsAndProgressBitForBit() throws IOException {
    SoftmaxRegression saved = network(1);
    saved.parameters()[0] = Float.intBitsToFloat(0x7FC01234);
    saved.parameters()[1] = -0f;
    OptimizerState state = adamState(saved, 0.5f, 1234);
    state.slot(Adam.V)[2] = Float.NaN;
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("trainer.seed", "42");
    metadata.put("note", "ünïcode \"quoted\"");
    Map<String, float[]> extras = Map.of("best", new float[] {1, 2, 3});
    Path file = dir.resolve("run.ckpt");
    Checkpoint.save(file, saved, state, 7, 1234, metadata, extras);

    SoftmaxRegression loaded = network(2);
    OptimizerState restored = new Adam().newState(loaded.parameterCount());
    Checkpoint checkpoint = Checkpoint.load(file, loaded, restored);
    assertArrayEquals(bits(saved.parameters()), bits(loaded.parameters()));
    assertArrayEquals(bits(state.slot(Adam.M)), bits(restored.slot(Adam.M)));
    assertArrayEquals(bits(state.slot(Adam.V)), bits(restored.slot(Adam.V)));
    assertEquals(1234, restored.iterations());
    assertEquals(7, checkpoint.epochsDone());
    assertEquals(1234, checkpoint.step());
    assertEquals(List.of("m", "v"), checkpoint.optimizerSlots());
    assertEquals(metadata, checkpoint.metadata());
    assertArrayEquals(new float[] {1, 2, 3}, checkpoint.tensors().get("best"));

    // Weights only.
    SoftmaxRegression weights = network(3);
    Checkpoint.load(file, weights, null);
    assertArrayEquals(bits(saved.parameters()), bits(weights.parameters()));
  }

  @Test
  void writesTheSafetensorsLayoutWithProgressInTheMetadata() throws IOException {
    SoftmaxRegression net = network(1);
    Path file = dir.resolve("c.safetensors");
    Checkpoint.save(file, net, new Sgd(0.1, 0.9).newState(net.parameterCount()), 3, 30);
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buffer.getLong();
    assertEquals(0, headerLength % 8);
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertEquals("{\"__metadata__\":{\"format\":\"nnet-checkpoint\",\"network\":\"Iris\","
        + "\"fingerprint\":\"3fa1c0de9b77e2aa41\",\"epochs_done\":\"3\",\"step\":\"30\","
        + "\"optimizer_iterations\":\"0\",\"crc32c\":\""
        + ModelFileTest.crc32c(bytes, 8 + (int) headerLength) + "\"},"
        + "\"dense.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"
        + "\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[48,60]},"
        + "\"optimizer/velocity\":{\"dtype\":\"F32\",\"shape\":[15],\"data_offsets\":[60,120]}}",
        header.stripTrailing());
    assertEquals(8 + headerLength + 120, bytes.length);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary files left");
    }
  }

  @Test
  void loadChecksEverythingBeforeChangingAnything() throws IOException {
    SoftmaxRegression net = network(1);
    Path file = dir.resolve("c.safetensors");
    Checkpoint.save(file, net, adamState(net, 1f, 5), 1, 5);

    SoftmaxRegression target = network(9);
    float[] before = target.parameters().clone();
    OptimizerState sgd = new Sgd(0.1, 0.9).newState(target.parameterCount());
    ModelFileException wrongOptimizer = assertThrows(ModelFileException.class,
        () -> Checkpoint.load(file, target, sgd));
    assertTrue(wrongOptimizer.problem().startsWith("the checkpoint has optimizer slot 'm' but the"
        + " optimizer has [velocity]"), wrongOptimizer.problem());
    assertArrayEquals(before, target.parameters());

    SoftmaxRegression other = new SoftmaxRegression("Other", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG);
    assertEquals("checkpoint is for network 'Iris' but this is 'Other'", assertThrows(
        ModelFileException.class, () -> Checkpoint.load(file, other, null)).problem());

    // A model file is not a checkpoint, and the other way round.
    Path model = dir.resolve("model.safetensors");
    ModelFile.save(net, model);
    assertEquals("the file is a model file (format 'nnet', written by ModelFile.save), not a"
        + " checkpoint (format 'nnet-checkpoint'): load it with ModelFile.load",
        assertThrows(ModelFileException.class, () -> Checkpoint.load(model, target, null))
            .problem());
    assertEquals("the metadata says format 'nnet-checkpoint' but expected 'nnet'",
        assertThrows(ModelFileException.class, () -> ModelFile.load(target, file)).problem());

    // Truncated: the network stays as it was.
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 4));
    OptimizerState adam = new Adam().newState(target.parameterCount());
    ModelFileException cut = assertThrows(ModelFileException.class,
        () -> Checkpoint.load(truncated, target, adam));
    assertTrue(cut.problem().startsWith("truncated: header says"), cut.problem());
    assertArrayEquals(before, target.parameters());
    assertEquals(0, adam.iterations());

    assertEquals("no such file", assertThrows(ModelFileException.class,
        () -> Checkpoint.load(dir.resolve("missing"), target, null)).problem());
  }

  @Test
  void theNetworksStateRoundTripsBitForBitBetweenParametersAndOptimizerSlots()
      throws IOException {
    NormalizedSoftmax saved = stateful(1);
    saved.state()[0] = Float.intBitsToFloat(0x7FC05678);
    saved.state()[5] = -0f;
    OptimizerState state = adamState(saved, 0.5f, 99);
    Path file = dir.resolve("run.ckpt");
    Checkpoint.save(file, saved, state, 2, 99, Map.of(), Map.of("best", new float[] {4, 5}));

    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertTrue(header.contains("\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[3],"
        + "\"data_offsets\":[48,60]},"
        + "\"bn.running_mean\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[60,76]},"
        + "\"bn.running_var\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[76,92]},"
        + "\"optimizer/m\":{\"dtype\":\"F32\",\"shape\":[15],\"data_offsets\":[92,152]},"), header);

    NormalizedSoftmax loaded = stateful(2);
    OptimizerState restored = new Adam().newState(loaded.parameterCount());
    Checkpoint checkpoint = Checkpoint.load(file, loaded, restored);
    assertArrayEquals(bits(saved.parameters()), bits(loaded.parameters()));
    assertArrayEquals(bits(saved.state()), bits(loaded.state()));
    assertArrayEquals(bits(state.slot(Adam.M)), bits(restored.slot(Adam.M)));
    assertArrayEquals(bits(state.slot(Adam.V)), bits(restored.slot(Adam.V)));
    assertEquals(99, restored.iterations());
    assertArrayEquals(new float[] {4, 5}, checkpoint.tensors().get("best"));

    // The model alone: parameters and state, without an optimizer.
    NormalizedSoftmax model = stateful(3);
    Checkpoint.load(file, model, null);
    assertArrayEquals(bits(saved.parameters()), bits(model.parameters()));
    assertArrayEquals(bits(saved.state()), bits(model.state()));
  }

  @Test
  void aCheckpointWithoutTheNetworksStateIsRejectedAndChangesNothing() throws IOException {
    Path file = dir.resolve("run.ckpt");
    Checkpoint.save(file, network(1), adamState(network(1), 1f, 5), 1, 5);
    NormalizedSoftmax net = stateful(4);
    float[] parameters = net.parameters().clone();
    float[] modelState = net.state().clone();
    OptimizerState adam = new Adam().newState(net.parameterCount());
    ModelFileException missing = assertThrows(ModelFileException.class,
        () -> Checkpoint.load(file, net, adam));
    assertEquals("the file has no state tensor 'bn.running_mean' (expected dtype F32, shape [4])",
        missing.problem());
    assertArrayEquals(parameters, net.parameters());
    assertArrayEquals(modelState, net.state());
    assertEquals(0, adam.iterations());
    assertEquals(0f, adam.slot(Adam.M)[3]);

    // The other way round: state the network does not have is an unknown tensor.
    Path stateful = dir.resolve("stateful.ckpt");
    Checkpoint.save(stateful, stateful(1), adamState(stateful(1), 1f, 5), 1, 5);
    SoftmaxRegression plain = network(2);
    assertEquals("the file has a tensor 'bn.running_mean' that network 'Iris' does not have, and"
        + " that is neither an optimizer slot ('optimizer/…') nor an extra tensor ('extra/…')",
        assertThrows(ModelFileException.class, () -> Checkpoint.load(stateful, plain, null))
            .problem());

    // Every truncation fails without touching the parameters, the state or the optimizer.
    byte[] bytes = Files.readAllBytes(stateful);
    Path cut = dir.resolve("cut.ckpt");
    for (int length = 0; length < bytes.length; length++) {
      Files.write(cut, Arrays.copyOf(bytes, length));
      OptimizerState fresh = new Adam().newState(net.parameterCount());
      assertThrows(ModelFileException.class, () -> Checkpoint.load(cut, net, fresh));
      assertArrayEquals(parameters, net.parameters());
      assertArrayEquals(modelState, net.state());
      assertEquals(0, fresh.iterations());
    }
  }

  @Test
  void stateTensorsMayNotUseTheCheckpointsReservedNames() {
    Path file = dir.resolve("run.ckpt");
    for (String name : new String[] {"optimizer/m", "extra/best", "__metadata__"}) {
      Network net = new NormalizedSoftmax("Iris", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG, "bn") {
        @Override
        public List<ParameterTensor> stateTensors() {
          return List.of(new ParameterTensor(name, 0, List.of(8)));
        }
      };
      OptimizerState state = new Sgd().newState(net.parameterCount());
      assertEquals("network 'Iris' has a duplicate or reserved state tensor name '" + name + "'",
          assertThrows(IllegalArgumentException.class,
              () -> Checkpoint.save(file, net, state, 1, 1)).getMessage());
      assertEquals("network 'Iris' has a duplicate or reserved state tensor name '" + name + "'",
          assertThrows(IllegalArgumentException.class,
              () -> Checkpoint.load(file, net, null)).getMessage());
    }
    Network clash = new NormalizedSoftmax("Iris", "3fa1c0de9b77e2aa41", 4, 3, 8, CONFIG, "bn") {
      @Override
      public List<ParameterTensor> stateTensors() {
        return List.of(new ParameterTensor("dense.weight", 0, List.of(8)));
      }
    };
    assertEquals("network 'Iris' uses the name 'dense.weight' for both a parameter tensor and a"
        + " state tensor", assertThrows(IllegalArgumentException.class,
            () -> Checkpoint.save(file, clash, new Sgd().newState(15), 1, 1)).getMessage());
    assertTrue(Files.notExists(file));
  }

  @Test
  void malformedProgressAndHostileSizesAreRejected() throws IOException {
    SoftmaxRegression net = network(1);
    Path file = dir.resolve("c.safetensors");
    String header = "{\"__metadata__\":{\"format\":\"nnet-checkpoint\",\"network\":\"Iris\","
        + "\"fingerprint\":\"3fa1c0de9b77e2aa41\",\"epochs_done\":\"-1\",\"step\":\"0\","
        + "\"optimizer_iterations\":\"0\"}}";
    write(file, header, 0);
    assertEquals("the metadata's epochs_done is '-1'; expected a whole number from 0 to"
        + " 2,147,483,647", assertThrows(ModelFileException.class,
            () -> Checkpoint.load(file, net, null)).problem());
    String huge = header.replace("\"-1\"", "\"1\"").replace("}}", "},\"extra/x\":{\"dtype\":"
        + "\"F32\",\"shape\":[2000000000],\"data_offsets\":[0,8000000000]}}");
    write(file, huge, 0);
    ModelFileException e = assertThrows(ModelFileException.class,
        () -> Checkpoint.load(file, net, null));
    assertTrue(e.problem().startsWith("truncated: tensor 'extra/x' has 2000000000 values"),
        e.problem());
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(file, net,
        new Sgd().newState(net.parameterCount()), 1, 1, Map.of("step", "x"), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(file, net,
        new Sgd().newState(3), 1, 1));
  }

  private static void write(Path file, String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(json.length).put(json);
    Files.write(file, buffer.array());
  }
}
