package dev.headlight.ui;

import javafx.scene.paint.Color;

import java.util.Locale;

/** What a token chip's inline style should be for an attention weight: written out here, independently. */
final class TokensViewTints {
    private TokensViewTints() {
    }

    /** The accent colour at an opacity of 0.9 × weight (at most 0.85), in steps of 1/20; none below half a step. */
    static String expectedStyle(double weight, Palette palette) {
        int step = (int) Math.round(Math.min(0.85, weight * 0.9) * 20);
        if (step == 0) {
            return "";
        }
        Color accent = palette.accent();
        return String.format(Locale.ROOT, "-fx-background-color: rgba(%d,%d,%d,%s);", (int) (accent.getRed() * 255),
                (int) (accent.getGreen() * 255), (int) (accent.getBlue() * 255), Double.toString(step / 20.0));
    }
}
