/**
 * The training lab: train a small GPT-2 from the window (train's {@link dev.headlight.train.Trainer}) and watch it
 * live (loss, probe scores, the share of the attention update per head, the norms of each tensor group), and the
 * Timeline: scrub through any run's checkpoints with its losses, probe scores, circuit scores, gradient norms and
 * weight changes; opening a checkpoint shows it in the explorer. Each panel is a view model
 * ({@code TrainingLabViewModel}, {@code LabWeightsViewModel}, {@code TimelineViewModel},
 * {@code WeightChangeViewModel}) with views that only draw it; background work goes through the one task runner.
 *
 * <p>May use the ui package (its host interface, task runner), JavaFX, train and the layers below.
 */
package dev.headlight.ui.lab;
