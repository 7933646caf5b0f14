/**
 * The architectures behind {@link dev.headlight.engine.Model}.
 * <ul>
 *   <li>{@link dev.headlight.engine.arch.FamilyTables}: per family, which stored tensor plays which role, its
 *       expected shape and how it divides among heads ({@link dev.headlight.engine.arch.TensorTable}).</li>
 *   <li>{@link dev.headlight.engine.arch.Weights}: a folder's tensors resolved against that table and checked
 *       against config.json when the folder is opened.</li>
 *   <li>{@link dev.headlight.engine.arch.TransformerModel}: the layer loop, captures, hooks and cancellation;
 *       one subclass per block design: {@code Gpt2Model}, {@code GptNeoXModel}, {@code BertModel}, and
 *       {@code GatedBlockModel} (the RMSNorm / rotary / gated-MLP block) whose {@code LlamaModel} (Llama,
 *       Mistral, Qwen2, Qwen3, Phi-3) and {@code GemmaModel} (Gemma, Gemma 2) only read their weights. Weights
 *       come as {@code Projection}s (matrix and bias) and {@code Norm}s (LayerNorm or RMSNorm).</li>
 *   <li>{@code Attention}, {@code Rope}, {@code Ops}: the numeric pieces, written to round as PyTorch does.</li>
 * </ul>
 * Weights stay memory-mapped in their stored dtype and are read through
 * {@link dev.headlight.engine.kernel.Kernels}; activations are float32.
 *
 * <p>May use the engine's API, engine.kernel and format.
 */
package dev.headlight.engine.arch;
