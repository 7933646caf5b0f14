package dev.headlight.library;

import dev.headlight.engine.kernel.Kernels;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/**
 * What this build is and what it runs on: the Headlight version (from the pom), the Java runtime, the JavaFX
 * version and the kernel implementation the engine chose. {@code headlight --version} and Help > About show the
 * same lines. Reads JavaFX's version from its module descriptor, so nothing of JavaFX is loaded.
 */
public final class AboutInfo {
    private static final Properties BUILD = load();

    private AboutInfo() {
    }

    /** The project version set in the pom, e.g. "0.2.0"; "dev" when the build properties are missing. */
    public static String version() {
        return BUILD.getProperty("version", "dev");
    }

    /** e.g. "25.0.3+9-LTS (Eclipse Adoptium)". */
    public static String javaVersion() {
        return Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
    }

    /**
     * The JavaFX version of the javafx.base module in the boot layer; when JavaFX is not on the module path (it is
     * on the class path in some setups) the version Headlight was built against, so marked.
     */
    public static String javaFxVersion() {
        return ModuleLayer.boot().findModule("javafx.base")
                .flatMap(m -> m.getDescriptor().rawVersion())
                .orElseGet(() -> BUILD.getProperty("javafx", "unknown") + " (built against; not on the module path)");
    }

    /** The kernel implementation the engine uses, e.g. "vector-256, threads: 2". */
    public static String kernels() {
        Kernels kernels = Kernels.best();
        return kernels.name() + ", threads: " + kernels.threads();
    }

    /** The lines of {@code headlight --version} and Help > About, first "headlight VERSION". */
    public static List<String> lines() {
        return List.of("headlight " + version(),
                "Java " + javaVersion() + ", " + System.getProperty("java.home"),
                "JavaFX " + javaFxVersion(),
                "kernels " + kernels());
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = AboutInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // the defaults of version() and javaFxVersion() apply
        }
        return p;
    }
}
