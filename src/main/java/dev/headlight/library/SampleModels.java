package dev.headlight.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the window finds the model it opens at start, and the prompt it analyses then. The one place that knows
 * about the bundled {@code sample-models/} folder.
 */
public final class SampleModels {
    /** A prompt with a repeat in it, so induction and previous-token heads have something to show. */
    public static final String EXAMPLE_PROMPT = "The cat sat on the mat. The cat sat on the mat.";

    /**
     * The bundled models in the order the window offers them (the first opens at start), each with the prompt its
     * model card suggests: a repeated symbol sequence for the induction model, an indirect-object sentence for
     * the grammar model.
     */
    static final Map<String, String> PROMPTS = new LinkedHashMap<>();

    static {
        PROMPTS.put("induction-2l", "ABCDEFGHIJabcdefghijABCDEFGHIJabcdefghij");
        PROMPTS.put("tiny-lm", "When Mary and John went to the store, John gave a drink to");
    }

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

    /** The model to open at start: the first bundled model, else the first model folder under the samples root. */
    public static Optional<Path> defaultModel() {
        return samplesRoot().flatMap(root -> list(root).stream().findFirst().or(() -> firstModelUnder(root)));
    }

    /** The bundled models: folders right under the samples root holding config.json, known ones first. */
    public static List<Path> list() {
        return samplesRoot().map(SampleModels::list).orElse(List.of());
    }

    static List<Path> list(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            List<String> known = List.copyOf(PROMPTS.keySet());
            return s.filter(p -> Files.isRegularFile(p.resolve("config.json")))
                    .sorted(Comparator.comparing((Path p) -> {
                        int i = known.indexOf(p.getFileName().toString());
                        return i < 0 ? known.size() : i;
                    }).thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The prompt to analyse when {@code folder} opens as a sample (its checkpoints included). */
    public static String examplePrompt(Path folder) {
        for (Path p = folder.toAbsolutePath().normalize(); p != null && p.getFileName() != null; p = p.getParent()) {
            String prompt = PROMPTS.get(p.getFileName().toString());
            if (prompt != null) {
                return prompt;
            }
        }
        return EXAMPLE_PROMPT;
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
