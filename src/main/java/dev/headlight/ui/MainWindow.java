package dev.headlight.ui;

import dev.headlight.library.HfCacheScanner;
import dev.headlight.library.AboutInfo;
import dev.headlight.library.ModelLocator;
import dev.headlight.library.SampleModels;
import dev.headlight.library.ModelNames;
import dev.headlight.library.TraceExport;

import atlantafx.base.controls.Message;
import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Styles;
import dev.headlight.ui.view.CanvasView;
import dev.headlight.ui.view.HeadMapView;
import dev.headlight.ui.view.HeadView;
import dev.headlight.ui.view.LensView;
import dev.headlight.ui.view.ModelView;
import dev.headlight.ui.view.TokensView;
import dev.headlight.ui.view.WeightsView;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignE;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;
import org.kordamp.ikonli.materialdesign2.MaterialDesignW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The explorer window: menus and toolbar, the prompt, the token strip, the model view, the head view and a tab
 * pane with the logit lens, the head map and the weights; error banner on top, status bar below.
 */
public final class MainWindow implements WindowHost {
    private final Stage stage;
    private final AppPreferences prefs;
    private final ExplorerViewModel vm;
    private final HeadViewModel headVm = new HeadViewModel();
    private final LensViewModel lensVm;
    private final BorderPane root = new BorderPane();
    private final Scene scene;

    private final TextField promptField = new TextField();
    private final TokensView tokensView;
    private final ModelView modelView;
    private final HeadView headView;
    private final LensView lensView;
    private final HeadMapView headMapView;
    private final WeightsView weightsView;
    private dev.headlight.ui.interventions.Interventions interventions;
    private final Message banner = new Message();
    private final SplitPane mainSplit = new SplitPane();
    private final SplitPane leftSplit = new SplitPane();
    private final TabPane tabs = new TabPane();
    private final Menu recentMenu = new Menu("Open Recent");
    private final MenuItem openItem = new MenuItem("Open Model Folder…");
    private final CheckMenuItem darkItem = new CheckMenuItem("Dark Mode");
    private final StatusBar statusBar = new StatusBar();
    private final dev.headlight.ui.task.TaskRunner tasks =
            new dev.headlight.ui.task.FxTaskRunner(new dev.headlight.ui.task.ErrorSink(ExplorerViewModel::describe));
    private final List<MenuItem> headMenuItems = new java.util.ArrayList<>();
    private MenuBar menus;
    /** The training timeline tab and the Train menu (package ui.lab). */
    private final dev.headlight.ui.lab.Lab lab;

    /** Asks for a model folder; replaceable so tests can bypass the native dialog. */
    private Function<Window, Path> folderChooser = owner -> {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open Model Folder");
        return Optional.ofNullable(chooser.showDialog(owner)).map(java.io.File::toPath).orElse(null);
    };
    /** Asks where to save (title, suggested file name); replaceable for tests. */
    private BiFunction<String, String, Path> saveChooser = (title, suggested) -> {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(suggested);
        return Optional.ofNullable(chooser.showSaveDialog(stageWindow())).map(java.io.File::toPath).orElse(null);
    };
    /** Asks for the export scale; replaceable for tests. */
    private Function<String, Integer> scaleChooser = what -> {
        ChoiceDialog<String> dialog = new ChoiceDialog<>("2x", "1x", "2x", "4x");
        dialog.initOwner(stageWindow());
        dialog.setTitle("Export " + what);
        dialog.setHeaderText("Export " + what + " as PNG");
        dialog.setContentText("Scale:");
        return dialog.showAndWait().map(s -> Integer.parseInt(s.substring(0, 1))).orElse(null);
    };

