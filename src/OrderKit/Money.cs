using System.Globalization;

namespace OrderKit;

/// <summary>An amount of money in one currency, exact to the currency's minor unit.</summary>
/// <remarks>
/// <para>The amount is a <see cref="decimal"/> that never carries more decimal places than the currency allows:
/// <c>12.50 USD</c> is valid, <c>12.505 USD</c> is refused. Operations whose exact result could need more places
/// (<see cref="Multiply(decimal, MidpointRounding)"/>, <see cref="Round(decimal, Currency, MidpointRounding)"/>) take an
/// explicit <see cref="MidpointRounding"/>, because shops and tax rules disagree on it. To share an amount out, use
/// <see cref="Allocate(ReadOnlySpan{decimal})"/>: its parts always add up to the amount exactly.</para>
/// <para>Arithmetic and comparison work only within one currency; mixing currencies throws
/// <see cref="ArgumentException"/>. Overflow throws <see cref="OverflowException"/>.</para>
/// <para>The default value (<c>default(Money)</c>) has no currency and is not valid money; OrderKit refuses it wherever
/// money is required.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public readonly struct Money : IEquatable<Money>, IComparable<Money>
{
    /// <summary>Creates an amount of money.</summary>
    /// <param name="amount">The amount; it must not have more decimal places than <paramref name="currency"/> allows.</param>
    /// <param name="currency">The currency.</param>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is the default value, or <paramref name="amount"/> has more decimal places than the currency's minor units.</exception>
    public Money(decimal amount, Currency currency)
    {
        if (currency.IsDefault)
        {
            throw new ArgumentException("A currency is required for money.", nameof(currency));
        }

        if (decimal.Round(amount, currency.MinorUnits) != amount)
        {
            throw new ArgumentException(
                $"The amount {amount.ToString(CultureInfo.InvariantCulture)} has more decimal places than {currency.Code} allows ({currency.MinorUnits}); round it explicitly with Money.Round.",
                nameof(amount));
        }

        // Normalise the scale so that equal amounts print alike: 1.5 USD becomes 1.50 USD.
        Amount = decimal.Round(amount + 0.000m, currency.MinorUnits);
        Currency = currency;
    }

    /// <summary>Gets the amount, with exactly <see cref="Currency.MinorUnits"/> decimal places.</summary>
    public decimal Amount { get; }

    /// <summary>Gets the currency; the default currency for the default value.</summary>
    public Currency Currency { get; }

    /// <summary>Gets whether this is the default value, which is not valid money.</summary>
    public bool IsDefault => Currency.IsDefault;

    /// <summary>Gets whether the amount is zero.</summary>
    public bool IsZero => Amount == 0m;

    /// <summary>Gets whether the amount is below zero.</summary>
    public bool IsNegative => Amount < 0m;

    /// <summary>Returns zero in the given currency.</summary>
    /// <param name="currency">The currency.</param>
    /// <returns>Zero.</returns>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is the default value.</exception>
    public static Money Zero(Currency currency) => new(0m, currency);

    /// <summary>Creates money from an amount, rounding it to the currency's minor unit with the given mode.</summary>
    /// <param name="amount">The amount, with any number of decimal places.</param>
    /// <param name="currency">The currency.</param>
    /// <param name="mode">How to round a midpoint: <see cref="MidpointRounding.ToEven"/> (banker's) or <see cref="MidpointRounding.AwayFromZero"/> (commercial), or a directed mode.</param>
    /// <returns>The rounded money.</returns>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is the default value.</exception>
    public static Money Round(decimal amount, Currency currency, MidpointRounding mode)
    {
        if (currency.IsDefault)
        {
            throw new ArgumentException("A currency is required for money.", nameof(currency));
        }

        return new(decimal.Round(amount, currency.MinorUnits, mode), currency);
    }

    /// <summary>Creates money from a whole number of minor units, such as cents.</summary>
    /// <param name="minorUnits">The number of minor units; 1250 is 12.50 EUR.</param>
    /// <param name="currency">The currency.</param>
    /// <returns>The money.</returns>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is the default value.</exception>
    public static Money FromMinorUnits(long minorUnits, Currency currency)
    {
        if (currency.IsDefault)
        {
            throw new ArgumentException("A currency is required for money.", nameof(currency));
        }

        return new(minorUnits / Scale(currency), currency);
    }

    /// <summary>Returns the amount as a whole number of minor units, such as cents: 12.50 EUR is 1250.</summary>
    /// <returns>The number of minor units.</returns>
    /// <exception cref="OverflowException">The number of minor units does not fit in a <see cref="long"/>.</exception>
    public long ToMinorUnits() => decimal.ToInt64(Amount * Scale(Currency));

    /// <summary>Adds two amounts in the same currency.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static Money operator +(Money left, Money right)
    {
        EnsureSameCurrency(left, right, nameof(right));
        return new(left.Amount + right.Amount, left.Currency);
    }

    /// <summary>Subtracts an amount in the same currency.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static Money operator -(Money left, Money right)
    {
        EnsureSameCurrency(left, right, nameof(right));
        return new(left.Amount - right.Amount, left.Currency);
    }

    /// <summary>Negates an amount.</summary>
    public static Money operator -(Money value) => new(-value.Amount, value.Currency);

    /// <summary>Multiplies an amount by a whole number, such as a unit price by a quantity; exact.</summary>
    /// <exception cref="OverflowException">The product is too large.</exception>
    public static Money operator *(Money left, int factor) => new(left.Amount * factor, left.Currency);

    /// <summary>Returns whether two amounts are equal: same currency and same amount.</summary>
    public static bool operator ==(Money left, Money right) => left.Equals(right);

    /// <summary>Returns whether two amounts differ in currency or amount.</summary>
    public static bool operator !=(Money left, Money right) => !left.Equals(right);

    /// <summary>Returns whether <paramref name="left"/> is less than <paramref name="right"/>.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Returns whether <paramref name="left"/> is greater than <paramref name="right"/>.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Returns whether <paramref name="left"/> is less than or equal to <paramref name="right"/>.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Returns whether <paramref name="left"/> is greater than or equal to <paramref name="right"/>.</summary>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>Adds two amounts in the same currency.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static Money Add(Money left, Money right) => left + right;

    /// <summary>Subtracts an amount in the same currency.</summary>
    /// <param name="left">The amount to subtract from.</param>
    /// <param name="right">The amount to subtract.</param>
    /// <returns>The difference.</returns>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public static Money Subtract(Money left, Money right) => left - right;

    /// <summary>Negates an amount.</summary>
    /// <param name="value">The amount.</param>
    /// <returns>The negated amount.</returns>
    public static Money Negate(Money value) => -value;

    /// <summary>Multiplies an amount by a whole number; exact.</summary>
    /// <param name="left">The amount.</param>
    /// <param name="factor">The factor.</param>
    /// <returns>The product.</returns>
    /// <exception cref="OverflowException">The product is too large.</exception>
    public static Money Multiply(Money left, int factor) => left * factor;

    /// <summary>Multiplies the amount by a factor, such as a tax rate, and rounds to the minor unit.</summary>
    /// <param name="factor">The factor; for example 0.19 for 19 %.</param>
    /// <param name="mode">How to round the result to the currency's minor unit.</param>
    /// <returns>The rounded product.</returns>
    /// <exception cref="OverflowException">The product is too large.</exception>
    public Money Multiply(decimal factor, MidpointRounding mode) => Round(Amount * factor, Currency, mode);

    /// <summary>Shares this amount out in proportion to weights, so that the parts add up to it exactly.</summary>
    /// <remarks>
    /// <para>Largest remainder: each part first gets its exact share rounded down to the minor unit; the minor units
    /// left over go one each to the parts with the largest remainders, the earlier part first on a tie. So the parts
    /// always sum to this amount exactly, each differs from its exact share by less than one minor unit, and the
    /// result is the same on every run. A negative amount is shared as its absolute value and negated.</para>
    /// <para>Typical uses: an order discount or the shipping charge shared across lines by their totals, a refund
    /// shared across the units returned.</para>
    /// </remarks>
    /// <param name="weights">The weights, one per part; none negative and at least one positive.</param>
    /// <returns>One part per weight, in the order of the weights.</returns>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is empty, has a negative weight, or sums to zero.</exception>
    public Money[] Allocate(params ReadOnlySpan<decimal> weights)
    {
        if (IsDefault)
        {
            throw new InvalidOperationException("The default Money value has no currency and cannot be allocated.");
        }

        if (weights.IsEmpty)
        {
            throw new ArgumentException("At least one weight is required to allocate money.", nameof(weights));
        }

        decimal totalWeight = 0m;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] < 0m)
            {
                throw new ArgumentException($"weights[{i}] is {weights[i].ToString(CultureInfo.InvariantCulture)}; weights must not be negative.", nameof(weights));
            }

            totalWeight += weights[i];
        }

        if (totalWeight == 0m)
        {
            throw new ArgumentException("The weights sum to zero; at least one weight must be positive.", nameof(weights));
        }

        long total = ToMinorUnits();
        bool negative = total < 0;
        decimal units = Math.Abs((decimal)total);
        var parts = new long[weights.Length];
        var remainders = new decimal[weights.Length];
        long given = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            decimal exact = units * weights[i] / totalWeight;
            decimal floor = decimal.Floor(exact);
            parts[i] = decimal.ToInt64(floor);
            remainders[i] = exact - floor;
            given += parts[i];
        }

        // Fewer than weights.Length units are left; hand them out by largest remainder, earliest first on ties.
        long left = decimal.ToInt64(units) - given;
        while (left > 0)
        {
            int best = -1;
            for (int i = 0; i < remainders.Length; i++)
            {
                if (remainders[i] >= 0m && (best < 0 || remainders[i] > remainders[best]))
                {
                    best = i;
                }
            }

            parts[best]++;
            remainders[best] = -1m;
            left--;
        }

        var result = new Money[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            result[i] = FromMinorUnits(negative ? -parts[i] : parts[i], Currency);
        }

        return result;
    }

    /// <summary>Shares this amount into equal parts that add up to it exactly; earlier parts get the leftover minor units.</summary>
    /// <param name="parts">The number of parts; at least one.</param>
    /// <returns>The parts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is zero or negative.</exception>
    public Money[] Allocate(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parts);
        var weights = new decimal[parts];
        Array.Fill(weights, 1m);
        return Allocate(weights);
    }

    /// <inheritdoc />
    public bool Equals(Money other) => Currency == other.Currency && Amount == other.Amount;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Currency, Amount);

    /// <summary>Compares two amounts in the same currency.</summary>
    /// <param name="other">The amount to compare with.</param>
    /// <returns>Less than zero, zero, or greater than zero.</returns>
    /// <exception cref="ArgumentException">The currencies differ.</exception>
    public int CompareTo(Money other)
    {
        EnsureSameCurrency(this, other, nameof(other));
        return Amount.CompareTo(other.Amount);
    }

    /// <summary>Returns the currency code and the amount with all its minor units, such as <c>EUR 12.50</c> or <c>JPY 1200</c>.</summary>
    /// <returns>The money as text, in the invariant culture.</returns>
    public override string ToString() =>
        IsDefault ? "<no money>" : Currency.Code + " " + Amount.ToString("F" + Currency.MinorUnits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static decimal Scale(Currency currency) => currency.MinorUnits switch
    {
        0 => 1m,
        2 => 100m,
        3 => 1000m,
        _ => (decimal)Math.Pow(10, currency.MinorUnits),
    };

    private static void EnsureSameCurrency(Money left, Money right, string paramName)
    {
        if (left.Currency != right.Currency)
        {
            throw new ArgumentException($"Cannot combine {left} with {right}: money in different currencies does not mix.", paramName);
        }
    }
}
