package dev.nnet.runtime.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnet.runtime.optim.Sgd;
import dev.nnet.runtime.train.TrainingConfig;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RandomSearchTest {
  private static final TrainingConfig CONFIG = new TrainingConfig(new Sgd(0.1), 4, 1);

  private static List<GridSearch.Candidate> space(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> new GridSearch.Candidate("c" + i, () -> null, CONFIG)).toList();
  }

  @Test
  void drawsDistinctCandidatesReproducibly() {
    List<GridSearch.Candidate> first = RandomSearch.sample(space(10), 4, 3);
    assertEquals(4, new HashSet<>(first.stream().map(GridSearch.Candidate::name).toList()).size());
    assertEquals(first.stream().map(GridSearch.Candidate::name).toList(),
        RandomSearch.sample(space(10), 4, 3).stream().map(GridSearch.Candidate::name).toList());
    assertEquals(10, RandomSearch.sample(space(10), 10, 5).stream().map(GridSearch.Candidate::name).distinct().count());
  }

  @Test
  void rejectsMoreTrialsThanCandidates() {
    var error = assertThrows(IllegalArgumentException.class, () -> RandomSearch.sample(space(3), 4, 1));
    assertEquals("trials must be from 1 to the 3 candidates, but got 4", error.getMessage());
  }
}
