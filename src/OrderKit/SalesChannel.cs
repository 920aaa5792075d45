using OrderKit.Internal;

namespace OrderKit;

/// <summary>The sales channel an order came through, such as <c>web</c>, <c>app</c>, <c>pos</c> or <c>marketplace</c>.</summary>
/// <remarks>
/// <para>A SalesChannel is compared by its value, ordinal and case-sensitive: <c>"Web"</c> and <c>"web"</c> are
/// different. The value is 1 to 64 characters, has no surrounding white space and no control characters. Channels are chosen by the host shop; OrderKit uses them to group insights and to pick channel-specific policies.</para>
/// <para>The default value (<c>default(SalesChannel)</c>) is not a valid SalesChannel: its <see cref="Value"/> is empty and OrderKit
/// refuses it wherever one is required.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public readonly struct SalesChannel : IEquatable<SalesChannel>, IComparable<SalesChannel>
{
    /// <summary>The longest value accepted, in characters.</summary>
    public const int MaxLength = 64;

    private readonly string? _value;

    /// <summary>Creates a SalesChannel from its value.</summary>
    /// <param name="value">The value, 1 to <see cref="MaxLength"/> characters, without surrounding white space.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is blank, too long, or has surrounding white space or control characters.</exception>
    public SalesChannel(string value)
    {
        _value = Text.Identifier(value, nameof(value), MaxLength);
    }

    /// <summary>Gets the value; empty for the default value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets whether this is the default value, which is not a valid SalesChannel.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Returns whether two values are equal.</summary>
    public static bool operator ==(SalesChannel left, SalesChannel right) => left.Equals(right);

    /// <summary>Returns whether two values differ.</summary>
    public static bool operator !=(SalesChannel left, SalesChannel right) => !left.Equals(right);

    /// <summary>Returns whether <paramref name="left"/> sorts before <paramref name="right"/> (ordinal).</summary>
    public static bool operator <(SalesChannel left, SalesChannel right) => left.CompareTo(right) < 0;

    /// <summary>Returns whether <paramref name="left"/> sorts after <paramref name="right"/> (ordinal).</summary>
    public static bool operator >(SalesChannel left, SalesChannel right) => left.CompareTo(right) > 0;

    /// <summary>Returns whether <paramref name="left"/> sorts before or with <paramref name="right"/> (ordinal).</summary>
    public static bool operator <=(SalesChannel left, SalesChannel right) => left.CompareTo(right) <= 0;

    /// <summary>Returns whether <paramref name="left"/> sorts after or with <paramref name="right"/> (ordinal).</summary>
    public static bool operator >=(SalesChannel left, SalesChannel right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public bool Equals(SalesChannel other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SalesChannel other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Compares values ordinally; the default value sorts first.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns>Less than zero, zero, or greater than zero.</returns>
    public int CompareTo(SalesChannel other) => string.CompareOrdinal(_value, other._value);

    /// <summary>Returns the value, or <c>&lt;none&gt;</c> for the default value.</summary>
    /// <returns>The value as text.</returns>
    public override string ToString() => _value ?? "<none>";
}
