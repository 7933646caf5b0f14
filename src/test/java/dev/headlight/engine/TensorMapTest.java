package dev.headlight.engine;

import dev.headlight.engine.TensorPlacement.Axis;
import dev.headlight.engine.TensorPlacement.HeadSlice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every stored tensor has a place in the architecture; fused and grouped tensors are sliced per head. */
class TensorMapTest {

    static List<String> fixtures() {
        return Fixtures.names();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyTensorIsPlacedInFileOrder(String name) {
        try (Model model = Model.open(Fixtures.modelFolder(name))) {
            List<String> placed = model.tensorMap().stream().map(TensorPlacement::tensorName).toList();
            assertEquals(new ArrayList<>(model.weights().names()), placed);
            ModelInfo info = model.info();
            for (TensorPlacement p : model.tensorMap()) {
                assertFalse(p.description().isBlank(), p.tensorName());
                assertTrue(p.layer() >= -1 && p.layer() < info.layers(), p.tensorName());
                long[] shape = model.weights().info(p.tensorName()).shape();
                for (HeadSlice s : p.headSlices()) {
                    long extent = s.axis() == Axis.ROWS ? shape[0] : shape[1];
                    assertTrue(s.from() >= 0 && s.to() <= extent && s.to() - s.from() == info.headDim(),
                            p.tensorName() + " " + s);
                }
            }
            // each layer's attention weights carry one q and one o slice per head and one k, v slice per kv-head
            for (int l = 0; l < info.layers(); l++) {
                int layer = l;
                List<HeadSlice> weightSlices = model.tensorMap().stream()
                        .filter(p -> p.layer() == layer && p.tensorName().endsWith("weight"))
                        .flatMap(p -> p.headSlices().stream()).toList();
                assertEquals(info.heads(), count(weightSlices, "q"), name);
                assertEquals(info.kvHeads(), count(weightSlices, "k"), name);
                assertEquals(info.kvHeads(), count(weightSlices, "v"), name);
                assertEquals(info.heads(), count(weightSlices, "o"), name);
            }
            assertTrue(info.parameters() > 0);
            assertTrue(info.weightsBytes() >= info.parameters() * 2);
        }
    }

    private static long count(List<HeadSlice> slices, String part) {
        return slices.stream().filter(s -> s.part().equals(part)).count();
    }

    @Test
    void gpt2FusedQkvIsSplitByColumns() {
        try (Model model = Model.open(Fixtures.modelFolder("gpt2-tiny"))) {
            TensorPlacement qkv = placement(model, "transformer.h.0.attn.c_attn.weight");
            assertEquals("attn.qkv", qkv.component());
            assertEquals(0, qkv.layer());
            HeadSlice k1 = find(qkv, "k", 1);
            assertEquals(Axis.COLUMNS, k1.axis());
            assertEquals(64 + 16, k1.from());
            assertEquals(64 + 32, k1.to());
            TensorPlacement o = placement(model, "transformer.h.0.attn.c_proj.weight");
            assertEquals(Axis.ROWS, find(o, "o", 3).axis());
            assertEquals(48, find(o, "o", 3).from());
            assertEquals("embed.tokens", placement(model, "transformer.wte.weight").component());
            assertTrue(placement(model, "transformer.wte.weight").description().contains("tied"));
        }
    }

    @Test
    void neoxQueryKeyValueIsInterleavedPerHead() {
        try (Model model = Model.open(Fixtures.modelFolder("gpt-neox-tiny"))) {
            TensorPlacement qkv = placement(model, "gpt_neox.layers.2.attention.query_key_value.weight");
            assertEquals(2, qkv.layer());
            // head 1: q rows 48..63, k rows 64..79, v rows 80..95
            assertEquals(48, find(qkv, "q", 1).from());
            assertEquals(64, find(qkv, "k", 1).from());
            assertEquals(80, find(qkv, "v", 1).from());
            assertEquals(Axis.ROWS, find(qkv, "v", 1).axis());
        }
    }

    @Test
    void phi3QkvRowsAndGroupedKeyValueHeads() {
        try (Model model = Model.open(Fixtures.modelFolder("phi3-tiny"))) {
            TensorPlacement qkv = placement(model, "model.layers.1.self_attn.qkv_proj.weight");
            assertEquals(64, find(qkv, "k", 0).from());
            assertEquals(128 + 48, find(qkv, "v", 3).from());
            assertEquals("mlp.gate_up", placement(model, "model.layers.1.mlp.gate_up_proj.weight").component());
        }
        try (Model model = Model.open(Fixtures.modelFolder("llama-tiny"))) {
            TensorPlacement k = placement(model, "model.layers.0.self_attn.k_proj.weight");
            assertEquals(2, k.headSlices().size()); // two kv-heads
            assertEquals(Set.of("k"), k.headSlices().stream().map(HeadSlice::part).collect(Collectors.toSet()));
            TensorPlacement o = placement(model, "model.layers.0.self_attn.o_proj.weight");
            assertEquals(Axis.COLUMNS, find(o, "o", 2).axis());
            assertEquals("unembed", placement(model, "lm_head.weight").component());
        }
    }

    @Test
    void bertIgnorableBuffersAndHead() {
        try (Model model = Model.open(Fixtures.modelFolder("bert-tiny"))) {
            assertFalse(model.info().causal());
            assertEquals("head.transform", placement(model, "cls.predictions.transform.dense.weight").component());
            assertEquals("unembed.bias", placement(model, "cls.predictions.bias").component());
        }
    }

    private static TensorPlacement placement(Model model, String name) {
        return model.tensorMap().stream().filter(p -> p.tensorName().equals(name)).findFirst().orElseThrow();
    }

    private static HeadSlice find(TensorPlacement p, String part, int head) {
        return p.headSlices().stream().filter(s -> s.part().equals(part) && s.head() == head).findFirst()
                .orElseThrow();
    }
}
