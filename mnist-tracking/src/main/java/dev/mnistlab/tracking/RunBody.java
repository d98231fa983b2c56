package dev.mnistlab.tracking;

/**
 * The work done inside a tracked run by {@link Tracker#run(RunSpec, RunBody)}.
 *
 * @param <T> what the work returns
 * @param <E> the checked exception it may throw
 */
@FunctionalInterface
public interface RunBody<T, E extends Exception> {
  /** Does the work, recording into {@code run}. */
  T apply(Run run) throws E;
}
