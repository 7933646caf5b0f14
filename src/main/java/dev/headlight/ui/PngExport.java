package dev.headlight.ui;

import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Lossless PNG output of rendered views. */
public final class PngExport {
    public static final int[] SCALES = {1, 2, 4};

    private PngExport() {
    }

    public static void write(Image image, Path file) throws IOException {
        BufferedImage buffered = SwingFXUtils.fromFXImage(image, null);
        // drop alpha: the views paint an opaque background, and RGB PNGs open everywhere
        BufferedImage rgb = new BufferedImage(buffered.getWidth(), buffered.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(buffered, 0, 0, null);
        if (!ImageIO.write(rgb, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }
}
