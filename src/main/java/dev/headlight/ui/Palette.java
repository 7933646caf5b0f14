package dev.headlight.ui;

import javafx.scene.paint.Color;

/** Colours the canvas views draw with, matching the Primer light or dark theme. */
public record Palette(boolean dark, Color background, Color text, Color mutedText, Color grid, Color accent,
                      Color selection) {
    public static final Palette LIGHT = new Palette(false, Color.web("#ffffff"), Color.web("#1f2328"),
            Color.web("#656d76"), Color.web("#d0d7de"), Color.web("#0969da"), Color.web("#cf222e"));
    public static final Palette DARK = new Palette(true, Color.web("#0d1117"), Color.web("#e6edf3"),
            Color.web("#8d96a0"), Color.web("#30363d"), Color.web("#4493f8"), Color.web("#ff7b72"));

    public static Palette of(boolean dark) {
        return dark ? DARK : LIGHT;
    }
}
