package dev.nnet.processor.annotation;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;

/**
 * Lines and columns of elements in their Java source, from javac's tree API, so the
 * {@code .nnet} text made from a type keeps the Java line numbers (in notes such as "declared at
 * IrisNet.java:12:5" and in the comments of the generated class). Other compilers have no trees:
 * then every position is empty and the text is laid out line after line.
 */
final class JavaPositions {
  /** A 1-based line and column. */
  record Position(int line, int column) {}

  private final Trees trees;

  private JavaPositions(Trees trees) {
    this.trees = trees;
  }

  static JavaPositions of(ProcessingEnvironment env) {
    try {
      return new JavaPositions(Trees.instance(env));
    } catch (RuntimeException | LinkageError e) {
      // Not javac (Eclipse's compiler, for one): positions are unknown, nothing else changes.
      return new JavaPositions(null);
    }
  }

  Optional<Position> of(Element element) {
    return position(element, null);
  }

  Optional<Position> of(Element element, AnnotationMirror mirror) {
    return position(element, mirror);
  }

  /**
   * Where the name of {@code method} is written: after its return type. Empty when unknown.
   */
  Optional<Position> nameOf(javax.lang.model.element.ExecutableElement method) {
    try {
      if (trees == null) {
        return Optional.empty();
      }
      TreePath path = trees.getPath(method);
      if (path == null || !(path.getLeaf() instanceof com.sun.source.tree.MethodTree tree) || tree.getReturnType() == null) {
        return Optional.empty();
      }
      CompilationUnitTree unit = path.getCompilationUnit();
      long end = trees.getSourcePositions().getEndPosition(unit, tree.getReturnType());
      CharSequence text = unit.getSourceFile().getCharContent(true);
      if (end < 0 || end > text.length()) {
        return Optional.empty();
      }
      int at = (int) end;
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
      LineMap lines = unit.getLineMap();
      return Optional.of(new Position((int) lines.getLineNumber(at), (int) lines.getColumnNumber(at)));
    } catch (RuntimeException | java.io.IOException e) {
      return Optional.empty();
    }
  }

  /**
   * How many annotations are written on {@code element} in the source, or -1 when unknown. javac
   * leaves an annotation it cannot resolve out of the element's mirrors; the tree still has it.
   */
  int writtenAnnotations(Element element) {
    try {
      if (trees == null) {
        return -1;
      }
      com.sun.source.tree.Tree tree = trees.getTree(element);
      if (tree instanceof com.sun.source.tree.MethodTree method) {
        return method.getModifiers().getAnnotations().size();
      }
      return -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** The name of the file that declares {@code element}, such as {@code IrisNet.java}. */
  Optional<String> fileName(Element element) {
    try {
      if (trees == null) {
        return Optional.empty();
      }
      TreePath path = trees.getPath(element);
      if (path == null) {
        return Optional.empty();
      }
      String name = path.getCompilationUnit().getSourceFile().getName();
      int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
      return Optional.of(name.substring(slash + 1));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The URI of the file that declares {@code element}, to find a bound .nnet file beside it. */
  Optional<java.net.URI> fileUri(Element element) {
    try {
      if (trees == null) {
        return Optional.empty();
      }
      TreePath path = trees.getPath(element);
      return path == null ? Optional.empty() : Optional.of(path.getCompilationUnit().getSourceFile().toUri());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<Position> position(Element element, AnnotationMirror mirror) {
    try {
      if (trees == null) {
        return Optional.empty();
      }
      TreePath path = mirror == null ? trees.getPath(element) : trees.getPath(element, mirror);
      if (path == null) {
        return Optional.empty();
      }
      CompilationUnitTree unit = path.getCompilationUnit();
      Tree leaf = path.getLeaf();
      long start = trees.getSourcePositions().getStartPosition(unit, leaf);
      LineMap lines = unit.getLineMap();
      if (start < 0 || lines == null) {
        return Optional.empty();
      }
      return Optional.of(new Position((int) lines.getLineNumber(start), (int) lines.getColumnNumber(start)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
