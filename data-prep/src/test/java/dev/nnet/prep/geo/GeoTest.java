package dev.nnet.prep.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeoTest {
  private static final GeoPoint PARIS = new GeoPoint(48.8566, 2.3522);
  private static final GeoPoint LONDON = new GeoPoint(51.5074, -0.1278);

  @Test
  void distanceAndBearing() {
    assertEquals(343_560, Geodesy.distance(PARIS, LONDON), 500, "Paris to London, about 343.6 km on the sphere");
    assertEquals(Geodesy.EARTH_RADIUS * Math.PI / 2, Geodesy.distance(new GeoPoint(0, 0), new GeoPoint(90, 0)), 1e-6);
    assertEquals(0, Geodesy.bearing(new GeoPoint(10, 20), new GeoPoint(11, 20)), 1e-9, "due north");
    assertEquals(90, Geodesy.bearing(new GeoPoint(0, 0), new GeoPoint(0, 1)), 1e-9, "due east on the equator");
    assertEquals(180, Geodesy.bearing(new GeoPoint(11, 20), new GeoPoint(10, 20)), 1e-9);
    assertEquals(330.0, Geodesy.bearing(PARIS, LONDON), 2, "London is north-north-west of Paris");
    assertArrayEquals(new double[] {0, 0, 1}, Geodesy.unitVector(new GeoPoint(90, 45)), 1e-12);
    double[] west = Geodesy.unitVector(new GeoPoint(0, 179.9));
    double[] east = Geodesy.unitVector(new GeoPoint(0, -179.9));
    assertTrue(Math.hypot(west[0] - east[0], west[1] - east[1]) < 0.01, "the date line is no cliff");
    assertThrows(IllegalArgumentException.class, () -> new GeoPoint(91, 0));
  }

  /** The documented accuracy of the local projection, against haversine distances. */
  @Test
  void localProjectionAccuracyAndInverse() {
    LocalProjection projection = new LocalProjection(PARIS);
    SplittableRandom random = new SplittableRandom(9);
    double worst10 = 0;
    double worst100 = 0;
    for (int i = 0; i < 2000; i++) {
      double bearing = random.nextDouble() * 2 * Math.PI;
      for (double km : new double[] {10, 100}) {
        double dLat = Math.toDegrees(km * 1000 * Math.cos(bearing) / Geodesy.EARTH_RADIUS);
        double dLon = Math.toDegrees(km * 1000 * Math.sin(bearing) / Geodesy.EARTH_RADIUS)
            / Math.cos(Math.toRadians(PARIS.latitude()));
        GeoPoint p = new GeoPoint(PARIS.latitude() + dLat, PARIS.longitude() + dLon);
        double[] xy = projection.project(p);
        double truth = Geodesy.distance(PARIS, p);
        double error = Math.abs(Math.hypot(xy[0], xy[1]) - truth) / truth;
        if (km == 10) {
          worst10 = Math.max(worst10, error);
        } else {
          worst100 = Math.max(worst100, error);
        }
        GeoPoint back = projection.unproject(xy[0], xy[1]);
        assertEquals(p.latitude(), back.latitude(), 1e-9);
        assertEquals(p.longitude(), back.longitude(), 1e-9);
      }
    }
    assertTrue(worst10 < 0.001, "10 km: " + worst10);
    assertTrue(worst100 < 0.01, "100 km: " + worst100);
  }

  @Test
  void inverseDistanceWeighting() {
    // Distances 1 and 2 with power 2: weights 1 and 1/4, (10 + 20 / 4) / 1.25 = 12.
    assertEquals(12, Interpolation.idw(new double[] {1, 2}, new double[] {0, 0}, new double[] {10, 20}, 0, 0, 2), 1e-12);
    assertEquals(20, Interpolation.idw(new double[] {1, 3}, new double[] {0, 0}, new double[] {10, 20}, 3, 0, 2), 0);
    double[][] grid = {{1, Double.NaN}, {3, 4}};
    // Known cells at distances 1, √2, 1 from (0, 1): weights 1, 1/2, 1 (power 2): (1 + 3 / 2 + 4) / 2.5 = 2.6.
    assertEquals(2.6, Interpolation.fillGridIdw(grid, 2)[0][1], 1e-12);
    GeoPoint[] stations = {new GeoPoint(0, 0), new GeoPoint(0, 2)};
    assertEquals(15, Interpolation.idw(stations, new double[] {10, 20}, new GeoPoint(0, 1), 2), 1e-9);
  }

  @Test
  void gridGapsAndBilinearSampling() {
    double[][] grid = {
        {1, 2, 3},
        {4, Double.NaN, 6},
        {7, 8, 9}};
    assertEquals(5, Interpolation.fillGridLinear(grid)[1][1], 1e-12, "row gives 5, column gives 5");
    double[][] row = {{0, Double.NaN, Double.NaN, 3}};
    assertArrayEquals(new double[] {0, 1, 2, 3}, Interpolation.fillGridLinear(row)[0], 1e-12);
    double[][] edge = {{Double.NaN, 2, 4}};
    assertEquals(2, Interpolation.fillGridLinear(edge)[0][0], 1e-12, "one side only: its value");
    double[][] square = {{0, 1}, {2, 3}};
    assertEquals(1.5, Interpolation.bilinear(square, 0.5, 0.5), 1e-12);
    assertEquals(0.75, Interpolation.bilinear(square, 0.25, 0.25), 1e-12);
    assertEquals(3, Interpolation.bilinear(square, 5, 5), 1e-12, "clamped to the edge");
  }

  @Test
  void pcaFindsTheMainDirectionFromTrainingRows() {
    SplittableRandom random = new SplittableRandom(4);
    int rows = 500;
    float[] train = new float[rows * 3];
    for (int r = 0; r < rows; r++) {
      double t = random.nextDouble() * 10 - 5;
      train[r * 3] = (float) (t + 3);
      train[r * 3 + 1] = (float) (2 * t + 0.01 * (random.nextDouble() - 0.5));
      train[r * 3 + 2] = (float) (0.01 * (random.nextDouble() - 0.5));
    }
    Pca pca = Pca.fit(train, 3);
    double[] first = pca.component(0);
    assertEquals(1 / Math.sqrt(5), first[0], 1e-4);
    assertEquals(2 / Math.sqrt(5), first[1], 1e-4);
    assertTrue(pca.explainedVarianceRatio()[0] > 0.999);
    // A new row projects with the training mean, not its own: (row − training mean) · component.
    double[] mean = new double[3];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < 3; c++) {
        mean[c] += train[r * 3 + c] / (double) rows;
      }
    }
    double expected = (4 - mean[0]) * first[0] + (2 - mean[1]) * first[1] + (0 - mean[2]) * first[2];
    assertEquals(expected, pca.transform(new float[] {4, 2, 0}, 3, 1)[0], 1e-4);
    // By hand: rows (±1, ±0.5) have sample variances 4/3 and 1/3 and no covariance.
    Pca axes = Pca.fit(new float[] {1, 0.5f, -1, -0.5f, 1, -0.5f, -1, 0.5f}, 2);
    assertArrayEquals(new double[] {4.0 / 3, 1.0 / 3}, axes.variances(), 1e-9, "sample variances of ±1 and ±0.5");
    assertArrayEquals(new double[] {1, 0}, axes.component(0), 1e-9);
  }
}
