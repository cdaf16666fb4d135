package dev.nnet.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.Network;
import dev.nnet.runtime.compose.Subnetworks;
import org.junit.jupiter.api.Test;

/** Copying a composed network's part into the part's own class, and back. */
class SubnetworksTest {
  private static final String TEXT = """
      network Encoder {
        input x: float[6]
        h = dense(x, units: 5, activation: tanh)
        output code = dense(h, units: 3)
        train { loss: mse }
      }

      network Decoder {
        input code: float[3]
        output y = dense(code, units: 6, activation: sigmoid)
        train { loss: mse }
      }

      network Whole {
        input x: float[6]
        z = Encoder(x)
        output y = Decoder(z)
        train { loss: mse }
      }
      """;

  @Test
  void copiedPartsComputeWhatTheWholeComputes() {
    Network whole = GeneratedCode.instantiate(TEXT, "Whole", 4, Network.class);
    whole.initialize(5);
    Network encoder = GeneratedCode.instantiate(TEXT, "Encoder", 4, Network.class);
    Network decoder = GeneratedCode.instantiate(TEXT, "Decoder", 4, Network.class);
    Subnetworks.copyOut(whole, "z", encoder);
    Subnetworks.copyOut(whole, "y", decoder);
    float[] x = {0.1f, -0.4f, 0.9f, 0.3f, -0.7f, 0.2f};
    float[] code = new float[3];
    float[] viaParts = new float[6];
    float[] viaWhole = new float[6];
    encoder.predict(x, 0, code, 0);
    decoder.predict(code, 0, viaParts, 0);
    whole.predict(x, 0, viaWhole, 0);
    assertArrayEquals(viaWhole, viaParts);

    // And back: a freshly initialised encoder copied in changes the whole's encoder part only.
    Network other = GeneratedCode.instantiate(TEXT, "Encoder", 4, Network.class);
    other.initialize(99);
    Subnetworks.copyIn(other, whole, "z");
    Network check = GeneratedCode.instantiate(TEXT, "Encoder", 4, Network.class);
    Subnetworks.copyOut(whole, "z", check);
    assertArrayEquals(other.parameters(), check.parameters());
  }

  @Test
  void aWrongUseNameSaysWhatIsMissing() {
    Network whole = GeneratedCode.instantiate(TEXT, "Whole", 4, Network.class);
    Network encoder = GeneratedCode.instantiate(TEXT, "Encoder", 4, Network.class);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Subnetworks.copyOut(whole, "code", encoder));
    assertTrue(e.getMessage().contains("Whole has no tensor 'code_h.weight'"), e.getMessage());
    Network decoder = GeneratedCode.instantiate(TEXT, "Decoder", 4, Network.class);
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> Subnetworks.copyOut(whole, "z", decoder));
    assertTrue(shape.getMessage().contains("no tensor 'z_y.weight'") || shape.getMessage().contains("shape"),
        shape.getMessage());
  }
}
