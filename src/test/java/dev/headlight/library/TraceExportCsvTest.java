package dev.headlight.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TraceExportCsvTest {

    @Test
    void headMapAsCsvWithQuotedLabels(@TempDir Path dir) throws IOException {
        float[] map = {1f, 0f, 0.25f, 0.75f}; // [query][key]
        String[] labels = {"a,b", "say \"hi\""};
        Path out = dir.resolve("head.csv");
        TraceExport.writeHeadCsv(map, 2, t -> labels[t], out);
        List<String> lines = Files.readAllLines(out);
        assertEquals("query\\key,\"0:a,b\",\"1:say \"\"hi\"\"\"", lines.get(0));
        assertEquals("\"0:a,b\",1.0,0.0", lines.get(1));
        assertEquals("\"1:say \"\"hi\"\"\",0.25,0.75", lines.get(2));
    }
}
