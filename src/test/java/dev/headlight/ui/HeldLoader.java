package dev.headlight.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A map loader for view-model tests that holds each fetch until the test runs it (to test late, stale answers). */
final class HeldLoader implements HeadViewModel.MapLoader {
    /** The fetches asked for, in order; running one delivers its map if it is still wanted. */
    final List<Runnable> held = new ArrayList<>();

    @Override
    public void load(BooleanSupplier wanted, Callable<float[]> work, Consumer<float[]> done,
                     Consumer<Throwable> failed) {
        held.add(() -> {
            if (wanted.getAsBoolean()) {
                try {
                    done.accept(work.call());
                } catch (Exception e) {
                    failed.accept(e);
                }
            }
        });
    }
}
