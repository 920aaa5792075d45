using System.Globalization;

namespace OrderKit.Fulfillment;

/// <summary>The outer size of a parcel, in centimetres.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public readonly record struct ParcelDimensions
{
    /// <summary>Creates the dimensions.</summary>
    /// <param name="lengthCm">The length, in centimetres; positive.</param>
    /// <param name="widthCm">The width, in centimetres; positive.</param>
    /// <param name="heightCm">The height, in centimetres; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A side is zero or negative.</exception>
    public ParcelDimensions(decimal lengthCm, decimal widthCm, decimal heightCm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lengthCm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(widthCm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heightCm);
        LengthCm = lengthCm;
        WidthCm = widthCm;
        HeightCm = heightCm;
    }

    /// <summary>Gets the length, in centimetres.</summary>
    public decimal LengthCm { get; }

    /// <summary>Gets the width, in centimetres.</summary>
    public decimal WidthCm { get; }

    /// <summary>Gets the height, in centimetres.</summary>
    public decimal HeightCm { get; }

    /// <summary>Returns the sides, such as <c>30x20x10 cm</c>.</summary>
    /// <returns>The dimensions as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{LengthCm}x{WidthCm}x{HeightCm} cm");
}
