package dev.headlight.cli;

import java.io.PrintStream;
import java.util.List;

/** Writes a random-weight model folder of a chosen shape (default GPT-2 small) for benchmarks. */
final class SynthCommand implements Command {

    @Override
    public String name() {
        return "synth";
    }

    @Override
    public String summary() {
        return "write a random-weight GPT-2-style model folder of a chosen shape, for benchmarks";
    }

    @Override
    public String usage() {
        return "synth --out DIR [--layers N] [--heads N] [--d-model N] [--vocab N] [--positions N] "
                + "[--dtype f32|bf16] [--seed N]";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.value("out", "DIR", "folder to create (config.json, model.safetensors, tokenizer.json)"),
                Option.value("layers", "N", "layers (default 12)"),
                Option.value("heads", "N", "attention heads (default 12)"),
                Option.value("d-model", "N", "hidden size, a multiple of --heads (default 768)"),
                Option.value("vocab", "N", "vocabulary size (default 50257)"),
                Option.value("positions", "N", "longest input (default 1024)"),
                Option.value("dtype", "f32|bf16", "stored weight type (default f32)"),
                Option.value("seed", "N", "random seed (default 1)"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) {
        throw new CliFailure("synth is not available in this build (needs the synthetic model generator)");
    }
}
