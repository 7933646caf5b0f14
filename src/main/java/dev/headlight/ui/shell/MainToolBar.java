package dev.headlight.ui.shell;

import dev.headlight.ui.AttentionScale;
import dev.headlight.ui.ColorMap;
import dev.headlight.ui.ExplorerViewModel;
import javafx.geometry.Orientation;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.kordamp.ikonli.materialdesign2.MaterialDesignW;

import static dev.headlight.ui.shell.Panels.iconButton;

/** Open (dialog, Hugging Face cache, typed path), export, colour map, scale and dark mode. */
final class MainToolBar extends ToolBar {
    private final ModelPathField pathField;

    MainToolBar(ExplorerViewModel vm, ModelOpening opening, Runnable exportFocused) {
        pathField = new ModelPathField(vm, opening);
        // wider when there is room, up to about the 28 columns it used to ask for always
        pathField.setMaxWidth(520);
        HBox.setHgrow(pathField, Priority.ALWAYS);
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
        getItems().addAll(
                iconButton(MaterialDesignF.FOLDER_OPEN_OUTLINE, "Open a model folder (Ctrl+O)", opening::chooseAndOpen),
                iconButton(MaterialDesignD.DATABASE_SEARCH_OUTLINE, "Open a model from the Hugging Face cache",
                        opening::openFromHfCache),
                pathField,
                iconButton(MaterialDesignI.IMAGE_MOVE, "Export the focused view as PNG (Ctrl+E)", exportFocused),
                new Separator(Orientation.VERTICAL), new Label("Colours"), colours, new Label("Scale"), scale,
                spacer, dark);
    }

    ModelPathField pathField() {
        return pathField;
    }
}
