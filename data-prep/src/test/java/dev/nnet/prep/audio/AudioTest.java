package dev.nnet.prep.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioTest {
  private static float[] sine(double hz, int rate, int n, double amplitude) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return out;
  }

  @Test
  void fftMatchesADirectDftForAnyLength() {
    SplittableRandom random = new SplittableRandom(1);
    for (int n : new int[] {1, 2, 7, 37, 64, 100}) {
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) (random.nextDouble() * 2 - 1);
      }
      double[] spectrum = Fourier.spectrum(x);
      float[] magnitude = Fourier.magnitude(x);
      for (int k = 0; k < n; k++) {
        double re = 0;
        double im = 0;
        for (int t = 0; t < n; t++) {
          re += x[t] * Math.cos(2 * Math.PI * k * t / n);
          im -= x[t] * Math.sin(2 * Math.PI * k * t / n);
        }
        assertEquals(re, spectrum[2 * k], 1e-9, "re, n " + n + " k " + k);
        assertEquals(im, spectrum[2 * k + 1], 1e-9, "im, n " + n + " k " + k);
        if (k <= n / 2) {
          assertEquals(Math.hypot(re, im), magnitude[k], 1e-5);
        }
      }
      assertArrayEquals(x, Fourier.inverse(spectrum), 1e-6f, "the inverse undoes the transform");
    }
  }

  @Test
  void stftFramesAndTheSinesBin() {
    Stft stft = new Stft(256, 128);
    float[] signal = sine(1000, 8000, 8000, 0.5);
    float[][] power = stft.power(signal);
    assertEquals(stft.frames(8000), power.length);
    assertEquals(1 + (8000 - 256 + 127) / 128, power.length);
    assertEquals(129, power[0].length);
    int peak = 0;
    for (int k = 0; k < power[10].length; k++) {
      peak = power[10][k] > power[10][peak] ? k : peak;
    }
    assertEquals(32, peak, "1000 Hz is bin 1000 · 256 / 8000 = 32");
    assertEquals(1, stft.frames(10), "a short signal is one zero-padded frame");
  }

  @Test
  void aSinesEnergyLandsInTheMelBandAroundItsFrequency() {
    Mfcc mfcc = new Mfcc(8000, 256, 128, 26, 13);
    MelFilterBank bank = mfcc.filterBank();
    for (double hz : new double[] {300, 1000, 2500}) {
      float[][] logMel = mfcc.logMel(sine(hz, 8000, 4000, 0.5));
      float[] frame = logMel[5];
      int best = 0;
      for (int m = 0; m < frame.length; m++) {
        best = frame[m] > frame[best] ? m : best;
      }
      int nearest = 0;
      for (int m = 0; m < bank.filters(); m++) {
        nearest = Math.abs(bank.centre(m) - hz) < Math.abs(bank.centre(nearest) - hz) ? m : nearest;
      }
      assertTrue(Math.abs(best - nearest) <= 1, hz + " Hz peaked in band " + best + " (centre " + bank.centre(best)
          + " Hz), nearest centre band " + nearest);
    }
    assertEquals(1000, MelFilterBank.hz(MelFilterBank.mel(1000)), 1e-9);
    assertEquals(999.99, MelFilterBank.mel(1000), 0.01, "HTK mel of 1 kHz");
    assertEquals(13, mfcc.apply(sine(440, 8000, 2000, 0.3))[0].length);
  }

  @Test
  void dctIsOrthonormal() {
    float[] constant = {2, 2, 2, 2};
    assertArrayEquals(new float[] {4, 0, 0, 0}, Mfcc.dct(constant, 4), 1e-6f, "√4 · 2 in the first coefficient");
    float[] x = {1, -2, 3, 0.5f, 7};
    float[] c = Mfcc.dct(x, 5);
    double energy = 0;
    double coefficients = 0;
    for (int i = 0; i < 5; i++) {
      energy += x[i] * x[i];
      coefficients += c[i] * c[i];
    }
    assertEquals(energy, coefficients, 1e-4, "an orthonormal transform keeps the energy");
  }

  @Test
  void peakAndRmsNormalisationAndTrimming() {
    assertArrayEquals(new float[] {0.25f, -0.5f}, Loudness.normalizePeak(new float[] {0.1f, -0.2f}, 0.5), 1e-6f);
    float[] rms = Loudness.normalizeRms(new float[] {3, -4, 3, -4}, 1);
    assertEquals(1, Loudness.rms(rms), 1e-6);
    assertArrayEquals(new float[] {0, 0}, Loudness.normalizePeak(new float[2], 1), "silence stays silence");
    float[] padded = new float[300];
    System.arraycopy(sine(500, 8000, 100, 0.5), 0, padded, 100, 100);
    assertEquals(100, Loudness.trimSilence(padded, 10, 40).length);
  }

  @Test
  void spectralGatingReducesNoiseAndKeepsTheSignal() {
    SplittableRandom random = new SplittableRandom(3);
    float[] clean = new float[16000];
    float[] tone = sine(440, 8000, 8000, 0.5);
    System.arraycopy(tone, 0, clean, 4000, 8000); // silence, tone, silence
    float[] noisy = AudioAugment.addNoise(clean, 100, random); // placeholder copy for the shape
    float[] noise = new float[clean.length];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (0.05 * AudioAugment.gaussian(random));
      noisy[i] = clean[i] + noise[i];
    }
    float[] gated = new SpectralGate(256, 2.5, 30).apply(noisy);
    double before = error(noisy, clean);
    double after = error(gated, clean);
    assertTrue(after < before / 2, "error vs the clean signal: " + before + " before, " + after + " after");
    float[] untouched = new SpectralGate(256, 2.5, 0).apply(noisy);
    assertArrayEquals(noisy, untouched, 1e-5f, "with 0 dB reduction the overlap-add rebuilds the input");
    float[] withClip = new SpectralGate(256, 2.5, 30).apply(noisy, java.util.Arrays.copyOf(noise, 2000));
    assertTrue(error(withClip, clean) < before / 2);
  }

  private static double error(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(sum / a.length);
  }

  @Test
  void augmentationNoiseSpeedAndShift() {
    float[] tone = sine(200, 8000, 80000, 0.5);
    float[] noisy = AudioAugment.addNoise(tone, 20, new SplittableRandom(5));
    double noisePower = 0;
    for (int i = 0; i < tone.length; i++) {
      noisePower += (noisy[i] - tone[i]) * (noisy[i] - tone[i]);
    }
    double snr = 10 * Math.log10(Loudness.rms(tone) * Loudness.rms(tone) / (noisePower / tone.length));
    assertEquals(20, snr, 0.2);
    assertArrayEquals(noisy, AudioAugment.addNoise(tone, 20, new SplittableRandom(5)), "seeded");
    assertArrayEquals(new float[] {0, 2, 4}, AudioAugment.changeSpeed(new float[] {0, 1, 2, 3, 4, 5}, 2), 1e-6f);
    assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2, 2, 2}, AudioAugment.changeSpeed(new float[] {0, 1, 2, 2}, 0.5),
        1e-6f);
    assertArrayEquals(new float[] {0, 1, 2}, AudioAugment.shift(new float[] {1, 2, 3}, 1));
    assertArrayEquals(new float[] {2, 3, 0}, AudioAugment.shift(new float[] {1, 2, 3}, -1));
  }

  @Test
  void readsSixteenBitStereoWav(@TempDir Path dir) throws IOException {
    short[] left = {0, 16384, -32768, 32767};
    short[] right = {0, -16384, 0, 32767};
    ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4; i++) {
      bytes.putShort(left[i]).putShort(right[i]);
    }
    AudioFormat format = new AudioFormat(8000, 16, 2, true, false);
    Path file = dir.resolve("stereo.wav");
    AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(bytes.array()), format, 4), AudioFileFormat.Type.WAVE,
        file.toFile());
    Audio audio = WavReader.read(file);
    assertEquals(8000, audio.sampleRate());
    assertArrayEquals(new float[] {0, 0, -0.5f, 32767f / 32768}, audio.samples(), 1e-6f, "channels averaged");
  }

  /** Every truncation of a WAV file reads or fails with an IOException; garbage is an IOException. */
  @Test
  void truncatedAndCorruptFilesGetAnIOException(@TempDir Path dir) throws IOException {
    float[] tone = sine(300, 8000, 200, 0.5);
    ByteBuffer bytes = ByteBuffer.allocate(400).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : tone) {
      bytes.putShort((short) (v * 32767));
    }
    Path file = dir.resolve("tone.wav");
    AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(bytes.array()), new AudioFormat(8000, 16, 1, true,
        false), 200), AudioFileFormat.Type.WAVE, file.toFile());
    byte[] whole = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.wav");
    for (int length = 0; length < whole.length; length++) {
      Files.write(cut, java.util.Arrays.copyOf(whole, length));
      try {
        Audio audio = WavReader.read(cut);
        assertTrue(audio.samples().length <= 200);
      } catch (IOException expected) {
        assertTrue(expected.getMessage().startsWith(cut.toString()), expected.getMessage());
      } catch (RuntimeException other) {
        fail("a prefix of " + length + " bytes threw " + other);
      }
    }
    Files.writeString(cut, "not a wav file at all");
    assertThrows(IOException.class, () -> WavReader.read(cut));
  }
}
