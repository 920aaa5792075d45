using NodaTime;

namespace OrderKit.Inventory;

/// <summary>Units expected to arrive at a location on a date (a purchase order, a transfer on its way).</summary>
/// <param name="Quantity">The number of units.</param>
/// <param name="ExpectedOn">The date they are expected.</param>
public readonly record struct IncomingStock(int Quantity, LocalDate ExpectedOn)
{
    /// <summary>Returns the entry as <c>12 on 2026-12-01</c>.</summary>
    /// <returns>The entry as text.</returns>
    public override string ToString() => $"{Quantity} on {ExpectedOn:yyyy-MM-dd}";
}
