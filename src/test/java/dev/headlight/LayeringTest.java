package dev.headlight;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package structure is the architecture: format -> engine -> analysis -> train; ui and cli on top. */
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
}
