using OrderKit.Tests.Generators;

namespace OrderKit.Tests;

public sealed class QuantityTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Constructor_NotPositive_ThrowsNamingTheValue(int value)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new Quantity(value));
        Assert.Equal(value, error.ActualValue);
        Assert.Equal("value", error.ParamName);
    }

    [Fact]
    public void Arithmetic_IsChecked()
    {
        Assert.Equal(new Quantity(5), new Quantity(2) + new Quantity(3));
        Assert.Equal(new Quantity(1), new Quantity(3) - new Quantity(2));
        Assert.Equal(new Quantity(6), new Quantity(3) * 2);
        Assert.Throws<OverflowException>(() => new Quantity(int.MaxValue) + new Quantity(1));
        Assert.Throws<OverflowException>(() => new Quantity(int.MaxValue) * 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Quantity(2) - new Quantity(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Quantity(2) * 0);
    }

    [Fact]
    public void Default_IsNotAValidQuantity()
    {
        Assert.True(default(Quantity).IsDefault);
        Assert.Equal(0, default(Quantity).Value);
        Assert.Equal("3", new Quantity(3).ToString());
        Assert.Equal(3, (int)new Quantity(3));
    }

    [Property(MaxTest = 500)]
    public Property EqualityAndOrdering_FollowTheLaws() =>
        Prop.ForAll(
            Arb.From(OrderKitArbitraries.QuantityGen.Two()),
            pair => EqualityLaws.Hold(pair.Item1, pair.Item2, (a, b) => a == b, (a, b) => a != b)
                && EqualityLaws.OrderingHolds(pair.Item1, pair.Item2)
                && (pair.Item1 < pair.Item2) == (pair.Item1.Value < pair.Item2.Value)
                && (pair.Item1 + pair.Item2).Value == pair.Item1.Value + pair.Item2.Value);
}
