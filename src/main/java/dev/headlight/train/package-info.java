/**
 * Training small GPT-2 models on the CPU: {@link dev.headlight.train.Trainer} (AdamW, schedule, threads,
 * checkpoints in the Hugging Face layout), the model and its gradients ({@code GptModel}), the tasks that make
 * sequences ({@link dev.headlight.train.TrainingTask}: induction, a text file, the bundled grammar), a byte-level
 * BPE trainer, the probe scores logged per checkpoint (on analysis's {@link dev.headlight.analysis.Probe}) and the
 * checkpoint timeline with what it needs per checkpoint (weight changes, circuit scores) and the weight records'
 * tensor groups.
 *
 * <p>May use format, engine and analysis; never library, ui or cli.
 */
package dev.headlight.train;
