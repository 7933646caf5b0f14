package dev.headlight.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the window finds the model it opens at start, and the prompt it analyses then. The one place that knows
 * about the bundled {@code sample-models/} folder.
 */
public final class SampleModels {
    /** A prompt with a repeat in it, so induction and previous-token heads have something to show. */
    public static final String EXAMPLE_PROMPT = "The cat sat on the mat. The cat sat on the mat.";

    private SampleModels() {
    }

    /**
     * The folder of bundled sample models: system property {@code headlight.samples}, else {@code sample-models}
     * in the working directory, else beside the jar (the jar's folder and its parent).
     */
    public static Optional<Path> samplesRoot() {
        String property = System.getProperty("headlight.samples");
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        Path cwd = Path.of("sample-models");
        if (Files.isDirectory(cwd)) {
            return Optional.of(cwd);
        }
        try {
            Path jar = Path.of(SampleModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("sample-models");
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
                if (dir.getNameCount() < jar.getNameCount() - 3) {
                    break;
                }
            }
        } catch (Exception e) {
            // no code source (e.g. a custom class loader): only the working directory counts
        }
        return Optional.empty();
    }

    /** The model to open at start: the first model folder (holding config.json) under the samples root. */
    public static Optional<Path> defaultModel() {
        return samplesRoot().flatMap(SampleModels::firstModelUnder);
    }

    /** The first folder under {@code root} (itself, then by name, two levels deep) that holds a config.json. */
    public static Optional<Path> firstModelUnder(Path root) {
        if (Files.isRegularFile(root.resolve("config.json"))) {
            return Optional.of(root);
        }
        try (Stream<Path> s = Files.walk(root, 3)) {
            List<Path> candidates = s.filter(p -> Files.isRegularFile(p.resolve("config.json")))
                    .sorted(Comparator.comparing(Path::toString)).toList();
            return candidates.stream().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
