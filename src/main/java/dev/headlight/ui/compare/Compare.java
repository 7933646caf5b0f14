package dev.headlight.ui.compare;

import dev.headlight.ui.WindowHost;

/** The window's compare view: one {@link CompareWindow}, opened by File > Compare With… and kept for reuse. */
public final class Compare {
    private final WindowHost host;
    private CompareWindow window;

    private Compare(WindowHost host) {
        this.host = host;
    }

    public static Compare install(WindowHost host) {
        return new Compare(host);
    }

    /** Shows the compare window (created on first use). */
    public CompareWindow open() {
        if (window == null) {
            window = new CompareWindow(host);
        }
        window.show();
        return window;
    }
}
