using OrderKit.Inventory;

namespace OrderKit.Allocation;

/// <summary>A location that may fill an order, with what it has of the order's SKUs; the input of custom location orders and strategies.</summary>
/// <remarks>Thread safety: valid only during the plan that created it; do not keep it.</remarks>
public sealed class LocationCandidate
{
    private readonly AllocationRequest _request;
    private readonly int[] _available;
    private readonly int _offset;

    internal LocationCandidate(StockLocation location, AllocationRequest request, int[] available, int offset, int distanceRank, long availableUnits)
    {
        Location = location;
        _request = request;
        _available = available;
        _offset = offset;
        DistanceRank = distanceRank;
        AvailableUnits = availableUnits;
    }

    /// <summary>Gets the location.</summary>
    public StockLocation Location { get; }

    /// <summary>Gets the location's place among all locations by distance to the destination area (0 is nearest); 0 for every location when the request has no point.</summary>
    public int DistanceRank { get; }

    /// <summary>Gets the distance in kilometres from <see cref="AllocationRequest.DestinationPoint"/>; null when either position is unknown.</summary>
    public double? DistanceKm =>
        _request.DestinationPoint is { } point && Location.Position is { } position ? position.DistanceKmTo(point) : null;

    /// <summary>Gets the units of the order's SKUs available here, summed over the lines (counted stock only).</summary>
    public long AvailableUnits { get; }

    /// <summary>Returns the units of one of the order's SKUs available here (never negative).</summary>
    /// <param name="sku">A SKU of the request.</param>
    /// <returns>The units available; 0 for an untracked SKU or a SKU waiting for its preorder release.</returns>
    /// <exception cref="ArgumentException">The SKU is not one of the request's lines.</exception>
    public int Available(Sku sku)
    {
        for (int i = 0; i < _request.Lines.Count; i++)
        {
            if (_request.Lines[i].Sku == sku)
            {
                return _available[_offset + i];
            }
        }

        throw new ArgumentException($"SKU \"{sku}\" is not a line of this request.", nameof(sku));
    }

    /// <summary>Returns the location's id.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Location.Id.ToString();
}
