package dev.mnistlab.experiments.trial;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mnistlab.models.Hyperparameters;
import dev.mnistlab.models.LearningRateSchedule;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.TrainingRecipe;
import dev.mnistlab.models.ZooModel;
import dev.mnistlab.tracking.WandbMode;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One trial as a plain value: which model with which hyperparameters, for how many epochs at
 * which batch size and seed, on which data (and split), tracked where, and in which sweep. It is
 * everything {@link TrialRunner} needs, so any scheduler (the local sweep, {@code train}, {@code
 * rerun}, a W&amp;B agent, a Spark task) can hand one over, store it ({@link #toJson()}) and get
 * it back ({@link #fromJson(String)}) unchanged.
 *
 * <p>Hyperparameters left empty take the zoo model's {@link ZooModel#recipe() recipe}; so do the
 * epochs and batch size when the builder is not given them (the spec then holds the recipe's
 * values, so a recorded spec keeps training the same even if a recipe changes later). JSON keys
 * are mnist-models' vocabulary ({@link Hyperparameters}, {@link TrainingRecipe}).
 */
public final class TrialSpec implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /** Default model when a sweep does not set one. */
  public static final String DEFAULT_MODEL = "cnn-basic";

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final String model;
  private final int epochs;
  private final int batchSize;
  private final long seed;
  private final Double learningRate;
  private final Double dropout;
  private final Double l2;
  private final String optimizer;
  private final String lrSchedule;
  private final Boolean augment;
  // the record types are immutable but not Serializable: the spec serializes as its JSON form
  private final transient DataSpec data;
  private final transient TrackingSettings tracking;
  private final transient SweepMembership membership;
  private final String runId;
  private final String wandbSweep;
  private final String json;

  private TrialSpec(Builder b) {
    this.model = Objects.requireNonNull(b.model, "model");
    TrainingRecipe recipe = recipe(b.model);
    int epochs = b.epochs != null ? b.epochs : recipe.epochs();
    int batchSize = b.batchSize != null ? b.batchSize : recipe.batchSize();
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    if (b.lrSchedule != null) {
      LearningRateSchedule.parse(b.lrSchedule); // names the accepted forms
    }
    if (b.learningRate != null && !(Double.isFinite(b.learningRate) && b.learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be finite and > 0, was "
          + b.learningRate);
    }
    this.epochs = epochs;
    this.batchSize = batchSize;
    this.seed = b.seed;
    this.learningRate = b.learningRate;
    this.dropout = b.dropout;
    this.l2 = b.l2;
    this.optimizer = b.optimizer;
    this.lrSchedule = b.lrSchedule;
    this.augment = b.augment;
    this.data = Objects.requireNonNull(b.data, "data");
    this.tracking = Objects.requireNonNull(b.tracking, "tracking");
    this.membership = b.membership;
    this.runId = b.runId;
    this.wandbSweep = b.wandbSweep;
    this.json = writeJson();
  }

  /** A builder for a spec of {@code model}; data and tracking must be set. */
  public static Builder builder(String model) {
    return new Builder().model(model);
  }

  /** A builder with this spec's values. */
  public Builder toBuilder() {
    Builder b = new Builder().model(model).epochs(epochs).batchSize(batchSize).seed(seed)
        .data(data).tracking(tracking);
    b.learningRate = learningRate;
    b.dropout = dropout;
    b.l2 = l2;
    b.optimizer = optimizer;
    b.lrSchedule = lrSchedule;
    b.augment = augment;
    b.membership = membership;
    b.runId = runId;
    b.wandbSweep = wandbSweep;
    return b;
  }

  /** The zoo model's recipe; a generic one for a name the zoo does not know (checked later). */
  private static TrainingRecipe recipe(String model) {
    return ModelZoo.names().contains(model) ? ModelZoo.get(model).recipe()
        : TrainingRecipe.of(Hyperparameters.builder().build(), ZooModel.DEFAULT_EPOCHS,
            ZooModel.DEFAULT_BATCH_SIZE);
  }

  /** The zoo model's name, e.g. {@code cnn-basic}. */
  public String model() {
    return model;
  }

  /** Epochs to train. */
  public int epochs() {
    return epochs;
  }

  /** Mini-batch size. */
  public int batchSize() {
    return batchSize;
  }

  /** Seed of weight initialisation and shuffling. */
  public long seed() {
    return seed;
  }

  /** The learning rate, when not the model's default. */
  public OptionalDouble learningRate() {
    return optional(learningRate);
  }

  /** The dropout probability, when not the model's default. */
  public OptionalDouble dropout() {
    return optional(dropout);
  }

  /** The L2 coefficient, when not the model's default. */
  public OptionalDouble l2() {
    return optional(l2);
  }

  /** The optimizer's id ({@code adam}, {@code sgd-nesterov}, {@code rmsprop}), when set. */
  public Optional<String> optimizer() {
    return Optional.ofNullable(optimizer);
  }

  /**
   * The learning-rate schedule in {@link LearningRateSchedule#parse} form, when not the model's.
   */
  public Optional<String> lrSchedule() {
    return Optional.ofNullable(lrSchedule);
  }

  /** Whether training images are augmented, when not the model's default. */
  public Optional<Boolean> augment() {
    return Optional.ofNullable(augment);
  }

  /** The data and its split. */
  public DataSpec data() {
    return data;
  }

  /** Where the run is recorded. */
  public TrackingSettings tracking() {
    return tracking;
  }

  /** The sweep this trial belongs to, if any. */
  public Optional<SweepMembership> membership() {
    return Optional.ofNullable(membership);
  }

  /**
   * The run id the trial must record under, when its scheduler was handed one (a W&amp;B agent
   * trains the run W&amp;B created); otherwise the tracker makes one.
   */
  public Optional<String> runId() {
    return Optional.ofNullable(runId);
  }

  /**
   * The key of the W&amp;B sweep recorded in the local store that the trial's run is attached to
   * (a registered sweep, or the sweep an agent joined), when there is one.
   */
  public Optional<String> wandbSweep() {
    return Optional.ofNullable(wandbSweep);
  }

  /** The stable JSON form (snake_case keys; absent values left out). */
  public String toJson() {
    return json;
  }

  /**
   * Reads the JSON form back.
   *
   * @throws IOException when the text is not a trial spec's JSON form
   */
  public static TrialSpec fromJson(String text) throws IOException {
    Form form;
    try {
      form = MAPPER.readValue(text, Form.class);
    } catch (JsonProcessingException e) {
      throw new IOException("not a trial spec: " + e.getOriginalMessage(), e);
    }
    try {
      return form.toSpec();
    } catch (RuntimeException e) {
      throw new IOException("not a valid trial spec: " + e.getMessage(), e);
    }
  }

  private String writeJson() {
    try {
      return MAPPER.writeValueAsString(Form.of(this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a trial spec always has a JSON form", e);
    }
  }

  @Serial
  private Object writeReplace() {
    return new SerializedForm(json);
  }

  @Serial
  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("TrialSpec is serialized through its JSON form");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrialSpec other && json.equals(other.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return "TrialSpec" + json;
  }

  private static OptionalDouble optional(Double d) {
    return d == null ? OptionalDouble.empty() : OptionalDouble.of(d);
  }

  /** What Java serialization writes: the JSON form. */
  private record SerializedForm(String json) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    @Serial
    private Object readResolve() throws java.io.ObjectStreamException {
      try {
        return fromJson(json);
      } catch (IOException e) {
        throw new java.io.InvalidObjectException(e.getMessage());
      }
    }
  }

  /** The JSON form; its key names are the stable format. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Form(
      @JsonProperty(ModelZoo.MODEL) String model,
      @JsonProperty(TrainingRecipe.EPOCHS) int epochs,
      @JsonProperty(TrainingRecipe.BATCH_SIZE) int batchSize,
      @JsonProperty(Hyperparameters.SEED) long seed,
      @JsonProperty(Hyperparameters.LEARNING_RATE) Double learningRate,
      @JsonProperty(Hyperparameters.DROPOUT) Double dropout,
      @JsonProperty(Hyperparameters.L2) Double l2,
      @JsonProperty(Hyperparameters.OPTIMIZER) String optimizer,
      @JsonProperty(Hyperparameters.LR_SCHEDULE) String lrSchedule,
      @JsonProperty(Hyperparameters.AUGMENT) Boolean augment,
      @JsonProperty("data") DataForm data,
      @JsonProperty("tracking") TrackingForm tracking,
      @JsonProperty("sweep") MembershipForm sweep,
      @JsonProperty("run_id") String runId,
      @JsonProperty("wandb_sweep") String wandbSweep) {

    static Form of(TrialSpec s) {
      DataSpec d = s.data;
      TrackingSettings t = s.tracking;
      return new Form(s.model, s.epochs, s.batchSize, s.seed, s.learningRate, s.dropout, s.l2,
          s.optimizer, s.lrSchedule, s.augment,
          new DataForm(d.dataset(), d.dataDir().map(Path::toString).orElse(null),
              d.validationSize().isPresent() ? d.validationSize().getAsInt() : null,
              d.trainSubset().isPresent() ? d.trainSubset().getAsInt() : null, d.splitSeed(),
              d.contentChecksums()),
          new TrackingForm(t.store(), t.wandbModeName(), t.project(), t.entity().orElse(null),
              t.tags(), t.projectSet() ? null : Boolean.FALSE),
          s.membership().map(m -> new MembershipForm(m.sweep(), m.index(), m.fingerprint(),
              m.description(), m.metric(), m.maximize(), m.parameters(),
              m.variant().orElse(null))).orElse(null),
          s.runId, s.wandbSweep);
    }

    TrialSpec toSpec() {
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(tracking, "tracking");
      Builder b = builder(model).epochs(epochs).batchSize(batchSize).seed(seed)
          .data(new DataSpec(data.dataset(), Optional.ofNullable(data.dataDir()).map(Path::of),
              data.validationSize() == null ? OptionalInt.empty()
                  : OptionalInt.of(data.validationSize()),
              data.trainSubset() == null ? OptionalInt.empty()
                  : OptionalInt.of(data.trainSubset()),
              data.splitSeed(),
              data.contentChecksums() == null ? Map.of() : data.contentChecksums()))
          .tracking(new TrackingSettings(tracking.store(),
              tracking.wandb() == null || tracking.wandb().equals("auto") ? Optional.empty()
                  : Optional.of(WandbMode.parse(tracking.wandb())),
              tracking.project(), Optional.ofNullable(tracking.entity()),
              tracking.tags() == null ? List.of() : tracking.tags(),
              !Boolean.FALSE.equals(tracking.projectSet())));
      b.learningRate = learningRate;
      b.dropout = dropout;
      b.l2 = l2;
      b.optimizer = optimizer;
      b.lrSchedule = lrSchedule;
      b.augment = augment;
      b.runId(Optional.ofNullable(runId));
      b.wandbSweep(Optional.ofNullable(wandbSweep));
      if (sweep != null) {
        b.membership(new SweepMembership(sweep.name(), sweep.trial(), sweep.fingerprint(),
            Objects.requireNonNullElse(sweep.description(), ""), sweep.metric(),
            sweep.maximize(),
            sweep.parameters() == null ? Map.of() : new LinkedHashMap<>(sweep.parameters()),
            Optional.ofNullable(sweep.variant())));
      }
      return b.build();
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DataForm(
      @JsonProperty("dataset") String dataset,
      @JsonProperty("data_dir") String dataDir,
      @JsonProperty("validation_size") Integer validationSize,
      @JsonProperty("train_subset") Integer trainSubset,
      @JsonProperty("split_seed") long splitSeed,
      @JsonProperty("content_checksums") Map<String, String> contentChecksums) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record TrackingForm(
      @JsonProperty("store") String store,
      @JsonProperty("wandb") String wandb,
      @JsonProperty("project") String project,
      @JsonProperty("entity") String entity,
      @JsonProperty("tags") List<String> tags,
      @JsonProperty("project_set") Boolean projectSet) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MembershipForm(
      @JsonProperty("name") String name,
      @JsonProperty("trial") int trial,
      @JsonProperty("fingerprint") String fingerprint,
      @JsonProperty("description") String description,
      @JsonProperty("metric") String metric,
      @JsonProperty("maximize") boolean maximize,
      @JsonProperty("parameters") Map<String, Object> parameters,
      @JsonProperty("variant") Map<String, Object> variant) {}

  /** Configures a {@link TrialSpec}. */
  public static final class Builder {
    private String model;
    private Integer epochs;
    private Integer batchSize;
    private long seed = 42;
    private Double learningRate;
    private Double dropout;
    private Double l2;
    private String optimizer;
    private String lrSchedule;
    private Boolean augment;
    private DataSpec data;
    private TrackingSettings tracking = TrackingSettings.defaults();
    private SweepMembership membership;
    private String runId;
    private String wandbSweep;

    private Builder() {}

    /** The run id to record under (default: the tracker makes one). */
    public Builder runId(Optional<String> id) {
      this.runId = id.orElse(null);
      return this;
    }

    /** The key of the recorded W&amp;B sweep the run is attached to (default: none). */
    public Builder wandbSweep(Optional<String> sweepKey) {
      this.wandbSweep = sweepKey.orElse(null);
      return this;
    }

    /** The zoo model. */
    public Builder model(String name) {
      this.model = Objects.requireNonNull(name, "model");
      return this;
    }

    /** Epochs (default: the model's recipe). */
    public Builder epochs(int n) {
      this.epochs = n;
      return this;
    }

    /** Batch size (default: the model's recipe). */
    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    /** Seed (default 42). */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** The learning rate (default: the model's). */
    public Builder learningRate(OptionalDouble rate) {
      this.learningRate = rate.isPresent() ? rate.getAsDouble() : null;
      return this;
    }

    /** The dropout probability (default: the model's). */
    public Builder dropout(OptionalDouble p) {
      this.dropout = p.isPresent() ? p.getAsDouble() : null;
      return this;
    }

    /** The L2 coefficient (default: the model's). */
    public Builder l2(OptionalDouble c) {
      this.l2 = c.isPresent() ? c.getAsDouble() : null;
      return this;
    }

    /** The optimizer id (default: the model's). */
    public Builder optimizer(Optional<String> id) {
      this.optimizer = id.orElse(null);
      return this;
    }

    /** The learning-rate schedule, {@link LearningRateSchedule#parse} form (default: the model's). */
    public Builder lrSchedule(Optional<String> schedule) {
      this.lrSchedule = schedule.orElse(null);
      return this;
    }

    /** Whether to augment training images (default: the model's). */
    public Builder augment(Optional<Boolean> on) {
      this.augment = on.orElse(null);
      return this;
    }

    /** The data. */
    public Builder data(DataSpec spec) {
      this.data = Objects.requireNonNull(spec, "data");
      return this;
    }

    /** Where the run is recorded (default {@link TrackingSettings#defaults()}). */
    public Builder tracking(TrackingSettings settings) {
      this.tracking = Objects.requireNonNull(settings, "tracking");
      return this;
    }

    /** The sweep the trial belongs to. */
    public Builder membership(SweepMembership m) {
      this.membership = Objects.requireNonNull(m, "membership");
      return this;
    }

    /** The spec. */
    public TrialSpec build() {
      return new TrialSpec(this);
    }
  }
}
