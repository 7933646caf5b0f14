package dev.headlight.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headlight.format.FormatException;
import dev.headlight.format.InputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of a training run, for a timeline slider: the {@code step-NNNNNN/} (Headlight) and
 * {@code checkpoint-N/} (Hugging Face Trainer) model folders inside a folder, sorted by step, with the loss curve and
 * per-checkpoint probe scores from {@code training.json} when it is there.
 */
public final class CheckpointTimeline {
    private static final Pattern STEP_FOLDER = Pattern.compile("(?:step|checkpoint)-(\\d+)");

    /**
     * One checkpoint folder. {@code loss}, {@code previousToken} and {@code induction} come from training.json and
     * are null when it has no entry for this step.
     *
     * @param previousToken // [layer][head]
     * @param induction     // [layer][head]
     */
    public record Entry(int step, Path folder, Double loss, double[][] previousToken, double[][] induction) {
    }

    private final Path root;
    private final List<Entry> entries;
    private final double[] loss;          // [step] training loss per step, empty without training.json
    private final double[] inContextLoss; // [step] NaN where not logged
    private final JsonNode log;           // training.json, or null
    private final WeightRecords weightRecords; // null without them

    private CheckpointTimeline(Path root, List<Entry> entries, double[] loss, double[] inContextLoss, JsonNode log,
                               WeightRecords weightRecords) {
        this.root = root;
        this.entries = List.copyOf(entries);
        this.loss = loss;
        this.inContextLoss = inContextLoss;
        this.log = log;
        this.weightRecords = weightRecords;
    }

    /**
     * True when {@code folder} has at least one step-N or checkpoint-N model folder. Lists the folder only (no
     * training.json is read): a cheap test for every model the explorer opens.
     */
    public static boolean hasCheckpoints(Path folder) {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.anyMatch(p -> stepOf(p) != null);
        } catch (IOException e) {
            throw new FormatException(folder, "cannot list: " + e.getMessage());
        }
    }

    /** The step of a step-N or checkpoint-N folder holding config.json, or null for any other path. */
    private static Integer stepOf(Path p) {
        Matcher m = STEP_FOLDER.matcher(p.getFileName().toString());
        if (!m.matches() || !Files.isDirectory(p) || !Files.isRegularFile(p.resolve("config.json"))) {
            return null;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Lists the checkpoint folders of {@code folder}; a bad training.json throws {@link FormatException}. */
    public static CheckpointTimeline scan(Path folder) {
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> s = Files.list(folder)) {
                s.filter(Files::isDirectory).forEach(candidates::add);
            } catch (IOException e) {
                throw new FormatException(folder, "cannot list: " + e.getMessage());
            }
        }
        JsonNode log = null;
        Path logFile = folder.resolve("training.json");
        if (Files.isRegularFile(logFile)) {
            try {
                log = new ObjectMapper().readTree(InputFiles.readText(logFile, InputFiles.MAX_LARGE_JSON));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw FormatException.json(logFile, e);
            }
        }
        Map<Integer, JsonNode> logged = new HashMap<>();
        if (log != null) {
            for (JsonNode c : log.path("checkpoints")) {
                logged.put(c.path("step").asInt(), c);
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (Path p : candidates) {
            Integer step = stepOf(p);
            if (step == null) {
                continue;
            }
            JsonNode c = logged.get(step);
            Double loss = c != null && c.path("loss").isNumber() ? c.path("loss").asDouble() : null;
            entries.add(new Entry(step, p, loss, c == null ? null : matrix(c.path("previous_token")),
                    c == null ? null : matrix(c.path("induction"))));
        }
        entries.sort(Comparator.comparingInt(Entry::step));
        double[] loss = series(log, "loss");
        double[] ic = series(log, "in_context_loss");
        return new CheckpointTimeline(folder, entries, loss, ic, log, WeightRecords.read(log, logFile));
    }

    private static double[][] matrix(JsonNode n) {
        if (!n.isArray() || n.isEmpty()) {
            return null;
        }
        double[][] m = new double[n.size()][];
        for (int i = 0; i < n.size(); i++) {
            m[i] = new double[n.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = n.get(i).get(j).isNumber() ? n.get(i).get(j).asDouble() : Double.NaN; // null: NaN
            }
        }
        return m;
    }

    private static double[] series(JsonNode log, String key) {
        if (log == null || !log.path(key).isArray()) {
            return new double[0];
        }
        JsonNode a = log.path(key);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).isNumber() ? a.get(i).asDouble() : Double.NaN;
        }
        return out;
    }

    public Path root() {
        return root;
    }

    /** Checkpoints sorted by step. */
    public List<Entry> checkpoints() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The checkpoint with the step closest to {@code step} (the earlier one on a tie); null when empty. */
    public Entry nearest(int step) {
        Entry best = null;
        for (Entry e : entries) {
            if (best == null || Math.abs(e.step() - step) < Math.abs(best.step() - step)) {
                best = e;
            }
        }
        return best;
    }

    /** Training loss per step from training.json ([step], step 0 = the first update); empty without a log. */
    public double[] loss() {
        return loss.clone();
    }

    /** Loss on the positions the context can predict, per step; NaN where none was logged. */
    public double[] inContextLoss() {
        return inContextLoss.clone();
    }

    /** The gradient and update norms of training.json ({@link WeightRecords} has the layout), or null. */
    public WeightRecords weightRecords() {
        return weightRecords;
    }

    /** The training task named in training.json, or null. */
    public String task() {
        return log == null ? null : log.path("task").asText(null);
    }

    /** True when the folder itself is a model (config.json at its top level: the final model). */
    public boolean hasFinalModel() {
        return Files.isRegularFile(root.resolve("config.json"));
    }

    /**
     * The first step at which the best induction score of {@code layer} reached {@code threshold}, or -1. Lets the UI
     * mark the phase change on the loss curve.
     */
    public int firstStepWithInduction(int layer, double threshold) {
        for (Entry e : entries) {
            if (e.induction() != null && layer < e.induction().length) {
                for (double v : e.induction()[layer]) {
                    if (v >= threshold) {
                        return e.step();
                    }
                }
            }
        }
        return -1;
    }
}
