package dev.mnistlab.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HyperbandTest {

  @Test
  void minIterBracketsGrowByEtaUpToTheLongestTrial() {
    assertThat(Hyperband.fromMinIter(1, 3, true, 10).brackets()).containsExactly(1, 3, 9);
    assertThat(Hyperband.fromMinIter(2, 2, true, 16).brackets()).containsExactly(2, 4, 8, 16);
  }

  @Test
  void maxIterBracketsShrinkByEtaAsWandbComputesThem() {
    // W&B: max_iter 5, eta 2, s 2 -> bands 2 (5/2), 1 (5/4), sorted ascending
    assertThat(Hyperband.fromMaxIter(5, 2, 2, true).brackets()).containsExactly(1, 2);
    assertThat(Hyperband.fromMaxIter(81, 3, 3, true).brackets()).containsExactly(3, 9, 27);
  }

  @Test
  void stopsATrialOutsideTheBestOneOverEtaAtItsLatestBracket() {
    // W&B's own example (loss, minimised; bands 1 and 2, eta 2)
    Hyperband hyperband = Hyperband.fromMaxIter(5, 2, 2, false);
    List<Double> a = List.of(10.0, 9.0);
    List<Double> b = List.of(10.0, 10.0);
    List<Double> c = List.of(10.0, 8.0, 8.0);
    List<Double> d = List.of(10.0, 7.0, 7.0);
    List<Double> e = List.of(10.0, 6.0, 6.0);
    List<List<Double>> all = List.of(a, b, c, d, e);
    // threshold at band 2: sorted [6,7,8,9,10][floor(5/2)] = 8
    assertThat(hyperband.shouldStop(Goal.MINIMIZE, b, all)).isTrue();
    assertThat(hyperband.shouldStop(Goal.MINIMIZE, c, all)).isFalse();
    assertThat(hyperband.shouldStop(Goal.MINIMIZE, d, all)).isFalse();
  }

  @Test
  void maximisedMetricsKeepTheHighestValues() {
    Hyperband hyperband = Hyperband.fromMinIter(1, 3, true, 3);
    List<Double> weak = List.of(0.80);
    List<List<Double>> all = List.of(List.of(0.95, 0.97, 0.98), List.of(0.93, 0.96, 0.97), weak);
    assertThat(hyperband.shouldStop(Goal.MAXIMIZE, weak, all)).isTrue();
    assertThat(hyperband.shouldStop(Goal.MAXIMIZE, List.of(0.95, 0.97, 0.98), all)).isFalse();
  }

  @Test
  void strictJudgesTheBracketEpochWhileLenientUsesTheBestSoFar() {
    List<Double> dipped = List.of(0.5, 0.9, 0.1);  // loss: good at epoch 2, bad at epoch 3
    List<List<Double>> all = List.of(List.of(0.6, 0.4, 0.3), List.of(0.7, 0.5, 0.35), dipped);
    Hyperband strict = new Hyperband(List.of(2), 3, true);
    Hyperband lenient = new Hyperband(List.of(2), 3, false);
    // at bracket 2: values 0.4, 0.5, 0.9 -> threshold sorted[1] = 0.5
    assertThat(strict.shouldStop(Goal.MINIMIZE, dipped, all)).isTrue();
    assertThat(lenient.shouldStop(Goal.MINIMIZE, dipped, all)).isFalse();
  }

  @Test
  void neverStopsBeforeTheFirstBracket() {
    Hyperband hyperband = Hyperband.fromMinIter(3, 3, true, 9);
    assertThat(hyperband.shouldStop(Goal.MINIMIZE, List.of(99.0, 99.0),
        List.of(List.of(1.0, 1.0, 1.0), List.of(99.0, 99.0)))).isFalse();
  }

  @Test
  void rejectsEtaOfOneOrLess() {
    assertThatThrownBy(() -> new Hyperband(List.of(1), 1, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
