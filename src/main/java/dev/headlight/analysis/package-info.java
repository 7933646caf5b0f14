/**
 * Head analysis and interventions: the interpreter the weights file lacks. JavaFX-free; the UI and the CLI call
 * it with a {@link dev.headlight.engine.Model} and a {@link dev.headlight.engine.Trace}.
 *
 * <h2>Per prompt (UI: colour the model view, head map panel)</h2>
 * <pre>{@code
 * HeadDistances.warmUpInBackground();                        // once, e.g. when a model opens
 * HeadAnalysisResult r = HeadAnalysis.analyze(model, trace, ProbeOptions.defaults()); // off the FX thread
 * double[][] grid = r.scoreGrid(Score.INDUCTION, true, Double.NaN); // [layer][head], probe view
 * HeadReport h = r.report(layer, head);  // scores (prompt, probe), kind, cluster, x, y
 * String legend = HeadKind.rulesText(); // the documented kind thresholds
 * }</pre>
 * {@link dev.headlight.analysis.HeadAnalysis#analyze(dev.headlight.engine.Model, dev.headlight.engine.Trace,
 * dev.headlight.analysis.ProbeOptions, java.util.function.BooleanSupplier)} runs one extra forward pass (the probe)
 * and is cancellable. Scores from a compact (float16) trace are accurate to about 1e-3; the CLI uses exact maps.
 *
 * <h2>Interventions (UI: ablate context menu, patching panel, DLA bars)</h2>
 * <ul>
 *   <li>{@link dev.headlight.analysis.HeadAblation#ablatedLogProb} one head;
 *       {@link dev.headlight.analysis.HeadAblation#map} all heads (L·H passes, progress, cancellable).</li>
 *   <li>{@link dev.headlight.analysis.ActivationPatching#run} heads and/or residual vectors (progress,
 *       cancellable); {@code headRecovery()} [layer][head], {@code residualRecovery()} [layer + 1][position].</li>
 *   <li>{@link dev.headlight.analysis.DirectLogitAttribution#compute} one pass;
 *       {@code ranked()} gives labelled bars, largest first.</li>
 * </ul>
 * <h2>Comparing (UI: compare view, timeline; CLI: compare)</h2>
 * {@link dev.headlight.analysis.WeightChange#between} relative change per tensor and head slice of two folders of the
 * same architecture and shapes; {@link dev.headlight.analysis.Comparison#models} and
 * {@link dev.headlight.analysis.Comparison#prompts} per-head Jensen–Shannon distance
 * ({@link dev.headlight.analysis.HeadDistances#matching}) of two models on one prompt or two prompts on one model.
 *
 * Positions may count from the end (-1 = last). Everything here runs the model itself: call it off the UI thread.
 *
 * <p>May use format and engine (and the linear algebra libraries EJML and ojAlgo); never train, library, ui or
 * cli, so the window and the command line share every computation here.
 */
package dev.headlight.analysis;
