package dev.headlight.ui;

import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;

/**
 * The one selection every panel observes and changes: which layer and head, which query token and key token.
 * -1 means "none" for the tokens.
 */
public final class Selection {
    private final IntegerProperty layer = new SimpleIntegerProperty(this, "layer", 0);
    private final IntegerProperty head = new SimpleIntegerProperty(this, "head", 0);
    private final IntegerProperty query = new SimpleIntegerProperty(this, "query", -1);
    private final IntegerProperty key = new SimpleIntegerProperty(this, "key", -1);

    public IntegerProperty layerProperty() {
        return layer;
    }

    public IntegerProperty headProperty() {
        return head;
    }

    public IntegerProperty queryProperty() {
        return query;
    }

    public IntegerProperty keyProperty() {
        return key;
    }

    public int layer() {
        return layer.get();
    }

    public int head() {
        return head.get();
    }

    public int query() {
        return query.get();
    }

    public int key() {
        return key.get();
    }

    public void selectHead(int newLayer, int newHead) {
        layer.set(newLayer);
        head.set(newHead);
    }

    /** Keeps the selection inside a model of this size and a prompt of this length. */
    public void clamp(int layers, int heads, int tokens) {
        layer.set(Math.clamp(layer.get(), 0, Math.max(0, layers - 1)));
        head.set(Math.clamp(head.get(), 0, Math.max(0, heads - 1)));
        if (query.get() >= tokens) {
            query.set(tokens - 1);
        }
        if (key.get() >= tokens) {
            key.set(-1);
        }
    }
}
