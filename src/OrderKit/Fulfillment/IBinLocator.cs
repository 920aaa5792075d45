namespace OrderKit.Fulfillment;

/// <summary>The port that says where a SKU is kept in a location, for pick lists; optional.</summary>
/// <remarks>
/// <para>Register one in DI to print bins on pick lists; without one, pick lists have none.</para>
/// <para>Thread safety: a singleton; must be thread-safe.</para>
/// </remarks>
public interface IBinLocator
{
    /// <summary>Finds the bin of a SKU at a location.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bin, such as <c>A-03-2</c>; null when not known.</returns>
    ValueTask<string?> FindBinAsync(Sku sku, LocationId location, CancellationToken cancellationToken = default);
}
