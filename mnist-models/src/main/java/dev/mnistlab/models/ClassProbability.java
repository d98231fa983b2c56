package dev.mnistlab.models;

/**
 * A class and the probability the model gives it.
 *
 * @param label class index
 * @param name class name (the index as text when names are unknown)
 * @param probability softmax probability in [0, 1]
 */
public record ClassProbability(int label, String name, double probability) {}
