package dev.headlight.library;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** A readable name for a model folder. */
public final class ModelNames {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private ModelNames() {
    }

    /**
     * "org/name" for a Hugging Face cache snapshot, the parent's name for folders called "model" (as the fixtures
     * and many exports are), otherwise the folder's own name.
     */
    public static String displayName(Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        int n = f.getNameCount();
        if (n >= 3 && f.getName(n - 2).toString().equals("snapshots")
                && f.getName(n - 3).toString().startsWith("models--")) {
            return f.getName(n - 3).toString().substring("models--".length()).replace("--", "/");
        }
        String name = f.getFileName() == null ? f.toString() : f.getFileName().toString();
        if ((name.equals("model") || COMMIT.matcher(name).matches()) && f.getParent() != null
                && f.getParent().getFileName() != null) {
            return f.getParent().getFileName().toString();
        }
        return name;
    }
}
