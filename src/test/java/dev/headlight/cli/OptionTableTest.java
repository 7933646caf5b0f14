package dev.headlight.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OptionTableTest {

    @Test
    void rowsBecomeOptionsAndIndentedLinesContinueTheHelp() {
        List<Option> options = Option.table("""
                --out DIR                  folder to write
                --family gpt2|llama|qwen2  architecture (default gpt2); qwen2 adds
                                           q/k/v biases
                --replace                  delete the run first
                """);
        assertEquals(List.of(
                Option.value("out", "DIR", "folder to write"),
                Option.value("family", "gpt2|llama|qwen2", "architecture (default gpt2); qwen2 adds q/k/v biases"),
                Option.flag("replace", "delete the run first")), options);
    }

    @Test
    void aRowWithoutHelpIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Option.table("--out DIR"));
    }
}
