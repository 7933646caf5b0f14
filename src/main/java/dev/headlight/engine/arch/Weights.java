package dev.headlight.engine.arch;

import dev.headlight.engine.TensorPlacement;
import dev.headlight.engine.TensorPlacement.HeadSlice;
import dev.headlight.engine.arch.TensorTable.HeadSplit;
import dev.headlight.engine.kernel.Matrix;
import dev.headlight.format.FormatException;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.DType;
import dev.headlight.format.safetensors.TensorInfo;
import dev.headlight.format.safetensors.TensorStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model folder's tensors resolved against its family's {@link TensorTable}: every stored tensor gets a
 * {@link TensorPlacement}; a tensor matching no role, a shape the config contradicts, or a layer count that
 * disagrees is refused here, at open time. Lookups by (layer, role) hand out {@link Matrix} views (no copies)
 * or float copies of small vectors.
 */
public final class Weights {
    private final ModelConfig config;
    private final TensorStore store;
    private final TensorTable table;
    private final List<TensorPlacement> placements = new ArrayList<>();
    private final Map<String, String> byRole = new HashMap<>();      // "layer:component" -> tensor name
    private final Map<String, List<HeadSlice>> slices = new HashMap<>(); // tensor name -> head slices
    private long parameters;
    private String dominantDType = "F32";

    public Weights(ModelConfig config, TensorStore store, TensorTable table) {
        this.config = config;
        this.store = store;
        this.table = table;
        int maxLayer = -1;
        Map<DType, Long> bytesByType = new HashMap<>();
        for (String name : store.names()) {
            TensorTable.Match match = table.match(name);
            if (match == null) {
                throw new FormatException(fileOf(name), "tensor '" + name + "' plays no known role in a "
                        + config.modelType() + " model (the model_type in config.json)");
            }
            TensorTable.Rule rule = match.rule();
            TensorInfo info = store.info(name);
            String component = rule.component();
            if (component.equals("unembed") && config.tieWordEmbeddings()) {
                component = "buffer"; // stored but unused: transformers ties the head to the embeddings
            }
            boolean buffer = component.equals("buffer");
            if (!buffer) {
                checkShape(name, info, rule);
                parameters += info.elementCount();
                bytesByType.merge(info.dtype(), info.byteSize(), Long::sum);
                byRole.putIfAbsent(key(match.layer(), component), name);
                maxLayer = Math.max(maxLayer, match.layer());
            }
            List<HeadSlice> headSlices = TensorTable.headSlices(rule.split(), rule.headAxis(), config);
            slices.put(name, headSlices);
            placements.add(new TensorPlacement(name, match.layer(), component,
                    describe(rule, info), headSlices));
        }
        if (maxLayer + 1 != config.layers()) {
            String setting = config.family() == dev.headlight.format.config.Family.GPT2 ? "n_layer" : "num_hidden_layers";
            throw new FormatException(config.file(), setting + " is " + config.layers() + " but the weights "
                    + (maxLayer < 0 ? "hold no layers" : "hold layers 0–" + maxLayer));
        }
        bytesByType.entrySet().stream().max(Map.Entry.comparingByValue())
                .ifPresent(e -> dominantDType = e.getKey().name());
    }

    private static String key(int layer, String component) {
        return layer + ":" + component;
    }

    private void checkShape(String name, TensorInfo info, TensorTable.Rule rule) {
        long[] expected = TensorTable.dims(rule.shape(), config);
        if (expected != null && !Arrays.equals(expected, info.shape())) {
            throw new FormatException(config.file(), "implies shape " + Arrays.toString(expected) + " for tensor '"
                    + name + "' but " + fileOf(name).getFileName() + " holds " + info.shapeString()
                    + " (hidden " + config.hidden()
                    + ", " + config.heads() + " heads × " + config.headDim() + ", " + config.kvHeads()
                    + " kv heads, intermediate " + config.intermediate() + ", vocab " + config.vocab() + ")");
        }
    }

