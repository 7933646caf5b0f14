package dev.headlight.ui.shell;

import dev.headlight.library.HfCacheScanner;

import dev.headlight.engine.ModelInfo;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.nio.file.Path;
import java.util.function.Function;

/** Lists the models of the Hugging Face cache; unsupported ones are greyed with the reason. */
public final class HfCacheDialog extends Dialog<Path> {
    private final TableView<HfCacheScanner.Entry> table = new TableView<>();
    private final Label summary = new Label();

    public HfCacheDialog(Window owner, HfCacheViewModel model) {
        Path cacheRoot = model.cacheRoot();
        initOwner(owner);
        setTitle("Open from Hugging Face Cache");
        setHeaderText("Models in " + cacheRoot);
        setResizable(true);
        table.getColumns().add(column("Model", e -> e.repoId(), 260));
        table.getColumns().add(column("Architecture", e -> e.architecture().isEmpty() ? "—" : e.architecture(), 180));
        table.getColumns().add(column("Parameters", e -> e.parameters() == 0 ? "—" : ModelInfo.humanCount(e.parameters()), 90));
        table.getColumns().add(column("Dtype", e -> e.dtype().isEmpty() ? "—" : e.dtype(), 70));
        table.getColumns().add(column("Size on disk", e -> HfCacheScanner.humanBytes(e.sizeOnDisk()), 100));
        table.getColumns().add(column("Status", e -> e.supported() ? (e.note() == null ? "ready" : "ready — " + e.note()) : e.problem(), 260));
        table.setRowFactory(tv -> new TableRow<>() {
            @Override
            protected void updateItem(HfCacheScanner.Entry item, boolean empty) {
                super.updateItem(item, empty);
                setDisable(false);
                setOpacity(item != null && !item.supported() ? 0.5 : 1);
                setTooltip(item == null ? null : new Tooltip(item.supported()
                        ? item.folder().toString() : "Cannot open: " + item.problem()));
            }
        });
        table.setPrefSize(980, 380);
        table.setOnMouseClicked(e -> {
            HfCacheScanner.Entry sel = table.getSelectionModel().getSelectedItem();
            if (e.getClickCount() == 2 && sel != null && sel.supported()) {
                setResult(sel.folder());
                close();
            }
        });
        getDialogPane().setContent(new VBox(8, table, summary));
        ButtonType open = new ButtonType("Open", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(open, ButtonType.CANCEL);
        getDialogPane().lookupButton(open).disableProperty().bind(
                table.getSelectionModel().selectedItemProperty().map(e -> !e.supported()).orElse(true));
        setResultConverter(b -> b == open && table.getSelectionModel().getSelectedItem() != null
                ? table.getSelectionModel().getSelectedItem().folder() : null);
        table.setItems(model.entries());
        Label placeholder = new Label();
        placeholder.textProperty().bind(model.placeholderProperty());
        table.setPlaceholder(placeholder);
        summary.textProperty().bind(model.summaryProperty());
        model.scan();
    }

    private static TableColumn<HfCacheScanner.Entry, String> column(String title,
                                                                  Function<HfCacheScanner.Entry, String> value,
                                                                  double width) {
        TableColumn<HfCacheScanner.Entry, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