    public MainWindow(Stage stage, AppPreferences prefs) {
        this.stage = stage;
        this.prefs = prefs;
        this.vm = new ExplorerViewModel(prefs);
        this.lensVm = new LensViewModel(vm);
        vm.colorMapProperty().set(prefs.colorMap());
        vm.darkProperty().set(prefs.darkMode().orElseGet(MainWindow::systemPrefersDark));
        tokensView = new TokensView(vm);
        modelView = new ModelView(vm);
        headView = new HeadView(vm, headVm);
        lensView = new LensView(vm, lensVm);
        headMapView = new HeadMapView(vm);
        weightsView = new WeightsView(vm);
        for (CanvasView v : List.of(modelView, headView, lensView, headMapView)) {
            v.setExportHandler(this::exportInteractive);
            installContextMenu(v);
        }
        menus = menuBar();
        root.setTop(new VBox(menus, toolBar(), promptBar(), banner));
        root.setCenter(centre());
        root.setBottom(statusBar());
        banner.getStyleClass().add(Styles.DANGER);
        banner.setGraphic(new FontIcon(MaterialDesignA_ALERT));
        banner.setTitle("Something went wrong");
        banner.descriptionProperty().bind(vm.errorProperty());
        banner.visibleProperty().bind(vm.errorProperty().isNotNull());
        banner.managedProperty().bind(banner.visibleProperty());
        banner.setOnClose(e -> vm.dismissError());
        VBox.setMargin(banner, new Insets(4, 8, 4, 8));

        double[] bounds = prefs.windowBounds().orElse(new double[]{Double.NaN, Double.NaN, 1440, 900});
        scene = new Scene(root, bounds[2], bounds[3]);
        scene.getStylesheets().add(MainWindow.class.getResource("headlight.css").toExternalForm());
        installDragAndDrop();
        stage.setScene(scene);
        stage.setTitle("Headlight");
        if (!Double.isNaN(bounds[0])) {
            stage.setX(bounds[0]);
            stage.setY(bounds[1]);
        }
        stage.setMaximized(prefs.windowMaximized());
        stage.setOnHiding(e -> saveLayout());
        applyTheme(vm.darkProperty().get());
        vm.darkProperty().addListener((o, a, dark) -> {
            applyTheme(dark);
            prefs.saveDarkMode(dark);
        });
        vm.colorMapProperty().addListener((o, a, b) -> prefs.saveColorMap(b));
        vm.modelProperty().addListener((o, a, b) -> {
            refreshRecentMenu();
            stage.setTitle(b == null ? "Headlight" : "Headlight — " + ModelNames.displayName(b.info().folder()));
            showPromptHint(b);
        });
        refreshRecentMenu();
        promptField.setText(vm.promptProperty().get());
        vm.promptProperty().bind(promptField.textProperty());
        lab = dev.headlight.ui.lab.Lab.install(this);
    }

    /**
     * The prompt field's hint: words, or token ids for a model without a usable tokenizer. Never waits on the FX
     * thread for the tokenizer's background load: a folder without tokenizer.json is known at once; one whose
     * tokenizer.json turns out unusable switches the hint when the load has failed (if the model is still shown).
     */
    private void showPromptHint(dev.headlight.engine.Model model) {
        boolean ids = model != null && !model.hasTokenizer();
        setPromptHint(ids);
        if (model != null && model.hasTokenizer()) {
            Thread.ofVirtual().name("headlight-tokenizer-hint").start(() -> {
                if (AnalysisService.tokenizerOrNull(model) == null) {
                    Platform.runLater(() -> {
                        if (vm.model() == model) {
                            setPromptHint(true);
                        }
                    });
                }
            });
        }
    }

    private void setPromptHint(boolean ids) {
        promptField.setPromptText(ids ? "This model has no tokenizer.json: type token ids, e.g. 464 3290 3332"
                : "Type a prompt: the views update as you type");
    }

    private static final org.kordamp.ikonli.Ikon MaterialDesignA_ALERT =
            org.kordamp.ikonli.materialdesign2.MaterialDesignA.ALERT_CIRCLE_OUTLINE;

