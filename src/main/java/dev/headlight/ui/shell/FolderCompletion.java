package dev.headlight.ui.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Completions for a typed folder path: the sub-folders of the typed path's parent whose names start with its last
 * part (case-insensitive), sorted; "~" stands for the home folder. No JavaFX: the path field asks it as you type.
 */
final class FolderCompletion {
    private FolderCompletion() {
    }

    /** Up to {@code max} folder paths completing {@code typed}. */
    static List<String> suggest(String typed, int max) {
        if (typed == null || typed.isBlank()) {
            return List.of();
        }
        String text = expandHome(typed.strip());
        try {
            Path path = Path.of(text);
            boolean inside = text.endsWith("/") || text.endsWith(java.io.File.separator);
            Path parent = inside ? path : path.toAbsolutePath().getParent();
            String prefix = inside || path.getFileName() == null ? ""
                    : path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (parent == null || !Files.isDirectory(parent)) {
                return List.of();
            }
            try (Stream<Path> children = Files.list(parent)) {
                return children.filter(Files::isDirectory)
                        .filter(p -> !p.getFileName().toString().startsWith(".") || prefix.startsWith("."))
                        .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).startsWith(prefix))
                        .map(Path::toString)
                        .sorted()
                        .limit(max)
                        .toList();
            }
        } catch (InvalidPathException | IOException | SecurityException e) {
            return List.of(); // nothing to suggest for a path that cannot be read
        }
    }

    /** "~/models" as the home folder's "models". */
    static String expandHome(String typed) {
        return typed.equals("~") || typed.startsWith("~/")
                ? System.getProperty("user.home") + typed.substring(1) : typed;
    }
}
