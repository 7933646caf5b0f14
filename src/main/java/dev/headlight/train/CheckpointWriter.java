package dev.headlight.train;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a Hugging Face GPT-2 model folder: config.json (GPT2LMHeadModel), model.safetensors (HF names, tied
 * unembedding so no lm_head), tokenizer.json, tokenizer_config.json and generation_config.json.
 */
public final class CheckpointWriter {
    private CheckpointWriter() {
    }

    public static void write(Path folder, GptConfig c, float[] params, TrainingTask task) throws IOException {
        Files.createDirectories(folder);
        GptWeights.writeSafetensors(c, params, folder.resolve("model.safetensors"));
        Files.writeString(folder.resolve("config.json"), TrainJson.MAPPER.writeValueAsString(config(c)) + "\n");
        ObjectNode gen = TrainJson.MAPPER.createObjectNode();
        gen.put("_from_model_config", true);
        gen.put("bos_token_id", c.bosId());
        gen.put("eos_token_id", c.eosId());
        Files.writeString(folder.resolve("generation_config.json"), TrainJson.MAPPER.writeValueAsString(gen) + "\n");
        task.writeTokenizer(folder);
    }

    /** config.json of GPT2LMHeadModel with every usual field; dropout 0 because training used none. */
    public static ObjectNode config(GptConfig c) {
        ObjectNode n = TrainJson.MAPPER.createObjectNode();
        n.put("activation_function", "gelu_new");
        n.putArray("architectures").add("GPT2LMHeadModel");
        n.put("attn_pdrop", 0.0);
        n.put("bos_token_id", c.bosId());
        n.put("dtype", "float32");
        n.put("embd_pdrop", 0.0);
        n.put("eos_token_id", c.eosId());
        n.put("initializer_range", 0.02);
        n.put("layer_norm_epsilon", 1e-5);
        n.put("model_type", "gpt2");
        n.put("n_ctx", c.positions());
        n.put("n_embd", c.dModel());
        n.put("n_head", c.heads());
        n.putNull("n_inner");
        n.put("n_layer", c.layers());
        n.put("n_positions", c.positions());
        n.put("reorder_and_upcast_attn", false);
        n.put("resid_pdrop", 0.0);
        n.put("scale_attn_by_inverse_layer_idx", false);
        n.put("scale_attn_weights", true);
        n.put("summary_activation", (String) null);
        n.put("summary_first_dropout", 0.0);
        n.put("summary_proj_to_labels", true);
        n.put("summary_type", "cls_index");
        n.put("summary_use_proj", true);
        n.put("tie_word_embeddings", true);
        n.put("use_cache", true);
        n.put("vocab_size", c.vocab());
        return n;
    }
}
