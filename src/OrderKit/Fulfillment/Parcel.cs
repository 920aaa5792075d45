using System.Globalization;
using OrderKit.Orders;

namespace OrderKit.Fulfillment;

/// <summary>One box or bag of a shipment: its weight, its size, and what is in it.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record Parcel
{
    /// <summary>The heaviest parcel accepted, in kilograms.</summary>
    public const decimal MaxWeightKg = 10_000m;

    /// <summary>Creates a parcel.</summary>
    /// <param name="weightKg">The weight, in kilograms, packing included; positive.</param>
    /// <param name="contents">The units in it, one entry per SKU; empty or null when the shipment has one parcel, which then holds everything picked.</param>
    /// <param name="dimensions">The outer size; null when not measured.</param>
    /// <exception cref="ArgumentException">The weight is zero, negative or more than <see cref="MaxWeightKg"/>.</exception>
    public Parcel(decimal weightKg, IReadOnlyList<LineQuantity>? contents = null, ParcelDimensions? dimensions = null)
    {
        if (weightKg <= 0m || weightKg > MaxWeightKg)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"weightKg must be more than 0 and at most {MaxWeightKg}; got {weightKg}."), nameof(weightKg));
        }

        WeightKg = weightKg;
        Contents = contents is null || contents.Count == 0 ? [] : [.. contents];
        Dimensions = dimensions;
    }

    /// <summary>Gets the weight, in kilograms.</summary>
    public decimal WeightKg { get; }

    /// <summary>Gets the units in the parcel; empty for the one parcel of a shipment that holds everything picked.</summary>
    public IReadOnlyList<LineQuantity> Contents { get; }

    /// <summary>Gets the outer size; null when not measured.</summary>
    public ParcelDimensions? Dimensions { get; }

    /// <summary>Returns the weight, size and contents, such as <c>1.2 kg 30x20x10 cm [2 x MUG]</c>.</summary>
    /// <returns>The parcel as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{WeightKg} kg") +
        (Dimensions is { } d ? " " + d : string.Empty) +
        (Contents.Count == 0 ? string.Empty : " [" + string.Join(", ", Contents) + "]");
}
