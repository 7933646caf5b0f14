package dev.headlight.ui.shell;

import dev.headlight.ui.view.CanvasView;
import dev.headlight.ui.view.HeadMapView;
import dev.headlight.ui.view.HeadView;
import dev.headlight.ui.view.LensView;
import dev.headlight.ui.view.ModelView;
import dev.headlight.ui.view.TokensView;
import dev.headlight.ui.view.WeightsView;

import java.util.List;

/** The explorer's own views, built once by the window. */
public record ExplorerViews(TokensView tokens, ModelView model, HeadView head, LensView lens, HeadMapView headMap,
                     WeightsView weights) {
    /** The views that export as PNG, in the Export menu's order. */
    List<CanvasView> canvases() {
        return List.of(head, model, lens, headMap);
    }
}
