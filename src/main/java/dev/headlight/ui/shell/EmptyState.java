package dev.headlight.ui.shell;

import atlantafx.base.theme.Styles;
import dev.headlight.library.SampleModels;
import dev.headlight.ui.ExplorerViewModel;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/** Shown over the panels while no model is open or loading: what to open, and how. */
final class EmptyState extends VBox {
    EmptyState(ExplorerViewModel vm, ModelOpening opening) {
        getStyleClass().add("empty-state");
        Label title = new Label("No model open");
        title.getStyleClass().add("empty-title");
        Label hint = new Label("Open a Hugging Face model folder (config.json, *.safetensors, tokenizer.json),\n"
                + "pick one from the Hugging Face cache, or drop a folder on this window.");
        hint.getStyleClass().add("panel-hint");
        Button openButton = new Button("Open Model Folder…", new FontIcon(MaterialDesignF.FOLDER_OPEN_OUTLINE));
        openButton.getStyleClass().add(Styles.ACCENT);
        openButton.setOnAction(e -> opening.chooseAndOpen());
        Button hfButton = new Button("Open from Hugging Face Cache…");
        hfButton.setOnAction(e -> opening.openFromHfCache());
        HBox buttons = new HBox(8, openButton, hfButton);
        buttons.setAlignment(Pos.CENTER);
        SampleModels.defaultModel().ifPresent(sample -> {
            Button sampleButton = new Button("Open Sample " + sample.getFileName(),
                    new FontIcon(MaterialDesignS.SCHOOL_OUTLINE));
            sampleButton.setOnAction(e -> opening.openSample(sample));
            buttons.getChildren().add(sampleButton);
        });
        getChildren().addAll(title, hint, buttons);
        visibleProperty().bind(vm.modelProperty().isNull().and(vm.loadingProperty().not()));
    }
}
