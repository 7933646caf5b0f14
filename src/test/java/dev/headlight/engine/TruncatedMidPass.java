package dev.headlight.engine;

import dev.headlight.format.ErrorMessages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A separate JVM for {@link TruncatedDuringPassTest}: opens a model folder, runs passes until the kernels are
 * compiled by C2 (where a fault on a mapping used to kill the JVM), then cuts the weights file short after the
 * first layer of one more pass and reports how that pass ended the way the command line does: one line on stderr,
 * exit 1. Exit 3 means the pass read nothing past the cut (the test then proves nothing and fails).
 * <p>
 * Arguments: model folder, weights file to cut, tokens of the cut pass, warm-up passes (of 1 to 12 tokens).
 */
public final class TruncatedMidPass {

    private TruncatedMidPass() {
    }

    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        Path weights = Path.of(args[1]);
        int tokens = Integer.parseInt(args[2]);
        int warmPasses = Integer.parseInt(args[3]);
        try (Model model = Model.open(folder)) {
            int vocab = model.info().vocab();
            int[] ids = new int[12];
            Arrays.setAll(ids, i -> (i * 37 + 11) % vocab);
            dev.headlight.engine.kernel.Kernels.best().warmUp();
            for (int i = 0; i < warmPasses; i++) {
                model.run(ids, RunOptions.exact());
                model.run(Arrays.copyOf(ids, 1 + i % ids.length), RunOptions.exact());
            }
            RunOptions cutAfterFirstLayer = RunOptions.exact().withProgress((done, total) -> {
                if (done == 1) {
                    cut(weights);
                }
            });
            model.run(Arrays.copyOf(ids, tokens), cutAfterFirstLayer);
            System.out.println("the pass read nothing past the cut");
            System.exit(3);
        } catch (Throwable e) {
            System.err.println("headlight analyze: " + ErrorMessages.describe(e));
            System.exit(1);
        }
    }

    private static void cut(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(4096);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
