namespace OrderKit.Shipping;

/// <summary>The rate chosen for a shipment, and whether it keeps the promised date.</summary>
/// <param name="Rate">The rate chosen.</param>
/// <param name="KeepsPromise">True when it arrives by the promised date, or when no date was promised; false when no rate does and the fastest was taken.</param>
/// <param name="Candidates">Every rate considered, cheapest first.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record RateSelection(ShippingRate Rate, bool KeepsPromise, IReadOnlyList<ShippingRate> Candidates)
{
    /// <summary>Returns the rate and whether it keeps the promise.</summary>
    /// <returns>The selection as text.</returns>
    public override string ToString() => Rate + (KeepsPromise ? string.Empty : " (late)");
}
