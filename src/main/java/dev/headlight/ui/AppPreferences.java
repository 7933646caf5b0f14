package dev.headlight.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the window remembers between runs (java.util.prefs): recent model folders, window geometry, divider
 * positions, theme, colour map. The node name comes from the system property {@code headlight.prefs.node}
 * (default "headlight") so that tests never touch a user's settings.
 */
public final class AppPreferences {
    public static final String NODE_PROPERTY = "headlight.prefs.node";
    public static final int MAX_RECENT = 10;

    private static final java.util.concurrent.Executor FLUSHER = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "headlight-preferences");
        t.setDaemon(true);
        return t;
    });

    private final Preferences node;
    private final java.util.concurrent.atomic.AtomicBoolean flushPending = new java.util.concurrent.atomic.AtomicBoolean();

    public AppPreferences(Preferences node) {
        this.node = node;
    }

    /** The user node named by {@code headlight.prefs.node}. */
    public static AppPreferences forUser() {
        return new AppPreferences(Preferences.userRoot().node(System.getProperty(NODE_PROPERTY, "headlight")));
    }

    /** Most recent first. */
    public List<Path> recentFolders() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < MAX_RECENT; i++) {
            String value = node.get("recent." + i, null);
            if (value == null) {
                break;
            }
            out.add(Path.of(value));
        }
        return out;
    }

    /** Moves {@code folder} to the front of the recent list, dropping the oldest past {@link #MAX_RECENT}. */
    public void addRecent(Path folder) {
        Path normal = folder.toAbsolutePath().normalize();
        List<Path> list = recentFolders();
        list.remove(normal);
        list.addFirst(normal);
        writeRecent(list);
    }

    public void removeRecent(Path folder) {
        List<Path> list = recentFolders();
        list.remove(folder.toAbsolutePath().normalize());
        writeRecent(list);
    }

    public void clearRecent() {
        writeRecent(List.of());
    }

    private void writeRecent(List<Path> list) {
        for (int i = 0; i < MAX_RECENT; i++) {
            if (i < list.size()) {
                node.put("recent." + i, list.get(i).toString());
            } else {
                node.remove("recent." + i);
            }
        }
        flush();
    }

    /** Window bounds as x, y, width, height, when saved. */
    public Optional<double[]> windowBounds() {
        double w = node.getDouble("window.width", -1);
        if (w <= 0) {
            return Optional.empty();
        }
        return Optional.of(new double[]{node.getDouble("window.x", 0), node.getDouble("window.y", 0), w,
                node.getDouble("window.height", 700)});
    }

    public void saveWindowBounds(double x, double y, double width, double height, boolean maximized) {
        node.putDouble("window.x", x);
        node.putDouble("window.y", y);
        node.putDouble("window.width", width);
        node.putDouble("window.height", height);
        node.putBoolean("window.maximized", maximized);
        flush();
    }

    public boolean windowMaximized() {
        return node.getBoolean("window.maximized", false);
    }

    /** Divider positions of a split pane, or empty when never saved. */
    public double[] dividers(String splitName) {
        String value = node.get("dividers." + splitName, "");
        if (value.isBlank()) {
            return new double[0];
        }
        try {
            String[] parts = value.split(",");
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = Double.parseDouble(parts[i]);
            }
            return out;
        } catch (NumberFormatException e) {
            return new double[0];
        }
    }

    public void saveDividers(String splitName, double[] positions) {
        StringBuilder sb = new StringBuilder();
        for (double p : positions) {
            sb.append(sb.isEmpty() ? "" : ",").append(p);
        }
        node.put("dividers." + splitName, sb.toString());
        flush();
    }

    /** The saved theme choice: empty = follow the system. */
    public Optional<Boolean> darkMode() {
        String v = node.get("theme.dark", "");
        return v.isEmpty() ? Optional.empty() : Optional.of(Boolean.parseBoolean(v));
    }

    public void saveDarkMode(boolean dark) {
        node.put("theme.dark", Boolean.toString(dark));
        flush();
    }

    public ColorMap colorMap() {
        try {
            return ColorMap.valueOf(node.get("colormap", ColorMap.VIRIDIS.name()));
        } catch (IllegalArgumentException e) {
            return ColorMap.VIRIDIS;
        }
    }

    public void saveColorMap(ColorMap map) {
        node.put("colormap", map.name());
        flush();
    }

    /** The attention memory budget chosen in the window, in bytes; empty = the default (see RunOptions). */
    public java.util.OptionalLong attentionBudget() {
        long v = node.getLong("attention.budget.bytes", -1);
        return v > 0 ? java.util.OptionalLong.of(v) : java.util.OptionalLong.empty();
    }

    public void saveAttentionBudget(long bytes) {
        node.putLong("attention.budget.bytes", bytes);
        flush();
    }

    public String lastPrompt(String fallback) {
        return node.get("prompt", fallback);
    }

    public void saveLastPrompt(String prompt) {
        node.put("prompt", prompt.length() > 4000 ? prompt.substring(0, 4000) : prompt);
    }

    /** Removes everything this node holds (tests). */
    public void clear() {
        try {
            node.clear();
        } catch (BackingStoreException e) {
            // nothing stored yet
        }
    }

    /**
     * Writes the node to disk on a background thread (a file write and lock that took 30-60 ms on the FX thread when
     * a model opened); the values themselves are in memory at once. Flushes asked for while one waits share it.
     */
    private void flush() {
        if (flushPending.compareAndSet(false, true)) {
            FLUSHER.execute(() -> {
                flushPending.set(false);
                try {
                    node.flush();
                } catch (BackingStoreException | IllegalStateException e) {
                    // preferences are a convenience: a read-only home (or a removed node) must not stop the program
                }
            });
        }
    }
}
