using NodaTime;
using OrderKit.Internal;
using OrderKit.Shipping;

namespace OrderKit.Inventory;

/// <summary>A place that holds stock and ships orders: a warehouse, a store, or a dropship supplier.</summary>
/// <remarks>
/// <para>Register locations with <see cref="InventoryService.AddLocationAsync"/> or replace them with
/// <see cref="InventoryService.UpdateLocationAsync"/>. The allocation engine considers a location only when it is
/// <see cref="IsActive"/>, ships to the destination (<see cref="Regions"/>), and serves the order's channel
/// (<see cref="Channels"/>).</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record StockLocation
{
    /// <summary>The longest name a location can have.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Creates a location.</summary>
    /// <param name="id">The location's identifier.</param>
    /// <param name="name">A name staff recognise, such as <c>Berlin warehouse</c>.</param>
    /// <param name="kind">What kind of place it is.</param>
    /// <exception cref="ArgumentException">The id is the default value, the name is blank or too long, or the kind is unknown.</exception>
    public StockLocation(LocationId id, string name, LocationKind kind = LocationKind.Warehouse)
    {
        if (id.IsDefault)
        {
            throw new ArgumentException("A stock location needs an id.", nameof(id));
        }

        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"{nameof(kind)} {(int)kind} is not a known location kind.", nameof(kind));
        }

        Id = id;
        Name = Text.Required(name, nameof(name), MaxNameLength);
        Kind = kind;
    }

    /// <summary>Gets the location's identifier.</summary>
    public LocationId Id { get; }

    /// <summary>Gets the location's name.</summary>
    public string Name { get; }

    /// <summary>Gets what kind of place it is.</summary>
    public LocationKind Kind { get; }

    /// <summary>Gets whether the location takes part in allocation; true unless set otherwise.</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>Gets the priority rank: lower ranks are preferred by the <see cref="Allocation.AllocationStrategy.Priority"/> strategy and in tie-breaks.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int Rank
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Rank));
            field = value;
        }
    }

    /// <summary>Gets where the location is, used by the <see cref="Allocation.AllocationStrategy.Nearest"/> strategy; null when unknown.</summary>
    public GeoPoint? Position { get; init; }

    /// <summary>Gets the regions the location ships to; empty means it ships anywhere.</summary>
    /// <exception cref="ArgumentException">The list is null or holds a null entry.</exception>
    public IReadOnlyList<ShippingRegion> Regions
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Regions));
            if (value.Any(r => r is null))
            {
                throw new ArgumentException("Regions must not hold a null entry.", nameof(Regions));
            }

            field = [.. value];
        }
    } = [];

    /// <summary>Gets the sales channels the location serves; empty means every channel.</summary>
    public IReadOnlyList<SalesChannel> Channels
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Channels));
            if (value.Any(c => c.IsDefault))
            {
                throw new ArgumentException("Channels must not hold a default entry.", nameof(Channels));
            }

            field = [.. value];
        }
    } = [];

    /// <summary>Gets whether customers can collect orders here (click and collect).</summary>
    public bool OffersClickAndCollect { get; init; }

    /// <summary>The most handling days a location can take.</summary>
    public const int MaxHandlingDays = 365;

    /// <summary>Gets the location's time zone, in which its cut-off and calendar are read; null for <see cref="OrderKitOptions.TimeZone"/>.</summary>
    public DateTimeZone? TimeZone { get; init; }

    /// <summary>Gets the daily cut-off: orders ready before it on a working day ship that day, later ones the next working day; null when the location ships every order ready on a working day that same day.</summary>
    /// <remarks>The cut-off is also the <see cref="DeliveryPromise.ShipBy"/> moment: when the carrier collects.</remarks>
    public LocalTime? CutOff { get; init; }

    /// <summary>Gets the days the location works (picks, packs and hands parcels over); <see cref="BusinessCalendar.MondayToFriday"/> unless set.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public BusinessCalendar Calendar
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Calendar));
            field = value;
        }
    } = BusinessCalendar.MondayToFriday;

    /// <summary>Gets the working days the location needs before it ships an order, counted from the day the order is ready; 0 (ship the same day) unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above <see cref="MaxHandlingDays"/>.</exception>
    public int HandlingDays
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(HandlingDays));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxHandlingDays, nameof(HandlingDays));
            field = value;
        }
    }

    /// <summary>Returns whether another location has the same values, its regions and channels compared entry by entry.</summary>
    /// <param name="other">The other location.</param>
    /// <returns>True when every property is equal.</returns>
    /// <remarks>A store reads its locations afresh in each unit of work; equal values let the allocation engine keep its caches.</remarks>
    public bool Equals(StockLocation? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Id == other.Id && Name == other.Name && Kind == other.Kind && IsActive == other.IsActive && Rank == other.Rank
                && Position == other.Position && OffersClickAndCollect == other.OffersClickAndCollect && Equals(TimeZone, other.TimeZone)
                && CutOff == other.CutOff && Calendar.Equals(other.Calendar) && HandlingDays == other.HandlingDays
                && Regions.SequenceEqual(other.Regions) && Channels.SequenceEqual(other.Channels)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Name, Kind, IsActive, Rank, Regions.Count, Channels.Count, HandlingDays);

    /// <summary>Returns whether the location ships to an address.</summary>
    /// <param name="destination">The address.</param>
    /// <returns>True when <see cref="Regions"/> is empty or one of them covers the address.</returns>
    public bool ShipsTo(Address destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (Regions.Count == 0)
        {
            return true;
        }

        foreach (ShippingRegion region in Regions)
        {
            if (region.Covers(destination))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns whether the location serves a sales channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>True when <see cref="Channels"/> is empty or contains the channel.</returns>
    public bool Serves(SalesChannel channel) => Channels.Count == 0 || Channels.Contains(channel);

    /// <summary>Returns the id, name and kind, such as <c>BER (Berlin warehouse, Warehouse)</c>.</summary>
    /// <returns>The location as text.</returns>
    public override string ToString() => $"{Id} ({Name}, {Kind}{(IsActive ? string.Empty : ", inactive")})";
}
