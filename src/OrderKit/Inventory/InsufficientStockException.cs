namespace OrderKit.Inventory;

/// <summary>Thrown when units could not be reserved because the location no longer has them available.</summary>
/// <remarks>Nothing of the command that threw was stored. Thread safety: immutable once thrown.</remarks>
public sealed class InsufficientStockException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="requested">The units asked for.</param>
    public InsufficientStockException(Sku sku, LocationId location, int requested)
        : base($"Cannot reserve {requested} x {sku} at {location}: fewer are available there now.")
    {
        Sku = sku;
        Location = location;
        Requested = requested;
    }

    /// <summary>Gets the SKU.</summary>
    public Sku Sku { get; }

    /// <summary>Gets the location.</summary>
    public LocationId Location { get; }

    /// <summary>Gets the units asked for.</summary>
    public int Requested { get; }
}
