/**
 * The command line: {@link dev.headlight.cli.Cli} dispatches to one {@link dev.headlight.cli.Command} per word
 * (analyze, tokenize, inspect, bench, synth, heads, ablate, patch, dla, train), every command read by the one
 * option parser {@link dev.headlight.cli.Args} against its {@link dev.headlight.cli.Option}s, with --help built by
 * {@link dev.headlight.cli.HelpText}. Results are JSON on stdout; a failure is one line on stderr.
 *
 * <p>Only formats and writes what the layers below compute: may use format, engine, analysis, train and library;
 * never ui or JavaFX.
 */
package dev.headlight.cli;
