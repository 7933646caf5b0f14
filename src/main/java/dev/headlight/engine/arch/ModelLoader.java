package dev.headlight.engine.arch;

import dev.headlight.engine.ModelOpener;
import dev.headlight.format.FormatException;
import dev.headlight.format.config.ConfigReader;
import dev.headlight.format.config.ModelConfig;
import dev.headlight.format.safetensors.TensorStore;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a model folder: config.json, the memory-mapped weights, every tensor resolved against the family's
 * table and checked against the config. Nothing proportional to the weights happens here (only norm weights
 * and biases are copied), so opening is fast whatever the model size: a 2.2 GB TinyLlama-shaped folder opens in
 * ~0.3 s in a fresh JVM, mostly class loading. tokenizer.json, which can take longer than all that (Qwen2's),
 * is read on a background thread that {@link TransformerModel#tokenizer()} waits for.
 */
public final class ModelLoader implements ModelOpener {
    /** For the service loader ({@link ModelOpener#installed}). */
    public ModelLoader() {
    }

    @Override
    public TransformerModel open(Path folder) {
        return load(folder);
    }

    public static TransformerModel load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new FormatException(folder, "is not a folder");
        }
        ModelConfig config = ConfigReader.readFolder(folder);
        TensorStore store = TensorStore.open(folder);
        try {
            Weights weights = new Weights(config, store, FamilyTables.of(config.family()));
            TransformerModel model = switch (config.family()) {
                case GPT2 -> new Gpt2Model(folder, config, store, weights);
                case LLAMA, MISTRAL, QWEN2, QWEN3, PHI3 -> new LlamaModel(folder, config, store, weights);
                case GEMMA, GEMMA2 -> new GemmaModel(folder, config, store, weights);
                case GPT_NEOX -> new GptNeoXModel(folder, config, store, weights);
                case BERT -> new BertModel(folder, config, store, weights);
            };
            model.startLoadingTokenizer(); // tokenizer.json loads while the caller goes on
            return model;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        } catch (InternalError e) {
            // a weights file cut short while its tensors were being read at open (see TransformerModel.run)
            RuntimeException reported = store.faultDuringPass(e);
            store.close();
            throw reported;
        }
    }
}
