package dev.headlight;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package structure is the architecture: format -> engine -> analysis -> train; library above analysis; ui and
 * cli on top; the launcher (dev.headlight.Headlight) over all. Each package's package-info.java says the same.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.headlight");
    }

    @Test
    void onlyTheUiUsesJavaFx() {
        noClasses().that().resideOutsideOfPackage("dev.headlight.ui..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .check(classes);
    }

    @Test
    void formatDependsOnNothingAbove() {
        noClasses().that().resideInAPackage("dev.headlight.format..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.headlight.engine..",
                        "dev.headlight.analysis..", "dev.headlight.train..", "dev.headlight.library..", "dev.headlight.ui..",
                        "dev.headlight.cli..")
                .check(classes);
    }

    @Test
    void engineDependsOnlyOnFormat() {
        noClasses().that().resideInAPackage("dev.headlight.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.headlight.analysis..",
                        "dev.headlight.train..", "dev.headlight.library..", "dev.headlight.ui..", "dev.headlight.cli..")
                .check(classes);
    }

    @Test
    void analysisDoesNotReachUp() {
        noClasses().that().resideInAPackage("dev.headlight.analysis..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.headlight.train..",
                        "dev.headlight.library..", "dev.headlight.ui..", "dev.headlight.cli..")
                .check(classes);
    }

    @Test
    void trainDoesNotReachUp() {
        noClasses().that().resideInAPackage("dev.headlight.train..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.headlight.ui..", "dev.headlight.cli..")
                .check(classes);
    }

    @Test
    void libraryServesOnlyUiAndCli() {
        noClasses().that().resideInAPackage("dev.headlight.library..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.headlight.ui..", "dev.headlight.cli..")
                .check(classes);
        noClasses().that().resideInAnyPackage("dev.headlight.format..", "dev.headlight.engine..",
                        "dev.headlight.analysis..", "dev.headlight.train..")
                .should().dependOnClassesThat().resideInAPackage("dev.headlight.library..")
                .check(classes);
    }

    @Test
    void uiAndCliAreIndependent() {
        noClasses().that().resideInAPackage("dev.headlight.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.headlight.ui..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.headlight.ui..")
                .should().dependOnClassesThat().resideInAPackage("dev.headlight.cli..")
                .check(classes);
    }

    @Test
    void layersOnlyReachDown() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Launcher").definedBy("dev.headlight")
                .layer("Ui").definedBy("dev.headlight.ui..")
                .layer("Cli").definedBy("dev.headlight.cli..")
                .layer("Library").definedBy("dev.headlight.library..")
                .layer("Train").definedBy("dev.headlight.train..")
                .layer("Analysis").definedBy("dev.headlight.analysis..")
                .layer("Engine").definedBy("dev.headlight.engine..")
                .layer("Format").definedBy("dev.headlight.format..")
                .whereLayer("Launcher").mayNotBeAccessedByAnyLayer()
                .whereLayer("Ui").mayNotBeAccessedByAnyLayer() // the launcher loads it by name, never links it
                .whereLayer("Cli").mayOnlyBeAccessedByLayers("Launcher")
                .whereLayer("Library").mayOnlyBeAccessedByLayers("Ui", "Cli", "Launcher")
                .whereLayer("Train").mayOnlyBeAccessedByLayers("Ui", "Cli")
                .whereLayer("Analysis").mayOnlyBeAccessedByLayers("Train", "Library", "Ui", "Cli")
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Analysis", "Train", "Library", "Ui", "Cli")
                .whereLayer("Format").mayOnlyBeAccessedByLayers("Engine", "Analysis", "Train", "Library", "Ui",
                        "Cli")
                .check(classes);
    }

    /** No package cycle at all, the window's included (the shell assembles ui's subpackages; ui never uses them). */
    @Test
    void noPackageCycles() {
        slices().matching("dev.headlight.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyPackageSaysWhatLivesThereAndWhatItMayUse() throws java.io.IOException {
        java.nio.file.Path sources = java.nio.file.Path.of("src/main/java");
        try (var files = java.nio.file.Files.walk(sources)) {
            List<java.nio.file.Path> packages = files.filter(f -> f.toString().endsWith(".java"))
                    .map(java.nio.file.Path::getParent).distinct().toList();
            for (java.nio.file.Path dir : packages) {
                java.nio.file.Path info = dir.resolve("package-info.java");
                assertTrue(java.nio.file.Files.isRegularFile(info), sources.relativize(dir) + " has no package-info.java");
                assertTrue(java.nio.file.Files.readString(info).toLowerCase(java.util.Locale.ROOT).contains("may use"),
                        info + " does not say what the package may use");
            }
        }
    }
}
