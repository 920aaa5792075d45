namespace OrderKit.Allocation;

/// <summary>How an order may be split into shipments and its lines across locations.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record SplitPolicy
{
    private SplitPolicy(int maxShipments, bool shipComplete, bool splitLines)
    {
        MaxShipments = maxShipments;
        IsShipComplete = shipComplete;
        SplitLines = splitLines;
    }

    /// <summary>Gets the default policy: ship what is available now, from as many locations as needed, splitting lines.</summary>
    public static SplitPolicy ShipAvailable { get; } = new(int.MaxValue, false, true);

    /// <summary>Gets a policy that ships the order only when all of it is in stock, from as few locations as possible.</summary>
    /// <remarks>The plan still reserves what is available, so the stock is kept for the order; see <see cref="AllocationPlan.ShipTogether"/>.</remarks>
    public static SplitPolicy ShipComplete { get; } = new(int.MaxValue, true, true);

    /// <summary>Gets the most locations (shipments) the order may be sent from.</summary>
    public int MaxShipments { get; }

    /// <summary>Gets whether nothing ships until everything can.</summary>
    public bool IsShipComplete { get; }

    /// <summary>Gets whether one line may take units from several locations.</summary>
    public bool SplitLines { get; }

    /// <summary>Creates a policy that ships from at most <paramref name="maxShipments"/> locations.</summary>
    /// <param name="maxShipments">The most locations; at least one.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxShipments"/> is less than one.</exception>
    public static SplitPolicy AtMost(int maxShipments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShipments, 1);
        return new(maxShipments, false, true);
    }

    /// <summary>Returns a copy of the policy that keeps each line at one location.</summary>
    /// <returns>The policy.</returns>
    public SplitPolicy WithoutLineSplits() => new(MaxShipments, IsShipComplete, false);

    /// <summary>Returns the policy as text.</summary>
    /// <returns>The policy as text.</returns>
    public override string ToString() =>
        (IsShipComplete ? "ship complete" : MaxShipments == int.MaxValue ? "ship available" : $"at most {MaxShipments} shipments")
        + (SplitLines ? string.Empty : ", lines kept whole");
}
