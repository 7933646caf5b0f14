package dev.headlight.ui.view;

import dev.headlight.ui.ColorMap;
import dev.headlight.ui.Palette;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/** Text helpers shared by the canvas views. */
final class ViewText {
    static final String FAMILY = "System";

    private ViewText() {
    }

    static void empty(GraphicsContext g, double w, double h, Palette p, String message) {
        Font font = Font.font(FAMILY, 13);
        g.setFill(p.mutedText());
        g.setFont(font);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        // word-wrapped to the view's width: a small plot would cut a one-line message off at both ends
        java.util.List<String> lines = wrap(message, font, w - 16);
        double lineHeight = 17;
        double top = h / 2 - (lines.size() - 1) * lineHeight / 2;
        for (int i = 0; i < lines.size(); i++) {
            g.fillText(lines.get(i), w / 2, top + i * lineHeight);
        }
    }

    /** {@code text} in lines no wider than {@code width} where its spaces allow (a longer word keeps a line). */
    static java.util.List<String> wrap(String text, Font font, double width) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        String line = "";
        for (String word : text.split(" ")) {
            String longer = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && width(longer, font) > width) {
                lines.add(line);
                line = word;
            } else {
                line = longer;
            }
        }
        lines.add(line);
        return lines;
    }

    static Color color(int argb) {
        return Color.rgb(argb >> 16 & 0xFF, argb >> 8 & 0xFF, argb & 0xFF);
    }

    static double width(String s, Font font) {
        Text t = new Text(s);
        t.setFont(font);
        return t.getLayoutBounds().getWidth();
    }

    /** A vertical colour bar from 0 (bottom) to 1 (top) with tick labels. */
    static void colorBar(GraphicsContext g, double x, double y, double width, double height, ColorMap map,
                         java.util.function.DoubleUnaryOperator valueAt, Palette p, String title) {
        int steps = (int) Math.max(2, height);
        for (int i = 0; i < steps; i++) {
            double t = 1 - i / (double) (steps - 1);
            g.setFill(color(map.argb(t)));
            g.fillRect(x, y + i * height / steps, width, height / steps + 0.6);
        }
        g.setStroke(p.grid());
        g.setLineWidth(1);
        g.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
        g.setFill(p.mutedText());
        g.setFont(Font.font(FAMILY, 10));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i <= 4; i++) {
            double t = i / 4.0;
            double value = valueAt.applyAsDouble(t);
            String label = value >= 0.01 || value == 0 ? String.format(java.util.Locale.ROOT, "%.2f", value)
                    : String.format(java.util.Locale.ROOT, "%.0e", value);
            g.fillText(label, x + width + 4, y + height - t * height);
        }
        if (title != null) {
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.BOTTOM);
            g.fillText(title, x + width / 2 + 8, y - 4);
        }
    }
}
