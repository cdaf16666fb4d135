package dev.nnet.prep.geo;

/**
 * Derived features of positions on a sphere of the Earth's mean radius: great-circle distance
 * (haversine), initial bearing, and a position as a 3-D unit vector (so that longitude 179° and
 * -179° are near, which raw degrees hide from a network). The sphere differs from the WGS84
 * ellipsoid by up to 0.5 % in distance.
 */
public final class Geodesy {
  /** The mean Earth radius in metres (IUGG). */
  public static final double EARTH_RADIUS = 6_371_008.8;

  private Geodesy() {}

  /** Great-circle distance in metres. */
  public static double distance(GeoPoint a, GeoPoint b) {
    double phi1 = Math.toRadians(a.latitude());
    double phi2 = Math.toRadians(b.latitude());
    double dPhi = phi2 - phi1;
    double dLambda = Math.toRadians(b.longitude() - a.longitude());
    double h = Math.sin(dPhi / 2) * Math.sin(dPhi / 2)
        + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) * Math.sin(dLambda / 2);
    return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /** Initial bearing from {@code a} towards {@code b}, in degrees clockwise from north, [0, 360). */
  public static double bearing(GeoPoint a, GeoPoint b) {
    double phi1 = Math.toRadians(a.latitude());
    double phi2 = Math.toRadians(b.latitude());
    double dLambda = Math.toRadians(b.longitude() - a.longitude());
    double y = Math.sin(dLambda) * Math.cos(phi2);
    double x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLambda);
    double degrees = Math.toDegrees(Math.atan2(y, x));
    return (degrees + 360) % 360;
  }

  /** The position as a unit vector (x towards 0°N 0°E, y towards 0°N 90°E, z towards the north pole). */
  public static double[] unitVector(GeoPoint p) {
    double phi = Math.toRadians(p.latitude());
    double lambda = Math.toRadians(p.longitude());
    return new double[] {Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)};
  }

  /** An angle in degrees as its sine and cosine, so 359° and 1° are close. */
  public static double[] cyclic(double degrees) {
    double r = Math.toRadians(degrees);
    return new double[] {Math.sin(r), Math.cos(r)};
  }
}
