package dev.headlight.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonOutputTest {

    @Test
    void nonFiniteNumbersBecomeNullAndFiniteOnesStay() throws Exception {
        ObjectMapper mapper = JsonOutput.mapper();
        ObjectNode n = mapper.createObjectNode();
        n.put("nan", Double.NaN);
        n.put("inf", Double.POSITIVE_INFINITY);
        n.put("fneg", Float.NEGATIVE_INFINITY);
        n.put("fnan", Float.NaN);
        n.put("x", 1.5);
        n.put("f", 0.25f);
        n.putArray("a").add(Double.NaN).add(2.0).add(Float.POSITIVE_INFINITY);
        assertEquals("{\"nan\":null,\"inf\":null,\"fneg\":null,\"fnan\":null,\"x\":1.5,\"f\":0.25,"
                + "\"a\":[null,2.0,null]}", mapper.writeValueAsString(n));
        // plain values and maps go through the same generator
        assertEquals("{\"v\":null}", mapper.writeValueAsString(Map.of("v", Double.NaN)));
        assertEquals("null", mapper.writeValueAsString(Float.NaN));
    }

    /** A record with a double[] field: Jackson writes the array through writeArray, not writeNumber. */
    record Scores(double[] values) {
    }

    @Test
    void doubleArraysInRecordsAndPlainArraysAreFiniteToo() throws Exception {
        ObjectMapper mapper = JsonOutput.mapper();
        assertEquals("{\"values\":[1.0,null,null,-2.5]}",
                mapper.writeValueAsString(new Scores(new double[] {1.0, Double.NaN, Double.NEGATIVE_INFINITY, -2.5})));
        assertEquals("[null,3.0]", mapper.writeValueAsString(new double[] {Double.POSITIVE_INFINITY, 3.0}));
    }
}
