package dev.nnet.prep.audio;

/**
 * Mel-frequency cepstral coefficients: per STFT frame, the log of the mel filter energies, then an
 * orthonormal DCT-II keeping the first {@code coefficients} values. The usual speech features.
 *
 * <pre>{@code
 * Mfcc mfcc = new Mfcc(8000, 256, 128, 26, 13);   // rate, frame, hop, mel filters, coefficients
 * float[][] features = mfcc.apply(audio.samples()); // [frames][13]
 * }</pre>
 */
public final class Mfcc {
  private final Stft stft;
  private final MelFilterBank bank;
  private final int coefficients;

  public Mfcc(int sampleRate, int frameSize, int hop, int filters, int coefficients) {
    if (coefficients < 1 || coefficients > filters) {
      throw new IllegalArgumentException("need 1 <= coefficients <= filters, but got " + coefficients + " and " + filters);
    }
    this.stft = new Stft(frameSize, hop);
    this.bank = new MelFilterBank(filters, frameSize, sampleRate, 0, sampleRate / 2.0);
    this.coefficients = coefficients;
  }

  public MelFilterBank filterBank() {
    return bank;
  }

  /** Log mel energies per frame, [frames][filters]. */
  public float[][] logMel(float[] samples) {
    float[][] power = stft.power(samples);
    float[][] out = new float[power.length][];
    for (int f = 0; f < power.length; f++) {
      float[] energies = bank.apply(power[f]);
      for (int m = 0; m < energies.length; m++) {
        energies[m] = (float) Math.log(energies[m] + 1e-10);
      }
      out[f] = energies;
    }
    return out;
  }

  /** The coefficients per frame, [frames][coefficients]. */
  public float[][] apply(float[] samples) {
    float[][] logMel = logMel(samples);
    float[][] out = new float[logMel.length][];
    for (int f = 0; f < logMel.length; f++) {
      out[f] = dct(logMel[f], coefficients);
    }
    return out;
  }

  /** The first {@code keep} values of the orthonormal DCT-II of {@code x}. */
  public static float[] dct(float[] x, int keep) {
    int n = x.length;
    float[] out = new float[keep];
    for (int k = 0; k < keep; k++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += x[i] * Math.cos(Math.PI * k * (2 * i + 1) / (2.0 * n));
      }
      out[k] = (float) (sum * Math.sqrt((k == 0 ? 1.0 : 2.0) / n));
    }
    return out;
  }
}
