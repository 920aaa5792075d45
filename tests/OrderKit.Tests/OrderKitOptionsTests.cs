using NodaTime;

namespace OrderKit.Tests;

public sealed class OrderKitOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = new OrderKitOptions();

        options.Validate();
        Assert.Equal(Duration.FromHours(24), options.IdempotencyRetention);
        Assert.Equal(3, options.MaxConcurrencyRetries);
        Assert.Equal(100, options.OutboxBatchSize);
        Assert.Equal(Duration.FromSeconds(1), options.OutboxPollInterval);
        Assert.Null(options.OutboxDeliveryFailed);
    }

    public static TheoryData<string, Action<OrderKitOptions>> BadValues => new()
    {
        { nameof(OrderKitOptions.IdempotencyRetention), o => o.IdempotencyRetention = Duration.Zero },
        { nameof(OrderKitOptions.MaxConcurrencyRetries), o => o.MaxConcurrencyRetries = -1 },
        { nameof(OrderKitOptions.MaxConcurrencyRetries), o => o.MaxConcurrencyRetries = 101 },
        { nameof(OrderKitOptions.OutboxBatchSize), o => o.OutboxBatchSize = 0 },
        { nameof(OrderKitOptions.OutboxBatchSize), o => o.OutboxBatchSize = 10_001 },
        { nameof(OrderKitOptions.OutboxPollInterval), o => o.OutboxPollInterval = Duration.FromSeconds(-1) },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Validate_BadValue_ThrowsNamingTheOption(string option, Action<OrderKitOptions> spoil)
    {
        var options = new OrderKitOptions();
        spoil(options);

        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(option, error.ParamName);
        Assert.Contains($"OrderKitOptions.{option}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EdgeValues_AreAccepted()
    {
        var options = new OrderKitOptions { MaxConcurrencyRetries = 0, OutboxBatchSize = 10_000, IdempotencyRetention = Duration.FromTicks(1) };

        options.Validate();
    }
}
