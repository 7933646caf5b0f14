package dev.headlight.ui;

import atlantafx.base.theme.Styles;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;

import java.util.function.Consumer;

/** Two small toggle buttons drawn as one pill, one of them always selected (a two-way switch). */
public final class PillToggle {
    private PillToggle() {
    }

    /**
     * Joins {@code left} and {@code right} into one pill with {@code selected} on; {@code onSelect} gets the button
     * the user turns on. Clicking the selected button again keeps it on.
     */
    public static void join(ToggleButton left, ToggleButton right, ToggleButton selected,
                            Consumer<ToggleButton> onSelect) {
        ToggleGroup group = new ToggleGroup();
        left.setToggleGroup(group);
        right.setToggleGroup(group);
        left.getStyleClass().addAll(Styles.LEFT_PILL, Styles.SMALL);
        right.getStyleClass().addAll(Styles.RIGHT_PILL, Styles.SMALL);
        selected.setSelected(true);
        group.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else {
                onSelect.accept((ToggleButton) b);
            }
        });
    }
}
