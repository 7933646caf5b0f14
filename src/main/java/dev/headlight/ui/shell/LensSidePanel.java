package dev.headlight.ui.shell;

import atlantafx.base.theme.Styles;
import dev.headlight.ui.LensViewModel;
import dev.headlight.ui.view.ProbabilityBar;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.List;

/** Beside the logit lens grid: the selected cell's top tokens and the target token's rank per layer. */
final class LensSidePanel extends VBox {
    LensSidePanel(LensViewModel lensVm) {
        super(6);
        ListView<LensViewModel.Row> topList = new ListView<>();
        ListView<LensViewModel.Row> rankList = new ListView<>();
        for (ListView<LensViewModel.Row> list : List.of(topList, rankList)) {
            list.getStyleClass().addAll("lens-list", Styles.DENSE);
            list.setCellFactory(lv -> new ProbabilityCell());
        }
        Label topHeading = heading();
        topHeading.textProperty().bind(lensVm.sideProperty().map(LensViewModel.Side::heading));
        Label rankHeading = heading();
        rankHeading.textProperty().bind(lensVm.sideProperty().map(LensViewModel.Side::rankHeading));
        lensVm.sideProperty().subscribe(side -> {
            topList.getItems().setAll(side.topK());
            rankList.getItems().setAll(side.ranks());
        });
        getChildren().addAll(topHeading, topList, rankHeading, rankList);
        setPadding(new Insets(6));
        setPrefWidth(300);
        setMinWidth(220);
        VBox.setVgrow(topList, Priority.ALWAYS);
        VBox.setVgrow(rankList, Priority.ALWAYS);
    }

    private static Label heading() {
        Label l = new Label();
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.getStyleClass().add(Styles.TEXT_BOLD);
        return l;
    }

    /** A list row: label, detail and a bar as long as the probability. */
    private static final class ProbabilityCell extends ListCell<LensViewModel.Row> {
        private final Label detail = new Label();
        private final Label label = new Label();
        private final ProbabilityBar bar = new ProbabilityBar();
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
            percent.setAlignment(Pos.CENTER_RIGHT);
            box = new HBox(6, detail, label, bar, percent);
            box.setAlignment(Pos.CENTER_LEFT);
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
}
