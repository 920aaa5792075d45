using OrderKit.Persistence;
using OrderKit.Testing;

namespace OrderKit.Tests.Persistence;

/// <summary>The in-memory store keeps the whole store contract.</summary>
public sealed class InMemoryStoreConformanceTests
{
    private static readonly StoreConformance s_suite = new((clock, _) => ValueTask.FromResult<IOrderKitStore>(new InMemoryOrderKitStore(clock)), new StoreConformanceOptions { OverlappingUnitsOfWork = true });

    public static TheoryData<string> Checks => [.. StoreConformance.CheckNames, .. StoreConformance.InterleavedCheckNames];

    [Theory]
    [MemberData(nameof(Checks))]
    public Task InMemoryStore_KeepsTheContract(string check) => s_suite.RunAsync(check);

    [Fact]
    public async Task RunAsync_RefusesAnUnknownCheck_AndAnInterleavedOneTheStoreDoesNotAllow()
    {
        var oneAtATime = new StoreConformance((clock, _) => ValueTask.FromResult<IOrderKitStore>(new InMemoryOrderKitStore(clock)));
        Assert.Contains("ArrivalsReplacedOnlyAsRead", (await Assert.ThrowsAsync<ArgumentException>(() => oneAtATime.RunAsync("NoSuchCheck"))).Message, StringComparison.Ordinal);
        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(() => oneAtATime.RunAsync(StoreConformance.InterleavedCheckNames[0]));
        Assert.Contains(nameof(StoreConformanceOptions.OverlappingUnitsOfWork), refused.Message, StringComparison.Ordinal);
        Assert.Empty(StoreConformance.CheckNames.Intersect(StoreConformance.InterleavedCheckNames));
    }
}
