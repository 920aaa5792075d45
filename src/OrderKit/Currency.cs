using OrderKit.Internal;

namespace OrderKit;

/// <summary>An ISO 4217 currency, with the number of decimal places (minor units) its amounts carry.</summary>
/// <remarks>
/// <para>Only active ISO 4217 codes are accepted, in upper case: <c>USD</c> has 2 minor units, <c>JPY</c> 0 and
/// <c>KWD</c> 3. Codes without minor units (precious metals, <c>XXX</c>) are refused.</para>
/// <para>The default value (<c>default(Currency)</c>) is not a valid currency: its <see cref="Code"/> is empty and
/// OrderKit refuses it wherever a currency is required.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public readonly struct Currency : IEquatable<Currency>
{
    private readonly string? _code;

    private Currency(string code, int minorUnits)
    {
        _code = code;
        MinorUnits = minorUnits;
    }

    /// <summary>Gets the United States dollar (2 minor units).</summary>
    public static Currency USD { get; } = FromCode("USD");

    /// <summary>Gets the euro (2 minor units).</summary>
    public static Currency EUR { get; } = FromCode("EUR");

    /// <summary>Gets the pound sterling (2 minor units).</summary>
    public static Currency GBP { get; } = FromCode("GBP");

    /// <summary>Gets the Japanese yen (0 minor units).</summary>
    public static Currency JPY { get; } = FromCode("JPY");

    /// <summary>Gets the Kuwaiti dinar (3 minor units).</summary>
    public static Currency KWD { get; } = FromCode("KWD");

    /// <summary>Gets the three-letter ISO 4217 code, such as <c>EUR</c>; empty for the default value.</summary>
    public string Code => _code ?? string.Empty;

    /// <summary>Gets the number of decimal places amounts in this currency carry: 0 for JPY, 2 for EUR, 3 for KWD.</summary>
    public int MinorUnits { get; }

    /// <summary>Gets whether this is the default value, which is not a valid currency.</summary>
    public bool IsDefault => _code is null;

    /// <summary>Returns the currency with the given ISO 4217 code.</summary>
    /// <param name="code">An active three-letter code in upper case, such as <c>EUR</c>.</param>
    /// <returns>The currency.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not an active ISO 4217 code.</exception>
    public static Currency FromCode(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!TryFromCode(code, out Currency currency))
        {
            throw new ArgumentException($"Unknown currency code {Text.Quote(code)}: expected an active ISO 4217 code in upper case, such as \"EUR\" or \"USD\".", nameof(code));
        }

        return currency;
    }

    /// <summary>Tries to find the currency with the given ISO 4217 code.</summary>
    /// <param name="code">A three-letter code in upper case.</param>
    /// <param name="currency">The currency, when found.</param>
    /// <returns>Whether the code is an active ISO 4217 code.</returns>
    public static bool TryFromCode(string? code, out Currency currency)
    {
        if (code is not null && Iso4217.MinorUnits.TryGetValue(code, out int minorUnits))
        {
            currency = new Currency(code, minorUnits);
            return true;
        }

        currency = default;
        return false;
    }

    /// <summary>Returns whether two currencies are the same.</summary>
    public static bool operator ==(Currency left, Currency right) => left.Equals(right);

    /// <summary>Returns whether two currencies differ.</summary>
    public static bool operator !=(Currency left, Currency right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(Currency other) => string.Equals(_code, other._code, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Currency other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _code is null ? 0 : StringComparer.Ordinal.GetHashCode(_code);

    /// <summary>Returns the code, such as <c>EUR</c>, or <c>&lt;none&gt;</c> for the default value.</summary>
    /// <returns>The code.</returns>
    public override string ToString() => _code ?? "<none>";
}