    /** Light or dark as the platform reports it (JavaFX 22+); light when it cannot tell. */
    static boolean systemPrefersDark() {
        try {
            return Platform.getPreferences().getColorScheme() == javafx.application.ColorScheme.DARK;
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }

    // ---- layout

    private MenuBar menuBar() {
        Menu file = new Menu("_File");
        openItem.setGraphic(new FontIcon(MaterialDesignF.FOLDER_OPEN_OUTLINE));
        openItem.setAccelerator(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN));
        openItem.setOnAction(e -> chooseAndOpen());
        MenuItem hf = new MenuItem("Open from Hugging Face Cache…");
        hf.setGraphic(new FontIcon(MaterialDesignD.DATABASE_SEARCH_OUTLINE));
        hf.setOnAction(e -> openFromHfCache());
        MenuItem hfId = item("Open Hugging Face Model Id…", this::chooseModelId);
        Menu export = new Menu("Export");
        export.setGraphic(new FontIcon(MaterialDesignE.EXPORT));
        export.getItems().addAll(
                item("Head Heatmap as PNG…", () -> exportInteractive(headView)),
                item("Model View as PNG…", () -> exportInteractive(modelView)),
                item("Logit Lens as PNG…", () -> exportInteractive(lensView)),
                item("Head Map as PNG…", () -> exportInteractive(headMapView)),
                new SeparatorMenuItem(),
                item("Trace as Safetensors…", this::exportTraceInteractive),
                item("Selected Head as CSV…", this::exportCsvInteractive));
        MenuItem exportFocused = item("Export Focused View as PNG…", () -> exportInteractive(focusedView()));
        exportFocused.setAccelerator(new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN));
        MenuItem quit = item("Quit", () -> stage.close());
        quit.setAccelerator(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
        Menu samples = new Menu("Open Sample Model");
        samples.setGraphic(new FontIcon(MaterialDesignS.SCHOOL_OUTLINE));
        for (Path sample : SampleModels.list()) {
            MenuItem m = item(sample.getFileName().toString(), () -> openSample(sample));
            m.setMnemonicParsing(false);
            samples.getItems().add(m);
        }
        samples.setDisable(samples.getItems().isEmpty());
        file.getItems().addAll(openItem, recentMenu, samples, hf, hfId, new SeparatorMenuItem(), export, exportFocused,
                new SeparatorMenuItem(), quit);

        Menu view = new Menu("_View");
        darkItem.selectedProperty().bindBidirectional(vm.darkProperty());
        darkItem.setAccelerator(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN));
        Menu colours = new Menu("Colour Map");
        ToggleGroup colourGroup = new ToggleGroup();
        for (ColorMap map : ColorMap.values()) {
            RadioMenuItem r = new RadioMenuItem(map.label());
            r.setToggleGroup(colourGroup);
            r.setSelected(vm.colorMapProperty().get() == map);
            r.setOnAction(e -> vm.colorMapProperty().set(map));
            vm.colorMapProperty().addListener((o, a, b) -> r.setSelected(b == map));
            colours.getItems().add(r);
        }
        Menu scales = new Menu("Attention Scale");
        ToggleGroup scaleGroup = new ToggleGroup();
        for (AttentionScale s : AttentionScale.values()) {
            RadioMenuItem r = new RadioMenuItem(s.toString());
            r.setToggleGroup(scaleGroup);
            r.setSelected(vm.scaleProperty().get() == s);
            r.setOnAction(e -> vm.scaleProperty().set(s));
            vm.scaleProperty().addListener((o, a, b) -> r.setSelected(b == s));
            scales.getItems().add(r);
        }
        view.getItems().addAll(darkItem, colours, scales, new SeparatorMenuItem(),
                item("Attention Memory Budget…", this::chooseAttentionBudget));

