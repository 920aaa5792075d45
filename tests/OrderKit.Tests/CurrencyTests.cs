namespace OrderKit.Tests;

public sealed class CurrencyTests
{
    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("CLF", 4)]
    public void FromCode_KnownCode_HasIsoMinorUnits(string code, int minorUnits)
    {
        Currency currency = Currency.FromCode(code);
        Assert.Equal(code, currency.Code);
        Assert.Equal(minorUnits, currency.MinorUnits);
        Assert.Equal(code, currency.ToString());
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("XXX")]
    [InlineData("ABC")]
    [InlineData("")]
    [InlineData("EURO")]
    public void FromCode_UnknownCode_ThrowsNamingTheCode(string code)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Currency.FromCode(code));
        Assert.Contains($"\"{code}\"", error.Message, StringComparison.Ordinal);
        Assert.False(Currency.TryFromCode(code, out _));
    }

    [Fact]
    public void Equality_ByCode()
    {
        Assert.Equal(Currency.USD, Currency.FromCode("USD"));
        Assert.True(Currency.USD != Currency.EUR);
        Assert.True(default(Currency).IsDefault);
        Assert.Equal(Currency.EUR.GetHashCode(), Currency.FromCode("EUR").GetHashCode());
    }
}
