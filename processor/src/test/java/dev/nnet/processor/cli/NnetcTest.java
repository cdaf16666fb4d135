package dev.nnet.processor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.JavaFile;
import dev.nnet.diag.DiagnosticList;
import dev.nnet.diag.SourceFile;
import dev.nnet.processor.NnetCompiler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnetc}: its three commands, exit statuses and messages, run in-process. */
class NnetcTest {

  private static final String VALID = """
      network Tiny {
          input x: float[3]
          h = dense(x, units: 4, activation: relu)
          output y = dense(h, units: 2, activation: softmax)
          train { loss: categorical_crossentropy  batch: 8 }
      }
      """;

  // Line 3, column 20: 'image' has rank 2 where dense needs rank 1.
  private static final String INVALID = """
      network Shapes {
          input image: float[28, 28]
          hidden = dense(image, units: 8, activation: relu)
          output y = dense(hidden, units: 10, activation: softmax)
          train { loss: categorical_crossentropy }
      }
      """;

  private static final String UNUSED = """
      network Sketch {
          input x: float[4]
          probe = dense(x, units: 3, activation: relu)
          output y = dense(x, units: 2, activation: softmax)
          train { loss: categorical_crossentropy }
      }
      """;

  private record Result(int status, String out, String err) {}

  private static Result nnetc(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = Nnetc.run(args, o, e);
    }
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Path write(Path dir, String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** What the compiler itself renders for {@code text} read from {@code file}. */
  private static String rendered(Path file, String text) {
    SourceFile source = new SourceFile(file.toString(), text);
    DiagnosticList diagnostics = new DiagnosticList();
    NnetCompiler.check(source, "", diagnostics);
    return diagnostics.render(source);
  }

  // ---------------------------------------------------------------- check

  @Test
  void checkOfAValidFileSaysNothingAndExitsZero(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Tiny.nnet", VALID);
    Result r = nnetc("check", file.toString());
    assertEquals(new Result(0, "", ""), r);
  }

  @Test
  void checkOfAnInvalidFilePrintsTheRenderedErrorAndExitsOne(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Shapes.nnet", INVALID);
    Result r = nnetc("check", file.toString());
    assertEquals(1, r.status());
    assertEquals("", r.out());
    assertEquals(rendered(file, INVALID), r.err());
    assertTrue(r.err().startsWith(file + ":3:20: error: [nnet/shape-mismatch] dense expects a rank-1 input"), r.err());
    assertTrue(r.err().contains("\n        hidden = dense(image, units: 8, activation: relu)\n"
        + "                       ^^^^^\n"), r.err());
  }

  @Test
  void warningsArePrintedButDoNotFail(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Sketch.nnet", UNUSED);
    Result r = nnetc("check", file.toString());
    assertEquals(0, r.status());
    assertEquals(rendered(file, UNUSED), r.err());
    assertTrue(r.err().startsWith(file + ":3:5: warning: [nnet/unused-tensor]"), r.err());
  }

  @Test
  void checkReportsEveryFileAndFailsIfAnyFails(@TempDir Path dir) throws IOException {
    Path bad = write(dir, "Shapes.nnet", INVALID);
    Path good = write(dir, "Tiny.nnet", VALID);
    Path warned = write(dir, "Sketch.nnet", UNUSED);
    Result r = nnetc("check", bad.toString(), good.toString(), warned.toString());
    assertEquals(1, r.status());
    assertEquals(rendered(bad, INVALID) + rendered(warned, UNUSED), r.err());
  }

  // ---------------------------------------------------------------- generate

  @Test
  void generateWritesTheSourcesTheCompilerProduces(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Tiny.nnet", VALID);
    Path out = dir.resolve("out/deeper");
    Result r = nnetc("generate", file.toString(), "-d", out.toString(), "--package", "dev.demo", "--double");
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err());
    Path tiny = out.resolve("dev/demo/Tiny.java");
    Path tinyDouble = out.resolve("dev/demo/TinyDouble.java");
    assertEquals("wrote " + tiny + "\nwrote " + tinyDouble + "\n", r.out().replace(System.lineSeparator(), "\n"));
    List<JavaFile> expected = NnetCompiler.compile(new SourceFile(file.toString(), VALID), "dev.demo",
        new DiagnosticList(), new NnetCompiler.Options(true, false));
    assertEquals(expected.get(0).toString(), Files.readString(tiny, StandardCharsets.UTF_8));
    assertEquals(expected.get(1).toString(), Files.readString(tinyDouble, StandardCharsets.UTF_8));
    String text = Files.readString(tiny, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("// Generated by nnet from Tiny.nnet. Do not edit.\npackage dev.demo;\n"), text);
    assertTrue(text.contains("public final class Tiny "), text);
    assertFalse(text.contains("jdk.incubator.vector"), "no Vector API kernels without --vector");
  }

