package dev.headlight.ui.shell;

import dev.headlight.ui.ExplorerViewModel;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.textfield.TextFields;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** A model folder typed as a path: completes folder names as you type, Enter opens the folder. */
final class ModelPathField extends TextField {
    static final int SUGGESTIONS = 12;

    ModelPathField(ExplorerViewModel vm, ModelOpening opening) {
        setId("model-path");
        setPromptText("Model folder path (Enter opens it)");
        setTooltip(new Tooltip("Type or paste a model folder's path and press Enter; folder names complete as you "
                + "type (~ is your home folder)"));
        setPrefColumnCount(28);
        TextFields.bindAutoCompletion(this, request -> FolderCompletion.suggest(request.getUserText(), SUGGESTIONS));
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
            vm.tasks().errors().report(text + ": no such folder");
        } catch (InvalidPathException e) {
            vm.tasks().errors().report(text + ": not a valid path (" + e.getReason() + ")");
        }
    }
}
