namespace OrderKit.Tests;

public sealed partial class MoneyTests
{
    [Fact]
    public void Constructor_TooManyDecimals_ThrowsNamingAmountAndCurrency()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new Money(1.005m, Currency.USD));
        Assert.Contains("1.005", error.Message, StringComparison.Ordinal);
        Assert.Contains("USD", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Money(1.5m, Currency.JPY));
        Assert.Equal(1.005m, new Money(1.005m, Currency.KWD).Amount);
    }

    [Fact]
    public void Round_UsesTheGivenMode()
    {
        Assert.Equal(new Money(0.02m, Currency.USD), Money.Round(0.025m, Currency.USD, MidpointRounding.ToEven));
        Assert.Equal(new Money(0.03m, Currency.USD), Money.Round(0.025m, Currency.USD, MidpointRounding.AwayFromZero));
        Assert.Equal(new Money(2m, Currency.JPY), Money.Round(2.5m, Currency.JPY, MidpointRounding.ToEven));
        Assert.Equal(new Money(2.38m, Currency.EUR), new Money(12.50m, Currency.EUR).Multiply(0.19m, MidpointRounding.AwayFromZero));
    }

    [Fact]
    public void Arithmetic_WithinOneCurrency()
    {
        Money a = new(10.10m, Currency.EUR);
        Assert.Equal(new Money(20.20m, Currency.EUR), a + a);
        Assert.Equal(Money.Zero(Currency.EUR), a - a);
        Assert.Equal(new Money(30.30m, Currency.EUR), a * 3);
        Assert.Equal(new Money(-10.10m, Currency.EUR), -a);
        ArgumentException error = Assert.Throws<ArgumentException>(() => a + new Money(1m, Currency.USD));
        Assert.Contains("EUR 10.10", error.Message, StringComparison.Ordinal);
        Assert.Contains("USD 1.00", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => a < new Money(1m, Currency.USD));
    }

    [Fact]
    public void MinorUnits_RoundTrip()
    {
        Assert.Equal(1250, new Money(12.50m, Currency.EUR).ToMinorUnits());
        Assert.Equal(new Money(1.234m, Currency.KWD), Money.FromMinorUnits(1234, Currency.KWD));
        Assert.Equal(new Money(1234m, Currency.JPY), Money.FromMinorUnits(1234, Currency.JPY));
    }

    [Fact]
    public void ToString_ShowsEveryMinorUnit()
    {
        Assert.Equal("EUR 12.50", new Money(12.5m, Currency.EUR).ToString());
        Assert.Equal("JPY 1200", new Money(1200m, Currency.JPY).ToString());
        Assert.Equal("KWD 0.100", new Money(0.1m, Currency.KWD).ToString());
        Assert.Equal("<no money>", default(Money).ToString());
    }

    [Fact]
    public void Allocate_SharesByLargestRemainder()
    {
        Money[] parts = new Money(100m, Currency.USD).Allocate(1m, 1m, 1m);
        Assert.Equal([new Money(33.34m, Currency.USD), new Money(33.33m, Currency.USD), new Money(33.33m, Currency.USD)], parts);
        Money[] yen = new Money(100m, Currency.JPY).Allocate(3);
        Assert.Equal([34m, 33m, 33m], yen.Select(p => p.Amount));
        Money[] negative = new Money(-0.05m, Currency.EUR).Allocate(1m, 1m);
        Assert.Equal([-0.03m, -0.02m], negative.Select(p => p.Amount));
    }

    [Fact]
    public void Allocate_BadWeights_ThrowNamingTheWeight()
    {
        Money amount = new(10m, Currency.EUR);
        Assert.Throws<ArgumentException>(() => amount.Allocate(ReadOnlySpan<decimal>.Empty));
        Assert.Throws<ArgumentException>(() => amount.Allocate(0m, 0m));
        ArgumentException error = Assert.Throws<ArgumentException>(() => amount.Allocate(1m, -2m));
        Assert.Contains("weights[1]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => amount.Allocate(0));
    }
}
