namespace OrderKit.Returns;

/// <summary>Units of one SKU that arrived back, and what becomes of them.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ReturnReceipt
{
    /// <summary>Creates a receipt.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="quantity">The units that arrived.</param>
    /// <param name="disposition">What becomes of them.</param>
    /// <param name="location">The location that received them, where they are restocked or quarantined.</param>
    /// <exception cref="ArgumentException">A value is missing, or the disposition is unknown.</exception>
    public ReturnReceipt(Sku sku, Quantity quantity, ReturnDisposition disposition, LocationId location)
    {
        if (sku.IsDefault)
        {
            throw new ArgumentException("sku is required.", nameof(sku));
        }

        if (quantity.IsDefault)
        {
            throw new ArgumentException($"quantity must be positive for SKU \"{sku}\".", nameof(quantity));
        }

        if (!Enum.IsDefined(disposition))
        {
            throw new ArgumentException($"disposition {(int)disposition} is not a ReturnDisposition.", nameof(disposition));
        }

        if (location.IsDefault)
        {
            throw new ArgumentException($"location is required for the returned units of SKU \"{sku}\".", nameof(location));
        }

        Sku = sku;
        Quantity = quantity;
        Disposition = disposition;
        Location = location;
    }

    /// <summary>Gets the SKU.</summary>
    public Sku Sku { get; }

    /// <summary>Gets the units that arrived.</summary>
    public Quantity Quantity { get; }

    /// <summary>Gets what becomes of them.</summary>
    public ReturnDisposition Disposition { get; }

    /// <summary>Gets the location that received them.</summary>
    public LocationId Location { get; }

    /// <summary>Returns the units, SKU, disposition and location, such as <c>1 x PHONE-X Quarantine @ BER</c>.</summary>
    /// <returns>The receipt as text.</returns>
    public override string ToString() => $"{Quantity} x {Sku} {Disposition} @ {Location}";
}
