package dev.headlight.ui.shell;

import dev.headlight.ui.ExplorerViewModel;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;

/** The prompt field: words, or token ids for a model without a usable tokenizer (its hint says which). */
final class PromptBar extends HBox {
    private final TextField field = new TextField();

    PromptBar(ExplorerViewModel vm) {
        Label label = new Label("_Prompt", new FontIcon(MaterialDesignT.TEXT_BOX_OUTLINE));
        label.setMnemonicParsing(true);
        label.setLabelFor(field);
        field.setId("prompt");
        field.textProperty().bindBidirectional(vm.promptProperty());
        field.promptTextProperty().bind(vm.promptIsIdsProperty().map(ids -> ids
                ? "This model has no tokenizer.json: type token ids, e.g. 464 3290 3332"
                : "Type a prompt: the views update as you type"));
        HBox.setHgrow(field, Priority.ALWAYS);
        getChildren().addAll(label, field);
        getStyleClass().add("prompt-bar");
    }

    TextField field() {
        return field;
    }
}