        Menu help = new Menu("_Help");
        help.getItems().add(item("About Headlight", () -> {
            var alert = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.INFORMATION);
            alert.initOwner(stageWindow());
            alert.setTitle("About Headlight");
            alert.setHeaderText("Headlight " + AboutInfo.version() + " — attention-pattern explorer");
            // the lines of headlight --version after the first: Java, JavaFX, kernels
            alert.setContentText("Runs Hugging Face transformer models on a pure-Java CPU engine and shows what "
                    + "their attention heads look at.\n\n"
                    + String.join("\n", AboutInfo.lines().subList(1, AboutInfo.lines().size())));
            alert.show();
        }));
        return new MenuBar(file, view, help);
    }

    /**
     * Asks for the attention memory budget in MiB: a pass keeps the maps of the layers that fit and recomputes the
     * others when shown; a prompt whose one layer does not fit is refused.
     */
    private void chooseAttentionBudget() {
        long current = vm.attentionBudgetProperty().get();
        var dialog = new javafx.scene.control.TextInputDialog(
                String.valueOf(Math.max(1, Math.round(current / (double) (1 << 20)))));
        dialog.initOwner(stageWindow());
        dialog.setTitle("Attention Memory Budget");
        dialog.setHeaderText("Memory for the attention maps of one prompt, in MiB");
        dialog.setContentText("MiB (2 bytes per probability; layers past the budget\nare recomputed when shown):");
        dialog.showAndWait().ifPresent(text -> {
            try {
                double mib = Double.parseDouble(text.trim());
                if (!(mib >= 1)) {
                    throw new NumberFormatException();
                }
                vm.attentionBudgetProperty().set((long) (mib * (1 << 20)));
            } catch (NumberFormatException e) {
                vm.errorProperty().set("The attention memory budget must be a number of MiB, at least 1 (not \""
                        + text + "\").");
            }
        });
    }

    private static MenuItem item(String text, Runnable action) {
        MenuItem m = new MenuItem(text);
        m.setOnAction(e -> action.run());
        return m;
    }

    private ToolBar toolBar() {
        Button open = iconButton(MaterialDesignF.FOLDER_OPEN_OUTLINE, "Open a model folder (Ctrl+O)", this::chooseAndOpen);
        Button hf = iconButton(MaterialDesignD.DATABASE_SEARCH_OUTLINE, "Open a model from the Hugging Face cache",
                this::openFromHfCache);
        Button export = iconButton(MaterialDesignI.IMAGE_MOVE, "Export the focused view as PNG (Ctrl+E)",
                () -> exportInteractive(focusedView()));
        ChoiceBox<ColorMap> colours = new ChoiceBox<>();
        colours.getItems().setAll(ColorMap.values());
        colours.valueProperty().bindBidirectional(vm.colorMapProperty());
        colours.setTooltip(new Tooltip("Colour map: viridis and magma read well with colour-blindness"));
        ChoiceBox<AttentionScale> scale = new ChoiceBox<>();
        scale.getItems().setAll(AttentionScale.values());
        scale.valueProperty().bindBidirectional(vm.scaleProperty());
        scale.setTooltip(new Tooltip("Linear shows the strong weights; log also shows weights down to 0.001"));
        ToggleButton dark = new ToggleButton(null, new FontIcon(MaterialDesignW.WEATHER_NIGHT));
        dark.selectedProperty().bindBidirectional(vm.darkProperty());
        dark.setTooltip(new Tooltip("Dark mode"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        return new ToolBar(open, hf, export, new Separator(Orientation.VERTICAL), new Label("Colours"), colours,
                new Label("Scale"), scale, spacer, dark);
    }

    private static Button iconButton(org.kordamp.ikonli.Ikon icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.getStyleClass().add(Styles.BUTTON_ICON);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    private Node promptBar() {
        Label label = new Label("Prompt", new FontIcon(MaterialDesignT.TEXT_BOX_OUTLINE));
        promptField.setPromptText("Type a prompt: the views update as you type");
        promptField.setId("prompt");
        HBox.setHgrow(promptField, Priority.ALWAYS);
        HBox bar = new HBox(label, promptField);
        bar.getStyleClass().add("prompt-bar");
        return bar;
    }

    private Node centre() {
        tokensView.setPrefHeight(64);
        tokensView.setMinHeight(40);
        Node tokensPanel = panel("Tokens", "Hover or click a token to make it the query everywhere; the others "
                + "light up by how much the selected head attends to them.", tokensView, null);

        ChoiceBox<HeadScoreChoice> score = new ChoiceBox<>();
        score.getItems().setAll(HeadScoreChoice.available());
        score.valueProperty().bindBidirectional(vm.headScoreProperty());
        score.getStyleClass().add(Styles.SMALL);
        score.setTooltip(new Tooltip("Show a head score as a coloured bar under each map"));
        Node modelPanel = panel("Model view", "Every layer (rows) × head (columns) as a small attention map; "
                + "click one or use the arrow keys to select it.", modelView, score);
        Node headPanel = panel("Head view", "The selected head's attention: row = query token, column = key "
                + "token, colour = probability.", headView, headControls());

        ListView<LensViewModel.Row> topList = new ListView<>(lensVm.topK());
        ListView<LensViewModel.Row> rankList = new ListView<>(lensVm.ranks());
        for (ListView<LensViewModel.Row> list : List.of(topList, rankList)) {
            list.getStyleClass().addAll("lens-list", Styles.DENSE);
            list.setCellFactory(lv -> new ProbabilityCell());
        }
        Label topHeading = new Label();
        topHeading.textProperty().bind(lensVm.headingProperty());
        topHeading.setWrapText(true);
        topHeading.setMinHeight(Region.USE_PREF_SIZE);
        topHeading.getStyleClass().add(Styles.TEXT_BOLD);
        Label rankHeading = new Label();
        rankHeading.textProperty().bind(lensVm.rankHeadingProperty());
        rankHeading.setWrapText(true);
        rankHeading.setMinHeight(Region.USE_PREF_SIZE);
        rankHeading.getStyleClass().add(Styles.TEXT_BOLD);
        VBox lensSide = new VBox(6, topHeading, topList, rankHeading, rankList);
        lensSide.setPadding(new Insets(6));
        lensSide.setPrefWidth(300);
        lensSide.setMinWidth(220);
        VBox.setVgrow(topList, Priority.ALWAYS);
        VBox.setVgrow(rankList, Priority.ALWAYS);
        SplitPane lensSplit = new SplitPane(lensView, lensSide);
        lensSplit.setDividerPositions(0.68);
        SplitPane.setResizableWithParent(lensSide, false);
        Tab lensTab = tab("Logit lens", MaterialDesignE.EYE_OUTLINE, "What each layer would predict if the model "
                + "stopped there: the top token of softmax(output head(residual)) per layer and position.", lensSplit);
        Tab mapTab = tab("Head map", MaterialDesignC.CHART_SCATTER_PLOT, "Every head placed so that heads "
                + "attending alike are close (classical MDS of the Jensen–Shannon distances between their attention "
                + "rows on the prompt: the x, y of headlight heads) and coloured by kind; click a point to select "
                + "the head.\n\nKinds, first matching rule:\n"
                + dev.headlight.analysis.HeadKind.rulesText(), headMapView);
        Tab weightsTab = tab("Weights", MaterialDesignH.HEXAGON_MULTIPLE_OUTLINE, "The stored tensors by "
                + "architecture, with each head's slice and value statistics.", weightsView);
        tabs.getTabs().addAll(lensTab, mapTab, weightsTab);
        interventions = new dev.headlight.ui.interventions.Interventions(this);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);

        leftSplit.setOrientation(Orientation.VERTICAL);
        leftSplit.getItems().addAll(modelPanel, headPanel);
        mainSplit.getItems().addAll(leftSplit, tabs);
        restoreDividers(mainSplit, "main", new double[]{0.5});
        restoreDividers(leftSplit, "left", new double[]{0.42});

        SplitPane vertical = new SplitPane(tokensPanel, mainSplit);
        vertical.setOrientation(Orientation.VERTICAL);
        vertical.setId("vertical");
        restoreDividers(vertical, "vertical", new double[]{0.1});
        SplitPane.setResizableWithParent(tokensPanel, false);
        verticalSplit = vertical;

        VBox empty = new VBox();
        empty.getStyleClass().add("empty-state");
        Label title = new Label("No model open");
        title.getStyleClass().add("empty-title");
        Label hint = new Label("Open a Hugging Face model folder (config.json, *.safetensors, tokenizer.json),\n"
                + "pick one from the Hugging Face cache, or drop a folder on this window.");
        hint.getStyleClass().add("panel-hint");
        Button openButton = new Button("Open Model Folder…", new FontIcon(MaterialDesignF.FOLDER_OPEN_OUTLINE));
        openButton.getStyleClass().add(Styles.ACCENT);
        openButton.setOnAction(e -> chooseAndOpen());
        Button hfButton = new Button("Open from Hugging Face Cache…");
        hfButton.setOnAction(e -> openFromHfCache());
        HBox buttons = new HBox(8, openButton, hfButton);
        SampleModels.defaultModel().ifPresent(sample -> {
            Button sampleButton = new Button("Open Sample " + sample.getFileName(),
                    new FontIcon(MaterialDesignS.SCHOOL_OUTLINE));
            sampleButton.setOnAction(e -> openSample(sample));
            buttons.getChildren().add(sampleButton);
        });
        empty.getChildren().addAll(title, hint, buttons);
        ((HBox) empty.getChildren().get(2)).setAlignment(javafx.geometry.Pos.CENTER);
        empty.visibleProperty().bind(vm.modelProperty().isNull().and(vm.loadingProperty().not()));
        emptyState = empty;
        return new StackPane(vertical, empty);
    }

    private SplitPane verticalSplit;
    private Node emptyState;

    private Node headControls() {
        ToggleButton heatmap = new ToggleButton("Heatmap");
        ToggleButton lines = new ToggleButton("Lines");
        heatmap.setTooltip(new Tooltip("Query tokens down, key tokens across"));
        lines.setTooltip(new Tooltip("Query tokens on the left, key tokens on the right; line opacity = weight"));
        PillToggle.join(heatmap, lines, heatmap, b ->
                headVm.modeProperty().set(b == lines ? HeadViewModel.Mode.LINES : HeadViewModel.Mode.HEATMAP));
        CheckBox mean = new CheckBox("Mean of layer");
        mean.setTooltip(new Tooltip("Show the mean of all heads of the selected layer"));
        mean.selectedProperty().bindBidirectional(headVm.layerMeanProperty());
        Slider threshold = new Slider(0, 0.5, 0);
        threshold.setPrefWidth(90);
        threshold.valueProperty().bindBidirectional(headVm.thresholdProperty());
        Label thresholdLabel = new Label();
        thresholdLabel.textProperty().bind(Bindings.format("≥ %.2f", headVm.thresholdProperty()));
        thresholdLabel.getStyleClass().add("panel-hint");
        Tooltip.install(threshold, new Tooltip("Hide weights below this threshold"));
        HBox box = new HBox(8, new HBox(heatmap, lines), mean, threshold, thresholdLabel);
        box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return box;
    }

    private static Node panel(String title, String explanation, Node content, Node controls) {
        Label t = new Label(title);
        t.getStyleClass().add("panel-title");
        FontIcon info = new FontIcon(MaterialDesignI.INFORMATION_OUTLINE);
        info.getStyleClass().add("panel-hint");
        Tooltip tip = new Tooltip(explanation);
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        Tooltip.install(t, tip);
        Tooltip.install(info, tip);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(t, info, spacer);
        if (controls != null) {
            header.getChildren().add(controls);
        }
        header.getStyleClass().add("panel-header");
        if (content instanceof Region r) {
            VBox.setVgrow(r, Priority.ALWAYS);
            if (content instanceof CanvasView) {
                Tooltip.install(r, null);
            }
        }
        BorderPane pane = new BorderPane(content);
        pane.setTop(header);
        return pane;
    }

    /** A list row: label, detail and a bar as long as the probability. */
    private static final class ProbabilityCell extends javafx.scene.control.ListCell<LensViewModel.Row> {
        private final Label detail = new Label();
        private final Label label = new Label();
        private final dev.headlight.ui.view.ProbabilityBar bar = new dev.headlight.ui.view.ProbabilityBar();
        private final Label percent = new Label();
        private final HBox box;

        ProbabilityCell() {
            setPrefWidth(0); // fit the list's width instead of scrolling sideways
            detail.setMinWidth(40);
            detail.getStyleClass().add("panel-hint");
            label.setMinWidth(72);
            label.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(label, Priority.ALWAYS);
            bar.setPrefWidth(48);
            bar.setMinWidth(12);
            percent.setMinWidth(Region.USE_PREF_SIZE);
            percent.setAlignment(javafx.geometry.Pos.CENTER_RIGHT);
            box = new HBox(6, detail, label, bar, percent);
            box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(LensViewModel.Row row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            detail.setText(row.detail());
            label.setText(row.label());
            bar.setValue(row.probability());
            percent.setText(row.percent());
            setGraphic(box);
        }
    }

    private static Tab tab(String title, org.kordamp.ikonli.Ikon icon, String explanation, Node content) {
        Tab tab = new Tab(title, content);
        tab.setGraphic(new FontIcon(icon));
        Tooltip tip = new Tooltip(explanation);
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        tab.setTooltip(tip);
        return tab;
    }

    private Node statusBar() {
        statusBar.textProperty().bind(Bindings.createStringBinding(() -> {
            String activity = vm.activityProperty().get();
            return activity == null || activity.isEmpty() ? vm.statusProperty().get()
                    : activity + "   " + vm.statusProperty().get();
        }, vm.activityProperty(), vm.statusProperty()));
        statusBar.progressProperty().bind(vm.progressProperty());
        Button cancel = new Button("Cancel", new FontIcon(MaterialDesignC.CLOSE_CIRCLE_OUTLINE));
        cancel.getStyleClass().add(Styles.SMALL);
        cancel.setOnAction(e -> vm.cancelLoading());
        cancel.visibleProperty().bind(vm.loadingProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        statusBar.getRightItems().add(cancel);
        return statusBar;
    }

    private void installContextMenu(CanvasView view) {
        MenuItem save = new MenuItem("Save as PNG…", new FontIcon(MaterialDesignI.IMAGE_OUTLINE));
        save.setOnAction(e -> exportInteractive(view));
        ContextMenu menu = new ContextMenu(save);
        if (view == headView) {
            menu.getItems().add(item("Save Map as CSV…", this::exportCsvInteractive));
        }
        view.setOnContextMenuRequested(e -> {
            if (view == modelView) {
                // plug-ins add their items after the window is built: added on first use
                if (!menu.getItems().containsAll(headMenuItems)) {
                    menu.getItems().addAll(headMenuItems);
                }
                selectHeadAt(e.getX(), e.getY());
            }
            menu.show(view, e.getScreenX(), e.getScreenY());
        });
    }

    private void installDragAndDrop() {
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.ANY);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            boolean done = e.getDragboard().hasFiles() && openDropped(e.getDragboard().getFiles());
            e.setDropCompleted(done);
            e.consume();
        });
    }

    /** A context menu was requested at (x, y) in the model view: the head under it becomes the selected head. */
    private void selectHeadAt(double x, double y) {
        Analysis a = vm.analysis();
        if (a == null) {
            return;
        }
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.heads(); h++) {
                if (modelView.cellBounds(l, h).contains(x, y)) {
                    vm.selection().selectHead(l, h);
                    return;
                }
            }
        }
    }

    // ---- actions

    /** Opens what was dropped on the window: a model folder, or the folder of a dropped file (e.g. config.json). */
    public boolean openDropped(List<java.io.File> files) {
        if (files.isEmpty()) {
            return false;
        }
        Path p = files.getFirst().toPath();
        Path folder = Files.isDirectory(p) ? p : p.getParent();
        if (folder == null) {
            return false;
        }
        openFolder(folder);
        return true;
    }

    /** File > Open Model Folder…: asks for a folder (the chooser can be replaced) and opens it. */
    public void chooseAndOpen() {
        Path folder = folderChooser.apply(stageWindow());
        if (folder != null) {
            openFolder(folder);
        }
    }

    /** Opens a bundled sample model with the prompt its model card suggests. */
    public void openSample(Path folder) {
        promptField.setText(SampleModels.examplePrompt(folder));
        openFolder(folder);
    }

    /** Opens a model folder as File > Open does, without a dialog. */
    public void openFolder(Path folder) {
        vm.openModel(folder);
    }

    private void openFromHfCache() {
        Path cache = HfCacheScanner.defaultCacheRoot();
        new HfCacheDialog(stageWindow(), cache).showAndWait().ifPresent(this::openFolder);
    }

    /**
     * File > Open Hugging Face Model Id…: a field for an id such as openai-community/gpt2 (or a folder), opened from
     * the local cache as from_pretrained does offline; nothing is downloaded.
     */
    private void chooseModelId() {
        Path cache = HfCacheScanner.defaultCacheRoot();
        var dialog = new javafx.scene.control.TextInputDialog();
        dialog.initOwner(stageWindow());
        dialog.setTitle("Open Hugging Face Model Id");
        dialog.setHeaderText("A model id such as openai-community/gpt2 (or org/name@revision), opened from the local "
                + "cache " + cache + "; nothing is downloaded. A model folder works too.");
        dialog.setContentText("Model id:");
        dialog.showAndWait().ifPresent(typed -> openTyped(typed, cache));
    }

    /** Opens a typed model id or folder ({@link ModelLocator}); when it is absent the banner says where it looked. */
    public void openTyped(String typed, Path cacheRoot) {
        try {
            openFolder(ModelLocator.locate(typed, cacheRoot));
        } catch (IllegalArgumentException e) {
            vm.errorProperty().set(e.getMessage());
        }
    }

    private void refreshRecentMenu() {
        recentMenu.getItems().clear();
        List<Path> recent = prefs.recentFolders();
        for (Path p : recent) {
            MenuItem m = new MenuItem(ModelNames.displayName(p) + "  —  " + p);
            m.setMnemonicParsing(false);
            m.setOnAction(e -> openFolder(p));
            recentMenu.getItems().add(m);
        }
        if (recent.isEmpty()) {
            MenuItem none = new MenuItem("No recent models");
            none.setDisable(true);
            recentMenu.getItems().add(none);
        } else {
            recentMenu.getItems().addAll(new SeparatorMenuItem(), item("Clear Recent", () -> {
                prefs.clearRecent();
                refreshRecentMenu();
            }));
        }
    }

    /** The canvas view holding the keyboard focus, else the head view. */
    CanvasView focusedView() {
        for (Node n = scene.getFocusOwner(); n != null; n = n.getParent()) {
            if (n instanceof CanvasView v && v != null && List.of(modelView, headView, lensView, headMapView).contains(v)) {
                return v;
            }
        }
        return headView;
    }

    private void exportInteractive(CanvasView view) {
        if (vm.analysis() == null) {
            vm.errorProperty().set("Nothing to export yet: open a model and type a prompt.");
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
            vm.activityProperty().set("Saved " + file.getFileName());
        } catch (IOException | RuntimeException e) {
            vm.errorProperty().set("Could not save " + file.getFileName() + ": " + ExplorerViewModel.describe(e));
        }
    }

    /** Saves the head view's map as CSV (asks where through the save chooser). */
    public void exportCsv() {
        exportCsvInteractive();
    }

    private void exportCsvInteractive() {
        Analysis a = vm.analysis();
        if (a == null) {
            return;
        }
        float[] map = headView.shownMap();
        if (map == null) {
            vm.errorProperty().set("The selected head's map is still being recomputed; export it once it shows.");
            return;
        }
        Path file = saveChooser.apply("Save Head as CSV", headView.exportName() + ".csv");
        if (file != null) {
            try {
                TraceExport.writeHeadCsv(map, a.tokens(), a::label, file);
            } catch (IOException e) {
                vm.errorProperty().set("Could not save " + file.getFileName() + ": " + e.getMessage());
            }
        }
    }

    private void exportTraceInteractive() {
        Analysis a = vm.analysis();
        if (a == null) {
            return;
        }
        Path file = saveChooser.apply("Save Trace as Safetensors", "trace.safetensors");
        if (file == null) {
            return;
        }
        vm.activityProperty().set("Exporting trace…");
        javafx.concurrent.Task<Void> task = new javafx.concurrent.Task<>() {
            @Override
            protected Void call() throws IOException {
                TraceExport.writeSafetensors(a.model(), a.ids(), a.prompt(), file);
                return null;
            }
        };
        task.setOnSucceeded(e -> vm.activityProperty().set("Saved " + file.getFileName()));
        task.setOnFailed(e -> vm.errorProperty().set("Could not export the trace: "
                + ExplorerViewModel.describe(task.getException())));
        Thread t = new Thread(task, "headlight-export");
        t.setDaemon(true);
        t.start();
    }

    // ---- persistence

    private void restoreDividers(SplitPane split, String name, double[] fallback) {
        double[] saved = prefs.dividers(name);
        split.setDividerPositions(saved.length == split.getItems().size() - 1 ? saved : fallback);
    }

    private void saveLayout() {
        if (!stage.isMaximized() && !Double.isNaN(stage.getX())) {
            prefs.saveWindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false);
        } else {
            prefs.saveWindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
        }
        prefs.saveDividers("main", mainSplit.getDividerPositions());
        prefs.saveDividers("left", leftSplit.getDividerPositions());
        prefs.saveDividers("vertical", verticalSplit.getDividerPositions());
        prefs.saveLastPrompt(promptField.getText());
    }

    private Window stageWindow() {
        return stage;
    }

    // ---- WindowHost: what panels and plug-ins may ask of the window

    @Override
    public ExplorerViewModel explorer() {
        return vm;
    }

    @Override
    public dev.headlight.ui.task.TaskRunner tasks() {
        return tasks;
    }

    @Override
    public AppPreferences preferences() {
        return prefs;
    }

    @Override
    public Window window() {
        return stage;
    }

    @Override
    public void addTab(Tab tab) {
        tabs.getTabs().add(tab);
    }

    @Override
    public void addTab(int index, Tab tab) {
        tabs.getTabs().add(Math.clamp(index, 0, tabs.getTabs().size()), tab);
    }

    @Override
    public void removeTab(Tab tab) {
        tabs.getTabs().remove(tab);
    }

    @Override
    public void selectTab(Tab tab) {
        tabs.getSelectionModel().select(tab);
    }

    @Override
    public void addMenu(Menu menu) {
        menus.getMenus().add(Math.max(0, menus.getMenus().size() - 1), menu); // before Help
    }

    @Override
    public void addHeadMenuItems(List<MenuItem> items) {
        headMenuItems.addAll(items);
    }

    @Override
    public void openModel(Path folder) {
        openFolder(folder);
    }

    @Override
    public void toFront() {
        stage.toFront();
    }

    @Override
    public void onClose(Runnable action) {
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDING, e -> action.run());
    }

    // ---- for the application and tests

    public Stage stage() {
        return stage;
    }

    public ExplorerViewModel viewModel() {
        return vm;
    }

    public HeadViewModel headViewModel() {
        return headVm;
    }

    public LensViewModel lensViewModel() {
        return lensVm;
    }

    public Scene scene() {
        return scene;
    }

    public Parent root() {
        return root;
    }

    public TextField promptField() {
        return promptField;
    }

    public TokensView tokensView() {
        return tokensView;
    }

    public ModelView modelView() {
        return modelView;
    }

    public HeadView headView() {
        return headView;
    }

    public LensView lensView() {
        return lensView;
    }

    public HeadMapView headMapView() {
        return headMapView;
    }

    public WeightsView weightsView() {
        return weightsView;
    }

    public dev.headlight.ui.interventions.Interventions interventions() {
        return interventions;
    }

    public dev.headlight.ui.lab.Lab lab() {
        return lab;
    }

    public TabPane tabs() {
        return tabs;
    }

    public Message banner() {
        return banner;
    }

    public MenuItem openMenuItem() {
        return openItem;
    }

    public Node emptyState() {
        return emptyState;
    }

    public void setFolderChooser(Function<Window, Path> chooser) {
        this.folderChooser = chooser;
    }

    public void setSaveChooser(BiFunction<String, String, Path> chooser) {
        this.saveChooser = chooser;
    }

    public void setScaleChooser(Function<String, Integer> chooser) {
        this.scaleChooser = chooser;
    }
}
