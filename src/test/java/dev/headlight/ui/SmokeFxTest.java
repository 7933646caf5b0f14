package dev.headlight.ui;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.embed.swing.SwingFXUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.io.File;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(ApplicationExtension.class)
class SmokeFxTest {
    AtomicInteger clicks = new AtomicInteger();
    Button button;

    @Start
    void start(Stage stage) {
        button = new Button("Click me");
        button.setId("b");
        button.setOnAction(e -> clicks.incrementAndGet());
        stage.setScene(new Scene(new StackPane(button), 300, 200));
        stage.show();
    }

    @Test
    void clickAndSnapshot(FxRobot robot) throws Exception {
        robot.clickOn("#b");
        WaitForAsyncUtils.waitForFxEvents();
        System.out.println("clicks=" + clicks.get());
        var img = WaitForAsyncUtils.asyncFx(() -> button.getScene().snapshot(null)).get();
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", new File("target/smoke.png"));
        assertEquals(300, (int) img.getWidth());
    }
}
