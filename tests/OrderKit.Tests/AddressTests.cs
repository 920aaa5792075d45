namespace OrderKit.Tests;

public sealed class AddressTests
{
    [Fact]
    public void ToString_HasNoPersonalData()
    {
        Address address = TestValues.Berlin with { Phone = "+49 30 1234" };
        string text = address.ToString();
        Assert.Equal("Berlin 10117 DE", text);
        Assert.DoesNotContain("Ada", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Linden", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de")]
    [InlineData("DEU")]
    [InlineData("D1")]
    [InlineData("")]
    public void CountryCode_NotAlpha2_ThrowsNamingTheField(string country)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new Address("A", "B", "C", null, country));
        Assert.Equal("CountryCode", error.ParamName);
        Assert.Contains($"\"{country}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_ValidatesToo()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => TestValues.Berlin with { City = " " });
        Assert.Equal("City", error.ParamName);
    }

    [Fact]
    public void Equality_ByValue()
    {
        Assert.Equal(TestValues.Berlin, TestValues.Berlin);
        Assert.NotEqual(TestValues.Berlin, TestValues.Berlin with { Line2 = "3rd floor" });
        Assert.Equal("Paris FR", new Address("A", "B", "Paris", null, "FR").ToString());
    }
}
