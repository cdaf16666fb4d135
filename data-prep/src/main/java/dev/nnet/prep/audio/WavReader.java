package dev.nnet.prep.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads WAV (and the other formats {@code javax.sound.sampled} knows) into mono {@link Audio}:
 * 8-bit unsigned, 16-, 24- and 32-bit signed PCM in either byte order and 32-bit float; channels
 * are averaged. Reads no more bytes than the file holds, whatever its header claims.
 */
public final class WavReader {
  private WavReader() {}

  public static Audio read(Path file) throws IOException {
    long size = Files.size(file);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
        AudioInputStream stream = AudioSystem.getAudioInputStream(in)) {
      AudioFormat format = stream.getFormat();
      int bits = format.getSampleSizeInBits();
      int channels = format.getChannels();
      AudioFormat.Encoding encoding = format.getEncoding();
      boolean signed = encoding == AudioFormat.Encoding.PCM_SIGNED;
      boolean unsigned = encoding == AudioFormat.Encoding.PCM_UNSIGNED;
      boolean floating = encoding == AudioFormat.Encoding.PCM_FLOAT;
      if (channels < 1 || !(signed && (bits == 16 || bits == 24 || bits == 32 || bits == 8) || unsigned && bits == 8
          || floating && bits == 32)) {
        throw new IOException(file + ": unsupported audio format " + format
            + "; expected PCM (8-bit unsigned, 16/24/32-bit signed) or 32-bit float");
      }
      float rate = format.getSampleRate();
      if (!(rate >= 1 && rate <= 1_000_000)) {
        throw new IOException(file + ": implausible sample rate " + rate);
      }
      byte[] bytes = stream.readNBytes((int) Math.min(size, Integer.MAX_VALUE - 8));
      int width = bits / 8;
      int frames = bytes.length / (width * channels);
      float[] samples = new float[frames];
      boolean big = format.isBigEndian();
      for (int f = 0; f < frames; f++) {
        double sum = 0;
        for (int c = 0; c < channels; c++) {
          int at = (f * channels + c) * width;
          sum += sample(bytes, at, width, big, unsigned, floating);
        }
        samples[f] = (float) (sum / channels);
      }
      return new Audio(samples, Math.round(rate));
    } catch (UnsupportedAudioFileException e) {
      throw new IOException(file + ": not a WAV file this JVM can read (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
        throw e;
      }
      throw new IOException(file + ": the audio could not be read (" + e + "); is the file truncated?", e);
    } catch (RuntimeException e) {
      // javax.sound reports some malformed headers with unchecked exceptions.
      throw new IOException(file + ": malformed audio header (" + e + ")", e);
    }
  }

  private static double sample(byte[] b, int at, int width, boolean big, boolean unsigned, boolean floating) {
    long v = 0;
    for (int i = 0; i < width; i++) {
      int shift = big ? (width - 1 - i) * 8 : i * 8;
      v |= (long) (b[at + i] & 0xFF) << shift;
    }
    if (floating) {
      return Float.intBitsToFloat((int) v);
    }
    if (unsigned) {
      return (v - 128) / 128.0;
    }
    int bits = width * 8;
    long signedValue = (v << (64 - bits)) >> (64 - bits);
    return signedValue / (double) (1L << (bits - 1));
  }
}
