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
}
