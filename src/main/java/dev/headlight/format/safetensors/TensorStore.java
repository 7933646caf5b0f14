package dev.headlight.format.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.headlight.format.FormatException;
import dev.headlight.format.InputFiles;
import dev.headlight.format.JsonTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * All weights of a model folder: one {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}. Pickle checkpoints (pytorch_model.bin, *.pt, *.pth, *.ckpt) are refused
 * without ever being read.
 */
public final class TensorStore implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path folder;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> owner; // tensor name -> file holding it, in file order

    private TensorStore(Path folder, List<SafetensorsFile> files, Map<String, SafetensorsFile> owner) {
        this.folder = folder;
        this.files = files;
        this.owner = owner;
    }

    /** Opens the weights of a model folder. */
    public static TensorStore open(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new FormatException(folder, "is not a folder");
        }
        Path index = folder.resolve(INDEX_FILE);
        // exists, not isRegularFile: a named pipe or device under these names is refused, never passed over
        if (Files.exists(index)) {
            return openSharded(folder, index);
        }
        Path single = folder.resolve(SINGLE_FILE);
        if (Files.exists(single)) {
            return fromFiles(folder, List.of(single));
        }
        List<Path> others = listSafetensors(folder);
        if (!others.isEmpty()) {
            return fromFiles(folder, others);
        }
        List<String> pickles = listPickles(folder);
        if (!pickles.isEmpty()) {
            throw new FormatException(folder, "holds only PyTorch pickle weights (" + String.join(", ", pickles)
                    + "); Headlight needs safetensors and never loads pickles. Convert with "
                    + "model.save_pretrained(dir, safe_serialization=True)");
        }
        throw new FormatException(folder, "has no model.safetensors or " + INDEX_FILE);
    }

    private static TensorStore openSharded(Path folder, Path index) {
        JsonNode root;
        try {
            root = JsonTrees.parse(InputFiles.readText(index, InputFiles.MAX_LARGE_JSON), true);
        } catch (JsonProcessingException e) {
            throw FormatException.json(index, e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new FormatException(index, "has no weight_map");
        }
        Map<String, String> tensorToShard = new LinkedHashMap<>();
        Set<String> shardNames = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new FormatException(index, "weight_map entry for '" + e.getKey() + "' is not a file name");
            }
            String shard = e.getValue().asText();
            checkPlainFileName(index, e.getKey(), shard);
            tensorToShard.put(e.getKey(), shard);
            shardNames.add(shard);
        }
        List<Path> shardPaths = new ArrayList<>();
        for (String shard : shardNames) {
            Path shardPath = folder.resolve(shard);
            if (!Files.isRegularFile(shardPath)) {
                throw new FormatException(index, "lists shard '" + shard + "' which is missing from the folder");
            }
            shardPaths.add(shardPath);
        }
        TensorStore store = fromFiles(folder, shardPaths);
        try {
            for (Map.Entry<String, String> e : tensorToShard.entrySet()) {
                SafetensorsFile holder = store.owner.get(e.getKey());
                if (holder == null || !holder.path().getFileName().toString().equals(e.getValue())) {
                    throw new FormatException(index, "says tensor '" + e.getKey() + "' is in " + e.getValue()
                            + " but " + (holder == null ? "no shard holds it" : "it is in " + holder.path().getFileName()));
                }
            }
            for (String name : store.owner.keySet()) {
                if (!tensorToShard.containsKey(name)) {
                    throw new FormatException(index, "does not list tensor '" + name + "' found in "
                            + store.owner.get(name).path().getFileName());
                }
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** Shard names must be plain file names: no folders, no "..", nothing absolute. */
    private static void checkPlainFileName(Path index, String tensor, String shard) {
        if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals(".")
                || shard.equals("..") || shard.contains(":") || shard.indexOf('\0') >= 0) {
            throw new FormatException(index, "shard name \"" + shard + "\" for tensor '" + tensor
                    + "' is not a plain file name inside the model folder");
        }
    }

    private static TensorStore fromFiles(Path folder, List<Path> paths) {
        List<SafetensorsFile> opened = new ArrayList<>();
        Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
        try {
            for (Path path : paths) {
                SafetensorsFile file = SafetensorsFile.open(path);
                opened.add(file);
                for (String name : file.tensorInfos().keySet()) {
                    SafetensorsFile previous = owner.putIfAbsent(name, file);
                    if (previous != null) {
                        throw new FormatException(path, "tensor '" + name + "' is also in "
                                + previous.path().getFileName());
                    }
                }
            }
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
        return new TensorStore(folder, List.copyOf(opened), Collections.unmodifiableMap(owner));
    }

    private static List<Path> listSafetensors(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".safetensors") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new FormatException(folder, "cannot be listed (" + e.getMessage() + ")");
        }
    }

    private static List<String> listPickles(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth")
                            || n.endsWith(".ckpt") || n.endsWith(".pkl"))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    public Path folder() {
        return folder;
    }

    public List<SafetensorsFile> files() {
        return files;
    }

    /** Tensor names in file order. */
    public Set<String> names() {
        return owner.keySet();
    }

    public boolean contains(String name) {
        return owner.containsKey(name);
    }

    public TensorInfo info(String name) {
        return fileOf(name).tensorInfos().get(name);
    }

    public Tensor tensor(String name) {
        return fileOf(name).tensor(name);
    }

    /** The file holding tensor {@code name}; an error naming the folder when no file does. */
    private SafetensorsFile fileOf(String name) {
        SafetensorsFile file = owner.get(name);
        if (file == null) {
            throw new FormatException(folder, "has no tensor named '" + name + "'");
        }
        return file;
    }

    /** Total bytes of tensor data. */
    public long dataBytes() {
        return owner.keySet().stream().mapToLong(n -> info(n).byteSize()).sum();
    }

    /**
     * Refuses to go on when a weights file changed on disk since it was opened (its size or modification time):
     * its mapping may now reach past the file's end.
     *
     * @throws FormatException naming the file and what changed
     */
    public void checkUnchanged() {
        files.forEach(SafetensorsFile::checkUnchanged);
    }

    /**
     * The error to report for a fault while reading the mapped weights ({@code fault}, the JVM's InternalError
     * for an access the file no longer backs): names the file that changed, if one did.
     */
    public RuntimeException faultDuringPass(InternalError fault) {
        for (SafetensorsFile file : files) {
            try {
                file.checkUnchanged();
            } catch (FormatException changed) {
                changed.addSuppressed(fault);
                return changed;
            }
        }
        return new FormatException(folder, "reading the weights failed (" + fault.getMessage()
                + "); was a file changed while the model was open?", fault);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
