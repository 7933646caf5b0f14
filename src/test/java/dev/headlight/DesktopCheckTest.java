package dev.headlight;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-line reasons the window cannot open, from a fake dynamic linker and JavaFX 26's real error texts. */
class DesktopCheckTest {
    private static final Map<String, String> X11 = Map.of("DISPLAY", ":0");

    private static Optional<String> problem(Map<String, String> env, Set<String> missing) {
        return DesktopCheck.problem("Linux", env, false, DesktopCheck.LINUX_LIBRARIES, so -> !missing.contains(so));
    }

    @Test
    void missingGtkNamesThePackageOnDebianAndFedoraAndTheCommandLine() {
        String line = problem(X11, Set.of("libgtk-3.so.0")).orElseThrow();
        assertTrue(line.contains("GTK 3") && line.contains("apt-get install libgtk-3-0")
                && line.contains("dnf install gtk3") && line.contains("headlight --help"), line);
        assertEquals(1, line.lines().count());
    }

    @Test
    void everyOtherNativeLibraryIsNamedWithItsPackages() {
        for (DesktopCheck.NativeLibrary library : DesktopCheck.LINUX_LIBRARIES) {
            String line = problem(X11, Set.of(library.soname())).orElseThrow();
            assertTrue(line.contains(library.soname()) && line.contains("apt-get install " + library.debianPackage())
                    && line.contains("dnf install " + library.fedoraPackage()), line);
        }
        assertEquals(Optional.empty(), problem(X11, Set.of()));
        assertEquals(Optional.empty(), problem(Map.of("WAYLAND_DISPLAY", "wayland-0"), Set.of()));
    }

    @Test
    void noDisplayComesFirstAndHeadlessOrOtherSystemsAreNotChecked() {
        String line = problem(Map.of(), Set.of("libgtk-3.so.0")).orElseThrow();
        assertTrue(line.contains("xvfb-run") && line.contains("headlight --help"), line);
        assertEquals(Optional.empty(), DesktopCheck.problem("Linux", Map.of(), true, DesktopCheck.LINUX_LIBRARIES,
                so -> false));
        assertEquals(Optional.empty(), DesktopCheck.problem("Windows 11", Map.of(), false,
                DesktopCheck.LINUX_LIBRARIES, so -> false));
    }

    @Test
    void theRealCheckAsksTheDynamicLinker() {
        // libc is on every Linux machine, the other name on none
        assertTrue(DesktopCheck.loads("libc.so.6"));
        assertEquals(false, DesktopCheck.loads("libheadlight-absent.so.9"));
    }

    @Test
    void javaFxStartFailuresBecomeOneLine() {
        // the exceptions JavaFX 26.0.2 threw on this machine without GTK 3 and with an unreachable display
        String gtk = DesktopCheck.describeStartFailure(
                new UnsupportedOperationException("Unable to load glass GTK library."));
        assertTrue(gtk.contains("apt-get install libgtk-3-0") && gtk.contains("dnf install gtk3"), gtk);
        String display = DesktopCheck.describeStartFailure(new RuntimeException("Application launch exception",
                new UnsupportedOperationException("Unable to open DISPLAY")));
        assertTrue(display.contains("cannot be opened") && display.contains("xvfb-run"), display);
        String pipeline = DesktopCheck.describeStartFailure(
                new RuntimeException("Error initializing QuantumRenderer: no suitable pipeline found"));
        assertTrue(pipeline.contains("no graphics pipeline"), pipeline);
        String other = DesktopCheck.describeStartFailure(new IllegalStateException("line one\nline two"));
        assertEquals("headlight: the window could not start (line one line two); rerun with --debug for the "
                + "stack trace, or use the command line: headlight --help", other);
    }
}
