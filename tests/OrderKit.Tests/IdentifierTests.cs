using OrderKit.Tests.Generators;

namespace OrderKit.Tests;

public static class IdentifierData
{
    public static TheoryData<string> BadValues => ["", " ", "\t", " A", "A ", "A\nB"];
}

/// <summary>The tests every identifier value shares; one sealed subclass per identifier type runs them.</summary>
public abstract class IdentifierTests<T>
    where T : struct, IEquatable<T>, IComparable<T>
{
    protected abstract int MaxLength { get; }

    [Theory]
    [MemberData(nameof(IdentifierData.BadValues), MemberType = typeof(IdentifierData))]
    public void Constructor_BadValue_ThrowsNamingTheValue(string value)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => Make(value));
        Assert.Equal("value", error.ParamName);
    }

    [Fact]
    public void Constructor_Null_ThrowsArgumentNull() => Assert.Throws<ArgumentNullException>(() => Make(null!));

    [Fact]
    public void Constructor_TooLong_ThrowsNamingTheLength()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Make(new string('x', MaxLength + 1)));
        Assert.Contains((MaxLength + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Equal(new string('x', MaxLength), Make(new string('x', MaxLength)).ToString());
    }

    [Fact]
    public void Equality_IsOrdinalAndCaseSensitive()
    {
        Assert.NotEqual(Make("abc"), Make("ABC"));
        Assert.Equal(Make("ABC"), Make("ABC"));
        Assert.True(Make("A").CompareTo(Make("B")) < 0);
        Assert.Equal("ABC", Make("ABC").ToString());
    }

    [Fact]
    public void Default_PrintsNoneAndSortsFirst()
    {
        Assert.Equal("<none>", default(T).ToString());
        Assert.True(default(T).CompareTo(Make("A")) < 0);
        Assert.NotEqual(default, Make("A"));
    }

    [Property(MaxTest = 300)]
    public Property EqualityAndOrdering_FollowTheLaws() =>
        Prop.ForAll(
            Arb.From(Gen.Elements("A", "B", "mug", "MUG", "Z9", "sku-1000").Two()),
            pair => EqualityLaws.Hold(Make(pair.Item1), Make(pair.Item2), Same, Differ)
                && EqualityLaws.OrderingHolds(Make(pair.Item1), Make(pair.Item2)));

    protected abstract T Make(string value);

    protected abstract bool Same(T left, T right);

    protected abstract bool Differ(T left, T right);
}

public sealed class SkuTests : IdentifierTests<Sku>
{
    protected override int MaxLength => Sku.MaxLength;

    [Fact]
    public void IsDefault_TellsTheDefaultValue()
    {
        Assert.True(default(Sku).IsDefault);
        Assert.False(new Sku("A").IsDefault);
        Assert.Equal(string.Empty, default(Sku).Value);
    }

    protected override Sku Make(string value) => new(value);

    protected override bool Same(Sku left, Sku right) => left == right;

    protected override bool Differ(Sku left, Sku right) => left != right;
}

public sealed class OrderIdTests : IdentifierTests<OrderId>
{
    protected override int MaxLength => OrderId.MaxLength;

    [Fact]
    public void New_IsUniqueAndSortsByTime()
    {
        OrderId first = OrderId.New(TestValues.Start);
        OrderId second = OrderId.New(TestValues.Start + NodaTime.Duration.FromMilliseconds(5));
        Assert.NotEqual(first, second);
        Assert.StartsWith("ord_", first.Value, StringComparison.Ordinal);
        Assert.True(first < second);
    }

    protected override OrderId Make(string value) => new(value);

    protected override bool Same(OrderId left, OrderId right) => left == right;

    protected override bool Differ(OrderId left, OrderId right) => left != right;
}

public sealed class CustomerIdTests : IdentifierTests<CustomerId>
{
    protected override int MaxLength => CustomerId.MaxLength;

    protected override CustomerId Make(string value) => new(value);

    protected override bool Same(CustomerId left, CustomerId right) => left == right;

    protected override bool Differ(CustomerId left, CustomerId right) => left != right;
}

public sealed class LocationIdTests : IdentifierTests<LocationId>
{
    protected override int MaxLength => LocationId.MaxLength;

    protected override LocationId Make(string value) => new(value);

    protected override bool Same(LocationId left, LocationId right) => left == right;

    protected override bool Differ(LocationId left, LocationId right) => left != right;
}

public sealed class SalesChannelTests : IdentifierTests<SalesChannel>
{
    protected override int MaxLength => SalesChannel.MaxLength;

    protected override SalesChannel Make(string value) => new(value);

    protected override bool Same(SalesChannel left, SalesChannel right) => left == right;

    protected override bool Differ(SalesChannel left, SalesChannel right) => left != right;
}
