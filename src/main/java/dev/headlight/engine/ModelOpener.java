package dev.headlight.engine;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * What {@link Model#open} delegates to: engine.arch's ModelLoader, named in
 * META-INF/services/dev.headlight.engine.ModelOpener, so that this package (the engine's API) does not depend on
 * its implementation and the two packages form no cycle.
 */
public interface ModelOpener {

    /** Opens a Hugging Face model folder; see {@link Model#open}. */
    Model open(Path folder);

    /** The installed opener, found once. */
    static ModelOpener installed() {
        return Installed.OPENER;
    }

    /** Holder: the lookup runs on first use. */
    final class Installed {
        private static final ModelOpener OPENER = ServiceLoader.load(ModelOpener.class, Model.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no model loader installed: "
                        + "META-INF/services/dev.headlight.engine.ModelOpener is missing from the class path"));

        private Installed() {
        }
    }
}
