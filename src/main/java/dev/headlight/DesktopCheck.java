package dev.headlight;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Why the window cannot open on this machine, as one line, before JavaFX is touched: on Linux a display and the
 * native libraries JavaFX's GTK 3 toolkit links against; and the one-line form of a failure while the toolkit
 * starts. Without it a missing GTK 3 shows as a 12-line Java stack trace ("Unable to load glass GTK library").
 * JavaFX-free, so the command line and this check never load JavaFX.
 */
final class DesktopCheck {
    /** A native library the window needs, with the package that provides it on Debian/Ubuntu and Fedora. */
    record NativeLibrary(String soname, String what, String debianPackage, String fedoraPackage) {
    }

    /**
     * What JavaFX 26's glass (libglassgtk3.so) and font code link against, GTK first: a missing GTK also makes the
     * others it pulls in (pango, cairo) fail, and then its package is the one to name. OpenGL is not listed:
     * without it JavaFX renders in software.
     */
    static final List<NativeLibrary> LINUX_LIBRARIES = List.of(
            new NativeLibrary("libgtk-3.so.0", "GTK 3", "libgtk-3-0", "gtk3"),
            new NativeLibrary("libXtst.so.6", "the X11 XTEST library", "libxtst6", "libXtst"),
            new NativeLibrary("libfreetype.so.6", "FreeType", "libfreetype6", "freetype"),
            new NativeLibrary("libfontconfig.so.1", "Fontconfig", "libfontconfig1", "fontconfig"),
            new NativeLibrary("libpangoft2-1.0.so.0", "Pango", "libpangoft2-1.0-0", "pango"));

    /** Test hook: the GTK library to look for instead of libgtk-3.so.0 (e.g. a name that cannot load). */
    static final String GTK_LIBRARY_PROPERTY = "headlight.check.gtkLibrary";

    private static final String CLI_HINT = "the command line works without it: headlight --help";

    private DesktopCheck() {
    }

    /** The problem that keeps the window from opening here, or empty when it may open. */
    static Optional<String> problem() {
        String gtk = System.getProperty(GTK_LIBRARY_PROPERTY);
        List<NativeLibrary> libraries = gtk == null ? LINUX_LIBRARIES : LINUX_LIBRARIES.stream()
                .map(l -> l.soname().equals("libgtk-3.so.0")
                        ? new NativeLibrary(gtk, l.what(), l.debianPackage(), l.fedoraPackage()) : l)
                .toList();
        return problem(System.getProperty("os.name", ""), System.getenv(),
                "Headless".equalsIgnoreCase(System.getProperty("glass.platform")), libraries,
                DesktopCheck::loads);
    }

    static Optional<String> problem(String osName, Map<String, String> env, boolean headless,
                                    List<NativeLibrary> libraries, Predicate<String> loads) {
        if (headless || !osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.empty();
        }
        if (isBlank(env.get("DISPLAY")) && isBlank(env.get("WAYLAND_DISPLAY"))) {
            return Optional.of(noDisplay());
        }
        for (NativeLibrary library : libraries) {
            if (!loads.test(library.soname())) {
                return Optional.of(missing(library));
            }
        }
        return Optional.empty();
    }

    static String noDisplay() {
        return "headlight: no display (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open; run it "
                + "under a virtual display with 'xvfb-run headlight', or use the command line: headlight --help";
    }

    static String missing(NativeLibrary library) {
        return "headlight: the window needs " + library.what() + " (" + library.soname() + "), which cannot be "
                + "loaded; install the package " + library.debianPackage() + " (Debian/Ubuntu: sudo apt-get install "
                + library.debianPackage() + ") or " + library.fedoraPackage() + " (Fedora: sudo dnf install "
                + library.fedoraPackage() + "); " + CLI_HINT;
    }

    /**
     * One line for a failure while JavaFX starts, from the texts JavaFX 26 throws: a GTK library that does not
     * load, a display that cannot be opened, no graphics pipeline; anything else with its message.
     */
    static String describeStartFailure(Throwable failure) {
        Throwable root = failure;
        StringBuilder texts = new StringBuilder();
        for (Throwable t = failure; t != null && texts.length() < 10_000; t = t.getCause()) {
            texts.append(t.getMessage()).append('\n');
            root = t;
        }
        String all = texts.toString();
        if (all.contains("Unable to load glass GTK library")) {
            return missing(LINUX_LIBRARIES.getFirst());
        }
        if (all.contains("Unable to open DISPLAY")) {
            return "headlight: the display " + Optional.ofNullable(System.getenv("DISPLAY")).orElse("")
                    + " cannot be opened (is the X server running and may this user use it?); run it under a "
                    + "virtual display with 'xvfb-run headlight', or use the command line: headlight --help";
        }
        if (all.contains("no suitable pipeline found")) {
            return "headlight: JavaFX found no graphics pipeline (neither OpenGL nor software rendering started); "
                    + "run with --debug to see why, or use the command line: headlight --help";
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "headlight: the window could not start (" + message.replace('\n', ' ').strip()
                + "); rerun with --debug for the stack trace, or use the command line: headlight --help";
    }

    /** Whether the dynamic linker can load {@code soname} (with its dependencies) into this process. */
    static boolean loads(String soname) {
        try {
            SymbolLookup.libraryLookup(soname, Arena.global());
            return true;
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return false;
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
