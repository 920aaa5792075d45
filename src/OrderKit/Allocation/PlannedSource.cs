namespace OrderKit.Allocation;

/// <summary>Units of a line taken from one location.</summary>
/// <param name="Location">The location.</param>
/// <param name="Quantity">The number of units.</param>
/// <param name="IsReserved">Whether the units are reserved from counted stock; false for untracked SKUs and dropship suppliers.</param>
public readonly record struct PlannedSource(LocationId Location, int Quantity, bool IsReserved)
{
    /// <summary>Returns the source as <c>2 @ BER</c>.</summary>
    /// <returns>The source as text.</returns>
    public override string ToString() => $"{Quantity} @ {Location}" + (IsReserved ? string.Empty : " (not counted)");
}
