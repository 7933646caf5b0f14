package dev.headlight.ui.view;

import dev.headlight.engine.Trace;
import dev.headlight.ui.Analysis;
import dev.headlight.ui.AttentionLoader;
import dev.headlight.ui.AttentionScale;
import dev.headlight.ui.ColorMap;
import javafx.scene.image.WritableImage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The model view's thumbnails: every head's map of the shown pass pooled to at most {@link #THUMBNAIL_MAX} pixels
 * per side and coloured, one image per layer (every head side by side, {@link HeatmapImages#layerRow}). All but
 * tiny passes are pooled and coloured off the FX thread (recomputing the layers a memory budget did not keep,
 * layer by layer); until a layer is ready its image is the previous pass's (same grid), or null (a placeholder),
 * so typing does not flash placeholders.
 */
final class ModelThumbnails {
    /** Longer prompts are pooled to this many pixels per side in the thumbnails (fewer with over 32 heads). */
    static final int THUMBNAIL_MAX = 128;
    /**
     * Up to this many probabilities in all layers, thumbnails are pooled on the FX thread (tiny models: no job, no
     * placeholder); beyond, off it: pooling and colouring TinyLlama's 704 maps of 64 tokens took 150-250 ms of the FX
     * thread.
     */
    static final long POOL_ON_FX_MAX = 1L << 16;

    /** What a thumbnail's colours depend on. */
    record Colors(ColorMap map, AttentionScale scale, int maskedArgb) {
        int[] row(float[][] pooled, int side) {
            return HeatmapImages.layerRow(pooled, side, map, scale, maskedArgb);
        }
    }

    /**
     * One layer's heads pooled ({@code pooled // [head] -> [row][column]}, {@code side × side}) and coloured
     * ({@code pixels // [row][head * side + column]} ARGB with {@code colors}).
     */
    record LayerThumbnails(int side, float[][] pooled, int[] pixels, Colors colors) {
        static LayerThumbnails of(float[][] pooled, Colors colors) {
            int side = (int) Math.round(Math.sqrt(pooled[0].length));
            return new LayerThumbnails(side, pooled, colors.row(pooled, side), colors);
        }

        LayerThumbnails recoloured(Colors newColors) {
            return newColors.equals(colors) ? this : of(pooled, newColors);
        }
    }

    private final Supplier<Colors> colors;
    private final Runnable repaint;
    /** The pass {@link #thumbnails} belong to; compared by identity. */
    private volatile Trace pooledFor;
    private LayerThumbnails[] thumbnails; // [layer] for pooledFor; an entry is null while its layer is pooled
    private WritableImage[] images;       // [layer] what is drawn
    private LayerThumbnails[] imageSources; // [layer] the thumbnails images[layer] was made from
    private int imageHeads;                 // heads per image in images

    /** {@code colors}: the current colours (FX thread); {@code repaint}: called when a layer is ready. */
    ModelThumbnails(Supplier<Colors> colors, Runnable repaint) {
        this.colors = colors;
        this.repaint = repaint;
    }

    /**
     * The image of each layer (null: a placeholder) for the shown pass, starting the pooling of a new pass and
     * turning pooled layers into images.
     */
    WritableImage[] images(Analysis a) {
        if (pooledFor != a.trace()) {
            pooledFor = a.trace();
            thumbnails = new LayerThumbnails[a.layers()];
            if (images == null || images.length != a.layers() || imageHeads != a.heads()) {
                images = new WritableImage[a.layers()];
                imageSources = new LayerThumbnails[a.layers()];
                imageHeads = a.heads();
            }
            pool(a, a.trace(), colors.get());
        }
        Colors now = colors.get();
        for (int l = 0; l < images.length; l++) {
            LayerThumbnails t = thumbnails[l];
            if (t == null) {
                continue;
            }
            if (!t.colors().equals(now)) { // the colour map or scale changed since it was pooled
                t = thumbnails[l] = t.recoloured(now);
            }
            if (imageSources[l] != t) {
                images[l] = HeatmapImages.image(t.pixels(), imageHeads * t.side(), t.side(), images[l]);
                imageSources[l] = t;
            }
        }
        return images;
    }

    /**
     * Pools on the FX thread what is still being pooled of the shown pass and whose maps are held, for an export
     * (never the previous pass's maps); layers still being recomputed become placeholders.
     */
    void completeForExport(Analysis a) {
        images(a);
        for (int l : poolHeldLayersNow(a, colors.get())) {
            images[l] = null;
            imageSources[l] = null;
        }
    }

    /**
     * Pools every head's map of {@code pass}: a small pass here and now; otherwise the layers held now in one job
     * off the FX thread, then each layer a memory budget did not keep in a job of its own (its maps are recomputed
     * once for all its heads), repainting as they come.
     */
    private void pool(Analysis a, Trace pass, Colors with) {
        List<Integer> recomputed = new ArrayList<>();
        if ((long) a.layers() * a.heads() * a.tokens() * a.tokens() <= POOL_ON_FX_MAX) {
            recomputed = poolHeldLayersNow(a, with);
        } else {
            List<Integer> held = new ArrayList<>();
            for (int l = 0; l < a.layers(); l++) {
                (a.mapReady(l) ? held : recomputed).add(l);
            }
            if (!held.isEmpty()) {
                AttentionLoader.load(AttentionLoader.Priority.BACKGROUND, () -> pooledFor == pass, () -> {
                    LayerThumbnails[] out = new LayerThumbnails[a.layers()];
                    for (int layer : held) {
                        out[layer] = LayerThumbnails.of(poolLayer(a, layer, false), with);
                    }
                    return out;
                }, pooledLayers -> {
                    if (pooledFor == pass) {
                        for (int layer : held) {
                            thumbnails[layer] = pooledLayers[layer];
                        }
                        repaint.run();
                    }
                }, null);
            }
        }
        for (int layer : recomputed) {
            AttentionLoader.load(AttentionLoader.Priority.BACKGROUND, () -> pooledFor == pass,
                    () -> LayerThumbnails.of(poolLayer(a, layer, false), with), pooledLayer -> {
                        if (pooledFor == pass) {
                            thumbnails[layer] = pooledLayer;
                            repaint.run();
                        }
                    }, null);
        }
    }

    /** Pools here and now every missing layer whose maps are held (never recomputing); returns the layers left. */
    private List<Integer> poolHeldLayersNow(Analysis a, Colors with) {
        List<Integer> left = new ArrayList<>();
        for (int l = 0; l < thumbnails.length; l++) {
            if (thumbnails[l] == null) {
                float[][] now = poolLayer(a, l, true);
                if (now != null) {
                    thumbnails[l] = LayerThumbnails.of(now, with);
                } else {
                    left.add(l);
                }
            }
        }
        return left;
    }

    /**
     * Each head of a layer pooled, {@code // [head] -> [row][column]}; with {@code onlyIfHeld} null when the layer's
     * maps would have to be recomputed first.
     */
    private static float[][] poolLayer(Analysis a, int layer, boolean onlyIfHeld) {
        boolean causal = a.model().info().causal();
        float[][] out = new float[a.heads()][];
        for (int h = 0; h < a.heads(); h++) {
            float[] map = onlyIfHeld ? a.mapIfReady(layer, h, false) : a.map(layer, h, false);
            if (map == null) {
                return null;
            }
            out[h] = HeatmapImages.pool(map, a.tokens(), causal, thumbnailSide(a.heads()));
        }
        return out;
    }

    /** At most this many pixels per side: a layer's image (every head side by side) stays ≤ 4,096 pixels wide,
     * a texture size every Prism pipeline takes. */
    static int thumbnailSide(int heads) {
        return Math.max(8, Math.min(THUMBNAIL_MAX, 4096 / heads));
    }

    /** Whether every thumbnail of {@code a}'s pass is ready (none is still being pooled or recomputed). */
    boolean ready(Analysis a) {
        if (a == null || thumbnails == null || pooledFor != a.trace()) {
            return false;
        }
        for (LayerThumbnails t : thumbnails) {
            if (t == null) {
                return false;
            }
        }
        return true;
    }
}
