package dev.mnistlab.tracking;

/**
 * Who chooses a W&amp;B sweep's parameters. A {@link #LOCAL} sweep is registered so W&amp;B shows it
 * (its sweep page, parallel coordinates, parameter importance) while the caller picks each run's
 * parameters and attaches the runs itself; a {@link #WANDB} sweep is driven by W&amp;B's own
 * controller (its grid, random, bayes and hyperband), which hands runs to agents.
 */
public enum SweepController {
  /** The caller is the controller ({@code controller: {type: local}} on W&amp;B). */
  LOCAL,
  /** W&amp;B's own (cloud) controller. */
  WANDB
}
