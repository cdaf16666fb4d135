package dev.nnet.runtime.io;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.ParameterTensor;
import dev.nnet.runtime.optim.OptimizerState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A training checkpoint: everything needed to continue a run exactly where it stopped, in one
 * <a href="https://github.com/huggingface/safetensors">safetensors</a> file laid out like a
 * {@link ModelFile}:
 *
 * <pre>
 *   [8 bytes]  N, the header length, unsigned little-endian
 *   [N bytes]  UTF-8 JSON header, padded with spaces to a multiple of 8:
 *              {"__metadata__":{"format":"nnet-checkpoint","network":"MnistMlp","fingerprint":"…",
 *                               "epochs_done":"3","step":"750","optimizer_iterations":"750", …},
 *               "hidden.weight":{"dtype":"F32","shape":[784,128],"data_offsets":[0,401408]}, …
 *               "bn.running_mean":{"dtype":"F32","shape":[128],"data_offsets":[…]}, …
 *               "optimizer/m":{"dtype":"F32","shape":[101770],"data_offsets":[…]}, …
 *               "extra/…":{…}}
 *   [rest]     the tensors' values, little-endian float32, contiguous: the network's parameter
 *              tensors in {@link Network#parameterTensors()} order, then its state tensors in
 *              {@link Network#stateTensors()} order (none for a network without state), then one
 *              tensor per optimizer slot ({@code optimizer/<slot>}, one value per parameter, in
 *              the optimizer state's slot order), then the caller's extra tensors
 *              ({@code extra/<name>}, 1-D)
 * </pre>
 *
 * <p>{@code __metadata__} holds strings only, as safetensors requires: the network's name and
 * fingerprint, the number of epochs done, the global step, the optimizer's iteration count, and
 * the caller's own entries (the {@link dev.nnet.runtime.train.Trainer} stores its progress under
 * {@code trainer.*}, the history under {@code history.*} and callback state under
 * {@code callback.*}).
 *
 * <p>{@link #save} is atomic like {@link ModelFile#save}: temporary file in the target's
 * directory, forced to disk, renamed over the target. {@link #load} trusts nothing and checks the
 * whole file before it changes anything, as {@link ModelFile#load} does; every failure is a
 * {@link ModelFileException} saying what was expected and what was found. Parameters, the
 * network's state and optimizer slots round-trip bit for bit.
 *
 * <p>A checkpoint is not a model file: {@link ModelFile#load} refuses it (format
 * {@code nnet-checkpoint}). {@code Checkpoint.load(file, net, null)} reads just the model: its
 * parameters and its state.
 */
public final class Checkpoint {

  /** The value of {@code __metadata__.format} in checkpoints. */
  public static final String FORMAT = "nnet-checkpoint";

  /** The name prefix of the optimizer slot tensors. */
  public static final String OPTIMIZER_PREFIX = "optimizer/";

  /** The name prefix of the caller's extra tensors. */
  public static final String EXTRA_PREFIX = "extra/";

  static final String METADATA = "__metadata__";
  static final String DTYPE = "F32";
  private static final String EPOCHS_DONE = "epochs_done";
  private static final String STEP = "step";
  private static final String ITERATIONS = "optimizer_iterations";
  private static final Set<String> RESERVED =
      Set.of("format", "network", "fingerprint", EPOCHS_DONE, STEP, ITERATIONS,
          DataChecksum.KEY);

  private final Path file;
  private final int epochsDone;
  private final long step;
  private final long optimizerIterations;
  private final List<String> optimizerSlots;
  private final Map<String, String> metadata;
  private final Map<String, float[]> tensors;

  private Checkpoint(
      Path file, int epochsDone, long step, long optimizerIterations, List<String> optimizerSlots,
      Map<String, String> metadata, Map<String, float[]> tensors) {
    this.file = file;
    this.epochsDone = epochsDone;
    this.step = step;
    this.optimizerIterations = optimizerIterations;
    this.optimizerSlots = List.copyOf(optimizerSlots);
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /** As {@link #save(Path, Network, OptimizerState, int, long, Map, Map)} with nothing extra. */
  public static void save(
      Path file, Network net, OptimizerState state, int epochsDone, long step)
      throws IOException {
    save(file, net, state, epochsDone, step, Map.of(), Map.of());
  }

  /**
   * Writes the network's parameters and state, every slot and the iteration count of
   * {@code state}, the progress and the caller's metadata and tensors to {@code file}, atomically
   * replacing any existing file.
   *
   * @param epochsDone the number of epochs completed
   * @param step the number of optimizer steps taken over those epochs
   * @param metadata more {@code __metadata__} entries; the keys {@code format}, {@code network},
   *     {@code fingerprint}, {@code epochs_done}, {@code step} and {@code optimizer_iterations}
   *     are reserved
   * @param tensors extra 1-D tensors by name, stored as {@code extra/<name>}
   * @throws IllegalArgumentException if {@code state} is not for {@code net}'s parameter count, a
   *     count is negative, a metadata key is reserved, or the network reports duplicate or
   *     reserved tensor names (a parameter and a state tensor sharing a name included) or a
   *     tensor outside its array
   * @throws IOException if the file cannot be written; {@code file} is then left as it was
   */
  public static void save(
      Path file, Network net, OptimizerState state, int epochsDone, long step,
      Map<String, String> metadata, Map<String, float[]> tensors) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(tensors, "tensors");
    List<ModelFile.Part> parts = CheckpointFiles.checkedParts(net);
    if (state.parameterCount() != net.parameterCount()) {
      throw new IllegalArgumentException("optimizer state is for " + state.parameterCount()
          + " parameters, but network '" + net.name() + "' has " + net.parameterCount());
    }
    if (epochsDone < 0) {
      throw new IllegalArgumentException("epochs done must be >= 0, but got " + epochsDone);
    }
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, but got " + step);
    }
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("format", FORMAT);
    entries.put("network", net.name());
    entries.put("fingerprint", net.fingerprint());
    entries.put(EPOCHS_DONE, Integer.toString(epochsDone));
    entries.put(STEP, Long.toString(step));
    entries.put(ITERATIONS, Long.toString(state.iterations()));
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      String key = Objects.requireNonNull(entry.getKey(), "metadata key");
      if (RESERVED.contains(key)) {
        throw new IllegalArgumentException("metadata key '" + key + "' is reserved");
      }
      entries.put(key, Objects.requireNonNull(entry.getValue(), "metadata value"));
    }

    List<CheckpointFiles.Entry> data = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ModelFile.Part part : parts) {
      for (ParameterTensor tensor : part.tensors()) {
        names.add(tensor.name());
        data.add(new CheckpointFiles.Entry(
            tensor.name(), tensor.shape(), part.values(), tensor.offset(), tensor.size()));
      }
    }
    for (String slot : state.slotNames()) {
      String name = OPTIMIZER_PREFIX + slot;
      if (!names.add(name)) {
        throw new IllegalArgumentException("tensor name '" + name + "' is used twice");
      }
      data.add(new CheckpointFiles.Entry(name, List.of(state.parameterCount()),
          state.slot(slot), 0, state.parameterCount()));
    }
    for (Map.Entry<String, float[]> entry : tensors.entrySet()) {
      String name = EXTRA_PREFIX + Objects.requireNonNull(entry.getKey(), "tensor name");
      float[] values = Objects.requireNonNull(entry.getValue(), "tensor values");
      if (!names.add(name)) {
        throw new IllegalArgumentException("tensor name '" + name + "' is used twice");
      }
      data.add(new CheckpointFiles.Entry(name, List.of(values.length), values, 0, values.length));
    }
    CheckpointFiles.write(file, entries, data);
  }

  /**
   * Reads a checkpoint saved by {@link #save} from the same network declaration: the parameters
   * into {@code net.parameters()}, the network's state into {@code net.state()} and, unless
   * {@code state} is {@code null}, every optimizer slot and the iteration count into
   * {@code state}. Everything is checked before anything is changed: on failure the network and
   * the optimizer state are as they were.
   *
   * @param state the optimizer state to restore, created by the optimizer that wrote the
   *     checkpoint (the slot names must match), or {@code null} to read only the model (its
   *     parameters and state)
   * @return the progress, metadata and extra tensors the checkpoint holds
   * @throws ModelFileException if the file cannot be read, is malformed or truncated, was saved
   *     from a different network or architecture, lacks a parameter or state tensor, or holds
   *     other optimizer slots than {@code state}
   * @throws IllegalArgumentException if {@code state} is not for {@code net}'s parameter count,
   *     or the network reports duplicate or reserved tensor names or a tensor outside its array
   */
  public static Checkpoint load(Path file, Network net, OptimizerState state)
      throws ModelFileException {
    Objects.requireNonNull(file, "file");
    List<ModelFile.Part> parts = CheckpointFiles.checkedParts(net);
    if (state != null && state.parameterCount() != net.parameterCount()) {
      throw new IllegalArgumentException("optimizer state is for " + state.parameterCount()
          + " parameters, but network '" + net.name() + "' has " + net.parameterCount());
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(file, channel, net, parts, state);
    } catch (ModelFileException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new ModelFileException(file, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new ModelFileException(file, "permission denied", e);
    } catch (IOException e) {
      throw new ModelFileException(file, "cannot read the file: " + e, e);
    }
  }

  private static Checkpoint read(
      Path file, FileChannel channel, Network net, List<ModelFile.Part> parts,
      OptimizerState state) throws IOException {
    CheckpointFiles.Header header = CheckpointFiles.readHeader(file, channel);
    Map<String, String> metadata = metadata(file, net, header.entries().get(METADATA));
    int epochsDone = (int) count(file, metadata, EPOCHS_DONE, Integer.MAX_VALUE);
    long step = count(file, metadata, STEP, Long.MAX_VALUE);
    long iterations = count(file, metadata, ITERATIONS, Long.MAX_VALUE);

    // Scratch copies of the parameters and the network's state, filled from the file.
    Map<String, ParameterTensor> byName = new HashMap<>();
    Map<String, float[]> targets = new HashMap<>();
    List<float[]> scratch = new ArrayList<>(parts.size());
    for (ModelFile.Part part : parts) {
      float[] copy = part.values().clone();
      scratch.add(copy);
      for (ParameterTensor tensor : part.tensors()) {
        byName.put(tensor.name(), tensor);
        targets.put(tensor.name(), copy);
      }
    }
    List<CheckpointFiles.Slot> slots = new ArrayList<>();
    Set<String> fileSlots = new TreeSet<>();
    Map<String, float[]> extras = new LinkedHashMap<>();
    Map<String, float[]> optimizerValues = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : header.entries().entrySet()) {
      String name = (String) entry.getKey();
      if (name.equals(METADATA)) {
        continue;
      }
      ParameterTensor tensor = byName.get(name);
      if (tensor != null) {
        slots.add(CheckpointFiles.slot(file, name, tensor.shape(), entry.getValue(),
            targets.get(name), tensor.offset()));
      } else if (name.startsWith(OPTIMIZER_PREFIX)) {
        String slot = name.substring(OPTIMIZER_PREFIX.length());
        if (state != null && !state.hasSlot(slot)) {
          throw new ModelFileException(file, "the checkpoint has optimizer slot '" + slot
              + "' but the optimizer has " + state.slotNames()
              + ": was it saved with a different optimizer?");
        }
        float[] values = new float[net.parameterCount()];
        slots.add(CheckpointFiles.slot(file, name, List.of(net.parameterCount()),
            entry.getValue(), values, 0));
        fileSlots.add(slot);
        optimizerValues.put(slot, values);
      } else if (name.startsWith(EXTRA_PREFIX)) {
        int length = CheckpointFiles.vectorLength(file, name, entry.getValue());
        // Checked against the file before allocating: the header is untrusted.
        if ((long) length * Float.BYTES > header.dataLength()) {
          throw new ModelFileException(file, "truncated: tensor '" + name + "' has " + length
              + " values but the file holds only " + header.dataLength() + " bytes of tensor data");
        }
        float[] values = new float[length];
        slots.add(CheckpointFiles.slot(file, name, List.of(length), entry.getValue(), values, 0));
        extras.put(name.substring(EXTRA_PREFIX.length()), values);
      } else {
        throw new ModelFileException(file, "the file has a tensor '" + name + "' that network '"
            + net.name() + "' does not have, and that is neither an optimizer slot ('"
            + OPTIMIZER_PREFIX + "…') nor an extra tensor ('" + EXTRA_PREFIX + "…')");
      }
    }
    for (ModelFile.Part part : parts) {
      for (ParameterTensor tensor : part.tensors()) {
        if (!header.entries().containsKey(tensor.name())) {
          throw new ModelFileException(file, "the file has no " + part.kind() + " '"
              + tensor.name() + "' (expected dtype " + DTYPE + ", shape " + tensor.shape() + ")");
        }
      }
    }
    if (state != null) {
      Set<String> expected = new TreeSet<>(state.slotNames());
      if (!expected.equals(fileSlots)) {
        throw new ModelFileException(file, "the checkpoint has optimizer slots " + fileSlots
            + " but the optimizer has " + expected + ": was it saved with a different optimizer?");
      }
    }
    slots.sort(Comparator.<CheckpointFiles.Slot>comparingLong(CheckpointFiles.Slot::begin)
        .thenComparingLong(CheckpointFiles.Slot::end));
    CheckpointFiles.readData(file, channel, header, slots, metadata.get(DataChecksum.KEY));

    // Everything checked and read: only now change the network and the optimizer state.
    for (int i = 0; i < parts.size(); i++) {
      float[] live = parts.get(i).values();
      System.arraycopy(scratch.get(i), 0, live, 0, live.length);
    }
    if (state != null) {
      for (Map.Entry<String, float[]> entry : optimizerValues.entrySet()) {
        float[] live = state.slot(entry.getKey());
        System.arraycopy(entry.getValue(), 0, live, 0, live.length);
      }
      state.setIterations(iterations);
    }
    Map<String, String> own = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      if (!RESERVED.contains(entry.getKey())) {
        own.put(entry.getKey(), entry.getValue());
      }
    }
    return new Checkpoint(file, epochsDone, step, iterations, new ArrayList<>(fileSlots), own,
        extras);
  }

  private static Map<String, String> metadata(Path file, Network net, Object metadata)
      throws ModelFileException {
    if (metadata == null) {
      throw new ModelFileException(file, "the header has no " + METADATA
          + " entry: expected format '" + FORMAT + "'; the file was not saved by nnet");
    }
    if (!(metadata instanceof Map<?, ?> map)) {
      throw new ModelFileException(file, METADATA + " is " + Json.typeName(metadata)
          + ", expected an object of strings");
    }
    Map<String, String> strings = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getValue() instanceof String value)) {
        throw new ModelFileException(file, METADATA + " entry '" + entry.getKey() + "' is "
            + Json.typeName(entry.getValue()) + ", but metadata values must be strings");
      }
      strings.put((String) entry.getKey(), value);
    }
    String format = strings.get("format");
    if (!FORMAT.equals(format)) {
      throw new ModelFileException(file, format == null
          ? "the metadata has no format: expected '" + FORMAT + "'; the file was not saved by nnet"
          : ModelFile.FORMAT.equals(format)
              ? "the file is a model file (format '" + ModelFile.FORMAT + "', written by"
                  + " ModelFile.save), not a checkpoint (format '" + FORMAT + "'): load it with"
                  + " ModelFile.load"
              : "the metadata says format '" + format + "' but expected '" + FORMAT + "'");
    }
    String network = strings.get("network");
    if (network == null) {
      throw new ModelFileException(file,
          "the metadata names no network; expected '" + net.name() + "'");
    }
    if (!net.name().equals(network)) {
      throw new ModelFileException(file,
          "checkpoint is for network '" + network + "' but this is '" + net.name() + "'");
    }
    String fingerprint = strings.get("fingerprint");
    if (fingerprint == null) {
      throw new ModelFileException(file, "the metadata has no fingerprint; expected "
          + net.fingerprint());
    }
    if (!net.fingerprint().equals(fingerprint)) {
      throw new ModelFileException(file, "architecture fingerprint differs (file "
          + CheckpointFiles.abbreviate(fingerprint, net.fingerprint())
          + "): the checkpoint was saved from a different declaration of '" + net.name() + "'");
    }
    return strings;
  }

  /** A metadata entry holding a whole number from 0 to {@code max}. */
  private static long count(Path file, Map<String, String> metadata, String key, long max)
      throws ModelFileException {
    String text = metadata.get(key);
    if (text == null) {
      throw new ModelFileException(file, "the metadata has no " + key
          + ": expected a whole number >= 0");
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 0 || value > max || !text.equals(Long.toString(value))) {
      throw new ModelFileException(file, "the metadata's " + key + " is '" + text
          + "'; expected a whole number from 0 to " + String.format(Locale.ROOT, "%,d", max));
    }
    return value;
  }

  /** The file this checkpoint was loaded from. */
  public Path file() {
    return file;
  }

  /** The number of epochs completed when the checkpoint was written. */
  public int epochsDone() {
    return epochsDone;
  }

  /** The number of optimizer steps taken when the checkpoint was written. */
  public long step() {
    return step;
  }

  /** The optimizer state's iteration count. */
  public long optimizerIterations() {
    return optimizerIterations;
  }

  /** The names of the optimizer slots the checkpoint holds, sorted. */
  public List<String> optimizerSlots() {
    return optimizerSlots;
  }

  /** The caller's {@code __metadata__} entries (without the reserved ones), in file order. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * The caller's extra tensors by name (without the {@code extra/} prefix), in file order. The
   * arrays are this checkpoint's, not copies: do not modify them.
   */
  public Map<String, float[]> tensors() {
    return tensors;
  }

  @Override
  public String toString() {
    return "Checkpoint(" + file + ", epochsDone=" + epochsDone + ", step=" + step + ")";
  }
}
