package dev.mnistlab.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SearchStrategyTest {

  private static SweepSpec spec(String json) throws SweepConfigException {
    return SweepConfig.parse(json, "t.json", "t").sweep();
  }

  private static List<TrialParameters> all(SearchStrategy search) {
    List<TrialParameters> trials = new ArrayList<>();
    for (int i = 0; ; i++) {
      Optional<TrialParameters> t = search.suggest(i, List.of());
      if (t.isEmpty()) {
        return trials;
      }
      trials.add(t.get());
    }
  }

  @Test
  void gridWalksTheCartesianProductInConfigOrderLastParameterFastest() throws Exception {
    SweepSpec sweep = spec("""
        {"sweep": {"method": "grid", "metric": {"name": "val_accuracy", "goal": "maximize"},
          "parameters": {"model": {"value": "cnn-basic"}, "batch_size": {"values": [32, 64]},
                         "epochs": {"values": [1, 2, 3]}}}}
        """);
    List<TrialParameters> trials = all(SearchStrategy.forSweep(sweep, 1));
    assertThat(trials).hasSize(6);
    assertThat(trials).extracting(TrialParameters::toConfigMap).containsExactly(
        Map.of("model", "cnn-basic", "batch_size", 32L, "epochs", 1L),
        Map.of("model", "cnn-basic", "batch_size", 32L, "epochs", 2L),
        Map.of("model", "cnn-basic", "batch_size", 32L, "epochs", 3L),
        Map.of("model", "cnn-basic", "batch_size", 64L, "epochs", 1L),
        Map.of("model", "cnn-basic", "batch_size", 64L, "epochs", 2L),
        Map.of("model", "cnn-basic", "batch_size", 64L, "epochs", 3L));
    assertThat(trials.get(4).batchSize()).hasValue(64);
    assertThat(trials.get(4).epochs()).hasValue(2);
  }

  @Test
  void gridExpandsIntegerRangesAndStopsAtRunCap() throws Exception {
    SweepSpec sweep = spec("""
        {"sweep": {"method": "grid", "run_cap": 4, "metric": {"name": "val_loss", "goal": "minimize"},
          "parameters": {"epochs": {"min": 1, "max": 3}, "batch_size": {"distribution": "q_uniform", "min": 32, "max": 128, "q": 32}}}}
        """);
    List<TrialParameters> trials = all(SearchStrategy.forSweep(sweep, 1));
    assertThat(trials).hasSize(4);
    assertThat(trials).extracting(t -> t.batchSize().getAsInt()).containsExactly(32, 64, 96, 128);
  }

  private static final String RANDOM = """
      {"sweep": {"method": "random", "run_cap": 400, "metric": {"name": "val_loss", "goal": "minimize"},
        "parameters": {"learning_rate": {"distribution": "log_uniform_values", "min": 0.0001, "max": 0.1},
                       "dropout": {"min": 0.2, "max": 0.6},
                       "epochs": {"min": 1, "max": 4},
                       "optimizer": {"values": ["adam", "rmsprop"], "probabilities": [0.8, 0.2]}}}}
      """;

  @Test
  void randomSearchIsReproducibleForASeedAndDiffersAcrossSeeds() throws Exception {
    SweepSpec sweep = spec(RANDOM);
    List<TrialParameters> a = all(SearchStrategy.forSweep(sweep, 7));
    List<TrialParameters> b = all(SearchStrategy.forSweep(sweep, 7));
    List<TrialParameters> c = all(SearchStrategy.forSweep(sweep, 8));
    assertThat(a).hasSize(400);
    assertThat(a).extracting(TrialParameters::toConfigMap)
        .isEqualTo(b.stream().map(TrialParameters::toConfigMap).toList());
    assertThat(a.get(0).toConfigMap()).isNotEqualTo(c.get(0).toConfigMap());
    // trial 5 is the same whether or not trials 0-4 were asked for (resuming a sweep)
    assertThat(SearchStrategy.forSweep(sweep, 7).suggest(5, List.of()).orElseThrow().toConfigMap())
        .isEqualTo(a.get(5).toConfigMap());
  }

  @Test
  void randomSearchSamplesEachDistributionWithinBoundsAndWithItsShape() throws Exception {
    List<TrialParameters> trials = all(SearchStrategy.forSweep(spec(RANDOM), 3));
    assertThat(trials).allSatisfy(t -> {
      assertThat(t.learningRate().getAsDouble()).isBetween(0.0001, 0.1);
      assertThat(t.dropout().getAsDouble()).isBetween(0.2, 0.6);
      assertThat(t.epochs().getAsInt()).isBetween(1, 4);
    });
    // log-uniform: about half the samples lie below the geometric mean sqrt(1e-4 * 1e-1) = 0.00316
    long belowGeometricMean = trials.stream()
        .filter(t -> t.learningRate().getAsDouble() < Math.sqrt(0.0001 * 0.1)).count();
    assertThat(belowGeometricMean).isBetween(160L, 240L);
    // every integer of the range appears
    assertThat(trials).extracting(t -> t.epochs().getAsInt()).contains(1, 2, 3, 4);
    // categorical probabilities 0.8 / 0.2
    long adam = trials.stream().filter(t -> t.optimizer().orElseThrow().equals("adam")).count();
    assertThat(adam).isBetween(290L, 350L);
  }

  @Test
  void bayesSearchStaysInBoundsIsReproducibleAndUsesTheHistory() throws Exception {
    SweepSpec sweep = spec("""
        {"sweep": {"method": "bayes", "run_cap": 12, "metric": {"name": "val_accuracy", "goal": "maximize"},
          "parameters": {"learning_rate": {"distribution": "log_uniform_values", "min": 0.0001, "max": 0.1},
                         "batch_size": {"values": [32, 64, 128, 256]}, "model": {"value": "mlp"}}}}
        """);
    // a made-up accuracy that peaks at learning rate 0.01 and batch size 64
    java.util.function.ToDoubleFunction<TrialParameters> accuracy = t ->
        0.99 - 0.05 * Math.pow(Math.log10(t.learningRate().getAsDouble()) + 2, 2)
            - 0.02 * Math.abs(Math.log(t.batchSize().getAsInt() / 64.0));
    List<TrialOutcome> history = new ArrayList<>();
    List<TrialOutcome> replay = new ArrayList<>();
    SearchStrategy search = SearchStrategy.forSweep(sweep, 5);
    SearchStrategy again = SearchStrategy.forSweep(sweep, 5);
    for (int i = 0; i < 12; i++) {
      TrialParameters t = search.suggest(i, history).orElseThrow();
      TrialParameters u = again.suggest(i, replay).orElseThrow();
      assertThat(t.toConfigMap()).isEqualTo(u.toConfigMap());
      assertThat(t.learningRate().getAsDouble()).isBetween(0.0001, 0.1);
      assertThat(t.batchSize().getAsInt()).isIn(32, 64, 128, 256);
      assertThat(t.model()).contains("mlp");
      history.add(new TrialOutcome(t, OptionalDouble.of(accuracy.applyAsDouble(t))));
      replay.add(new TrialOutcome(u, OptionalDouble.of(accuracy.applyAsDouble(u))));
    }
    assertThat(search.suggest(12, history)).isEmpty();
    double best = history.stream().mapToDouble(o -> o.metric().getAsDouble()).max().orElseThrow();
    assertThat(best).isGreaterThan(0.975);
  }

  @Test
  void bayesSearchIgnoresFailedTrials() throws Exception {
    SweepSpec sweep = spec("""
        {"sweep": {"method": "bayes", "run_cap": 10, "metric": {"name": "val_loss", "goal": "minimize"},
          "parameters": {"dropout": {"min": 0.0, "max": 0.9}}}}
        """);
    SearchStrategy search = SearchStrategy.forSweep(sweep, 1);
    List<TrialOutcome> history = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      TrialParameters t = search.suggest(i, history).orElseThrow();
      history.add(new TrialOutcome(t, i == 2 ? OptionalDouble.empty()
          : OptionalDouble.of(Math.abs(t.dropout().getAsDouble() - 0.3))));
    }
    assertThat(search.suggest(6, history)).isPresent();
  }

  private static final String VARIANT_PARAMETERS = """
      "variant": {"values": [{"model": "cnn-basic", "epochs": 5}, {"model": "cnn-dropout", "epochs": 10},
                             {"model": "cnn-batchnorm", "epochs": 12}]}
      """;

  @Test
  void gridPairsEachVariantsParametersAndCrossesThemWithTheOthers() throws Exception {
    SweepSpec sweep = spec("""
        {"sweep": {"method": "grid", "metric": {"name": "val_accuracy", "goal": "maximize"},
          "parameters": {%s, "batch_size": {"values": [64, 128]}}}}
        """.formatted(VARIANT_PARAMETERS));
    List<TrialParameters> trials = all(SearchStrategy.forSweep(sweep, 1));
    assertThat(trials).extracting(TrialParameters::toConfigMap).containsExactly(
        Map.of("model", "cnn-basic", "epochs", 5L, "batch_size", 64L),
        Map.of("model", "cnn-basic", "epochs", 5L, "batch_size", 128L),
        Map.of("model", "cnn-dropout", "epochs", 10L, "batch_size", 64L),
        Map.of("model", "cnn-dropout", "epochs", 10L, "batch_size", 128L),
        Map.of("model", "cnn-batchnorm", "epochs", 12L, "batch_size", 64L),
        Map.of("model", "cnn-batchnorm", "epochs", 12L, "batch_size", 128L));
    assertThat(trials.get(3).model()).contains("cnn-dropout");
    assertThat(trials.get(3).epochs()).hasValue(10);
    assertThat(trials.get(3).batchSize()).hasValue(64 * 2);
    assertThat(trials.get(3).variant()).contains(Map.of("model", "cnn-dropout", "epochs", 10L));
    // the flattened keys keep the variant's place and order
    assertThat(trials.get(0).toConfigMap().keySet()).containsExactly("model", "epochs", "batch_size");
  }

  @Test
  void randomAndBayesSearchPickWholeVariantsAsCategories() throws Exception {
    for (String method : List.of("random", "bayes")) {
      SweepSpec sweep = spec("""
          {"sweep": {"method": "%s", "run_cap": 10,
            "metric": {"name": "val_accuracy", "goal": "maximize"},
            "parameters": {%s,
              "learning_rate": {"distribution": "log_uniform_values", "min": 0.0001, "max": 0.01}}}}
          """.formatted(method, VARIANT_PARAMETERS));
      List<Object> variants = sweep.parameters().get(SweepParameter.VARIANT).extremes();
      SearchStrategy search = SearchStrategy.forSweep(sweep, 7);
      List<TrialOutcome> history = new ArrayList<>();
      java.util.Set<Object> seen = new java.util.HashSet<>();
      for (int i = 0; i < 10; i++) {
        TrialParameters t = search.suggest(i, history).orElseThrow();
        assertThat(t.variant()).as(method).get().isIn(variants);
        seen.add(t.variant().orElseThrow());
        // the batchnorm variant is best: bayes must be able to tell the categories apart
        double accuracy = t.model().orElseThrow().equals("cnn-batchnorm") ? 0.99 : 0.9;
        history.add(new TrialOutcome(t, OptionalDouble.of(accuracy)));
      }
      assertThat(seen).as(method).hasSizeGreaterThan(1);
    }
  }
}
