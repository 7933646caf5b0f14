package dev.headlight.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headlight.format.safetensors.SafetensorsFile;
import dev.headlight.format.safetensors.SafetensorsWriter;
import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/** Writes modified copies of fixture model folders for tests. */
final class FolderCopies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FolderCopies() {
    }

    /** Copies every non-weights file (config.json, tokenizer files) of a fixture into {@code target}. */
    static void copyFiles(String fixture, Path target) {
        try (Stream<Path> files = Files.list(Fixtures.modelFolder(fixture))) {
            Files.createDirectories(target);
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".safetensors") && !name.equals(TensorStore.INDEX_FILE)) {
                    Files.copy(f, target.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full copy of the fixture's folder with its weights in one model.safetensors. */
    static Path copy(String fixture, Path target) {
        return copyRewritingWeights(fixture, target, (tensor, writer) -> addRaw(writer, tensor.name(), tensor));
    }

    /**
     * A copy whose model.safetensors is rewritten: {@code rewrite} is called once per stored tensor (in file
     * order) and adds whatever it wants to the writer.
     */
    static Path copyRewritingWeights(String fixture, Path target, BiConsumer<Tensor, SafetensorsWriter> rewrite) {
        copyFiles(fixture, target);
        SafetensorsWriter writer = new SafetensorsWriter();
        try (TensorStore store = TensorStore.open(Fixtures.modelFolder(fixture))) {
            for (String name : store.names()) {
                rewrite.accept(store.tensor(name), writer);
            }
            writer.write(target.resolve(TensorStore.SINGLE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    static void addRaw(SafetensorsWriter writer, String name, Tensor tensor) {
        writer.addRaw(name, tensor.dtype(), tensor.segment().toArray(ValueLayout.JAVA_BYTE), tensor.shape());
    }

    /** Edits target/config.json in place. */
    static void editConfig(Path target, Consumer<ObjectNode> edit) {
        Path config = target.resolve("config.json");
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(config.toFile());
            edit.accept(root);
            JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T withFile(Path file, Function<SafetensorsFile, T> body) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return body.apply(f);
        }
    }
}
