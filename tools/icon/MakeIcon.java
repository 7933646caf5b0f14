import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;

/**
 * Draws the application icon: a lamp whose beam falls on a small attention map (a causal, lower-triangular grid
 * with a bright diagonal stripe, as an induction head's map looks). Run from the project folder:
 * java -Djava.awt.headless=true tools/icon/MakeIcon.java src/main/packaging/headlight.png
 */
public class MakeIcon {
    public static void main(String[] args) throws Exception {
        int size = 256;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x1d2b4f), size, size, new Color(0x0c1224)));
        g.fill(new RoundRectangle2D.Double(8, 8, size - 16, size - 16, 56, 56));

        // the beam: a translucent wedge from the lamp to the map
        g.setPaint(new GradientPaint(52, 128, new Color(255, 214, 90, 200), 230, 128, new Color(255, 214, 90, 40)));
        g.fill(new Polygon(new int[] {60, 232, 232}, new int[] {128, 44, 212}, 3));

        // the attention map: 6 x 6 causal grid, cell (q, k) filled for k <= q, brightest on the stripe k = q - 2
        int cells = 6, cell = 20, left = 112, top = 68;
        for (int q = 0; q < cells; q++) {
            for (int k = 0; k <= q; k++) {
                float strength = k == q - 2 ? 1f : (k == 0 ? 0.45f : 0.18f);
                g.setColor(new Color(1f, 0.55f + 0.4f * strength, 0.1f + 0.3f * strength, 0.25f + 0.75f * strength));
                g.fillRoundRect(left + k * cell, top + q * cell, cell - 3, cell - 3, 5, 5);
            }
        }

        // the lamp
        g.setColor(new Color(0xffe9a8));
        g.fill(new Ellipse2D.Double(30, 98, 60, 60));
        g.setColor(new Color(0xf5b301));
        g.setStroke(new BasicStroke(8));
        g.draw(new Ellipse2D.Double(30, 98, 60, 60));
        g.dispose();
        ImageIO.write(image, "png", new File(args[0]));
    }
}
