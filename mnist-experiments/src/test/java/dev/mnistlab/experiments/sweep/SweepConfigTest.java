package dev.mnistlab.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mnistlab.experiments.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SweepConfigTest {

  private static final String METRIC = "\"metric\": {\"name\": \"val_accuracy\", \"goal\": \"maximize\"}";

  private static SweepConfig parse(String json) throws SweepConfigException {
    return SweepConfig.parse(json, "x.json", "x");
  }

  private static String grid(String parameters) {
    return "{\"sweep\": {\"method\": \"grid\", " + METRIC + ", \"parameters\": " + parameters + "}}";
  }

  private static String error(String json) {
    try {
      parse(json);
    } catch (SweepConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the config to be rejected: " + json);
  }

  @Test
  void everyShippedConfigValidates() throws IOException {
    List<Path> configs;
    try (Stream<Path> files = Files.list(TestPaths.experiments())) {
      configs = files.filter(p -> p.toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().endsWith(".schema.json"))
          .sorted().toList();
    }
    assertThat(configs).extracting(p -> p.getFileName().toString()).contains(
        "quickstart.json", "batch-size-epochs.json", "three-models.json", "fashion.json",
        "random-search.json", "bayes.json");
    for (Path config : configs) {
      SweepConfig loaded = SweepConfig.load(config);
      assertThat(loaded.sweep().parameters()).as(config.toString()).isNotEmpty();
      assertThat(Files.readString(config)).as(config + " names the schema for editors")
          .contains("\"$schema\": \"./mnistlab-sweep.schema.json\"");
    }
  }

  @Test
  void shippedSchemaInTheJarIsTheRepositoryFile() throws IOException {
    try (var in = SweepConfig.class.getResourceAsStream(SweepConfig.SCHEMA_RESOURCE)) {
      assertThat(in).isNotNull();
      assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
          Files.readString(TestPaths.experiments().resolve("mnistlab-sweep.schema.json")));
    }
  }

  @Test
  void readsMethodMetricParametersAndRunnerSettings() throws Exception {
    SweepConfig config = parse("""
        {"sweep": {"name": "s", "method": "random", "run_cap": 5,
           "metric": {"name": "val_loss", "goal": "minimize", "target": 0.05},
           "parameters": {"model": {"value": "mlp"},
                          "learning_rate": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-2},
                          "batch_size": {"values": [32, 64]},
                          "dropout": {"min": 0.1, "max": 0.5},
                          "epochs": {"min": 1, "max": 3}}},
         "runner": {"data_dir": "d", "validation_size": 100, "seed": 9, "parallel_trials": 2,
                    "output_dir": "o", "tracking": {"store": "s.db", "wandb": "disabled"}}}
        """);
    assertThat(config.sweep().name()).isEqualTo("s");
    assertThat(config.sweep().method()).isEqualTo(SearchMethod.RANDOM);
    assertThat(config.sweep().metric().goal()).isEqualTo(Goal.MINIMIZE);
    assertThat(config.sweep().metric().reachesTarget(0.04)).isTrue();
    assertThat(config.sweep().parameters()).containsKeys(SweepParameter.MODEL,
        SweepParameter.LEARNING_RATE, SweepParameter.BATCH_SIZE, SweepParameter.DROPOUT,
        SweepParameter.EPOCHS);
    assertThat(config.sweep().parameters().get(SweepParameter.LEARNING_RATE))
        .isEqualTo(new ParameterDistribution.LogUniformValues(1e-4, 1e-2));
    assertThat(config.sweep().parameters().get(SweepParameter.DROPOUT))
        .isEqualTo(new ParameterDistribution.Uniform(0.1, 0.5));
    assertThat(config.sweep().parameters().get(SweepParameter.EPOCHS))
        .isEqualTo(new ParameterDistribution.IntUniform(1, 3));
    assertThat(config.runner().dataDir()).contains(Path.of("d"));
    assertThat(config.runner().validationSize()).hasValue(100);
    assertThat(config.runner().seed()).isEqualTo(9);
    assertThat(config.runner().parallelTrials()).isEqualTo(2);
    assertThat(config.runner().tracking().store()).isEqualTo("s.db");
    assertThat(config.runner().tracking().wandbMode())
        .contains(dev.mnistlab.tracking.WandbMode.DISABLED);
  }

  @Test
  void defaultsNameOutputFolderSeedAndStore() throws Exception {
    SweepConfig config = parse(grid("{\"epochs\": {\"value\": 1}}"));
    assertThat(config.sweep().name()).isEqualTo("x");
    assertThat(config.runner().outputDir()).isEqualTo(Path.of("results/x"));
    assertThat(config.runner().seed()).isEqualTo(42);
    assertThat(config.runner().dataset()).isEqualTo("mnist");
    assertThat(config.runner().tracking().store()).isEqualTo("runs/mnistlab.db");
  }

  @Test
  void takesProjectAndEntityFromTheWandbSweepUnlessTheRunnerSetsThem() throws Exception {
    String sweep = "{\"sweep\": {\"method\": \"grid\", \"project\": \"p1\", \"entity\": \"team\", "
        + METRIC + ", \"parameters\": {\"epochs\": {\"value\": 1}}}%s}";
    SweepConfig fromSweep = parse(sweep.formatted(""));
    assertThat(fromSweep.runner().tracking().project()).isEqualTo("p1");
    assertThat(fromSweep.runner().tracking().entity()).contains("team");
    SweepConfig fromRunner = parse(sweep.formatted(
        ", \"runner\": {\"tracking\": {\"project\": \"p2\"}}"));
    assertThat(fromRunner.runner().tracking().project()).isEqualTo("p2");
  }

  @Test
  void rejectsWrongValueTypeNamingTheJsonPath() {
    assertThat(error(grid("{\"batch_size\": {\"values\": [32, \"64\"]}}")))
        .isEqualTo("x.json: $.sweep.parameters.batch_size.values[1]: expected integer, got string");
  }

  @Test
  void rejectsUnknownParameterListingTheKnownOnes() {
    assertThat(error(grid("{\"momentum\": {\"value\": 0.9}}")))
        .startsWith("x.json: $.sweep.parameters: unknown key 'momentum'")
        .contains("batch_size", "learning_rate");
  }

  @Test
  void rejectsUnknownKeysAtEveryLevel() {
    assertThat(error("{\"sweep\": {\"method\": \"grid\", " + METRIC
        + ", \"parameters\": {\"epochs\": {\"value\": 1}}, \"colour\": 1}}"))
        .startsWith("x.json: $.sweep: unknown key 'colour'");
    assertThat(error("{\"sweep\": {\"method\": \"grid\", " + METRIC
        + ", \"parameters\": {\"epochs\": {\"value\": 1}}}, \"runner\": {\"sed\": 1}}"))
        .startsWith("x.json: $.runner: unknown key 'sed'");
  }

  @Test
  void rejectsMissingMetricGoal() {
    assertThat(error("{\"sweep\": {\"method\": \"grid\", \"metric\": {\"name\": \"val_loss\"},"
        + " \"parameters\": {\"epochs\": {\"value\": 1}}}}"))
        .isEqualTo("x.json: $.sweep.metric: missing required key 'goal'");
  }

  @Test
  void rejectsUnknownMethodListingTheValidOnes() {
    assertThat(error("{\"sweep\": {\"method\": \"hill\", " + METRIC
        + ", \"parameters\": {\"epochs\": {\"value\": 1}}}}"))
        .contains("$.sweep.method: expected one of").contains("grid", "bayes").contains("\"hill\"");
  }

  @Test
  void rejectsMalformedJsonWithLineAndColumn() {
    assertThat(error("{\"sweep\": {\n  \"method\": grid}}"))
        .startsWith("x.json: line 2, column").contains("malformed JSON");
  }

  @Test
  void rejectsDuplicateKeys() {
    assertThat(error("{\"sweep\": {\"method\": \"grid\", \"method\": \"random\"}}"))
        .contains("malformed JSON").contains("Duplicate field 'method'");
  }

  @Test
  void rejectsContinuousDistributionInGridSearch() {
    assertThat(error(grid("{\"learning_rate\": {\"min\": 0.001, \"max\": 0.01}}")))
        .isEqualTo("x.json: $.sweep.parameters.learning_rate: grid search needs `value`, `values`"
            + " or an int_uniform/q_uniform range, got distribution uniform");
  }

  @Test
  void rejectsRandomSearchWithoutRunCap() {
    assertThat(error("{\"sweep\": {\"method\": \"random\", " + METRIC
        + ", \"parameters\": {\"epochs\": {\"values\": [1, 2]}}}}"))
        .contains("$.sweep: missing required key 'run_cap'");
  }

  @Test
  void rejectsValuesOutsideTheParametersDomain() {
    assertThat(error(grid("{\"batch_size\": {\"values\": [32, 0]}}")))
        .isEqualTo("x.json: $.sweep.parameters.batch_size: expected an integer >= 1, got 0");
    assertThat(error(grid("{\"dropout\": {\"value\": 1.0}}")))
        .contains("$.sweep.parameters.dropout: expected a number in [0, 1), got 1.0");
  }

  @Test
  void rejectsAmbiguousOrIncompleteParameterForms() {
    assertThat(error(grid("{\"epochs\": {\"value\": 1, \"values\": [1, 2]}}")))
        .contains("$.sweep.parameters.epochs: expected exactly one of `value`, `values` or"
            + " `min`+`max`, got several");
    assertThat(error(grid("{\"epochs\": {\"min\": 1}}")))
        .contains("$.sweep.parameters.epochs: expected both `min` and `max`, got only `min`");
    assertThat(error(grid("{\"epochs\": {\"min\": 5, \"max\": 1}}")))
        .contains("expected min <= max");
  }

  @Test
  void rejectsProbabilitiesThatDoNotMatchTheValues() {
    assertThat(error("{\"sweep\": {\"method\": \"random\", \"run_cap\": 2, " + METRIC
        + ", \"parameters\": {\"batch_size\": {\"values\": [32, 64], \"probabilities\": [1.0]}}}}"))
        .contains("$.sweep.parameters.batch_size.probabilities: expected 2 entries");
    assertThat(error("{\"sweep\": {\"method\": \"random\", \"run_cap\": 2, " + METRIC
        + ", \"parameters\": {\"batch_size\": {\"values\": [32, 64], \"probabilities\": [0.5, 0.6]}}}}"))
        .contains("expected weights summing to 1");
  }

  @Test
  void namesWeightedValuesAsWandbDoes() throws Exception {
    String sweep = "{\"sweep\": {\"method\": \"random\", \"run_cap\": 2, " + METRIC
        + ", \"parameters\": {\"batch_size\": {\"values\": [32, 64], \"probabilities\": [0.5, 0.5],"
        + " \"distribution\": \"%s\"}}}}";
    assertThat(parse(sweep.formatted("categorical_w_probabilities")).sweep().parameters()
        .get(SweepParameter.BATCH_SIZE).distributionName()).isEqualTo("categorical_w_probabilities");
    assertThat(error(sweep.formatted("categorical"))).contains("$.sweep.parameters.batch_size"
        + ".distribution: expected categorical_w_probabilities for `values` with `probabilities`");
  }

  @Test
  void rejectsIntegerBoundsForARealParameterBecauseWandbWouldSampleIntegers() throws Exception {
    assertThat(error("{\"sweep\": {\"method\": \"random\", \"run_cap\": 2, " + METRIC
        + ", \"parameters\": {\"dropout\": {\"min\": 0, \"max\": 1}}}}"))
        .contains("$.sweep.parameters.dropout: min and max are both integers, which W&B reads as"
            + " int_uniform");
    assertThat(parse("{\"sweep\": {\"method\": \"random\", \"run_cap\": 2, " + METRIC
        + ", \"parameters\": {\"dropout\": {\"min\": 0.0, \"max\": 0.5}}}}").sweep().parameters()
        .get(SweepParameter.DROPOUT)).isEqualTo(new ParameterDistribution.Uniform(0, 0.5));
  }

  @Test
  void rejectsLogUniformValuesWithNonPositiveMinimum() {
    assertThat(error("{\"sweep\": {\"method\": \"random\", \"run_cap\": 2, " + METRIC
        + ", \"parameters\": {\"l2\": {\"distribution\": \"log_uniform_values\", \"min\": 0,"
        + " \"max\": 0.1}}}}"))
        .contains("$.sweep.parameters.l2.min: expected a number > 0 for log_uniform_values");
  }

  @Test
  void rejectsDistributionsMnistlabDoesNotImplement() {
    assertThat(error("{\"sweep\": {\"method\": \"random\", \"run_cap\": 2, " + METRIC
        + ", \"parameters\": {\"dropout\": {\"distribution\": \"beta\", \"min\": 0, \"max\": 1}}}}"))
        .contains("$.sweep.parameters.dropout.distribution: expected one of");
  }

  @Test
  void readsHyperbandInBothForms() throws Exception {
    SweepConfig minIter = parse("{\"sweep\": {\"method\": \"grid\", " + METRIC
        + ", \"parameters\": {\"epochs\": {\"value\": 27}},"
        + " \"early_terminate\": {\"type\": \"hyperband\", \"min_iter\": 1, \"eta\": 3}}}");
    assertThat(minIter.sweep().hyperband()).get()
        .satisfies(h -> assertThat(h.brackets()).containsExactly(1, 3, 9, 27));
    SweepConfig maxIter = parse("{\"sweep\": {\"method\": \"grid\", " + METRIC
        + ", \"parameters\": {\"epochs\": {\"value\": 27}},"
        + " \"early_terminate\": {\"type\": \"hyperband\", \"max_iter\": 27, \"s\": 2}}}");
    assertThat(maxIter.sweep().hyperband()).get()
        .satisfies(h -> assertThat(h.brackets()).containsExactly(3, 9));
    assertThat(error("{\"sweep\": {\"method\": \"grid\", " + METRIC
        + ", \"parameters\": {\"epochs\": {\"value\": 3}},"
        + " \"early_terminate\": {\"type\": \"hyperband\", \"eta\": 3}}}"))
        .contains("$.sweep.early_terminate: expected `min_iter`, or `max_iter` and `s`");
  }

  @Test
  void missingFileIsNoSuchFileException(@org.junit.jupiter.api.io.TempDir Path dir) {
    assertThatThrownBy(() -> SweepConfig.load(dir.resolve("absent.json")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  private static final String VARIANTS = """
      {"variant": {"values": [{"model": "cnn-basic", "epochs": 5},
                              {"model": "cnn-dropout", "epochs": 10, "dropout": 0.3}]},
       "batch_size": {"value": 128}}
      """;

  @Test
  void readsVariantValuesAsObjectsOfTypedParameters() throws Exception {
    SweepConfig config = parse(grid(VARIANTS));
    ParameterDistribution variant = config.sweep().parameters().get(SweepParameter.VARIANT);
    assertThat(variant).isInstanceOf(ParameterDistribution.Categorical.class);
    assertThat(variant.extremes()).containsExactly(
        java.util.Map.of("model", "cnn-basic", "epochs", 5L),
        java.util.Map.of("model", "cnn-dropout", "epochs", 10L, "dropout", 0.3));
  }

  @Test
  void readsASingleVariantObjectAsAConstant() throws Exception {
    SweepConfig config = parse(grid("{\"variant\": {\"value\": {\"model\": \"mlp\", \"epochs\": 2}}}"));
    assertThat(config.sweep().parameters().get(SweepParameter.VARIANT))
        .isEqualTo(new ParameterDistribution.Constant(java.util.Map.of("model", "mlp", "epochs", 2L)));
  }

  @Test
  void rejectsAnUnknownKeyInsideAVariantNamingItsFullPath() {
    assertThat(error(grid("""
        {"variant": {"values": [{"model": "mlp", "epochs": 1}, {"model": "mlp", "momentum": 0.9}]}}
        """)))
        .startsWith("x.json: $.sweep.parameters.variant.values[1].momentum: unknown key"
            + " (expected one of: model, optimizer, batch_size, epochs, seed, learning_rate,"
            + " dropout, l2, lr_schedule, augment)");
    assertThat(error(grid("{\"variant\": {\"value\": {\"epochs\": 1, \"variant\": {}}}}")))
        .startsWith("x.json: $.sweep.parameters.variant.value.variant: unknown key");
  }

  @Test
  void rejectsAVariantKeyThatIsAlsoSweptOnItsOwnNamingBoth() {
    assertThat(error(grid("""
        {"variant": {"values": [{"model": "mlp"}, {"model": "cnn-basic", "epochs": 3}]},
         "epochs": {"values": [1, 2]}}
        """))).isEqualTo("x.json: $.sweep.parameters.variant.values[1].epochs: 'epochs' is also"
            + " swept by $.sweep.parameters.epochs; set each parameter in one place");
  }

  @Test
  void rejectsVariantValuesOfTheWrongTypeOrOutsideTheDomainNamingTheirPath() {
    assertThat(error(grid("{\"variant\": {\"values\": [{\"epochs\": \"5\"}]}}")))
        .startsWith("x.json: $.sweep.parameters.variant.values[0].epochs: expected integer, got"
            + " string");
    assertThat(error(grid("{\"variant\": {\"values\": [{\"epochs\": 1}, {\"epochs\": 0}]}}")))
        .isEqualTo("x.json: $.sweep.parameters.variant.values[1].epochs: expected an integer >= 1,"
            + " got 0");
    assertThat(error(grid("{\"variant\": {\"values\": [{}]}}")))
        .startsWith("x.json: $.sweep.parameters.variant.values[0]: ");
    assertThat(error(grid("{\"variant\": {\"values\": [5]}}")))
        .startsWith("x.json: $.sweep.parameters.variant.values[0]: expected object, got integer");
    assertThat(error(grid("""
        {"variant": {"values": [{"model": "mlp"}, {"model": "mlp"}]}}
        """))).contains("$.sweep.parameters.variant.values: duplicate value");
  }

  @Test
  void hyperbandBracketsFollowTheVariantsEpochs() throws Exception {
    String hyperband = ", \"early_terminate\": {\"type\": \"hyperband\", \"min_iter\": 1,"
        + " \"eta\": 2}, \"parameters\": ";
    Hyperband byVariants = parse("{\"sweep\": {\"method\": \"grid\", " + METRIC + hyperband
        + VARIANTS + "}}").sweep().hyperband().orElseThrow();
    Hyperband byEpochs = parse("{\"sweep\": {\"method\": \"grid\", " + METRIC + hyperband
        + "{\"epochs\": {\"values\": [5, 10]}}}}").sweep().hyperband().orElseThrow();
    Hyperband unbounded = parse("{\"sweep\": {\"method\": \"grid\", " + METRIC + hyperband
        + "{\"batch_size\": {\"value\": 64}}}}").sweep().hyperband().orElseThrow();
    assertThat(byVariants).isEqualTo(byEpochs).isNotEqualTo(unbounded);
  }

  private static List<ConfigViolation> violations(String json) {
    try {
      parse(json);
    } catch (SweepConfigException e) {
      return e.violations();
    }
    throw new AssertionError("expected the config to be rejected: " + json);
  }

  @Test
  void violationsAreValuesWithPathKindKeyAndExpected() {
    List<ConfigViolation> found = violations("{\"sweep\": {\"method\": \"grid\", " + METRIC
        + ", \"parameters\": {\"batch_size\": {\"value\": \"big\"},"
        + " \"variant\": {\"values\": [{\"model\": \"mlp\"}, {\"momentum\": 0.9}]}},"
        + " \"colour\": 1}}");
    assertThat(found).anySatisfy(v -> {
      assertThat(v.path()).isEqualTo("$.sweep");
      assertThat(v.kind()).isEqualTo(ConfigViolation.Kind.UNKNOWN_KEY);
      assertThat(v.key()).contains("colour");
      assertThat(v.expected()).contains("run_cap");
    });
    assertThat(found).anySatisfy(v -> {
      assertThat(v.path()).isEqualTo("$.sweep.parameters.batch_size.value");
      assertThat(v.kind()).isEqualTo(ConfigViolation.Kind.TYPE);
      assertThat(v.expected()).isEqualTo("integer");
      assertThat(v.got()).contains("string");
    });
    // an unknown key inside a variant object is put in the path, so the line points at it
    assertThat(found).anySatisfy(v -> {
      assertThat(v.path()).isEqualTo("$.sweep.parameters.variant.values[1].momentum");
      assertThat(v.kind()).isEqualTo(ConfigViolation.Kind.UNKNOWN_KEY);
      assertThat(v.message()).startsWith(
          "$.sweep.parameters.variant.values[1].momentum: unknown key (expected one of: model,");
    });
  }

  @Test
  void modelNamesAreCheckedByTheParserWithTheirPath() {
    List<ConfigViolation> found = violations(grid(
        "{\"model\": {\"values\": [\"mlp\", \"lenet5\", \"resnet\"]}}"));
    assertThat(found).singleElement().satisfies(v -> {
      assertThat(v.path()).isEqualTo("$.sweep.parameters.model.values[2]");
      assertThat(v.kind()).isEqualTo(ConfigViolation.Kind.UNKNOWN_NAME);
      assertThat(v.got()).contains("resnet");
      assertThat(v.message()).startsWith(
          "$.sweep.parameters.model.values[2]: unknown model 'resnet' (expected one of: ");
    });
    assertThat(error(grid("{\"variant\": {\"value\": {\"model\": \"vgg\"}}}")))
        .contains("$.sweep.parameters.variant.value.model: unknown model 'vgg'");
  }

  @Test
  void outOfRangeIntegersAreRefusedWithTheirPathInsteadOfWrapping() {
    assertThat(error(grid("{\"epochs\": {\"value\": 99999999999}}")))
        .isEqualTo("x.json: $.sweep.parameters.epochs: expected an integer <= 2147483647,"
            + " got 99999999999");
    assertThat(error(grid("{\"epochs\": {\"value\": 4294967297},"
        + " \"batch_size\": {\"value\": 4294967360}}")))
        .contains("$.sweep.parameters.epochs: expected an integer <= 2147483647,"
            + " got 4294967297").contains("(and 1 more)");
    assertThat(error(grid("{\"epochs\": {\"values\": [1, 99999999999999999999]}}")))
        .contains("$.sweep.parameters.epochs.values[1]: expected an integer in [");
    assertThat(error("{\"sweep\": {\"method\": \"random\", " + METRIC + ", \"run_cap\": 4294967296,"
        + " \"parameters\": {\"epochs\": {\"value\": 1}}}}"))
        .isEqualTo("x.json: $.sweep.run_cap: expected an integer in [1, 100000], got 4294967296");
    assertThat(error("{\"sweep\": {\"method\": \"grid\", " + METRIC + ", \"parameters\":"
        + " {\"epochs\": {\"value\": 1}}}, \"runner\": {\"train_subset\": 4294967296}}"))
        .isEqualTo("x.json: $.runner.train_subset: expected an integer in [1, 2147483647],"
            + " got 4294967296");
  }

  @Test
  void learningRateSchedulesAndAugmentationAreSweptAndCheckedLikeAnyParameter() throws Exception {
    SweepConfig config = parse(grid("{\"lr_schedule\": {\"values\": [\"constant\", \"cosine\","
        + " \"exponential:0.85\"]}, \"augment\": {\"values\": [true, false]}}"));
    assertThat(config.sweep().parameters()).containsKeys(SweepParameter.LR_SCHEDULE,
        SweepParameter.AUGMENT);
    assertThat(error(grid("{\"lr_schedule\": {\"values\": [\"cosine\", \"linear\"]}}")))
        .isEqualTo("x.json: $.sweep.parameters.lr_schedule: expected a learning-rate schedule: "
            + dev.mnistlab.models.LearningRateSchedule.FORMS + ", got linear");
    assertThat(error(grid("{\"augment\": {\"value\": \"yes\"}}")))
        .contains("$.sweep.parameters.augment.value").contains("boolean");
    assertThat(error(grid("{\"variant\": {\"values\": [{\"model\": \"cnn-deep\","
        + " \"lr_schedule\": \"step:0:0.5\"}]}}")))
        .contains("$.sweep.parameters.variant.values[0].lr_schedule: expected a learning-rate"
            + " schedule");
  }

  @Test
  void aLearningRateThatIsNotFiniteIsRefused() {
    assertThat(error(grid("{\"learning_rate\": {\"value\": 1e999}}")))
        .isEqualTo("x.json: $.sweep.parameters.learning_rate: expected a finite number > 0,"
            + " got Infinity");
    assertThat(error(grid("{\"l2\": {\"values\": [0.1, 1e999]}}")))
        .contains("$.sweep.parameters.l2: expected a finite number >= 0, got Infinity");
  }

  @Test
  void gridsLargerThanTheLimitAreRefusedUnlessRunCapBoundsThem() throws Exception {
    StringBuilder values = new StringBuilder("[1");
    for (int i = 2; i <= 100; i++) {
      values.append(", ").append(i);
    }
    values.append("]");
    String axes = "{\"epochs\": {\"values\": " + values + "}, \"batch_size\": {\"values\": "
        + values + "}, \"seed\": {\"values\": " + values + "}, \"l2\": {\"values\": [0.0,"
        + " 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]}}";
    assertThat(error(grid(axes))).isEqualTo("x.json: $.sweep.parameters: the grid has 10000000"
        + " trials, more than the limit of 100000 a sweep may run; set $.sweep.run_cap to run part"
        + " of it, or sweep fewer values");
    SweepConfig capped = parse("{\"sweep\": {\"method\": \"grid\", " + METRIC
        + ", \"run_cap\": 50, \"parameters\": " + axes + "}}");
    assertThat(capped.sweep().plannedTrials()).isEqualTo(50);
    assertThat(parse(grid("{\"epochs\": {\"values\": " + values + "}, \"batch_size\":"
        + " {\"values\": " + values + "}}")).sweep().plannedTrials()).isEqualTo(10_000);
  }
}
