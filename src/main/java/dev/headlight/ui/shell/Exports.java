package dev.headlight.ui.shell;

import dev.headlight.library.TraceExport;
import dev.headlight.ui.Analysis;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.PngExport;
import dev.headlight.ui.task.TaskRunner;
import dev.headlight.ui.view.CanvasView;
import dev.headlight.ui.view.HeadView;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceDialog;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/** File ▸ Export: a view as PNG, the selected head's map as CSV, the whole trace as safetensors. */
public final class Exports {
    private final Window owner;
    private final ExplorerViewModel vm;
    private final TaskRunner tasks;
    private final List<CanvasView> views;
    private final HeadView headView;
    /** Asks where to save (title, suggested file name); replaceable for tests. */
    private BiFunction<String, String, Path> saveChooser = (title, suggested) -> {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(suggested);
        return Optional.ofNullable(chooser.showSaveDialog(owner())).map(File::toPath).orElse(null);
    };
    /** Asks for the export scale; replaceable for tests. */
    private Function<String, Integer> scaleChooser = what -> {
        ChoiceDialog<String> dialog = new ChoiceDialog<>("2x", "1x", "2x", "4x");
        dialog.initOwner(owner());
        dialog.setTitle("Export " + what);
        dialog.setHeaderText("Export " + what + " as PNG");
        dialog.setContentText("Scale:");
        return dialog.showAndWait().map(s -> Integer.parseInt(s.substring(0, 1))).orElse(null);
    };

    Exports(Window owner, ExplorerViewModel vm, TaskRunner tasks, List<CanvasView> views, HeadView headView) {
        this.owner = owner;
        this.vm = vm;
        this.tasks = tasks;
        this.views = views;
        this.headView = headView;
    }

    private Window owner() {
        return owner;
    }

    /** The canvas view holding the keyboard focus in {@code scene}, else the head view. */
    CanvasView focusedView(Scene scene) {
        for (Node n = scene.getFocusOwner(); n != null; n = n.getParent()) {
            if (n instanceof CanvasView v && views.contains(v)) {
                return v;
            }
        }
        return headView;
    }

    /** Asks for a scale and a file, then writes {@code view} as PNG. */
    public void exportInteractive(CanvasView view) {
        if (vm.analysis() == null) {
            tasks.errors().report("Nothing to export yet: open a model and type a prompt.");
            return;
        }
        String what = switch (view.exportName()) {
            case "model-view" -> "Model View";
            case "logit-lens" -> "Logit Lens";
            case "head-map" -> "Head Map";
            default -> "Head Heatmap";
        };
        Integer scale = scaleChooser.apply(what);
        if (scale == null) {
            return;
        }
        Path file = saveChooser.apply("Save " + what + " as PNG", view.exportName() + "@" + scale + "x.png");
        if (file != null) {
            exportPng(view, scale, file);
        }
    }

    /** Writes {@code view} as a PNG at {@code scale} times its on-screen size. */
    public void exportPng(CanvasView view, int scale, Path file) {
        try {
            PngExport.write(view.render(scale), file);
            tasks.announce("Saved " + file.getFileName());
        } catch (IOException | RuntimeException e) {
            tasks.errors().report("Could not save " + file.getFileName(), e);
        }
    }

    /** Saves the head view's map as CSV (asks where through the save chooser). */
    public void exportCsv() {
        Analysis a = vm.analysis();
        if (a == null) {
            return;
        }
        float[] map = headView.shownMap();
        if (map == null) {
            tasks.errors().report("The selected head's map is still being recomputed; export it once it shows.");
            return;
        }
        Path file = saveChooser.apply("Save Head as CSV", headView.exportName() + ".csv");
        if (file != null) {
            try {
                TraceExport.writeHeadCsv(map, a.tokens(), a::label, file);
                tasks.announce("Saved " + file.getFileName());
            } catch (IOException e) {
                tasks.errors().report("Could not save " + file.getFileName(), e);
            }
        }
    }

    /** Saves the prompt's whole trace as safetensors, in the background. */
    public void exportTrace() {
        Analysis a = vm.analysis();
        if (a == null) {
            return;
        }
        Path file = saveChooser.apply("Save Trace as Safetensors", "trace.safetensors");
        if (file == null) {
            return;
        }
        tasks.task("Exporting trace…", ctx -> {
            TraceExport.writeSafetensors(a.model(), a.ids(), a.prompt(), file);
            return file;
        }).failureContext("Could not export the trace")
                .onSuccess(saved -> tasks.announce("Saved " + saved.getFileName()))
                .submit();
    }

    public void setSaveChooser(BiFunction<String, String, Path> chooser) {
        this.saveChooser = chooser;
    }

    public void setScaleChooser(Function<String, Integer> chooser) {
        this.scaleChooser = chooser;
    }
}
