using NodaTime;

namespace OrderKit.Fulfillment;

/// <summary>A shipment: the units of an order that leave one location together, with its parcels, label and tracking.</summary>
/// <remarks>
/// <para>Shipments live inside their <see cref="Orders.Order"/> and change only through its actions
/// (<see cref="Orders.Order.CreateShipments"/>, <see cref="Orders.Order.Pick"/>, <see cref="Orders.Order.Pack"/>,
/// <see cref="Orders.Order.ShipShipment"/>, <see cref="Orders.Order.ApplyTracking"/>, …), or through
/// <see cref="FulfillmentService"/>, which runs them as units of work. Each change replaces the order's copy with a
/// new value; a <see cref="Shipment"/> in hand never changes. <see cref="Orders.Order.FromSnapshot"/> checks a stored
/// shipment against its order.</para>
/// <para>While a shipment is open (not shipped, not cancelled) its units are committed to it: the order's other
/// actions (<see cref="Orders.Order.Ship"/>, <see cref="Orders.Order.Deallocate"/>,
/// <see cref="Orders.Order.CancelLine"/>) leave them alone.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record Shipment
{
    /// <summary>Gets the shipment's number within its order, starting at 1; never reused.</summary>
    public required int Number { get; init; }

    /// <summary>Gets the location the units leave from.</summary>
    public required LocationId Location { get; init; }

    /// <summary>Gets where the shipment stands.</summary>
    public required ShipmentStatus Status { get; init; }

    /// <summary>Gets the units it carries, one entry per SKU.</summary>
    public required IReadOnlyList<ShipmentLine> Lines { get; init; }

    /// <summary>Gets the parcels, once packed; empty before.</summary>
    public IReadOnlyList<Parcel> Parcels { get; init; } = [];

    /// <summary>Gets the carrier label, once bought; null before, after it was voided, and for a shipment sent without one.</summary>
    public ShippingLabel? Label { get; init; }

    /// <summary>Gets every tracking update accepted, in the order they happened (by <see cref="TrackingUpdate.OccurredAt"/>).</summary>
    public IReadOnlyList<TrackingUpdate> Tracking { get; init; } = [];

    /// <summary>Gets when the shipment was created.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>Gets when it was handed to the carrier; null before.</summary>
    public Instant? ShippedAt { get; init; }

    /// <summary>Gets when it was delivered, as the carrier reported it; null before.</summary>
    public Instant? DeliveredAt { get; init; }

    /// <summary>Gets the number of the shipment this one was split from; null for one made from the allocation.</summary>
    public int? SplitFrom { get; init; }

    /// <summary>Gets whether the shipment has yet to ship: neither shipped nor cancelled.</summary>
    public bool IsOpen => Status <= ShipmentStatus.LabelPurchased;

    /// <summary>Gets whether the units have left the location: shipped, and not cancelled.</summary>
    public bool HasShipped => Status is >= ShipmentStatus.Shipped and < ShipmentStatus.Cancelled;

    /// <summary>Gets the number of units it carries.</summary>
    public int Units
    {
        get
        {
            int units = 0;
            foreach (ShipmentLine line in Lines)
            {
                units += line.Quantity;
            }

            return units;
        }
    }

    /// <summary>Gets the total weight of its parcels, in kilograms; zero before packing.</summary>
    public decimal WeightKg
    {
        get
        {
            decimal weight = 0m;
            foreach (Parcel parcel in Parcels)
            {
                weight += parcel.WeightKg;
            }

            return weight;
        }
    }

    /// <summary>Gets the actions the shipment permits now.</summary>
    public ShipmentActions AllowedActions => ShipmentLifecycle.AllowedActions(Status);

    /// <summary>Returns the units of a SKU it carries; zero when none.</summary>
    /// <param name="sku">The SKU.</param>
    /// <returns>The units.</returns>
    public int QuantityOf(Sku sku)
    {
        foreach (ShipmentLine line in Lines)
        {
            if (line.Sku == sku)
            {
                return line.Quantity;
            }
        }

        return 0;
    }

    /// <summary>Returns the number, location, status and units, such as <c>#2 @ WH-1 Packed (3 units)</c>.</summary>
    /// <returns>The shipment as text.</returns>
    public override string ToString() => $"#{Number} @ {Location} {Status} ({Units} units)" + (Label is { } l ? " " + l : string.Empty);
}