    private String describe(TensorTable.Rule rule, TensorInfo info) {
        String d = rule.description();
        int h = config.heads();
        int kv = config.kvHeads();
        int hd = config.headDim();
        d += switch (rule.split()) {
            case NONE -> "";
            case Q -> " (" + h + " heads × " + hd + ")";
            case K, V -> " (" + kv + (kv == h ? " heads" : " kv-heads") + " × " + hd + ")";
            case O -> " (" + h + " heads × " + hd + " inputs)";
            case QKV_BLOCKS, QKV_PER_HEAD -> " (" + h + " query" + (kv == h ? "" : ", " + kv + " kv") + " heads × "
                    + hd + ")";
        };
        if (rule.component().equals("embed.tokens") && config.tieWordEmbeddings()) {
            d += "; also the unembedding (tied)";
        }
        if (rule.component().equals("unembed") && config.tieWordEmbeddings()) {
            d += " (stored but unused: tie_word_embeddings is true, the token embeddings are used)";
        }
        return d;
    }

    /** The file to name when a tensor is missing: the single weights file or the shard index. */
    private Path weightsFile() {
        if (store.files().size() == 1) {
            return store.files().getFirst().path();
        }
        Path index = store.folder().resolve(TensorStore.INDEX_FILE);
        return Files.exists(index) ? index : store.folder();
    }

    private Path fileOf(String name) {
        return store.files().stream().filter(f -> f.contains(name)).findFirst()
                .map(f -> f.path()).orElse(store.folder());
    }

    public List<TensorPlacement> placements() {
        return List.copyOf(placements);
    }

    /** Number of stored parameters (buffers excluded; tied matrices stored once count once). */
    public long parameters() {
        return parameters;
    }

    /** The dtype holding most bytes, e.g. "BF16". */
    public String dominantDType() {
        return dominantDType;
    }

    public boolean has(int layer, String component) {
        return byRole.containsKey(key(layer, component));
    }

    /** The name of the tensor playing a role, refusing the folder when it is missing. */
    public String require(int layer, String component) {
        String name = byRole.get(key(layer, component));
        if (name == null) {
            TensorTable.Rule rule = table.ruleFor(component);
            throw new FormatException(weightsFile(), "has no tensor '" + rule.exampleName(Math.max(layer, 0))
                    + "' (" + component + (layer >= 0 ? " of layer " + layer : "") + ") that config.json ("
                    + config.modelType() + ", " + config.layers() + " layers) requires");
        }
        return name;
    }

    /** Refuses a tensor that is present although config.json says the model has no such parameter. */
    public void refuseIfPresent(int layer, String component, String setting) {
        String name = byRole.get(key(layer, component));
        if (name != null) {
            throw new FormatException(config.file(), setting + " but the weights hold '" + name + "'");
        }
    }

    public Matrix matrix(int layer, String component) {
        String name = require(layer, component);
        try {
            return Matrix.of(store.tensor(name));
        } catch (IllegalArgumentException e) {
            throw new FormatException(fileOf(name), "tensor '" + name + "': " + e.getMessage());
        }
    }

    /** A float32 copy of a small tensor (norm weight, bias). */
    public float[] vector(int layer, String component) {
        String name = require(layer, component);
        DType type = store.info(name).dtype();
        if (!type.isFloatingPoint()) {
            throw new FormatException(fileOf(name), "tensor '" + name + "' has dtype " + type
                    + "; a floating-point type is needed");
        }
        return store.tensor(name).toFloats();
    }

    public float[] vectorOrNull(int layer, String component) {
        return has(layer, component) ? vector(layer, component) : null;
    }

    /** {@code component}'s matrix, with {@code component.bias} when {@code bias} (else no bias). */
    Projection projection(int layer, String component, boolean bias) {
        return new Projection(matrix(layer, component), bias ? vector(layer, component + ".bias") : null);
    }

    /** A LayerNorm: {@code component} as its weight, {@code component.bias} as its bias, the config's eps. */
    Norm layerNorm(int layer, String component) {
        return new Norm.LayerNorm(vector(layer, component), vector(layer, component + ".bias"), config.normEps());
    }

    /** An RMSNorm with {@code component} as its weight and the config's eps; {@code gemma}: scale by 1 + w. */
    Norm rmsNorm(int layer, String component, boolean gemma) {
        return new Norm.RmsNorm(vector(layer, component), config.normEps(), gemma);
    }

    /** The head slices of the tensor playing a role (its output features, for fused q/k/v). */
    public List<HeadSlice> headSlices(int layer, String component) {
        return slices.get(require(layer, component));
    }

    /** The split rule of a role, from the table. */
    public HeadSplit split(String component) {
        return table.ruleFor(component).split();
    }
}
