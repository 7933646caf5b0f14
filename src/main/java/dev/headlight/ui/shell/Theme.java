package dev.headlight.ui.shell;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.Platform;

/** The application's light or dark theme. */
final class Theme {
    private Theme() {
    }

    /** Light or dark as the platform reports it (JavaFX 22+); light when it cannot tell. */
    static boolean systemPrefersDark() {
        try {
            return Platform.getPreferences().getColorScheme() == javafx.application.ColorScheme.DARK;
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    static void apply(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }
}
