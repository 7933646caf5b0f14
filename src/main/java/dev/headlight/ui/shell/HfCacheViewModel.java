package dev.headlight.ui.shell;

import dev.headlight.library.HfCacheScanner;
import dev.headlight.ui.task.TaskRunner;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.List;

/** The Hugging Face cache dialog's state: the cache's models (scanned in the background) and a summary line. */
public final class HfCacheViewModel {
    private final Path cacheRoot;
    private final TaskRunner tasks;
    private final ObservableList<HfCacheScanner.Entry> entries = FXCollections.observableArrayList();
    private final ObservableList<HfCacheScanner.Entry> readOnlyEntries = FXCollections.unmodifiableObservableList(entries);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyStringWrapper placeholder = new ReadOnlyStringWrapper(this, "placeholder", "");

    public HfCacheViewModel(Path cacheRoot, TaskRunner tasks) {
        this.cacheRoot = cacheRoot;
        this.tasks = tasks;
    }

    /** Lists the cache's models in the background. */
    public void scan() {
        placeholder.set("Scanning…");
        tasks.task("Scanning the Hugging Face cache…", ctx -> HfCacheScanner.scan(cacheRoot))
                .failureContext("Could not read the Hugging Face cache " + cacheRoot)
                .onSuccess(this::show)
                .onFinished(() -> {
                    if (entries.isEmpty()) {
                        placeholder.set("No models in " + cacheRoot);
                    }
                })
                .submit();
    }

    private void show(List<HfCacheScanner.Entry> found) {
        entries.setAll(found);
        long ok = found.stream().filter(HfCacheScanner.Entry::supported).count();
        summary.set(found.size() + " models, " + ok + " Headlight can open.");
        placeholder.set("No models in " + cacheRoot);
    }

    public Path cacheRoot() {
        return cacheRoot;
    }

    public ObservableList<HfCacheScanner.Entry> entries() {
        return readOnlyEntries;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** What the empty table says: scanning, or that the cache holds no models. */
    public ReadOnlyStringProperty placeholderProperty() {
        return placeholder.getReadOnlyProperty();
    }
}
