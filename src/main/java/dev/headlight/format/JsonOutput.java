package dev.headlight.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * The one way Headlight writes JSON (command output, analysis files, training logs): a number that is NaN or
 * infinite is written as {@code null}. JSON has no such numbers: Jackson would write them as the strings "NaN" /
 * "Infinity", or bare with a feature, and a strict parser (Python's json with parse_constant, JavaScript's
 * JSON.parse into numbers, jq) then fails or reads a string where a number belongs. Runs on NaN weights produce
 * such values; the run's warning says so on stderr.
 */
public final class JsonOutput {

    private JsonOutput() {
    }

    /** A mapper whose generators write null for every non-finite float or double. */
    public static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .addDecorator((f, generator) -> new FiniteNumbers(generator))
                .build();
        return JsonMapper.builder(factory)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /**
     * A tensor, or one head's slice of it, as every JSON output names it: {@code name}, {@code component},
     * {@code layer} (null outside the layer stack, {@code layer} &lt; 0), {@code head} and {@code slice} ("q", "k",
     * "v", "o"; both null for the whole tensor, {@code slice} null).
     */
    public static void putTensorPiece(ObjectNode n, String name, String component, int layer, int head,
                                      String slice) {
        n.put("name", name);
        n.put("component", component);
        if (layer < 0) {
            n.putNull("layer");
        } else {
            n.put("layer", layer);
        }
        if (slice != null) {
            n.put("head", head);
            n.put("slice", slice);
        } else {
            n.putNull("head");
            n.putNull("slice");
        }
    }

    /** Writes null in place of NaN and the infinities; everything else unchanged. */
    private static final class FiniteNumbers extends JsonGeneratorDelegate {
        FiniteNumbers(JsonGenerator delegate) {
            super(delegate, false);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            writeFiniteOrNull(Double.isFinite(v), () -> delegate.writeNumber(v));
        }

        /** Jackson writes a {@code double[]} field through this, past {@link #writeNumber(double)}. */
        @Override
        public void writeArray(double[] array, int offset, int length) throws IOException {
            writeStartArray(array, length);
            for (int i = offset; i < offset + length; i++) {
                writeNumber(array[i]);
            }
            writeEndArray();
        }

        @Override
        public void writeNumber(float v) throws IOException {
            writeFiniteOrNull(Float.isFinite(v), () -> delegate.writeNumber(v));
        }

        /** The number as written by {@code write} when it is finite, else null: the one rule of this class. */
        private void writeFiniteOrNull(boolean finite, NumberWrite write) throws IOException {
            if (finite) {
                write.run();
            } else {
                delegate.writeNull();
            }
        }
    }

    @FunctionalInterface
    private interface NumberWrite {
        void run() throws IOException;
    }
}
