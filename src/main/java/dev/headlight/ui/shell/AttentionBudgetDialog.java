package dev.headlight.ui.shell;

import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.task.ErrorSink;
import javafx.scene.control.TextInputDialog;
import javafx.stage.Window;

import java.util.OptionalLong;

/**
 * View ▸ Attention Memory Budget…: asks for the budget in MiB. A pass keeps the maps of the layers that fit and
 * recomputes the others when shown; a prompt whose one layer does not fit is refused.
 */
final class AttentionBudgetDialog {
    private AttentionBudgetDialog() {
    }

    static void show(Window owner, ExplorerViewModel vm, ErrorSink errors) {
        long current = vm.attentionBudgetProperty().get();
        TextInputDialog dialog = new TextInputDialog(String.valueOf(Math.max(1, Math.round(current / (double) (1 << 20)))));
        dialog.initOwner(owner);
        dialog.setTitle("Attention Memory Budget");
        dialog.setHeaderText("Memory for the attention maps of one prompt, in MiB");
        dialog.setContentText("MiB (2 bytes per probability; layers past the budget\nare recomputed when shown):");
        dialog.showAndWait().ifPresent(text -> {
            OptionalLong bytes = parseMebibytes(text);
            if (bytes.isPresent()) {
                vm.attentionBudgetProperty().set(bytes.getAsLong());
            } else {
                errors.report("The attention memory budget must be a number of MiB, at least 1 (not \"" + text
                        + "\").");
            }
        });
    }

    /** "512" or "1.5" MiB as bytes; empty unless a number of at least 1. */
    static OptionalLong parseMebibytes(String text) {
        try {
            double mib = Double.parseDouble(text.trim());
            return mib >= 1 && mib < Long.MAX_VALUE / (1 << 20) ? OptionalLong.of((long) (mib * (1 << 20)))
                    : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
