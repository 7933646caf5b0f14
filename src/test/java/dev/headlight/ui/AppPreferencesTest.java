package dev.headlight.ui;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppPreferencesTest {
    private Preferences node;
    private AppPreferences prefs;

    @BeforeEach
    void setUp() {
        node = Preferences.userRoot().node("headlight-test-" + ProcessHandle.current().pid() + "-prefs");
        prefs = new AppPreferences(node);
        prefs.clear();
    }

    @AfterEach
    void tearDown() throws BackingStoreException {
        node.removeNode();
    }

    @Test
    void recentFoldersAreMostRecentFirstWithoutDuplicates() {
        prefs.addRecent(Path.of("/models/a"));
        prefs.addRecent(Path.of("/models/b"));
        prefs.addRecent(Path.of("/models/a"));
        assertEquals(List.of(Path.of("/models/a"), Path.of("/models/b")), prefs.recentFolders());
        prefs.removeRecent(Path.of("/models/a"));
        assertEquals(List.of(Path.of("/models/b")), prefs.recentFolders());
    }

    @Test
    void recentListKeepsTheLastTen() {
        for (int i = 0; i < 15; i++) {
            prefs.addRecent(Path.of("/models/m" + i));
        }
        List<Path> recent = prefs.recentFolders();
        assertEquals(AppPreferences.MAX_RECENT, recent.size());
        assertEquals(Path.of("/models/m14"), recent.getFirst());
        assertEquals(Path.of("/models/m5"), recent.getLast());
        prefs.clearRecent();
        assertTrue(prefs.recentFolders().isEmpty());
    }

    @Test
    void geometryThemeAndColoursSurviveAReload() {
        prefs.saveWindowBounds(10, 20, 1200, 800, true);
        prefs.saveDividers("main", new double[]{0.25, 0.75});
        prefs.saveDarkMode(true);
        prefs.saveColorMap(ColorMap.MAGMA);
        AppPreferences reloaded = new AppPreferences(node);
        assertArrayEquals(new double[]{10, 20, 1200, 800}, reloaded.windowBounds().orElseThrow());
        assertTrue(reloaded.windowMaximized());
        assertArrayEquals(new double[]{0.25, 0.75}, reloaded.dividers("main"));
        assertEquals(0, reloaded.dividers("other").length);
        assertTrue(reloaded.darkMode().orElseThrow());
        assertEquals(ColorMap.MAGMA, reloaded.colorMap());
    }

    @Test
    void nothingSavedMeansDefaults() {
        assertFalse(prefs.windowBounds().isPresent());
        assertFalse(prefs.darkMode().isPresent());
        assertEquals(ColorMap.VIRIDIS, prefs.colorMap());
    }

    @Test
    void nodeNameComesFromTheSystemProperty() throws BackingStoreException {
        String before = System.getProperty(AppPreferences.NODE_PROPERTY);
        String name = "headlight-test-" + ProcessHandle.current().pid() + "-property";
        try {
            System.setProperty(AppPreferences.NODE_PROPERTY, name);
            AppPreferences.forUser().saveColorMap(ColorMap.MAGMA);
            assertEquals("MAGMA", Preferences.userRoot().node(name).get("colormap", null));
        } finally {
            Preferences.userRoot().node(name).removeNode();
            if (before == null) {
                System.clearProperty(AppPreferences.NODE_PROPERTY);
            } else {
                System.setProperty(AppPreferences.NODE_PROPERTY, before);
            }
        }
    }
}
