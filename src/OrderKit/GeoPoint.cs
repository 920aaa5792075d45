namespace OrderKit;

/// <summary>A point on the Earth: latitude and longitude in degrees (WGS 84).</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public readonly record struct GeoPoint
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>Creates a point.</summary>
    /// <param name="latitude">Degrees north, from -90 to 90.</param>
    /// <param name="longitude">Degrees east, from -180 to 180.</param>
    /// <exception cref="ArgumentOutOfRangeException">A coordinate is out of range or not a number.</exception>
    public GeoPoint(double latitude, double longitude)
    {
        if (!(latitude is >= -90 and <= 90))
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "Latitude must be between -90 and 90 degrees.");
        }

        if (!(longitude is >= -180 and <= 180))
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "Longitude must be between -180 and 180 degrees.");
        }

        Latitude = latitude;
        Longitude = longitude;
    }

    /// <summary>Gets the latitude in degrees.</summary>
    public double Latitude { get; }

    /// <summary>Gets the longitude in degrees.</summary>
    public double Longitude { get; }

    /// <summary>Returns the great-circle distance to another point, in kilometres (haversine formula).</summary>
    /// <param name="other">The other point.</param>
    /// <returns>The distance in kilometres.</returns>
    /// <remarks>The allocation engine calls this once per location and destination area, never per order.</remarks>
    public double DistanceKmTo(GeoPoint other)
    {
        double dLat = DegreesToRadians(other.Latitude - Latitude);
        double dLon = DegreesToRadians(other.Longitude - Longitude);
        double a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(DegreesToRadians(Latitude)) * Math.Cos(DegreesToRadians(other.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Returns the point as <c>52.52,13.405</c>.</summary>
    /// <returns>The point as text.</returns>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Latitude},{Longitude}");

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
