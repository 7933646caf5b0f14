package dev.headlight.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real ./headlight script, run on a copy of the project layout whose target/ is assembled from the test class
 * path (so no Maven build runs inside the tests): JDK lookup, module path, class path and clean stdout.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherScriptTest {
    @TempDir
    static Path root;

    record Result(int status, String out, List<String> err) {
    }

    @BeforeAll
    static void assembleLayout() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(project.resolve("headlight"), root.resolve("headlight"));
        Files.copy(project.resolve("scripts/find-jdk.sh"), root.resolve("scripts/find-jdk.sh"));
        Files.copy(project.resolve("pom.xml"), root.resolve("pom.xml"));
        Files.createDirectories(root.resolve("src/main/java"));
        Path target = Files.createDirectories(root.resolve("target"));
        jar(codeSource(Cli.class), target.resolve("headlight.jar"));
        copyJars(target.resolve("lib"), "com.fasterxml.jackson.databind.ObjectMapper",
                "com.fasterxml.jackson.core.JsonParser", "com.fasterxml.jackson.annotation.JsonProperty");
        copyJars(target.resolve("fx"), "javafx.beans.Observable", "javafx.application.Platform",
                "javafx.scene.control.Button", "javafx.embed.swing.SwingFXUtils");
        // sources older than the jar: the launcher must not start a Maven build
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        for (Path p : List.of(root.resolve("pom.xml"), root.resolve("src/main/java"), root.resolve("src/main"))) {
            Files.setLastModifiedTime(p, old);
        }
    }

    private static Path codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void copyJars(Path dir, String... classNames) throws Exception {
        Files.createDirectories(dir);
        for (String name : classNames) {
            Path jar = codeSource(Class.forName(name, false, LauncherScriptTest.class.getClassLoader()));
            if (!Files.exists(dir.resolve(jar.getFileName()))) {
                Files.copy(jar, dir.resolve(jar.getFileName()));
            }
        }
    }

    /** target/classes as a jar, as Maven packages it. */
    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
    }

    private static Result launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("headlight").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().remove("HEADLIGHT_HEADLESS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("HEADLIGHT_JAVA_OPTS", "-Xmx256m -Xshare:auto");
        pb.environment().putAll(env);
        Process process = pb.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "launcher finished");
        List<String> errLines = new String(err, StandardCharsets.UTF_8).lines()
                .filter(l -> !l.equals("WARNING: Using incubator modules: jdk.incubator.vector")) // printed by the JVM
                .toList();
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), errLines);
    }

    @Test
    void runsTheCommandLineWithCleanStdout() throws Exception {
        Result r = launch(Map.of(), "--version");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().matches("headlight \\S+\\R"), r.out());
        assertEquals(List.of(), r.err());
        assertFalse(Files.exists(root.resolve("target/classes")), "no build ran");
    }

    @Test
    void tokenizeOutputIsExactlyTheJsonLinesInUtf8EvenUnderAPosixLocale() throws Exception {
        Path tokenizer = FixtureFiles.tokenizers().resolve("bytelevel");
        // This JVM passes arguments to the process in its own locale's charset; under a POSIX locale it cannot
        // pass "Ünïcödé" at all (.ci/run sets a UTF-8 locale), and then the test uses the plain ASCII case.
        boolean canPassUnicode = java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding"))
                .newEncoder().canEncode("Ünïcödé");
        String wanted = canPassUnicode ? "Ünïcödé" : "Hello world";
        JsonNode unicodeCase = null;
        for (JsonNode c : Json.MAPPER.readTree(tokenizer.resolve("cases.json").toFile())) {
            if (c.get("text").asText().startsWith(wanted)) {
                unicodeCase = c;
            }
        }
        assertTrue(unicodeCase != null, "the bytelevel cases hold the text " + wanted);
        Result r = launch(Map.of("LANG", "C", "LC_ALL", "C"), "tokenize", "--model", tokenizer.toString(),
                "--text", unicodeCase.get("text").asText());
        assertEquals(0, r.status(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), r.out());
        JsonNode line = Json.MAPPER.readTree(lines.getFirst());
        assertEquals(unicodeCase.get("text"), line.get("text"));
        assertEquals(unicodeCase.get("ids"), line.get("ids"));
        assertEquals(unicodeCase.get("tokens"), line.get("tokens"));
    }

    @Test
    void failureIsOneLine() throws Exception {
        Result r = launch(Map.of(), "inspect", "--model", root.resolve("absent").toString());
        assertEquals(1, r.status());
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().getFirst().contains("absent"), r.err().toString());
        assertEquals("", r.out());
    }

    @Test
    void windowWithoutDisplayExplainsWhatToDo() throws Exception {
        Result r = launch(Map.of());
        assertEquals(1, r.status());
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().getFirst().contains("xvfb-run") && r.err().getFirst().contains("--help"),
                r.err().toString());
    }

    @Test
    void aBareModelFolderOpensTheWindow() throws Exception {
        // without a display the window cannot open, and the script says so: it took the folder for the window
        Result r = launch(Map.of(), root.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().getFirst().contains("xvfb-run"), r.err().toString());
    }
}
