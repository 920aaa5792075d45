using System.Globalization;

namespace OrderKit;

/// <summary>A positive number of units of one item.</summary>
/// <remarks>
/// <para>A quantity is always at least one: zero or negative amounts are refused when a quantity is made, and
/// arithmetic is checked, so an overflow throws <see cref="OverflowException"/> rather than wrapping, and a
/// subtraction that would leave nothing throws instead of producing an invalid quantity.</para>
/// <para>The default value (<c>default(Quantity)</c>) has a <see cref="Value"/> of zero and is not a valid quantity;
/// OrderKit refuses it wherever a quantity is required.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    /// <summary>Creates a quantity.</summary>
    /// <param name="value">The number of units; at least one.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is zero or negative.</exception>
    public Quantity(int value)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A quantity must be positive; got {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        Value = value;
    }

    /// <summary>Gets the number of units; zero only for the default value.</summary>
    public int Value { get; }

    /// <summary>Gets whether this is the default value, which is not a valid quantity.</summary>
    public bool IsDefault => Value == 0;

    /// <summary>Converts a quantity to its number of units.</summary>
    /// <param name="quantity">The quantity.</param>
    public static explicit operator int(Quantity quantity) => quantity.Value;

    /// <summary>Adds two quantities.</summary>
    /// <exception cref="OverflowException">The sum does not fit in an <see cref="int"/>.</exception>
    public static Quantity operator +(Quantity left, Quantity right) => new(checked(left.Value + right.Value));

    /// <summary>Subtracts a smaller quantity from a larger one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The result would be zero or negative.</exception>
    public static Quantity operator -(Quantity left, Quantity right)
    {
        if (right.Value >= left.Value)
        {
            throw new ArgumentOutOfRangeException(nameof(right), right.Value, $"Subtracting {right} from {left} would not leave a positive quantity.");
        }

        return new(left.Value - right.Value);
    }

    /// <summary>Multiplies a quantity by a positive factor.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is zero or negative.</exception>
    /// <exception cref="OverflowException">The product does not fit in an <see cref="int"/>.</exception>
    public static Quantity operator *(Quantity left, int factor)
    {
        if (factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "A quantity can only be multiplied by a positive factor.");
        }

        return new(checked(left.Value * factor));
    }

    /// <summary>Returns whether two quantities are equal.</summary>
    public static bool operator ==(Quantity left, Quantity right) => left.Value == right.Value;

    /// <summary>Returns whether two quantities differ.</summary>
    public static bool operator !=(Quantity left, Quantity right) => left.Value != right.Value;

    /// <summary>Returns whether <paramref name="left"/> is less than <paramref name="right"/>.</summary>
    public static bool operator <(Quantity left, Quantity right) => left.Value < right.Value;

    /// <summary>Returns whether <paramref name="left"/> is greater than <paramref name="right"/>.</summary>
    public static bool operator >(Quantity left, Quantity right) => left.Value > right.Value;

    /// <summary>Returns whether <paramref name="left"/> is less than or equal to <paramref name="right"/>.</summary>
    public static bool operator <=(Quantity left, Quantity right) => left.Value <= right.Value;

    /// <summary>Returns whether <paramref name="left"/> is greater than or equal to <paramref name="right"/>.</summary>
    public static bool operator >=(Quantity left, Quantity right) => left.Value >= right.Value;

    /// <summary>Adds two quantities.</summary>
    /// <param name="left">The first quantity.</param>
    /// <param name="right">The second quantity.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="OverflowException">The sum does not fit in an <see cref="int"/>.</exception>
    public static Quantity Add(Quantity left, Quantity right) => left + right;

    /// <summary>Subtracts a smaller quantity from a larger one.</summary>
    /// <param name="left">The quantity to subtract from.</param>
    /// <param name="right">The smaller quantity to subtract.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The result would be zero or negative.</exception>
    public static Quantity Subtract(Quantity left, Quantity right) => left - right;

    /// <summary>Multiplies a quantity by a positive factor.</summary>
    /// <param name="left">The quantity.</param>
    /// <param name="factor">The positive factor.</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is zero or negative.</exception>
    /// <exception cref="OverflowException">The product does not fit in an <see cref="int"/>.</exception>
    public static Quantity Multiply(Quantity left, int factor) => left * factor;

    /// <summary>Converts a quantity to its number of units.</summary>
    /// <returns>The number of units.</returns>
    public int ToInt32() => Value;

    /// <inheritdoc />
    public bool Equals(Quantity other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value;

    /// <summary>Compares quantities by their number of units.</summary>
    /// <param name="other">The quantity to compare with.</param>
    /// <returns>Less than zero, zero, or greater than zero.</returns>
    public int CompareTo(Quantity other) => Value.CompareTo(other.Value);

    /// <summary>Returns the number of units, for example <c>3</c>.</summary>
    /// <returns>The number of units as text.</returns>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
