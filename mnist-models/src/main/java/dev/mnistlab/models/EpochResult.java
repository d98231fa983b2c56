package dev.mnistlab.models;

import org.nd4j.evaluation.classification.Evaluation;

/**
 * What one training epoch achieved, reported to {@link EpochListener}s once per epoch.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch's batches (as the optimiser saw it: with
 *     dropout and L2)
 * @param trainAccuracy accuracy on a fixed sample of training images after the epoch (inference
 *     mode), {@code NaN} when no sample was configured
 * @param validationLoss mean cross-entropy on the validation split
 * @param validationAccuracy accuracy on the validation split
 * @param macroPrecision macro-averaged precision on the validation split
 * @param macroRecall macro-averaged recall on the validation split
 * @param macroF1 macro-averaged F1 on the validation split
 * @param learningRate learning rate used in this epoch
 * @param seconds wall time of the training part of the epoch (not the evaluation)
 * @param imagesPerSecond training images per second in this epoch
 * @param evaluationSeconds wall time of the validation (and train-sample) evaluation
 * @param evaluation DL4J's full validation {@link Evaluation} (confusion matrix, per-class stats);
 *     treat as read-only
 */
public record EpochResult(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double validationLoss,
    double validationAccuracy,
    double macroPrecision,
    double macroRecall,
    double macroF1,
    double learningRate,
    double seconds,
    double imagesPerSecond,
    double evaluationSeconds,
    Evaluation evaluation) {}
