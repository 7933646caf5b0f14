/**
 * The q·k panel (BertViz's neuron view): the selected head's query and key vectors for the selected attention
 * cell, their elementwise product, sum, scaling and the row's softmax, computed by
 * {@link dev.headlight.analysis.QkCell} off the FX thread, and the stored W_Q/W_K rows behind them.
 *
 * <p>May use the ui package (its host interface, selection, task runner), JavaFX and the layers below.
 */
package dev.headlight.ui.qk;
