package dev.headlight.library;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the model folder for what a person typed: a folder path, or a Hugging Face model id such as
 * {@code openai-community/gpt2}, {@code gpt2} or {@code gpt2@main}, looked up offline in the local hub cache
 * ({@link HfCacheScanner#defaultCacheRoot()}: {@code $HF_HUB_CACHE}, {@code $HF_HOME/hub}, else
 * {@code ~/.cache/huggingface/hub}). Nothing is downloaded.
 *
 * <p>The rule, as {@code from_pretrained(..., local_files_only=True)} resolves a revision: an existing folder wins;
 * else the id names {@code models--ORG--NAME/} (a bare NAME: {@code models--NAME/}, else the one
 * {@code models--*--NAME/} in the cache); the revision (default {@code main}) is read from {@code refs/REVISION}
 * and names {@code snapshots/COMMIT/}; a revision that is itself a snapshot folder's name is used as is. When the
 * ref is missing (a cache copied without refs/), the most recently modified snapshot is taken.
 */
public final class ModelLocator {
    /** ORG/NAME or NAME, optionally @REVISION: the characters the hub allows in repository names. */
    private static final Pattern MODEL_ID =
            Pattern.compile("(?:([A-Za-z0-9][\\w.-]*)/)?([A-Za-z0-9][\\w.-]*)(?:@([\\w./-]+))?");

    private ModelLocator() {
    }

    /** {@link #locate(String, Path)} in the cache the environment points at. */
    public static Path locate(String typed) {
        return locate(typed, HfCacheScanner.defaultCacheRoot());
    }

    /**
     * The folder for {@code typed}: itself when it exists, else the cached snapshot of the model id it names.
     *
     * @throws IllegalArgumentException with one line saying where it looked, when neither exists
     */
    public static Path locate(String typed, Path cacheRoot) {
        String value = typed.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("no model given: type a model folder or a Hugging Face model id "
                    + "such as openai-community/gpt2");
        }
        Path asPath = null;
        try {
            asPath = Path.of(value);
            if (Files.exists(asPath)) {
                return asPath;
            }
        } catch (InvalidPathException e) {
            // not a path on this system: perhaps an id
        }
        Matcher id = MODEL_ID.matcher(value);
        if (!id.matches() || value.startsWith(".")) {
            throw new IllegalArgumentException((asPath != null ? asPath.toString() : value)
                    + ": no such folder");
        }
        String org = id.group(1);
        String name = id.group(2);
        String revision = id.group(3) == null ? "main" : id.group(3);
        return cachedSnapshot(org, name, revision, cacheRoot)
                .orElseThrow(() -> new IllegalArgumentException(value + ": no such folder, and no Hugging Face "
                        + "model " + (org != null ? org + "/" : "") + name + " (revision " + revision
                        + ") in the local cache " + cacheRoot + " (looked for " + looked(org, name)
                        + "); download it there first, e.g. with huggingface-cli download, or give the model folder"));
    }

    private static String looked(String org, String name) {
        return org != null ? repoFolderName(org, name) + "/snapshots"
                : repoFolderName(null, name) + "/snapshots and models--*--" + name + "/snapshots";
    }

    private static String repoFolderName(String org, String name) {
        return "models--" + (org != null ? org + "--" : "") + name;
    }

    private static Optional<Path> cachedSnapshot(String org, String name, String revision, Path cacheRoot) {
        if (!Files.isDirectory(cacheRoot)) {
            return Optional.empty();
        }
        Path repo = cacheRoot.resolve(repoFolderName(org, name));
        if (org == null && !Files.isDirectory(repo)) {
            // "gpt2" for a model now published as openai-community/gpt2: the one cached repository of that name
            List<Path> sameName = reposNamed(cacheRoot, name);
            if (sameName.size() > 1) {
                throw new IllegalArgumentException(name + " is ambiguous in the local cache " + cacheRoot + ": "
                        + String.join(", ", sameName.stream().map(ModelLocator::repoId).toList())
                        + "; give the full id");
            }
            repo = sameName.isEmpty() ? repo : sameName.getFirst();
        }
        return snapshot(repo, revision);
    }

    private static List<Path> reposNamed(Path cacheRoot, String name) {
        try (Stream<Path> repos = Files.list(cacheRoot)) {
            return repos.filter(p -> {
                String folder = p.getFileName().toString();
                return folder.startsWith("models--") && folder.endsWith("--" + name)
                        && folder.length() > ("models--" + "--" + name).length() && Files.isDirectory(p);
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String repoId(Path repo) {
        return repo.getFileName().toString().substring("models--".length()).replace("--", "/");
    }

    /**
     * The snapshot of {@code revision} in a cached repository folder: the commit refs/REVISION names, else REVISION
     * as a snapshot folder's name, else (for main only: a cache copied without its refs) the most recently
     * modified snapshot.
     */
    static Optional<Path> snapshot(Path repo, String revision) {
        Path snapshots = repo.resolve("snapshots");
        if (!Files.isDirectory(snapshots) || revision.contains("..")) {
            return Optional.empty();
        }
        try {
            Path ref = repo.resolve("refs").resolve(revision);
            if (Files.isRegularFile(ref)) {
                Path named = snapshots.resolve(Files.readString(ref).strip());
                if (Files.isDirectory(named)) {
                    return Optional.of(named);
                }
            }
            Path direct = snapshots.resolve(revision);
            if (Files.isDirectory(direct)) {
                return Optional.of(direct);
            }
            if (!revision.equals("main")) {
                return Optional.empty();
            }
            try (Stream<Path> s = Files.list(snapshots)) {
                return s.filter(Files::isDirectory).max(Comparator.comparingLong(ModelLocator::lastModified));
            }
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
