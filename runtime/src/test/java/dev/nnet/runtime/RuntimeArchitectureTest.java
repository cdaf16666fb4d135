package dev.nnet.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runtime reads files from strangers (model files, checkpoints, data sets), so it must never
 * turn their bytes into code: no Java deserialization, no reflection (nothing can then be keyed
 * by file data), no script engines, class loading, JNDI, RMI, XML bean decoding or processes.
 * Checked on the runtime's compiled classes; a deliberately bad class shows each rule can fail.
 */
class RuntimeArchitectureTest {

  static final List<ArchRule> RULES = List.of(
      noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
          .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectOutputStream")
          .orShould().dependOnClassesThat().haveFullyQualifiedName("java.beans.XMLDecoder")
          .because("Java deserialization of untrusted bytes runs their code"),
      noClasses().should().dependOnClassesThat().resideInAPackage("java.lang.reflect..")
          .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.invoke.MethodHandles")
          .orShould().callMethod(Class.class, "forName", String.class)
          .orShould().callMethod(Class.class, "forName", String.class, boolean.class, ClassLoader.class)
          .orShould().callMethod(Class.class, "getMethod", String.class, Class[].class)
          .orShould().callMethod(Class.class, "getDeclaredMethod", String.class, Class[].class)
          .orShould().callMethod(Class.class, "getConstructor", Class[].class)
          .orShould().callMethod(Class.class, "getDeclaredConstructor", Class[].class)
          .orShould().callMethod(Class.class, "getField", String.class)
          .orShould().callMethod(Class.class, "getDeclaredField", String.class)
          .orShould().callMethod(ClassLoader.class, "loadClass", String.class)
          .because("reflection could be keyed by data read from a file"),
      noClasses().should().dependOnClassesThat().resideInAnyPackage(
              "javax.script..", "javax.naming..", "java.rmi..", "javax.management.loading..")
          .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
          .orShould().callMethod(Runtime.class, "exec", String.class)
          .orShould().callMethod(Runtime.class, "exec", String[].class)
          .because("the runtime evaluates no scripts, looks up no remote objects, starts nothing"));

  @Test
  void theRuntimeTurnsNoFileDataIntoCode() {
    // The module's own compiled classes (Surefire runs in the module directory).
    JavaClasses runtime = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPath(java.nio.file.Path.of("target/classes"));
    assertTrue(runtime.size() > 100, runtime.size() + " classes imported");
    assertTrue(runtime.contain("dev.nnet.runtime.io.ModelFile"), "ModelFile imported");
    for (ArchRule rule : RULES) {
      rule.check(runtime);
    }
  }

  /** What the rules exist to catch. */
  static final class Deserializer {
    Object read(byte[] bytes) throws IOException, ClassNotFoundException {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        return in.readObject();
      }
    }

    Object create(String name) throws ReflectiveOperationException {
      return Class.forName(name).getDeclaredConstructor().newInstance();
    }

    Object eval(String script) throws Exception {
      return new javax.script.ScriptEngineManager().getEngineByName("js").eval(script);
    }
  }

  @Test
  void eachRuleCatchesAViolation() {
    JavaClasses bad = new ClassFileImporter().importClasses(Deserializer.class);
    for (ArchRule rule : RULES) {
      assertThrows(AssertionError.class, () -> rule.check(bad), rule.getDescription());
    }
  }
}
