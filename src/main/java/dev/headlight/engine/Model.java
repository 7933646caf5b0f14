package dev.headlight.engine;

import dev.headlight.format.safetensors.TensorStore;
import dev.headlight.format.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * A model folder opened for running: config, tokenizer, memory-mapped weights and the architecture that maps
 * every tensor to its role. Thread-safe for concurrent {@link #run} calls.
 */
public interface Model extends AutoCloseable {

    /**
     * Opens a Hugging Face model folder (config.json, *.safetensors, tokenizer.json). Any problem throws
     * {@link dev.headlight.format.FormatException} with a one-line reason naming the file.
     */
    static Model open(Path folder) {
        return ModelOpener.installed().open(folder);
    }

    ModelInfo info();

    /**
     * The settings read from config.json, normalized across families (norm epsilon, activation, rope, soft-caps,
     * sliding windows, ...).
     */
    default dev.headlight.format.config.ModelConfig config() {
        throw new UnsupportedOperationException("this model has no config.json settings");
    }

    /**
     * The tokenizer from tokenizer.json, read on a background thread since {@link #open} (a Qwen2-sized file takes
     * longer than the rest of opening): the first call may wait for it; every call returns the same instance. A
     * folder without tokenizer.json still opens (it runs on token ids); then this throws
     * {@link dev.headlight.format.FormatException} naming the missing file, as it does, on every call, for a
     * tokenizer.json that cannot be used.
     */
    Tokenizer tokenizer();

    /** Whether the folder has a tokenizer.json. */
    default boolean hasTokenizer() {
        return true;
    }

    TensorStore weights();

    /** Every stored tensor with its place in the architecture, in file order. */
    List<TensorPlacement> tensorMap();

    /**
     * Runs the model on {@code ids} capturing attentions, residual streams and logits (float32 compute; weights
     * read in their stored dtype). Causal families see only earlier tokens (and, on sliding-window layers, the
     * last {@code sliding_window} of them); BERT attends both ways with token type 0.
     *
     * @throws IllegalArgumentException for no ids, more ids than the model's max positions, or an id outside the
     *                                  vocabulary
     * @throws java.util.concurrent.CancellationException when {@code options.cancelled()} turns true
     */
    Trace run(int[] ids, RunOptions options);

    /**
     * Layer {@code layer}'s attention probabilities computed again from {@code residualIn // [tokens][hidden]},
     * the residual stream entering the layer (a {@link Trace}'s {@code residual[layer]}): that layer's norm,
     * query and key projections, rotary and softmax only. Every (head, query) row goes to {@code sink}; the
     * numbers are bitwise those the pass computed. Used for the maps a memory budget did not keep.
     */
    void attentionOfLayer(int layer, float[] residualIn, int tokens, AttentionMaps.RowSink sink);

    /**
     * Layer {@code layer}'s queries and keys computed again from {@code residualIn // [tokens][hidden]} (a
     * {@link Trace}'s {@code residual[layer]}), as {@link #attentionOfLayer} computes them before the scores:
     * bitwise the vectors the pass multiplied. For explaining one attention cell (the q·k view).
     */
    default QueryKeys queryKeys(int layer, float[] residualIn, int tokens) {
        throw new UnsupportedOperationException("this model does not expose its queries and keys");
    }

    /**
     * The output head applied to hidden states: final norm, unembedding (BERT: its MLM head) and final logit
     * soft-cap. {@code hidden // [tokens][hidden]} -> {@code // [tokens][vocab]}. Used by the logit lens.
     */
    float[] outputHead(float[] hidden, int tokens);

    /**
     * The first half of {@link #outputHead}: the final norm (BERT: its MLM transform, dense + activation + norm)
     * {@code hidden // [tokens][hidden]} -> {@code // [tokens][hidden]}, ready for {@link #unembed}.
     */
    float[] readout(float[] hidden, int tokens);

    /**
     * The second half of {@link #outputHead} for the vocabulary ids {@code [vocabFrom, vocabTo)} only: the
     * unembedding rows of those ids, their bias and the final logit soft-cap, applied to {@code readout
     * // [tokens][hidden]} into {@code out // [tokens][vocabTo - vocabFrom]}. {@code outputHead(h)} equals
     * {@code unembed(readout(h), 0, vocab)}; the logit lens walks the vocabulary in blocks with it, so no
     * [layers][tokens][vocab] array is ever needed.
     */
    void unembed(float[] readout, int tokens, int vocabFrom, int vocabTo, float[] out);

    /**
     * Head {@code head}'s write into the residual stream: {@code headOutput // [tokens][headDim]} (its attention
     * output before the output projection) times its slice of the output projection, without bias
     * -> {@code // [tokens][hidden]}. Used by direct logit attribution.
     */
    float[] projectHeadOutput(int layer, int head, float[] headOutput, int tokens);

    @Override
    void close();
}
