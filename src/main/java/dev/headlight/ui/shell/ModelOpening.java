package dev.headlight.ui.shell;

import dev.headlight.library.HfCacheScanner;
import dev.headlight.library.SampleModels;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.ExplorerViewModel;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Every way the window opens a model: File ▸ Open (a folder chooser that starts where the user last was), a sample,
 * the Hugging Face cache, a dropped folder or file, a typed path.
 */
public final class ModelOpening {
    private final Window owner;
    private final ExplorerViewModel vm;
    private final AppPreferences prefs;
    /** Asks for a model folder, starting in the given one (may be null); replaceable so tests bypass the dialog. */
    private BiFunction<Window, Path, Path> folderChooser = (owner, start) -> {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open Model Folder");
        if (start != null) {
            chooser.setInitialDirectory(start.toFile());
        }
        return Optional.ofNullable(chooser.showDialog(owner)).map(File::toPath).orElse(null);
    };

    ModelOpening(Window owner, ExplorerViewModel vm, AppPreferences prefs) {
        this.owner = owner;
        this.vm = vm;
        this.prefs = prefs;
    }

    /** File ▸ Open Model Folder…: asks for a folder (the chooser can be replaced) and opens it. */
    public void chooseAndOpen() {
        Path folder = folderChooser.apply(owner, chooserStart());
        if (folder != null) {
            openModel(folder);
        }
    }

    /**
     * Where the folder chooser starts: beside the last model folder opened (its parent, so the model and its
     * siblings are listed), else in the bundled samples' folder, else the platform's choice.
     */
    Path chooserStart() {
        for (Path recent : prefs.recentFolders()) {
            Path parent = recent.toAbsolutePath().getParent();
            if (parent != null && Files.isDirectory(parent)) {
                return parent;
            }
        }
        return SampleModels.samplesRoot().filter(Files::isDirectory).orElse(null);
    }

    /** Opens a model folder as File ▸ Open does, without a dialog. */
    public void openModel(Path folder) {
        vm.openModel(folder);
    }

    /** Opens a bundled sample model with the prompt its model card suggests. */
    public void openSample(Path folder) {
        vm.promptProperty().set(SampleModels.examplePrompt(folder));
        openModel(folder);
    }

    /** Opens what was dropped on the window: a model folder, or the folder of a dropped file (e.g. config.json). */
    public boolean openDropped(List<File> files) {
        if (files.isEmpty()) {
            return false;
        }
        Path p = files.getFirst().toPath();
        Path folder = Files.isDirectory(p) ? p : p.getParent();
        if (folder == null) {
            return false;
        }
        openModel(folder);
        return true;
    }

    /** File ▸ Open from Hugging Face Cache…. */
    public void openFromHfCache() {
        HfCacheViewModel cache = new HfCacheViewModel(HfCacheScanner.defaultCacheRoot(), vm.tasks());
        new HfCacheDialog(owner, cache).showAndWait().ifPresent(this::openModel);
    }

    /** Replaces the folder dialog (tests). */
    public void setFolderChooser(Function<Window, Path> chooser) {
        this.folderChooser = (window, start) -> chooser.apply(window);
    }

    /** Replaces the folder dialog with one told where to start (tests). */
    public void setFolderChooser(BiFunction<Window, Path, Path> chooser) {
        this.folderChooser = chooser;
    }
}
