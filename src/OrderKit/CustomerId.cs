using OrderKit.Internal;

namespace OrderKit;

/// <summary>The identifier of a customer in the host shop.</summary>
/// <remarks>
/// <para>A CustomerId is compared by its value, ordinal and case-sensitive: <c>"CUST-42"</c> and <c>"cust-42"</c> are
/// different. The value is 1 to 100 characters, has no surrounding white space and no control characters. OrderKit never interprets it.</para>
/// <para>The default value (<c>default(CustomerId)</c>) is not a valid CustomerId: its <see cref="Value"/> is empty and OrderKit
/// refuses it wherever one is required.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public readonly struct CustomerId : IEquatable<CustomerId>, IComparable<CustomerId>
{
    /// <summary>The longest value accepted, in characters.</summary>
    public const int MaxLength = 100;

    private readonly string? _value;

    /// <summary>Creates a CustomerId from its value.</summary>
    /// <param name="value">The value, 1 to <see cref="MaxLength"/> characters, without surrounding white space.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is blank, too long, or has surrounding white space or control characters.</exception>
    public CustomerId(string value)
    {
        _value = Text.Identifier(value, nameof(value), MaxLength);
    }

    /// <summary>Gets the value; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets whether this is the default value, which is not a valid CustomerId.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Returns whether two values are equal.</summary>
    public static bool operator ==(CustomerId left, CustomerId right) => left.Equals(right);

    /// <summary>Returns whether two values differ.</summary>
    public static bool operator !=(CustomerId left, CustomerId right) => !left.Equals(right);

    /// <summary>Returns whether <paramref name="left"/> sorts before <paramref name="right"/> (ordinal).</summary>
    public static bool operator <(CustomerId left, CustomerId right) => left.CompareTo(right) < 0;

    /// <summary>Returns whether <paramref name="left"/> sorts after <paramref name="right"/> (ordinal).</summary>
    public static bool operator >(CustomerId left, CustomerId right) => left.CompareTo(right) > 0;

    /// <summary>Returns whether <paramref name="left"/> sorts before or with <paramref name="right"/> (ordinal).</summary>
    public static bool operator <=(CustomerId left, CustomerId right) => left.CompareTo(right) <= 0;

    /// <summary>Returns whether <paramref name="left"/> sorts after or with <paramref name="right"/> (ordinal).</summary>
    public static bool operator >=(CustomerId left, CustomerId right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public bool Equals(CustomerId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CustomerId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Compares values ordinally; the default value sorts first.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns>Less than zero, zero, or greater than zero.</returns>
    public int CompareTo(CustomerId other) => string.CompareOrdinal(_value, other._value);

    /// <summary>Returns the value, or <c>&lt;none&gt;</c> for the default value.</summary>
    /// <returns>The value as text.</returns>
    public override string ToString() => _value ?? "<none>";
}
