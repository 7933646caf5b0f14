package dev.headlight.cli;

import dev.headlight.engine.kernel.Kernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Help, version, usage errors and the one-line failure rule, none of which need a model. */
class CliTest {

    /** A failure is exactly one stderr line, with no exception class names or stack frames. */
    static void assertOneLineFailure(CliRunner r, int status) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(1, r.errLines().size(), "exactly one stderr line: " + r);
        String line = r.errLines().getFirst();
        assertFalse(line.contains("Exception"), line);
        assertFalse(line.contains("at dev."), line);
        assertFalse(line.contains("at java."), line);
        assertTrue(line.startsWith("headlight"), line);
    }

    @Test
    void helpMentionsEveryCommand() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.status());
        assertEquals("", r.err());
        for (Command c : Cli.COMMANDS) {
            assertTrue(r.out().contains("\n  " + c.name() + " "), "lists " + c.name() + ":\n" + r.out());
            assertTrue(r.out().contains(c.summary()), c.name());
        }
        assertTrue(r.out().contains("--version"));
        assertTrue(r.out().contains("--debug"));
        assertEquals(r.out(), CliRunner.run("-h").out());
        assertEquals(r.out(), CliRunner.run("help").out());
    }

    @Test
    void everyCommandDescribesEveryOption() {
        for (Command c : Cli.COMMANDS) {
            CliRunner r = CliRunner.run(c.name(), "--help");
            assertEquals(0, r.status(), c.name());
            assertTrue(r.out().startsWith("Usage: headlight " + c.usage()), r.out());
            for (Option o : c.options()) {
                assertTrue(r.out().contains(o.synopsis()), c.name() + " --help lacks " + o.synopsis());
                assertTrue(r.out().contains(o.help()), c.name() + " --help lacks the help of " + o.synopsis());
                assertTrue(c.usage().contains("--" + o.name()), c.name() + " usage lacks --" + o.name());
            }
            assertEquals(r.out(), CliRunner.run("help", c.name()).out());
            // --help wins even after other options
            assertEquals(r.out(), CliRunner.run(c.name(), "--model", "x", "--help").out());
        }
    }

    @Test
    void versionNamesTheBuildTheJavaTheJavaFxAndTheKernels() {
        CliRunner r = CliRunner.run("--version");
        assertEquals(0, r.status());
        List<String> lines = r.outLines();
        assertEquals(4, lines.size(), r.out());
        // the pom's version, filled in by resource filtering (never the "dev" fallback in a Maven build)
        assertEquals("headlight " + System.getProperty("headlight.expectedVersion"), lines.get(0));
        assertEquals("Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("java.home"), lines.get(1));
        assertTrue(lines.get(2).startsWith("JavaFX " + System.getProperty("headlight.expectedJavaFx")), lines.get(2));
        assertEquals("kernels " + Kernels.best().name() + ", threads: " + Kernels.best().threads(), lines.get(3));
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRunner r = CliRunner.run("analyse", "--model", "x");
        assertOneLineFailure(r, 2);
        assertTrue(r.err().contains("'analyse'") && r.err().contains("--help"), r.err());
        assertOneLineFailure(CliRunner.run("--frobnicate"), 2);
        assertOneLineFailure(CliRunner.run(), 2);
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner r = CliRunner.run("inspect", "--model", "x", "--colour");
        assertOneLineFailure(r, 2);
        assertTrue(r.err().contains("--colour") && r.err().contains("headlight inspect --help"), r.err());
    }

    @Test
    void missingOrMalformedValuesAreUsageErrors() {
        assertOneLineFailure(CliRunner.run("inspect"), 2);
        assertOneLineFailure(CliRunner.run("inspect", "--model"), 2);
        assertOneLineFailure(CliRunner.run("tokenize", "--model", "x"), 2);
        assertOneLineFailure(CliRunner.run("analyze", "--model", "x", "--out"), 2);
        assertOneLineFailure(CliRunner.run("analyze", "--model", "x", "--ids", "1,a", "--out", "o.safetensors"), 2);
        assertOneLineFailure(CliRunner.run("bench", "--model", "x", "--runs", "many"), 2);
        assertOneLineFailure(CliRunner.run("bench", "--model", "x", "--runs", "0"), 2);
        assertOneLineFailure(CliRunner.run("inspect", "--model", "a", "--model", "b"), 2);
        assertOneLineFailure(CliRunner.run("inspect", "stray", "--model", "a"), 2);
        assertOneLineFailure(CliRunner.run("inspect", "--json=yes", "--model", "a"), 2);
        CliRunner missing = CliRunner.run("analyze", "--model", "--out", "o.safetensors");
        assertOneLineFailure(missing, 2);
        assertTrue(missing.err().contains("--model needs a value"), missing.err());
    }

    @Test
    void missingModelFolderIsOneLineNamingIt(@TempDir Path dir) {
        Path absent = dir.resolve("no-such-model");
        for (String[] args : List.of(
                new String[]{"inspect", "--model", absent.toString()},
                new String[]{"analyze", "--model", absent.toString(), "--prompt", "hi", "--out",
                        dir.resolve("o.safetensors").toString()},
                new String[]{"bench", "--model", absent.toString()},
                new String[]{"tokenize", "--model", absent.toString(), "--text", "hi"})) {
            CliRunner r = CliRunner.run(args);
            assertOneLineFailure(r, 1);
            assertTrue(r.err().contains(absent.toString()), r.err());
        }
        assertFalse(Files.exists(dir.resolve("o.safetensors")));
    }

    @Test
    void modelThatIsAFileIsRefused(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("model.safetensors"), "x");
        CliRunner r = CliRunner.run("inspect", "--model", file.toString());
        assertOneLineFailure(r, 1);
        assertTrue(r.err().contains(file.toString()) && r.err().contains("folder"), r.err());
    }

    @Test
    void tokenizeSaysWhichCharactersTheVocabularyLacks() {
        CliRunner r = CliRunner.run("tokenize", "--model", "sample-models/induction-2l", "--text",
                "The cat sat on the mat.");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("\"dropped\":[{\"start\":3,\"end\":4,\"text\":\" \"}"), r.out());
        assertTrue(r.out().contains("{\"start\":22,\"end\":23,\"text\":\".\"}],\"unknown\":[]"), r.out());
        assertTrue(r.err().contains("headlight tokenize: not in the vocabulary, dropped: '␣' ×5, '.' in \"The cat"),
                r.err());
        CliRunner clean = CliRunner.run("tokenize", "--model", "src/test/resources/fixtures/gpt2-tiny/model",
                "--text", "The cat sat on the mat.");
        assertTrue(clean.out().contains("\"dropped\":[],\"unknown\":[]"), clean.out());
        assertFalse(clean.err().contains("not in the vocabulary"), clean.err());
    }

    @Test
    void tokenizerFolderWithoutTokenizerJsonIsRefused(@TempDir Path dir) {
        CliRunner r = CliRunner.run("tokenize", "--model", dir.toString(), "--text", "hi");
        assertOneLineFailure(r, 1);
        assertTrue(r.err().contains("tokenizer.json"), r.err());
    }

    @Test
    void debugShowsTheStackTrace(@TempDir Path dir) {
        Path absent = dir.resolve("absent");
        CliRunner quiet = CliRunner.run("inspect", "--model", absent.toString());
        CliRunner debug = CliRunner.run("inspect", "--debug", "--model", absent.toString());
        assertEquals(quiet.status(), debug.status());
        assertEquals(quiet.errLines().getFirst(), debug.errLines().getFirst());
        assertTrue(debug.errLines().size() > 1, debug.toString());
        assertTrue(debug.err().contains("at dev.headlight."), debug.err());
        CliRunner first = CliRunner.run("--debug", "inspect", "--model", absent.toString());
        assertEquals(debug.errLines().subList(0, 2), first.errLines().subList(0, 2), "--debug works anywhere");
    }

    @Test
    void aCommandsFailureBecomesOneLine() {
        Command failing = new Command("y", "y", "y", List.of(), "") {
            public int run(Args args, java.io.PrintStream out, java.io.PrintStream err) {
                throw new IllegalStateException("broken\nreally");
            }
        };
        java.io.ByteArrayOutputStream errBytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream errStream = new java.io.PrintStream(errBytes, true);
        assertEquals(1, Cli.runWith(List.of(failing), new String[]{"y", "--debug"}, System.out, errStream));
        assertTrue(errBytes.toString().startsWith("headlight y: broken\\nreally" + System.lineSeparator()),
                errBytes.toString());
    }
}