  @Test
  void generateAddsTheVectorKernelsOnRequest(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Tiny.nnet", VALID);
    Result r = nnetc("generate", "--vector", file.toString(), "-d", dir.resolve("out").toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(Files.readString(dir.resolve("out/Tiny.java")).contains("jdk.incubator.vector"));
  }

  @Test
  void generateTakesThePackageFromTheMavenLayout(@TempDir Path dir) throws IOException {
    Path file = write(dir, "project/src/main/nnet/com/acme/Tiny.nnet", VALID);
    Result r = nnetc("generate", file.toString(), "-d", dir.resolve("out").toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(Files.readString(dir.resolve("out/com/acme/Tiny.java")).contains("package com.acme;"));
    assertEquals("com.acme", Nnetc.inferredPackage(file).orElseThrow());
    assertEquals("", Nnetc.inferredPackage(dir.resolve("project/src/test/nnet/Top.nnet")).orElseThrow());
    assertTrue(Nnetc.inferredPackage(dir.resolve("elsewhere/Tiny.nnet")).isEmpty());
  }

  @Test
  void aDirectoryThatIsNoPackageIsReportedAsTheBuildReportsIt(@TempDir Path dir) throws IOException {
    Path file = write(dir, "src/main/nnet/my-nets/Tiny.nnet", VALID);
    Result r = nnetc("generate", file.toString(), "-d", dir.resolve("out").toString());
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith(file + ": error: [nnet/io] the directory 'my-nets' is not a Java package name"), r.err());
    assertEquals(0, nnetc("generate", file.toString(), "-d", dir.resolve("out").toString(), "--package", "ok").status());
  }

  @Test
  void generateWritesTheValidNetworksEvenWhenAnotherFails(@TempDir Path dir) throws IOException {
    Path bad = write(dir, "Shapes.nnet", INVALID);
    Path good = write(dir, "Tiny.nnet", VALID);
    Path out = dir.resolve("out");
    Result r = nnetc("generate", bad.toString(), good.toString(), "-d", out.toString());
    assertEquals(1, r.status());
    assertEquals(rendered(bad, INVALID), r.err());
    assertTrue(Files.isRegularFile(out.resolve("Tiny.java")));
    assertFalse(Files.exists(out.resolve("Shapes.java")));
  }

  @Test
  void twoFilesGeneratingTheSameClassAreAnError(@TempDir Path dir) throws IOException {
    Path first = write(dir, "a/Tiny.nnet", VALID);
    Path second = write(dir, "b/Tiny.nnet", VALID);
    Result r = nnetc("generate", first.toString(), second.toString(), "-d", dir.resolve("out").toString());
    assertEquals(1, r.status());
    assertEquals(second + ": error: [nnet/io] cannot write Tiny: " + first + " already generates it\n",
        r.err().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void generateNeedsADirectory(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Tiny.nnet", VALID);
    Result r = nnetc("generate", file.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("nnetc: generate needs the output directory: -d DIR\nusage: nnetc check"), r.err());
    assertEquals(2, nnetc("generate", file.toString(), "-d").status());
    assertEquals(2, nnetc("generate", file.toString(), "-d", "x", "--package", "not a package").status());
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsAnError(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Tiny.nnet", VALID);
    Path blocker = write(dir, "blocker", "a file, not a directory");
    Result r = nnetc("generate", file.toString(), "-d", blocker.resolve("out").toString());
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith(blocker.resolve("out") + ": error: [nnet/io] cannot create the directory: "), r.err());
    assertEquals(new Result(1, "", blocker + ": error: [nnet/io] cannot create the directory: a file of that name is in the way\n"),
        normalised(nnetc("generate", file.toString(), "-d", blocker.toString())));
  }

  // ---------------------------------------------------------------- summary

  @Test
  void summaryPrintsTheTable(@TempDir Path dir) throws IOException {
    Path file = write(dir, "src/main/nnet/com/acme/Small.nnet", """
        network Small {
            input x: float[2, 3]
            flat = flatten(x)
            h = dense(flat, units: 4)
            h = leaky_relu(h, alpha: 0.2)
            h = dropout(h, rate: 0.5)
            output y = dense(h, units: 2, activation: softmax)
            train {
                loss: categorical_crossentropy
                optimizer: sgd(learning_rate: 0.1, momentum: 0.9)
                batch: 8
                epochs: 3
                metrics: [accuracy, f1]
                clipnorm: 1.0
            }
        }
        """);
    Result r = nnetc("summary", file.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err());
    assertEquals("""
        network Small (Small.nnet) -> class com.acme.Small

        layer  kind        output shape  parameters  FLOPs/sample
        ---------------------------------------------------------
        x      input       [2, 3]                 0             0
        flat   flatten     [6]                    0             0
        h      dense       [4]                   28            52
        h_2    leaky_relu  [4]                    0             4
        h_3    dropout     [4]                    0             0
        y      dense       [2]                   10            18
        =========================================================
        total parameters:          38
        trainable parameters:      38
        non-trainable parameters:  0
        parameter memory:          0.15 KiB as float32 (152 bytes)
        FLOPs per sample:          74 forward
                                   222 training, estimated as 3x forward (forward and backward passes)

        train
          loss:       categorical_crossentropy
          optimizer:  sgd(learning_rate: 0.1, momentum: 0.9)
          batch:      8
          epochs:     3
          metrics:    [accuracy, f1]
          clipnorm:   1.0
        """, r.out());
  }

  @Test
  void summaryOfAGraphNamesWhatEachLayerReads(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Res.nnet", """
        network Res {
            input x: float[8]
            h = dense(x, units: 8, activation: relu)
            r = add(h, x)
            c = concat(r, x)
            output y = dense(c, units: 2, activation: softmax)
            train { loss: categorical_crossentropy }
        }
        """);
    Result r = nnetc("summary", file.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("""
        network Res (Res.nnet) -> class Res

        layer  kind    output shape  parameters  FLOPs/sample  reads
        ------------------------------------------------------------
        x      input   [8]                    0             0
        h      dense   [8]                   72           136  x
        r      add     [8]                    0             8  h, x
        c      concat  [16]                   0             0  r, x
        y      dense   [2]                   34            66  c
        ============================================================
        total parameters:          106
        """), r.out());
  }

  @Test
  void summaryShowsATextInputAsAString(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Words.nnet", """
        network Words {
            input text: string
            bag = text_vectorize(text, max_tokens: 100, output_mode: multi_hot)
            output y = dense(bag, units: 2, activation: softmax)
            train { loss: categorical_crossentropy }
        }
        """);
    Result r = nnetc("summary", file.toString());
    assertEquals(0, r.status(), r.err());
    String inputRow = r.out().lines().filter(line -> line.startsWith("text ")).findFirst().orElseThrow();
    assertEquals(List.of("text", "input", "string", "0", "0"), List.of(inputRow.trim().split(" +")), r.out());
  }

  @Test
  void summaryOfSeveralInputsNamesWhatEachLayerReads(@TempDir Path dir) throws IOException {
    // 'extra' is unused (a warning): the layers still form a chain, but two inputs are a graph.
    Path file = write(dir, "Two.nnet", """
        network Two {
            input a: float[3]
            input extra: float[2]
            h = dense(a, units: 4, activation: relu)
            output y = dense(h, units: 2, activation: softmax)
            train { loss: categorical_crossentropy }
        }
        """);
    Result r = nnetc("summary", file.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("""
        network Two (Two.nnet) -> class Two

        layer  kind   output shape  parameters  FLOPs/sample  reads
        -----------------------------------------------------------
        a      input  [3]                    0             0
        extra  input  [2]                    0             0
        h      dense  [4]                   16            28  a
        y      dense  [2]                   10            18  h
        ===========================================================
        """), r.out());
  }

  @Test
  void summaryOfTheMnistExample(@TempDir Path dir) throws IOException {
    Path file = write(dir, "MnistMlp.nnet", """
        network MnistMlp {
            input image: float[28, 28]

            pixels = flatten(image)
            hidden = dense(pixels, units: 128, activation: relu)
            output probs = dense(hidden, units: 10, activation: softmax)

            train {
                loss: categorical_crossentropy
                optimizer: adam(learning_rate: 1e-3)
                batch: 32
                epochs: 5
            }
        }
        """);
    Result r = nnetc("summary", file.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("""
        hidden  dense    [128]            100,480       200,832
        probs   dense    [10]               1,290         2,570
        """), r.out());
    assertTrue(r.out().contains("total parameters:          101,770\n"), r.out());
    assertTrue(r.out().contains("parameter memory:          397.54 KiB as float32 (407,080 bytes)\n"), r.out());
  }

  @Test
  void summarySelectsANetworkByName(@TempDir Path dir) throws IOException {
    Path file = write(dir, "two.nnet", VALID + VALID.replace("Tiny", "Other").replace("units: 4", "units: 5"));
    Result both = nnetc("summary", file.toString());
    assertEquals(0, both.status());
    assertTrue(both.out().startsWith("network Tiny (two.nnet)"), both.out());
    assertTrue(both.out().contains("\n\nnetwork Other (two.nnet)"), both.out());

    Result other = nnetc("summary", file.toString(), "--network", "Other");
    assertEquals(0, other.status());
    assertTrue(other.out().startsWith("network Other (two.nnet)"), other.out());
    assertFalse(other.out().contains("Tiny"), other.out());

    Result missing = nnetc("summary", file.toString(), "--network=Missing");
    assertEquals(1, missing.status());
    assertEquals("", missing.out());
    assertEquals("nnetc: " + file + " declares no network 'Missing'; it declares Tiny, Other\n",
        missing.err().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void summaryOfAnInvalidFileShowsTheValidNetworksAndExitsOne(@TempDir Path dir) throws IOException {
    Path file = write(dir, "mixed.nnet", VALID + INVALID);
    Result r = nnetc("summary", file.toString());
    assertEquals(1, r.status());
    assertTrue(r.out().startsWith("network Tiny (mixed.nnet)"), r.out());
    assertEquals(rendered(file, VALID + INVALID), r.err());
  }

  @Test
  void summaryOfAnEmptyFile(@TempDir Path dir) throws IOException {
    Path file = write(dir, "empty.nnet", "// nothing yet\n");
    assertEquals(new Result(0, file + " declares no network\n", ""), nnetc("summary", file.toString()));
  }

  @Test
  void summaryTakesExactlyOneFile(@TempDir Path dir) throws IOException {
    Path file = write(dir, "Tiny.nnet", VALID);
    assertEquals(2, nnetc("summary").status());
    Result r = nnetc("summary", file.toString(), file.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("nnetc: summary takes one FILE, not 2\n"), r.err());
  }

  // ---------------------------------------------------------------- the command line

  @Test
  void helpGoesToStandardOutput() {
    for (String help : List.of("help", "-h", "--help")) {
      Result r = nnetc(help);
      assertEquals(new Result(0, Nnetc.USAGE_TEXT, ""), r, help);
    }
    assertEquals(new Result(0, Nnetc.USAGE_TEXT, ""), nnetc("generate", "--help"));
    assertTrue(Nnetc.USAGE_TEXT.startsWith("usage: nnetc check FILE...\n"));
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(new Result(2, "", "nnetc: no command given\n" + Nnetc.USAGE_TEXT), nnetc());
    assertEquals(new Result(2, "", "nnetc: unknown command 'compile'\n" + Nnetc.USAGE_TEXT), nnetc("compile", "x.nnet"));
    assertEquals(new Result(2, "", "nnetc: unknown option '--fast'\n" + Nnetc.USAGE_TEXT), nnetc("--fast"));
    assertEquals(new Result(2, "", "nnetc: unknown option '--double'\n" + Nnetc.USAGE_TEXT),
        nnetc("check", "--double", "x.nnet"));
    assertEquals(new Result(2, "", "nnetc: check needs at least one FILE\n" + Nnetc.USAGE_TEXT), nnetc("check"));
    assertEquals(new Result(2, "", "nnetc: an empty argument where a FILE or an option should be\n" + Nnetc.USAGE_TEXT),
        nnetc("check", ""));
  }

  @Test
  void theFirstFormStillWorks(@TempDir Path dir) throws IOException {
    Path bad = write(dir, "Shapes.nnet", INVALID);
    Path good = write(dir, "Tiny.nnet", VALID);
    assertEquals(new Result(0, "", ""), nnetc(good.toString()));
    assertEquals(1, nnetc("--package", "a.b", bad.toString()).status());
    Result r = nnetc("--out", dir.resolve("out").toString(), "--package", "a.b", good.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(Files.isRegularFile(dir.resolve("out/a/b/Tiny.java")));
  }

  @Test
  void filesAfterTwoDashesMayStartWithADash(@TempDir Path dir) throws IOException {
    write(dir, "-odd.nnet", VALID);
    Result r = nnetc("check", "--", dir.resolve("-odd.nnet").toString(), "-missing.nnet");
    assertEquals(1, r.status());
    assertEquals("-missing.nnet: error: [nnet/io] cannot read the file: no such file\n",
        r.err().replace(System.lineSeparator(), "\n"));
  }

  // ---------------------------------------------------------------- unreadable files

  @Test
  void aFileThatCannotBeReadIsAnIoError(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("missing.nnet");
    Result r = nnetc("check", missing.toString());
    assertEquals(new Result(1, "", missing + ": error: [nnet/io] cannot read the file: no such file\n"), normalised(r));

    Result directory = nnetc("summary", dir.toString());
    assertEquals(new Result(1, "", dir + ": error: [nnet/io] cannot read the file: it is a directory\n"), normalised(directory));

    Path latin1 = dir.resolve("latin1.nnet");
    Files.write(latin1, "// caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Result notUtf8 = nnetc("generate", latin1.toString(), "-d", dir.resolve("out").toString());
    assertEquals(new Result(1, "", latin1 + ": error: [nnet/io] the file is not valid UTF-8 text\n"), normalised(notUtf8));
  }

  @Test
  void aByteOrderMarkIsNotCounted(@TempDir Path dir) throws IOException {
    Path valid = dir.resolve("Tiny.nnet");
    Files.write(valid, ("\uFEFF" + VALID).getBytes(StandardCharsets.UTF_8));
    assertEquals(new Result(0, "", ""), nnetc("check", valid.toString()));
    assertEquals(0, nnetc("summary", valid.toString()).status());

    // The error is on the first line, right after the mark: column 9 counts from 'network'.
    Path invalid = dir.resolve("Bad.nnet");
    String text = "network class {\n    input x: float[3]\n    output y = dense(x, units: 2)\n    train { loss: mse }\n}\n";
    Files.write(invalid, ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8));
    Result r = nnetc("check", invalid.toString());
    assertEquals(1, r.status());
    assertEquals(rendered(invalid, text), r.err());
    assertTrue(r.err().startsWith(invalid + ":1:9: error: "), r.err());
    assertFalse(r.err().contains("\uFEFF"), r.err());
  }

  // ---------------------------------------------------------------- never a stack trace

  @Test
  void aBugBecomesOneLineAndExitThree() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      // No standard output to print the help to: the NullPointerException stands for a bug.
      status = Nnetc.run(new String[] {"help"}, null, e);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(3, status);
    assertTrue(text.startsWith("nnetc: internal error: java.lang.NullPointerException"), text);
    assertTrue(text.endsWith("; please report it with the command line and the .nnet file" + System.lineSeparator()), text);
    assertEquals(1, text.lines().count(), text);
  }

  private static Result normalised(Result r) {
    return new Result(r.status(), r.out().replace(System.lineSeparator(), "\n"), r.err().replace(System.lineSeparator(), "\n"));
  }
}
