/**
 * The mnistlab model zoo, training with per-epoch evaluation, persistence and prediction, on
 * Deeplearning4j.
 *
 * <p>Entry points: {@link dev.mnistlab.models.ModelZoo} (named networks such as {@code cnn-dropout}),
 * {@link dev.mnistlab.models.Trainer} (epochs, evaluation once per epoch, early stopping, learning-rate
 * schedule), {@link dev.mnistlab.models.ModelFiles} (save/load with metadata) and
 * {@link dev.mnistlab.models.Predictor} (IDX files and PNG/JPEG digits). {@link
 * dev.mnistlab.models.Dl4jRuntime} holds the CPU set-up that makes DL4J fast; the zoo, the trainer and
 * the loader apply it automatically.
 */
package dev.mnistlab.models;
