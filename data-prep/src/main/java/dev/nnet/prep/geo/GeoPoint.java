package dev.nnet.prep.geo;

/**
 * A position on the WGS84 ellipsoid, in degrees.
 *
 * @param latitude degrees north, -90 to 90
 * @param longitude degrees east, -180 to 180
 */
public record GeoPoint(double latitude, double longitude) {
  public GeoPoint {
    if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException("latitude must be in [-90, 90] and longitude in [-180, 180], but got "
          + latitude + ", " + longitude);
    }
  }
}
