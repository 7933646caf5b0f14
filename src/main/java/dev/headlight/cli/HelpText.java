package dev.headlight.cli;

import java.util.List;

/** The text of --help, built from the commands' own descriptions so it cannot fall out of date. */
final class HelpText {
    private static final String NL = System.lineSeparator();
    /** What JSON output holds where a number is not finite (weights holding NaN): JSON has no such numbers. */
    static final String NON_FINITE_JSON =
            "JSON output: a number that is NaN or infinite is written as null, so the output is always valid JSON.";

    private HelpText() {
    }

    static String overview(List<Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("Headlight ").append(Cli.version())
                .append(" - attention-pattern explorer for transformer language models").append(NL).append(NL);
        sb.append("Usage:").append(NL);
        row(sb, "headlight", "open the window");
        row(sb, "headlight DIR", "open the window with a model folder (also: gui [DIR], --model DIR|ID)");
        row(sb, "headlight --exit-after-start", "open the window, analyse the model's prompt, print the start-up times "
                + "and exit (HEADLIGHT_HEADLESS=1: without a display)");
        row(sb, "headlight COMMAND [OPTIONS]", "run a command without the window");
        sb.append(NL).append("Commands:").append(NL);
        for (Command c : commands) {
            row(sb, c.name(), c.summary());
        }
        sb.append(NL).append("Options for every command:").append(NL);
        row(sb, "--help, -h", "describe the command and its options (headlight COMMAND --help)");
        row(sb, "--version", "print the version, the Java and JavaFX versions and the kernels in use");
        row(sb, "--debug", "show the stack trace when something fails");
        sb.append(NL);
        sb.append("A model folder (DIR) is a Hugging Face folder: config.json, model.safetensors (or shards with").append(NL);
        sb.append("model.safetensors.index.json) and tokenizer.json. Pickle checkpoints (*.bin, *.pt) are refused.").append(NL);
        sb.append("Wherever DIR is asked for, a Hugging Face model id (openai-community/gpt2, gpt2, org/name@rev)").append(NL);
        sb.append("also works: it is found offline in the local cache ($HF_HUB_CACHE, $HF_HOME/hub or").append(NL);
        sb.append("~/.cache/huggingface/hub) as from_pretrained finds it: refs/main's snapshot, else the newest.").append(NL);
        sb.append("Exit status: 0 success, 1 bad input or failure (one line on stderr), 2 wrong usage.").append(NL);
        sb.append(NON_FINITE_JSON).append(NL);
        return sb.toString();
    }

    static String forCommand(Command c) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: headlight ").append(c.usage()).append(NL).append(NL);
        sb.append(capitalize(c.summary())).append('.').append(NL).append(NL);
        sb.append("Options:").append(NL);
        for (Option o : c.options()) {
            row(sb, o.synopsis(), o.help() + (o.repeatable() ? " (may be repeated)" : ""));
        }
        row(sb, "--help", "show this help");
        row(sb, "--debug", "show the stack trace when something fails");
        String details = c.details();
        if (!details.isBlank()) {
            sb.append(NL).append(details.strip().replace("\n", NL)).append(NL);
        }
        if (c.options().stream().anyMatch(o -> o.name().equals("json")) || (c.summary() + details).contains("JSON")) {
            sb.append(NL).append(NON_FINITE_JSON).append(NL);
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String left, String right) {
        int width = 31;
        sb.append("  ").append(left);
        if (left.length() + 2 >= width) {
            sb.append(NL).append(" ".repeat(width));
        } else {
            sb.append(" ".repeat(width - 2 - left.length()));
        }
        sb.append(right).append(NL);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
