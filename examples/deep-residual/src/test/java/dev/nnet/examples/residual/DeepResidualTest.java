package dev.nnet.examples.residual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnet.runtime.data.Dataset;
import dev.nnet.runtime.data.Mnist;
import dev.nnet.runtime.train.Evaluation;
import dev.nnet.runtime.train.Trainer;
import dev.nnet.runtime.train.TrainingListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shortcuts make the difference: same layers, same training, very different results. */
class DeepResidualTest {

  @Test
  void bothNetworksHaveTheSameLayersAndSixteenBlocksOfTheirOwn() {
    assertEquals(Plain.PARAMETER_COUNT, Residual.PARAMETER_COUNT);
    // 784 -> 64, then 32 layers 64 -> 64 (each its own weights), then 64 -> 10.
    assertEquals(784 * 64 + 64 + 32 * (64 * 64 + 64) + 64 * 10 + 10, Residual.PARAMETER_COUNT);
  }

  @Test
  void theConvolutionalStacksDifferOnlyByTheProjection() {
    // Stem 3x3x1x4, the down block's two convolutions, nine blocks of two 3x3x8x8, dense 8 -> 10.
    int plain = (9 * 4 + 4) + (9 * 4 * 8 + 8) + (9 * 8 * 8 + 8) + 18 * (9 * 8 * 8 + 8) + (8 * 10 + 10);
    assertEquals(plain, ConvPlain.PARAMETER_COUNT);
    assertEquals(plain + 4 * 8 + 8, ConvResidual.PARAMETER_COUNT);
  }

  @Test
  void onlyTheResidualStackLearnsInTwoEpochs() throws Exception {
    Path data = Path.of("../data");
    Dataset all = Mnist.load(
        data.resolve("mnist10k-images-idx3-ubyte.gz"), data.resolve("mnist10k-labels-idx1-ubyte.gz"));
    Dataset train = all.slice(0, 4_000);
    Dataset test = all.slice(8_000, all.size());
    Plain plain = new Plain();
    Residual residual = new Residual();
    plain.initialize(DeepResidual.SEED);
    residual.initialize(DeepResidual.SEED);
    new Trainer(plain.trainingConfig().withEpochs(2), DeepResidual.SEED).fit(plain, train, null, TrainingListener.silent());
    new Trainer(residual.trainingConfig().withEpochs(2), DeepResidual.SEED).fit(residual, train, null, TrainingListener.silent());
    double plainAccuracy = Evaluation.accuracy(plain, test);
    double residualAccuracy = Evaluation.accuracy(residual, test);
    assertTrue(plainAccuracy < 0.2, "plain " + plainAccuracy);
    assertTrue(residualAccuracy > 0.4, "residual " + residualAccuracy);
  }
}
