/**
 * The interventions panels: ablation, activation patching and direct logit attribution, each a view model that
 * calls analysis ({@link dev.headlight.analysis.HeadAblation}, {@link dev.headlight.analysis.ActivationPatching},
 * {@link dev.headlight.analysis.DirectLogitAttribution}) off the FX thread and a pane that shows the result.
 *
 * <p>May use the ui package (its host interface, selection, task runner), JavaFX and the layers below.
 */
package dev.headlight.ui.interventions;
