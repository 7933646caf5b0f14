package dev.headlight.ui.lab;

import dev.headlight.engine.Model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The last few checkpoints opened from a timeline, so scrubbing back and forth does not reopen them. Thread-safe:
 * {@link #open} runs on the explorer's loader thread. A model still on screen ({@code inUse}) is kept past the
 * capacity and closed once it is evicted while not shown.
 */
public final class CheckpointCache implements AutoCloseable {
    private final int capacity;
    private final Predicate<Model> inUse;
    private final LinkedHashMap<Path, Model> models = new LinkedHashMap<>(16, 0.75f, true); // access order
    private boolean closed;

    public CheckpointCache(int capacity, Predicate<Model> inUse) {
        this.capacity = capacity;
        this.inUse = inUse;
    }

    /** The open model of {@code folder}, opening it (off the FX thread: this may take a while) when not cached. */
    public Model open(Path folder) {
        Path key = folder.toAbsolutePath().normalize();
        synchronized (this) {
            Model cached = models.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Model opened = Model.open(key);
        List<Model> evicted = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                opened.close();
                throw new IllegalStateException("the timeline was closed");
            }
            Model raced = models.putIfAbsent(key, opened);
            if (raced != null) {
                evicted.add(opened);
                opened = raced;
            }
            Iterator<Map.Entry<Path, Model>> it = models.entrySet().iterator();
            while (models.size() > capacity && it.hasNext()) {
                Map.Entry<Path, Model> e = it.next();
                if (e.getValue() != opened && !inUse.test(e.getValue())) {
                    evicted.add(e.getValue());
                    it.remove();
                }
            }
        }
        evicted.forEach(Model::close);
        return opened;
    }

    public synchronized int size() {
        return models.size();
    }

    public synchronized boolean contains(Model m) {
        return models.containsValue(m);
    }

    /** Closes every cached model; call once nothing shows them any more. */
    @Override
    public void close() {
        List<Model> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(models.values());
            models.clear();
        }
        all.forEach(Model::close);
    }
}
