package dev.headlight.ui.shell;

import dev.headlight.library.AboutInfo;
import dev.headlight.library.ModelNames;
import dev.headlight.library.SampleModels;
import dev.headlight.ui.AppPreferences;
import dev.headlight.ui.AttentionScale;
import dev.headlight.ui.ColorMap;
import dev.headlight.ui.ExplorerViewModel;
import dev.headlight.ui.view.CanvasView;
import javafx.beans.property.ObjectProperty;
import javafx.scene.control.Alert;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignE;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static dev.headlight.ui.shell.Panels.item;

/**
 * The menu bar: File, View and Help (plug-ins add theirs before Help). Every menu and item has a mnemonic
 * (Alt+F opens File); names taken from files (samples, recent folders) are not parsed for one.
 */
final class MainMenuBar extends MenuBar {
    /** What the menus act on. */
    record Targets(Stage stage, ExplorerViewModel vm, AppPreferences prefs, ModelOpening opening, Exports exports,
                   List<CanvasView> views, Runnable exportFocused) {
    }

    private final Targets t;
    private final Menu recentMenu = new Menu("Open _Recent");
    private final MenuItem openItem = new MenuItem("_Open Model Folder…");

    MainMenuBar(Targets targets) {
        this.t = targets;
        getMenus().addAll(fileMenu(), viewMenu(), helpMenu());
        refreshRecentMenu();
        t.vm().modelProperty().addListener((o, a, b) -> refreshRecentMenu());
    }

    /** Adds a plug-in's menu before Help. */
    void addBeforeHelp(Menu menu) {
        getMenus().add(Math.max(0, getMenus().size() - 1), menu);
    }

    /** Adds a plug-in's item to the File menu, after the ways to open a model (e.g. Compare With…). */
    void addFileItem(MenuItem item) {
        Menu file = getMenus().getFirst();
        int separator = file.getItems().indexOf(file.getItems().stream()
                .filter(i -> i instanceof SeparatorMenuItem).findFirst().orElse(null));
        file.getItems().add(separator < 0 ? file.getItems().size() : separator + 1, item);
    }

    MenuItem openItem() {
        return openItem;
    }

    private Menu fileMenu() {
        openItem.setGraphic(new FontIcon(MaterialDesignF.FOLDER_OPEN_OUTLINE));
        openItem.setAccelerator(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN));
        openItem.setOnAction(e -> t.opening().chooseAndOpen());
        MenuItem hf = item("Open from _Hugging Face Cache…", t.opening()::openFromHfCache);
        hf.setGraphic(new FontIcon(MaterialDesignD.DATABASE_SEARCH_OUTLINE));
        MenuItem hfId = item("Open Hugging Face Model _Id…", t.opening()::chooseModelId);
        Menu export = new Menu("_Export");
        export.setGraphic(new FontIcon(MaterialDesignE.EXPORT));
        for (CanvasView view : t.views()) {
            export.getItems().add(item(exportLabel(view), () -> t.exports().exportInteractive(view)));
        }
        export.getItems().addAll(new SeparatorMenuItem(),
                item("_Trace as Safetensors…", t.exports()::exportTrace),
                item("Selected Head as _CSV…", t.exports()::exportCsv));
        MenuItem exportFocused = item("Export _Focused View as PNG…", t.exportFocused());
        exportFocused.setAccelerator(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN));
        MenuItem quit = item("_Quit", () -> t.stage().close());
        quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        Menu samples = new Menu("Open _Sample Model");
        samples.setGraphic(new FontIcon(MaterialDesignS.SCHOOL_OUTLINE));
        for (Path sample : SampleModels.list()) {
            MenuItem m = item(sample.getFileName().toString(), () -> t.opening().openSample(sample));
            m.setMnemonicParsing(false);
            samples.getItems().add(m);
        }
        samples.setDisable(samples.getItems().isEmpty());
        Menu file = new Menu("_File");
        file.getItems().addAll(openItem, recentMenu, samples, hf, hfId, new SeparatorMenuItem(), export, exportFocused,
                new SeparatorMenuItem(), quit);
        return file;
    }

    private static String exportLabel(CanvasView view) {
        return switch (view.exportName()) {
            case "model-view" -> "_Model View as PNG…";
            case "logit-lens" -> "_Logit Lens as PNG…";
            case "head-map" -> "Head _Map as PNG…";
            default -> "_Head Heatmap as PNG…";
        };
    }

    /** A menu of radio items, one per choice, that shows and sets {@code property} (kept in step both ways). */
    private static <E> Menu choiceMenu(String title, E[] choices, ObjectProperty<E> property,
                                       Function<E, String> label) {
        Menu menu = new Menu(title);
        ToggleGroup group = new ToggleGroup();
        for (E choice : choices) {
            RadioMenuItem r = new RadioMenuItem(label.apply(choice));
            r.setMnemonicParsing(false);
            r.setToggleGroup(group);
            r.setSelected(property.get() == choice);
            r.setOnAction(e -> property.set(choice));
            property.addListener((o, a, b) -> r.setSelected(b == choice));
            menu.getItems().add(r);
        }
        return menu;
    }

    private Menu viewMenu() {
        ExplorerViewModel vm = t.vm();
        CheckMenuItem darkItem = new CheckMenuItem("_Dark Mode");
        darkItem.selectedProperty().bindBidirectional(vm.darkProperty());
        darkItem.setAccelerator(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN));
        Menu colours = choiceMenu("_Colour Map", ColorMap.values(), vm.colorMapProperty(), ColorMap::label);
        Menu scales = choiceMenu("Attention _Scale", AttentionScale.values(), vm.scaleProperty(),
                AttentionScale::toString);
        Menu view = new Menu("_View");
        view.getItems().addAll(darkItem, colours, scales, new SeparatorMenuItem(),
                item("Attention _Memory Budget…", () -> AttentionBudgetDialog.show(t.stage(), vm,
                        vm.tasks().errors())));
        return view;
    }

    private Menu helpMenu() {
        Menu help = new Menu("_Help");
        help.getItems().add(item("_About Headlight", () -> {
            Alert alert = new Alert(Alert.AlertType.INFORMATION);
            alert.initOwner(t.stage());
            alert.setTitle("About Headlight");
            alert.setHeaderText("Headlight " + AboutInfo.version() + " — attention-pattern explorer");
            // the lines of headlight --version after the first: Java, JavaFX, kernels
            alert.setContentText("Runs Hugging Face transformer models on a pure-Java CPU engine and shows what "
                    + "their attention heads look at.\n\n"
                    + String.join("\n", AboutInfo.lines().subList(1, AboutInfo.lines().size())));
            alert.show();
        }));
        return help;
    }

    private void refreshRecentMenu() {
        recentMenu.getItems().clear();
        List<Path> recent = t.prefs().recentFolders();
        for (Path p : recent) {
            MenuItem m = new MenuItem(ModelNames.displayName(p) + "  —  " + p);
            m.setMnemonicParsing(false);
            m.setOnAction(e -> t.opening().openModel(p));
            recentMenu.getItems().add(m);
        }
        if (recent.isEmpty()) {
            MenuItem none = new MenuItem("No recent models");
            none.setDisable(true);
            recentMenu.getItems().add(none);
        } else {
            recentMenu.getItems().addAll(new SeparatorMenuItem(), item("_Clear Recent", () -> {
                t.prefs().clearRecent();
                refreshRecentMenu();
            }));
        }
    }
}
