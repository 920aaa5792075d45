using NodaTime;

namespace OrderKit.Inventory;

/// <summary>How a SKU is sold when its stock is short.</summary>
/// <remarks>
/// <para>Build one with the factory members: <see cref="DenyWhenShort"/> (the default for SKUs with no policy),
/// <see cref="Untracked"/>, <see cref="Backorder"/>, <see cref="Preorder"/> or <see cref="Dropship"/>.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record InventoryPolicy
{
    private InventoryPolicy(InventoryPolicyKind kind, int? limit, LocalDate? releaseDate, LocationId? supplier)
    {
        Kind = kind;
        Limit = limit;
        ReleaseDate = releaseDate;
        Supplier = supplier;
    }

    /// <summary>Gets the policy for SKUs that sell only what is in stock.</summary>
    public static InventoryPolicy DenyWhenShort { get; } = new(InventoryPolicyKind.DenyWhenShort, null, null, null);

    /// <summary>Gets the policy for SKUs whose stock is not counted.</summary>
    public static InventoryPolicy Untracked { get; } = new(InventoryPolicyKind.Untracked, null, null, null);

    /// <summary>Gets the kind of policy.</summary>
    public InventoryPolicyKind Kind { get; }

    /// <summary>Gets the most units that may wait for stock at once (backorders or preorders), or null for no limit.</summary>
    public int? Limit { get; }

    /// <summary>Gets the release date of a preorder SKU.</summary>
    public LocalDate? ReleaseDate { get; }

    /// <summary>Gets the supplier location of a dropship SKU.</summary>
    public LocationId? Supplier { get; }

    /// <summary>Creates a backorder policy.</summary>
    /// <param name="limit">The most units that may be backordered at once; null for no limit.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public static InventoryPolicy Backorder(int? limit = null) => new(InventoryPolicyKind.Backorder, CheckLimit(limit), null, null);

    /// <summary>Creates a preorder policy.</summary>
    /// <param name="releaseDate">The date the SKU is released; units ordered before then wait for stock.</param>
    /// <param name="limit">The most units that may be preordered at once; null for no limit.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public static InventoryPolicy Preorder(LocalDate releaseDate, int? limit = null) => new(InventoryPolicyKind.Preorder, CheckLimit(limit), releaseDate, null);

    /// <summary>Creates a dropship policy.</summary>
    /// <param name="supplier">The supplier location that ships the short units.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentException"><paramref name="supplier"/> is the default value.</exception>
    public static InventoryPolicy Dropship(LocationId supplier)
    {
        if (supplier.IsDefault)
        {
            throw new ArgumentException("A dropship policy needs a supplier location.", nameof(supplier));
        }

        return new(InventoryPolicyKind.Dropship, null, null, supplier);
    }

    /// <summary>Returns the policy as text, such as <c>Backorder (limit 20)</c>.</summary>
    /// <returns>The policy as text.</returns>
    public override string ToString() => Kind switch
    {
        InventoryPolicyKind.Preorder => $"Preorder until {ReleaseDate:yyyy-MM-dd}" + (Limit is { } p ? $" (limit {p})" : string.Empty),
        InventoryPolicyKind.Dropship => $"Dropship from {Supplier}",
        InventoryPolicyKind.Backorder => "Backorder" + (Limit is { } b ? $" (limit {b})" : string.Empty),
        _ => Kind.ToString(),
    };

    private static int? CheckLimit(int? limit)
    {
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "A limit must not be negative.");
        }

        return limit;
    }
}
