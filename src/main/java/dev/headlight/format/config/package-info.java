/**
 * config.json of a Hugging Face model folder, read into a typed {@link dev.headlight.format.config.ModelConfig}
 * by {@link dev.headlight.format.config.ConfigReader}: transformers 4 and 5 spellings (rope_theta +
 * rope_scaling, or rope_parameters), per-family defaults, and one-line errors naming config.json.
 *
 * <p>May use the format package only.
 */
package dev.headlight.format.config;
