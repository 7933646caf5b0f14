package dev.headlight.ui.view;

import javafx.scene.layout.Region;

/**
 * A thin horizontal bar filled to a probability, for the logit lens's lists. A plain region with one child: a
 * {@link javafx.scene.control.ProgressBar} re-applies CSS to a new clip on every layout, which made moving the
 * selected token cost ~40 ms of FX thread for the lens's two dozen rows.
 */
public final class ProbabilityBar extends Region {
    private final Region fill = new Region();
    private double value;

    public ProbabilityBar() {
        getStyleClass().add("probability-bar");
        fill.getStyleClass().add("probability-bar-fill");
        fill.setManaged(false);
        getChildren().add(fill);
        setPrefHeight(6);
        setMaxHeight(6);
    }

    /** The filled fraction, clamped to [0, 1]; NaN shows as empty. */
    public void setValue(double probability) {
        double v = Double.isNaN(probability) ? 0 : Math.clamp(probability, 0.0, 1.0);
        if (v != value) {
            value = v;
            requestLayout();
        }
    }

    public double value() {
        return value;
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        fill.resizeRelocate(0, 0, Math.round(w * value), h);
    }
}
