namespace OrderKit.Fulfillment;

/// <summary>One line of a <see cref="PickList"/>: a SKU, how many units, and where they are kept when known.</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Quantity">The units to pick.</param>
/// <param name="Bin">The bin or shelf, from the <see cref="IBinLocator"/>; null when not known.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public readonly record struct PickListLine(Sku Sku, int Quantity, string? Bin)
{
    /// <summary>Returns the line, such as <c>2 x MUG @ A-03-2</c>.</summary>
    /// <returns>The line as text.</returns>
    public override string ToString() => $"{Quantity} x {Sku}" + (Bin is null ? string.Empty : " @ " + Bin);
}
