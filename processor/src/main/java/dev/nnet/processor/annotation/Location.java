package dev.nnet.processor.annotation;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where in Java a piece of the generated {@code .nnet} text comes from: the element, and the
 * annotation and value on it when there is one. javac puts its caret there.
 */
record Location(Element element, AnnotationMirror mirror, AnnotationValue value) {
  static Location of(Element element) {
    return new Location(element, null, null);
  }

  static Location of(Element element, AnnotationMirror mirror) {
    return new Location(element, mirror, null);
  }

  Location with(AnnotationValue newValue) {
    return new Location(element, mirror, newValue);
  }
}
