package dev.nnet.examples.wine;

import dev.nnet.runtime.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the wine data as shipped in {@code examples/data/wine_data.csv}: a first line
 * {@code 178,13,class_0,class_1,class_2} (rows, features, class names), then one row per wine,
 * the class index last. Targets are class indices, as sparse categorical cross-entropy reads them.
 */
final class WineData {
  private WineData() {}

  record Labelled(Dataset data, List<String> classNames) {}

  static Labelled read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(file + ": empty file");
    }
    String[] header = lines.get(0).split(",");
    if (header.length < 3) {
      throw new IOException(file + ":1: expected 'rows,features,class names...', found '" + lines.get(0) + "'");
    }
    int rows;
    int width;
    try {
      rows = Integer.parseInt(header[0].trim());
      width = Integer.parseInt(header[1].trim());
    } catch (NumberFormatException e) {
      throw new IOException(file + ":1: expected the row and feature counts, found '" + lines.get(0) + "'");
    }
    List<String> classes = List.of(header).subList(2, header.length);
    if (lines.size() - 1 != rows) {
      throw new IOException(file + ": the header says " + rows + " rows, but the file has " + (lines.size() - 1));
    }
    float[] features = new float[rows * width];
    float[] targets = new float[rows];
    for (int row = 0; row < rows; row++) {
      String[] fields = lines.get(row + 1).split(",");
      int line = row + 2;
      if (fields.length != width + 1) {
        throw new IOException(file + ":" + line + ": expected " + (width + 1) + " fields, found " + fields.length);
      }
      try {
        for (int column = 0; column < width; column++) {
          features[row * width + column] = Float.parseFloat(fields[column].trim());
        }
        int label = Integer.parseInt(fields[width].trim());
        if (label < 0 || label >= classes.size()) {
          throw new IOException(file + ":" + line + ": class " + label + " is not one of 0.." + (classes.size() - 1));
        }
        targets[row] = label;
      } catch (NumberFormatException e) {
        throw new IOException(file + ":" + line + ": not a number: " + e.getMessage());
      }
    }
    return new Labelled(new Dataset(features, width, targets, 1), classes);
  }
}
