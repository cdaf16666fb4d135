package dev.nnet.runtime.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextPipelineTest {

  @TempDir Path dir;

  final List<String> training = List.of(
      "The cat sat on the mat.",
      "The dog ate the cat's dinner!",
      "A cat, a dog, and a bird.");

  @Test
  void tokenizesRemovesStopWordsAndEncodesToTheFixedLength() {
    TextPipeline text = TextPipeline.builder()
        .stopWords(StopWords.english())
        .length(4)
        .fit(training);
    // cat 3, dog 2, then ate, bird, dinner, mat, sat (1 each, by token); the s of "cat's" is a
    // stop word, a piece of the English list's contractions.
    assertEquals(List.of("cat", "dog", "ate", "bird", "dinner", "mat", "sat"),
        text.vocabulary().words());
    assertEquals(List.of("cat", "sat", "mat"), text.tokens("The cat sat on the mat."));
    assertArrayEquals(new int[] {0, 2, 8, 7}, text.encodeIds("The cat sat on the mat."));
    assertArrayEquals(new int[] {0, 0, 1, 3}, text.encodeIds("A fish and a DOG"),
        "fish is out of vocabulary");
    assertArrayEquals(new float[] {2, 2, 2, 3}, text.encode("cat cat cat cat dog"),
        "truncated at the front by default");
    Dataset data = text.dataset(training, new float[] {0, 1, 1}, 1);
    assertEquals(3, data.size());
    assertEquals(4, data.featureWidth());
    assertArrayEquals(text.encode(training.get(1)),
        java.util.Arrays.copyOfRange(data.features(), 4, 8));
  }

  @Test
  void sizeLimitCutOffAndSidesComeFromTheBuilder() {
    TextPipeline text = TextPipeline.builder()
        .maxVocabulary(4)
        .minFrequency(2)
        .length(3)
        .padding(Padding.POST)
        .truncation(Truncation.POST)
        .fit(training);
    // the 4, then a and cat tie at 3: a first; the limit of 4 ids leaves room for 2 words.
    assertEquals(List.of("the", "a"), text.vocabulary().words());
    assertArrayEquals(new int[] {2, 1, 0}, text.encodeIds("The end"));
    assertArrayEquals(new int[] {3, 1, 3}, text.encodeIds("a b a b a"));
    assertEquals("set the length (the network's input length) first",
        assertThrows(IllegalArgumentException.class, () -> TextPipeline.builder().fit(training))
            .getMessage());
  }

  @Test
  void saveThenLoadGivesTheSamePipelineAndIdenticalEncodingsOnTheFortunes()
      throws IOException {
    Fortunes fortunes = Fortunes.load(FortunesTest.FILE).shuffled(7);
    Fortunes train = fortunes.slice(0, 2000);
    TextPipeline text = TextPipeline.builder()
        .tokenizer(Tokenizer.standard().withNumbers(false))
        .stopWords(StopWords.english())
        .maxVocabulary(3000)
        .minFrequency(2)
        .length(40)
        .padding(Padding.PRE)
        .truncation(Truncation.POST)
        .fit(train.texts());
    assertEquals(3000, text.vocabulary().size());
    Path model = dir.resolve("fortunes.safetensors");
    Path file = TextPipeline.fileBeside(model);
    assertEquals(dir.resolve("fortunes.text-pipeline"), file);
    text.save(file);
    TextPipeline loaded = TextPipeline.load(file);
    assertEquals(text, loaded);
    assertArrayEquals(text.encodeAll(fortunes.texts()), loaded.encodeAll(fortunes.texts()));
    text.save(file);
    assertArrayEquals(text.serialize(), Files.readAllBytes(file), "saving is deterministic");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void theFileIsReadableLineBasedText() throws IOException {
    TextPipeline text = TextPipeline.builder()
        .stopWords(StopWords.of("the", "a"))
        .length(5)
        .fit(List.of("The cat, the cat and a dog"));
    String content = new String(text.serialize(), StandardCharsets.UTF_8);
    String body = """
        nnet-text-pipeline 1
        lower-case true
        punctuation split
        strip-accents false
        numbers keep
        length 5
        padding pre
        truncation pre
        stop-words 2
        a
        the
        vocabulary 3
        cat\t2
        and\t1
        dog\t1
        """;
    assertEquals(body + "sha256 " + sha256(body) + "\n", content);
  }

  @Test
  void keepsAccentedSpanishExactlyThroughSaveAndLoad() throws IOException {
    TextPipeline text = TextPipeline.builder()
        .stopWords(StopWords.spanish())
        .length(6)
        .fit(List.of("El niño come más pan que él", "La niña y el niño cantan una canción"));
    Path file = dir.resolve("es.text-pipeline");
    text.save(file);
    TextPipeline loaded = TextPipeline.load(file);
    assertEquals(text, loaded);
    assertEquals(List.of("niño", "come", "pan"), loaded.tokens("El NIÑO come más pan"));
    assertArrayEquals(text.encode("Una canción del niño"), loaded.encode("Una canción del niño"));
  }

  @Test
  void rejectsCorruptFilesWithFileAndLine() throws IOException {
    TextPipeline text = TextPipeline.builder().stopWords(StopWords.of("the")).length(5)
        .fit(List.of("the cat sat", "the cat ran"));
    String good = new String(text.serialize(), StandardCharsets.UTF_8);
    String body = good.substring(0, good.indexOf("sha256 "));

    assertRejected(good.replace("cat\t2", "cot\t2"),
        ":15: checksum mismatch: the file was changed or damaged after it was saved");
    assertRejected(body, ":14: the file ends without its 'sha256' line (found 'sat\t1'): it is"
        + " truncated or was edited");
    assertRejected(good.substring(0, good.length() - 10),
        ":15: the file ends in the middle of a line, without its 'sha256' line: it is truncated");
    assertRejected("{\"weights\": []}\n",
        ":1: not an nnet text pipeline file: expected 'nnet-text-pipeline 1', but the first line"
            + " is '{\"weights\": []}'");
    assertRejected(signed(body.replace("nnet-text-pipeline 1", "nnet-text-pipeline 2")),
        ":1: text pipeline format version '2' is not supported; this runtime reads version 1");
    assertRejected(signed(body.replace("length 5", "length -5")),
        ":6: expected 'length <the input length, an integer >= 1>', but found 'length -5'");
    assertRejected(signed(body.replace("padding pre", "padding left")),
        ":7: expected 'padding pre' or 'padding post', but found 'padding left'");
    assertRejected(signed(body.replace("lower-case true", "lowercase true")),
        ":2: expected 'lower-case <true or false>', but found 'lowercase true'");
    assertRejected(signed(body.replace("ran\t1", "cat\t1")),
        ":13: word 'cat' is already on line 12");
    assertRejected(signed(body.replace("vocabulary 3", "vocabulary 4")),
        ":15: expected a vocabulary line 'word TAB frequency' (4 were announced, 3 found), but"
            + " found the end of the file");
    assertRejected(signed(body.replace("vocabulary 3", "vocabulary 2")),
        ":14: expected the 'sha256' line after the 2 vocabulary lines, but found 'sat\t1'");
    assertRejected(signed(body.replace("sat\t1", "sat 1")),
        ":14: expected a vocabulary line 'word TAB frequency'");
    assertRejected(signed(body.replace("\nthe\n", "\nThe\n")),
        ":10: stop word 'The' is not a token as this tokenizer writes it (it gives [the])");
    assertRejected(good.replace("\n", "\r\n"),
        ":1: a carriage return (\\r): the file's line endings were changed");
    assertRejected(signed(body).replace("punctuation split\n", "punctuation split\r\n"),
        ":3: a carriage return (\\r): the file's line endings were changed");
    assertRejected("", ": the file is empty; expected an nnet text pipeline file");
    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[] {(byte) 0xC3, 0x28, 0x0A});
    assertTrue(assertThrows(IOException.class, () -> TextPipeline.load(binary)).getMessage()
        .endsWith("not an nnet text pipeline file: not UTF-8 text"));
  }

  @Test
  void saveLeavesTheOldFileWhenTheDirectoryIsMissing() {
    TextPipeline text = TextPipeline.builder().length(2).fit(List.of("a"));
    assertThrows(IOException.class, () -> text.save(dir.resolve("missing").resolve("x")));
  }

  private void assertRejected(String content, String expected) throws IOException {
    Path file = dir.resolve("corrupt.text-pipeline");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    String message = assertThrows(IOException.class, () -> TextPipeline.load(file)).getMessage();
    assertTrue(message.startsWith(file + expected), message);
  }

  private static String signed(String body) {
    return body + "sha256 " + sha256(body) + "\n";
  }

  private static String sha256(String body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
