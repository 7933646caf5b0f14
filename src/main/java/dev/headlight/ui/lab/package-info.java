/**
 * The training lab: train a small GPT-2 from the window (train's {@link dev.headlight.train.Trainer}) and watch its
 * checkpoints on a timeline of losses and probe scores; opening a checkpoint shows it in the explorer.
 *
 * <p>May use the ui package (its host interface, task runner), JavaFX, train and the layers below.
 */
package dev.headlight.ui.lab;
