/**
 * What heads do according to their weights alone (Elhage et al. 2021, TransformerLens conventions): {@link
 * dev.headlight.analysis.circuits.HeadCircuits} (copying score, composition between heads) from the per-head
 * factors of {@link dev.headlight.analysis.circuits.CircuitWeights}, with small dense decompositions on EJML.
 *
 * <p>Part of the analysis layer: may use format, engine and analysis; never train, library, ui or cli.
 */
package dev.headlight.analysis.circuits;
