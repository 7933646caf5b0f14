package dev.headlight.train;

/**
 * Shape of a GPT-2-architecture model as Hugging Face's GPT2LMHeadModel defines it (learned positions, pre-LayerNorm
 * blocks, gelu_new MLP of width 4 * dModel, tied unembedding).
 *
 * @param vocab     vocabulary size (rows of wte)
 * @param positions longest input (rows of wpe, config n_positions)
 * @param dModel    hidden size n_embd, a multiple of heads
 * @param heads     attention heads per layer
 * @param layers    transformer blocks
 * @param bosId     id of the BOS token (GPT-2: also EOS)
 * @param eosId     id of the EOS token
 */
public record GptConfig(int vocab, int positions, int dModel, int heads, int layers, int bosId, int eosId) {
    public static final float LAYER_NORM_EPS = 1e-5f;

    public GptConfig {
        if (vocab < 2 || positions < 2 || dModel < 1 || heads < 1 || layers < 1) {
            throw new IllegalArgumentException("model sizes must be positive (vocab and positions at least 2)");
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("d-model " + dModel + " is not a multiple of heads " + heads);
        }
    }

    public int headDim() {
        return dModel / heads;
    }

    /** MLP width (GPT-2: n_inner = 4 * n_embd). */
    public int ffn() {
        return 4 * dModel;
    }
}
