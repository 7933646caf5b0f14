package dev.headlight.ui;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;

/** How the head view draws the selected head. */
public final class HeadViewModel {
    public enum Mode { HEATMAP, LINES }

    private final ObjectProperty<Mode> mode = new SimpleObjectProperty<>(this, "mode", Mode.HEATMAP);
    private final BooleanProperty layerMean = new SimpleBooleanProperty(this, "layerMean", false);
    /** Probabilities below this are drawn as 0 (heatmap) or not at all (lines). */
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0);

    public ObjectProperty<Mode> modeProperty() {
        return mode;
    }

    public BooleanProperty layerMeanProperty() {
        return layerMean;
    }

    public DoubleProperty thresholdProperty() {
        return threshold;
    }
}
