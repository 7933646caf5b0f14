package dev.headlight.analysis.circuits;

import dev.headlight.format.safetensors.Tensor;
import dev.headlight.format.safetensors.TensorStore;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.nio.file.Path;

/**
 * The circuit definitions computed the slow direct way, as an independent check: each family's tensors read by
 * their Hugging Face names (not through the engine's placements), norms folded by hand, and full
 * [d_model, d_model] circuits (or [vocab, vocab]) multiplied out in float64 with EJML.
 */
final class DirectCircuits implements AutoCloseable {
    final String family;
    final int layers;
    final int heads;
    final int kvHeads;
    final int dh;
    final int d;
    final DMatrixRMaj[][] wq;  // [layer][head] -> [d][dh]
    final DMatrixRMaj[][] wk;
    final DMatrixRMaj[][] wv;
    final DMatrixRMaj[][] wo;  // [layer][head] -> [dh][d]
    final DMatrixRMaj embed;   // [V][d]
    final DMatrixRMaj unembed; // [d][V], final norm folded; null for BERT
    private final TensorStore store;

    DirectCircuits(Path folder, String family, int layers, int heads, int kvHeads, int dh, int d) {
        this.family = family;
        this.layers = layers;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.dh = dh;
        this.d = d;
        this.store = TensorStore.open(folder);
        wq = new DMatrixRMaj[layers][heads];
        wk = new DMatrixRMaj[layers][heads];
        wv = new DMatrixRMaj[layers][heads];
        wo = new DMatrixRMaj[layers][heads];
        boolean gemma = family.startsWith("gemma");
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                int kv = h / (heads / kvHeads);
                switch (family) {
                    case "gpt2" -> {
                        Tensor attn = t("h." + l + ".attn.c_attn.weight"); // [d][3d] Conv1D
                        wq[l][h] = columns(attn, h * dh);
                        wk[l][h] = columns(attn, d + kv * dh);
                        wv[l][h] = columns(attn, 2 * d + kv * dh);
                        wo[l][h] = rowsAsIs(t("h." + l + ".attn.c_proj.weight"), h * dh); // [d][d] Conv1D
                    }
                    case "gpt_neox" -> {
                        Tensor qkv = t("gpt_neox.layers." + l + ".attention.query_key_value.weight");
                        wq[l][h] = rowsTransposed(qkv, h * 3 * dh);
                        wk[l][h] = rowsTransposed(qkv, h * 3 * dh + dh);
                        wv[l][h] = rowsTransposed(qkv, h * 3 * dh + 2 * dh);
                        wo[l][h] = columnsTransposed(t("gpt_neox.layers." + l + ".attention.dense.weight"), h * dh);
                    }
                    case "bert" -> {
                        String p = "bert.encoder.layer." + l + ".attention.";
                        wq[l][h] = rowsTransposed(t(p + "self.query.weight"), h * dh);
                        wk[l][h] = rowsTransposed(t(p + "self.key.weight"), kv * dh);
                        wv[l][h] = rowsTransposed(t(p + "self.value.weight"), kv * dh);
                        wo[l][h] = columnsTransposed(t(p + "output.dense.weight"), h * dh);
                    }
                    case "phi3" -> {
                        String p = "model.layers." + l + ".self_attn.";
                        Tensor qkv = t(p + "qkv_proj.weight");
                        wq[l][h] = rowsTransposed(qkv, h * dh);
                        wk[l][h] = rowsTransposed(qkv, heads * dh + kv * dh);
                        wv[l][h] = rowsTransposed(qkv, heads * dh + kvHeads * dh + kv * dh);
                        wo[l][h] = columnsTransposed(t(p + "o_proj.weight"), h * dh);
                    }
                    default -> { // llama, qwen2, qwen3, gemma2
                        String p = "model.layers." + l + ".self_attn.";
                        wq[l][h] = rowsTransposed(t(p + "q_proj.weight"), h * dh);
                        wk[l][h] = rowsTransposed(t(p + "k_proj.weight"), kv * dh);
                        wv[l][h] = rowsTransposed(t(p + "v_proj.weight"), kv * dh);
                        wo[l][h] = columnsTransposed(t(p + "o_proj.weight"), h * dh);
                        if (family.equals("qwen3")) {
                            scaleColumnsOf(wq[l][h], vector(p + "q_norm.weight", false));
                            scaleColumnsOf(wk[l][h], vector(p + "k_norm.weight", false));
                        }
                        if (family.equals("gemma2")) {
                            scaleColumnsOf(wo[l][h], vector("model.layers." + l + ".post_attention_layernorm.weight",
                                    true));
                        }
                    }
                }
                if (!family.equals("bert")) {
                    String norm = switch (family) {
                        case "gpt2" -> "h." + l + ".ln_1.weight";
                        case "gpt_neox" -> "gpt_neox.layers." + l + ".input_layernorm.weight";
                        default -> "model.layers." + l + ".input_layernorm.weight";
                    };
                    double[] n = vector(norm, gemma);
                    scaleRowsOf(wq[l][h], n);
                    scaleRowsOf(wk[l][h], n);
                    scaleRowsOf(wv[l][h], n);
                }
            }
        }
        String embedName = switch (family) {
            case "gpt2" -> "wte.weight"; // read as transformer.wte.weight
            case "gpt_neox" -> "gpt_neox.embed_in.weight";
            case "bert" -> "bert.embeddings.word_embeddings.weight";
            default -> "model.embed_tokens.weight";
        };
        embed = matrix(t(embedName));
        if (family.equals("bert")) {
            unembed = null;
        } else {
            String head = family.equals("gpt_neox") ? "embed_out.weight" : "lm_head.weight";
            DMatrixRMaj u = store.contains(head) && !tied() ? matrix(t(head)) : embed.copy(); // [V][d]
            String finalNorm = switch (family) {
                case "gpt2" -> "ln_f.weight";
                case "gpt_neox" -> "gpt_neox.final_layer_norm.weight";
                default -> "model.norm.weight";
            };
            DMatrixRMaj ut = CommonOps_DDRM.transpose(u, null); // [d][V]
            scaleRowsOf(ut, vector(finalNorm, gemma));
            unembed = ut;
        }
    }

    private boolean tied() {
        return switch (family) {
            case "gpt2", "qwen2", "qwen3", "gemma2" -> true;
            default -> false;
        };
    }

    private Tensor t(String name) {
        return store.tensor(family.equals("gpt2") ? "transformer." + name : name);
    }

    private double[] vector(String name, boolean onePlus) {
        Tensor t = t(name);
        double[] out = new double[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getFloat(i) + (onePlus ? 1 : 0);
        }
        return out;
    }

    private static DMatrixRMaj matrix(Tensor t) {
        int rows = (int) t.dim(0);
        int cols = (int) t.dim(1);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows * cols; i++) {
            m.data[i] = t.getFloat(i);
        }
        return m;
    }

    /** [d][dh]: columns [from, from + dh) of a [d][*] tensor. */
    private DMatrixRMaj columns(Tensor t, int from) {
        int cols = (int) t.dim(1);
        DMatrixRMaj m = new DMatrixRMaj(d, dh);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < dh; j++) {
                m.set(i, j, t.getFloat((long) i * cols + from + j));
            }
        }
        return m;
    }

    /** [d][dh]: rows [from, from + dh) of a Linear [*][d] tensor, transposed. */
    private DMatrixRMaj rowsTransposed(Tensor t, int from) {
        DMatrixRMaj m = new DMatrixRMaj(d, dh);
        for (int j = 0; j < dh; j++) {
            for (int i = 0; i < d; i++) {
                m.set(i, j, t.getFloat((long) (from + j) * d + i));
            }
        }
        return m;
    }

    /** [dh][d]: rows [from, from + dh) of a Conv1D [*][d] tensor. */
    private DMatrixRMaj rowsAsIs(Tensor t, int from) {
        DMatrixRMaj m = new DMatrixRMaj(dh, d);
        for (int j = 0; j < dh; j++) {
            for (int i = 0; i < d; i++) {
                m.set(j, i, t.getFloat((long) (from + j) * d + i));
            }
        }
        return m;
    }

    /** [dh][d]: columns [from, from + dh) of a Linear [d][*] tensor, transposed. */
    private DMatrixRMaj columnsTransposed(Tensor t, int from) {
        int cols = (int) t.dim(1);
        DMatrixRMaj m = new DMatrixRMaj(dh, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < dh; j++) {
                m.set(j, i, t.getFloat((long) i * cols + from + j));
            }
        }
        return m;
    }

    private static void scaleRowsOf(DMatrixRMaj m, double[] s) {
        for (int r = 0; r < m.numRows; r++) {
            for (int c = 0; c < m.numCols; c++) {
                m.set(r, c, m.get(r, c) * s[r]);
            }
        }
    }

    private static void scaleColumnsOf(DMatrixRMaj m, double[] s) {
        for (int r = 0; r < m.numRows; r++) {
            for (int c = 0; c < m.numCols; c++) {
                m.set(r, c, m.get(r, c) * s[c]);
            }
        }
    }

    DMatrixRMaj ov(int l, int h) {
        return mult(wv[l][h], wo[l][h]);
    }

    DMatrixRMaj qk(int l, int h) {
        return mult(wq[l][h], CommonOps_DDRM.transpose(wk[l][h], null));
    }

    static DMatrixRMaj mult(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, c);
        return c;
    }

    /** ||A B||_F / (||A||_F ||B||_F) with full [d][d] matrices. */
    static double composition(DMatrixRMaj a, DMatrixRMaj b) {
        return NormOps_DDRM.normF(mult(a, b)) / (NormOps_DDRM.normF(a) * NormOps_DDRM.normF(b));
    }

    double q(int l1, int h1, int l2, int h2) {
        return composition(ov(l1, h1), qk(l2, h2));
    }

    double k(int l1, int h1, int l2, int h2) {
        return composition(ov(l1, h1), CommonOps_DDRM.transpose(qk(l2, h2), null));
    }

    double v(int l1, int h1, int l2, int h2) {
        return composition(ov(l1, h1), ov(l2, h2));
    }

    /** Copying score from the eigenvalues of the [d][d] matrix W_OV W_U W_E (a cyclic permutation of the full circuit). */
    double copying(int l, int h) {
        return copyingScore(mult(ov(l, h), mult(unembed, embed)));
    }

    /** Copying score from the eigenvalues of the full [vocab][vocab] circuit W_E W_OV W_U. */
    double copyingFullVocab(int l, int h) {
        return copyingScore(mult(mult(embed, ov(l, h)), unembed));
    }

    static double copyingScore(DMatrixRMaj m) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m.numRows, false);
        if (!eig.decompose(m.copy())) {
            throw new AssertionError("eigen solver failed");
        }
        double sum = 0;
        double abs = 0;
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            Complex_F64 c = eig.getEigenvalue(i);
            sum += c.real;
            abs += c.getMagnitude();
        }
        return sum / abs;
    }

    @Override
    public void close() {
        store.close();
    }
}
