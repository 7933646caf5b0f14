package dev.headlight.ui.shell;

import dev.headlight.library.HfCacheScanner;
import dev.headlight.ui.ExplorerViewModel;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import org.controlsfx.control.textfield.TextFields;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A model folder typed as a path, or a Hugging Face model id found in the local cache: completes folder names as
 * you type, Enter opens it.
 */
final class ModelPathField extends TextField {
    static final int SUGGESTIONS = 12;

    ModelPathField(ExplorerViewModel vm, ModelOpening opening) {
        setId("model-path");
        setPromptText("Model folder or Hugging Face id"); // whole at 1024 px; the tooltip says Enter opens it
        setTooltip(new Tooltip("Type or paste a model folder's path, or a Hugging Face model id such as "
                + "openai-community/gpt2 found offline in the local cache, and press Enter; folder names complete as "
                + "you type (~ is your home folder)"));
        // narrow enough that every toolbar item fits at 1024 px (at 28 columns the last ones went into the
        // toolbar's overflow menu); the toolbar widens it when there is room
        setPrefColumnCount(16);
        var completion = TextFields.bindAutoCompletion(this,
                request -> FolderCompletion.suggest(request.getUserText(), SUGGESTIONS));
        // While the completion list is showing it receives the keys, and its Enter never reached the field's
        // action: a typed path + Enter opened nothing. Enter now takes the highlighted suggestion (if any) and opens.
        var popup = completion.getAutoCompletionPopup();
        popup.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                if (popup.getSkin() != null && popup.getSkin().getNode() instanceof ListView<?> list
                        && list.getSelectionModel().getSelectedItem() != null) {
                    setText(list.getSelectionModel().getSelectedItem().toString());
                }
                popup.hide();
                open(vm, opening);
            }
        });
        setOnAction(e -> open(vm, opening));
    }

    private void open(ExplorerViewModel vm, ModelOpening opening) {
        String text = FolderCompletion.expandHome(getText() == null ? "" : getText().strip());
        if (text.isEmpty()) {
            return;
        }
        try {
            Path folder = Path.of(text);
            if (Files.isDirectory(folder)) {
                opening.openModel(folder);
                return;
            }
            // not a folder: perhaps a Hugging Face id; otherwise one line naming the path and the cache searched
            opening.openTyped(text, HfCacheScanner.defaultCacheRoot());
        } catch (InvalidPathException e) {
            vm.tasks().errors().report(text + ": not a valid path (" + e.getReason() + ")");
        }
    }
}
